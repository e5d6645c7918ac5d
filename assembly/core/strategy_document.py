"""The Word draft of a strategy, section by section, in the order of the statutory strategies.

Pure: plain dataclasses in (the strategy, the consultation's results, the audit's trends and
the charts already drawn), the .docx bytes out. `assembly.data.built_drafts` gathers the
inputs from the database and keeps every build.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from assembly.core.document import DraftDocument
from assembly.core.strategy import PrioritySpec, StrategySpec
from assembly.core.trends import Trend, trend_table_headers, trend_table_rows
from assembly.core.wording import (
    Concern,
    abbreviations_in,
    agreement_sentence,
    concerns,
    concerns_summary,
    how_it_ran,
    join_words,
    others_summary,
    quoted,
    theme_mentions,
)
from common import display
from survey.core.charts import Chart
from survey.core.results import Breakdown, ConsultationResults, ScaleResult, TextResult


@dataclass(frozen=True)
class DraftCharts:
    """The pictures a draft shows, each None when there is nothing to draw."""

    trends: Chart | None = None
    agreement: Chart | None = None
    themes: Chart | None = None
    breakdown: Chart | None = None
    priorities: Mapping[str, tuple[Chart, ...]] = field(default_factory=dict)  # by name


@dataclass(frozen=True)
class DraftInputs:
    """Everything one build of a draft reads."""

    strategy: StrategySpec
    results: ConsultationResults
    audit_name: str
    audit_periods: tuple[str, ...]
    trends: tuple[Trend, ...]
    findings: Mapping[str, str]  # audit category -> an officer's key finding
    charts: DraftCharts
    version: int
    built_at: dt.datetime
    built_by: str
    breakdown: Breakdown | None = None
    template: bytes | None = None
    sources: Mapping[str, str] = field(default_factory=dict)


def agreement_result(results: ConsultationResults) -> ScaleResult | None:
    """The agreement with the proposed priorities: the consultation's first scale question."""
    return results.headline


def concerns_result(results: ConsultationResults) -> TextResult | None:
    """The coded free-text question ("What are you most worried about?"): the first one."""
    for result in results.questions:
        if isinstance(result, TextResult) and result.codebook:
            return result
    return None


def build_draft(inputs: DraftInputs) -> bytes:
    """The draft as .docx bytes."""
    return _Builder(inputs).build()


class _Builder:
    def __init__(self, inputs: DraftInputs) -> None:
        self.inputs = inputs
        self.spec = inputs.strategy
        self.doc = DraftDocument(inputs.template)
        self.shown: list[Chart] = []
        self.texts: list[str] = []  # everything written, for the glossary's abbreviations

    def build(self) -> bytes:
        self._title_page()
        self.doc.contents()
        self._introduction()
        self._priorities_overview()
        self._audit()
        self._consultation()
        self._concerns()
        self._priorities()
        self._measures()
        self._glossary()
        self._appendix()
        self.doc.page_numbers()
        self.doc.update_fields_on_open()
        self.doc.set_properties(
            f"{self.spec.title} (draft {self.inputs.version})",
            self.spec.partnership,
            self.inputs.built_at,
        )
        return self.doc.to_bytes()

    # Helpers that remember what was written.

    def _say(self, text: str) -> None:
        self.texts.append(text)
        self.doc.paragraph(text)

    def _list(self, items: Sequence[str]) -> None:
        self.texts.extend(items)
        self.doc.bullets(items)

    def _chart(self, chart: Chart | None, caption: str | None = None) -> None:
        if chart is None:
            return
        self.doc.figure(chart.png, chart.alt_text, caption or chart.title)
        self.shown.append(chart)

    # Sections.

    def _title_page(self) -> None:
        built = display.long_date(self.inputs.built_at.astimezone(display.LOCAL_ZONE).date())
        self.doc.title_page(
            [
                ("Normal", self.spec.partnership),
                ("Title", self.spec.title),
                ("Normal", self.spec.period),
                ("Subtitle", f"Draft {self.inputs.version}"),
                ("Normal", f"Built on {built} from the consultation and audit data."),
            ]
        )

    def _introduction(self) -> None:
        for heading, text in (
            ("Introduction", self.spec.introduction),
            ("Vision", self.spec.vision),
        ):
            if text:
                self.doc.heading(heading, 1)
                self._say(text)

    def _priorities_overview(self) -> None:
        self.doc.heading("Strategic priorities at a glance", 1)
        national = [p.name for p in self.spec.priorities if p.kind == "national"]
        local = [p.name for p in self.spec.priorities if p.kind == "local"]
        count = display.plural(len(self.spec.priorities), "priority", "priorities")
        self._say(
            "Through the audit of crime and disorder and consultation with partner agencies "
            f"and the public, the partnership will focus on {count} over {self.spec.period}."
        )
        for label, names in (("National priorities", national), ("Local priorities", local)):
            if names:
                self.doc.paragraph(label, bold=True)
                self._list(names)

    def _audit(self) -> None:
        self.doc.heading("Summary of audit findings", 1)
        trends = self.inputs.trends
        if not trends:
            self._say(f"The audit {quoted(self.inputs.audit_name)} has no figures to compare.")
            return
        periods = self.inputs.audit_periods
        self._say(
            f"The audit {quoted(self.inputs.audit_name)} covers "
            f"{display.plural(len({t.category for t in trends}), 'category', 'categories')} "
            f"of crime and disorder from {periods[0]} to {periods[-1]}. "
            "Each is compared here with the period before."
        )
        self.doc.table(
            "Crime and disorder trends", trend_table_headers(trends), trend_table_rows(trends)
        )
        self._chart(self.inputs.charts.trends)
        self.doc.heading("What the figures say", 2)
        self._list([t.sentence for t in trends])
        findings = [(c, text) for c, text in self.inputs.findings.items() if text.strip()]
        if findings:
            self.doc.heading("Key findings", 2)
            for category, text in findings:
                self.texts.append(text)
                self.doc.labelled(category, text)

    def _consultation(self) -> None:
        results = self.inputs.results
        self.doc.heading("Consultation", 1)
        self._say(how_it_ran(results))
        agreement = agreement_result(results)
        if agreement is not None:
            self._say(agreement_sentence(agreement))
            self._chart(self.inputs.charts.agreement)
        worries = concerns_result(results)
        if worries is not None:
            self._chart(
                self.inputs.charts.themes,
                f"Feedback on consultation question {quoted(worries.text)}",
            )
            chart = self.inputs.charts.themes
            if chart is not None:
                self.doc.table(chart.title, chart.headers, chart.rows)
        breakdown = self.inputs.breakdown
        if breakdown is not None:
            self.doc.heading(f"Agreement by {breakdown.by_key.replace('_', ' ')}", 2)
            shown = [g for g in breakdown.groups if g.answered is not None]
            if shown:
                self._say(
                    "Agreement in each group where enough people answered to report it "
                    f"(groups of fewer than {display.number(results.threshold)} are not shown "
                    "separately, so no one can be identified)."
                )
                self._chart(self.inputs.charts.breakdown)
            else:
                self._say(
                    f"Every group had fewer than {display.number(results.threshold)} "
                    "respondents, so no breakdown is shown."
                )

    def _concerns(self) -> None:
        self.doc.heading("How concerns shaped the priorities", 1)
        worries = concerns_result(self.inputs.results)
        if worries is None:
            self._say("The consultation did not ask residents what concerns them.")
            return
        linked: dict[str, list[str]] = {}
        for priority in self.spec.priorities:
            for theme in priority.themes:
                linked.setdefault(theme, []).append(priority.name)
        agencies = {a.theme: (a.agency, a.explanation) for a in self.spec.other_agencies}
        found = concerns(worries, {k: tuple(v) for k, v in linked.items()}, agencies)
        self._say(concerns_summary(found))
        addressed = [c for c in found if c.priorities]
        if any(c.priorities != (c.theme,) for c in addressed):  # say which, unless by name
            self._list([f"{c.theme}: {join_words(list(c.priorities))}" for c in addressed])
        others = others_summary(found)
        if others:
            self._say(others)
        for concern in (c for c in found if not c.priorities):
            self._other_agency(concern)

    def _other_agency(self, concern: Concern) -> None:
        if concern.agency is not None:
            text = f"{concern.agency}. {concern.explanation or ''}".strip()
            self.texts.append(text)
            self.doc.labelled(concern.theme, text)
            return
        paragraph = self.doc.labelled(concern.theme, "not yet addressed by this strategy.")
        self.doc.comment(
            paragraph,
            f"Residents raised '{concern.theme}' but it is neither linked to a priority nor "
            "listed under other agencies. Link it to a priority or say which agency addresses it.",
        )

    def _priorities(self) -> None:
        self.doc.heading("The strategic priorities", 1)
        for priority in self.spec.priorities:
            self._priority(priority)

    def _priority(self, priority: PrioritySpec) -> None:
        self.doc.heading(priority.name, 2)
        self.doc.labelled("Type", f"{priority.kind.capitalize()} priority")
        self.texts.append(priority.aim)
        self.doc.labelled("Aim", priority.aim)
        self.doc.heading("Why this is a priority", 3)
        reasons = self._reasons(priority)
        if reasons:
            self._list(reasons)
            for chart in self.inputs.charts.priorities.get(priority.name, ()):
                self._chart(chart)
        else:
            self._say("No audit category or consultation theme is linked to this priority yet.")
        for title, items in (
            ("Objectives", priority.objectives),
            ("Targets", priority.targets),
            ("Measures", priority.measures),
        ):
            if items:
                self.doc.heading(title, 3)
                self._list(list(items))
        self.doc.heading("Lead body", 3)
        self._say(priority.lead)
        if priority.actions:
            self.doc.heading("Action plan", 3)
            rows = [(a.action, a.who, a.by_when) for a in priority.actions]
            self.texts.extend(a.action for a in priority.actions)
            self.doc.table(f"Action plan: {priority.name}", ("Action", "Who", "By when"), rows)

    def _reasons(self, priority: PrioritySpec) -> list[str]:
        wanted = {c.casefold() for c in priority.audit_categories}
        reasons = [t.sentence for t in self.inputs.trends if t.category.casefold() in wanted]
        worries = concerns_result(self.inputs.results)
        if worries is not None:
            for theme in priority.themes:
                said = theme_mentions(worries, theme)
                if said:
                    reasons.append(said)
        return reasons

    def _measures(self) -> None:
        rows = [(p.name, measure, p.lead) for p in self.spec.priorities for measure in p.measures]
        if not rows:
            return
        self.doc.heading("Measures", 1)
        self._say("How progress on each priority will be measured, and who leads it.")
        self.doc.table("Measures by priority", ("Priority", "Measure", "Lead body"), rows)

    def _glossary(self) -> None:
        given = [(g.term, g.meaning) for g in self.spec.glossary]
        found = abbreviations_in(self.texts, [term for term, _ in given])
        entries = sorted(given + found, key=lambda entry: entry[0].casefold())
        if not entries:
            return
        self.doc.heading("Glossary", 1)
        self.doc.table("Glossary", ("Term", "Meaning"), entries)

    def _appendix(self) -> None:
        self.doc.page_break()
        self.doc.heading("Appendix: the data behind the charts, and sources", 1)
        if self.shown:
            self.doc.heading("The charts' data", 2)
        for number, chart in enumerate(self.shown, start=1):
            self.doc.heading(f"Figure {number}: {chart.title}", 3)
            self.doc.paragraph(chart.alt_text)
            self.doc.table(chart.title, chart.headers, chart.rows)
        self.doc.heading("Sources", 2)
        results = self.inputs.results
        built = display.date_time(self.inputs.built_at)
        rows = [
            ("Consultation", f"{results.title} ({results.slug})"),
            (
                "Consultation dates",
                f"{display.long_date(results.opens)} to {display.long_date(results.closes)}",
            ),
            (
                "Responses",
                "fewer than " + display.number(results.threshold)
                if results.responses is None
                else display.number(results.responses),
            ),
            ("Counts suppressed below", display.number(results.threshold)),
            ("Audit", self.inputs.audit_name),
            ("Audit periods", ", ".join(self.inputs.audit_periods)),
            *self.inputs.sources.items(),
            ("Draft", f"version {self.inputs.version}, built {built} by {self.inputs.built_by}"),
        ]
        self.doc.table("Sources of this draft", ("Source", "Detail"), rows)
