"""The Word draft of a strategy, section by section, in the order of a statutory strategy.

Pure: plain dataclasses in (the strategy, the consultation's results, the audit's trends, the
charts already drawn, the statutory wording, the readiness gaps and what changed since the
last build), the .docx bytes out. `assembly.data.built_drafts` gathers the inputs from the
database and keeps every build.

The sections follow the 2005-08 and 2018-21 strategies in `shared/reference/seeds`: cover,
foreword, contents, executive summary, the area, the partnership, purpose and duties, the
strategic assessment, the consultation, how the priorities were chosen, one section per
priority, governance, resources, equality, links to other plans, glossary and appendices.
A section the definition has nothing for is left out, never printed as an empty heading; the
readiness gaps go in as Word comments on the heading they concern (or the next one).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from assembly.core.document import DraftDocument
from assembly.core.language import ENGLISH, ENGLISH_WORDS, N_, Words
from assembly.core.statutory import Wording
from assembly.core.strategy import PrioritySpec, StrategySpec, TargetSpec
from assembly.core.trends import Direction, Trend, trend_table_headers, trend_table_rows
from assembly.core.wording import (
    Concern,
    abbreviations_in,
    agreement_sentence,
    concerns,
    concerns_summary,
    how_it_ran,
    join_words,
    mentioned,
    others_summary,
    quoted,
    theme_mentions,
)
from common import display
from common.statistics import Share
from survey.core.charts import Chart
from survey.core.results import Breakdown, ConsultationResults, ScaleResult, TextResult

TOP_CONCERNS = 3  # concerns named in the executive summary
SOURCE_WORDS = {"Audit file": N_("Audit file")}  # the sources `built_drafts` names
KIND_WORDS = {"national": N_("National priority"), "local": N_("Local priority")}
TARGET_HEADERS = (N_("Baseline"), N_("Target value"), N_("By"), N_("Reported"), N_("Lead officer"))


@dataclass(frozen=True)
class DraftCharts:
    """The pictures a draft shows, each None when there is nothing to draw."""

    trends: Chart | None = None
    agreement: Chart | None = None
    themes: Chart | None = None
    breakdown: Chart | None = None
    priorities: Mapping[str, tuple[Chart, ...]] = field(default_factory=dict)  # by name
    comparators: Chart | None = None  # the partnership's rates beside its comparators'


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
    audit_sources: Mapping[str, str] = field(default_factory=dict)  # category -> its source
    wording: Wording = field(default_factory=dict)  # statutory passages by key
    gaps: Sequence[tuple[str, str]] = ()  # (section, what a board would ask), as comments
    changes: Sequence[str] | None = None  # what changed since the previous build; None first
    changes_since: str = ""  # what `changes` are against, when not the previous draft
    # How the consultation on an earlier draft changed this one: its title line, then each
    # point as (section, who said it, what was said, what the partnership did).
    you_said: tuple[str, Sequence[tuple[str, str, str, str]]] | None = None
    # The language of the draft's fixed wording ("en" or "cy"): officers' text stays as
    # entered. `welsh` is the consultation's own Welsh, by question key and "title", quoted in
    # a Welsh draft where the consultation has it.
    language: str = ENGLISH
    welsh: Mapping[str, str] = field(default_factory=dict)


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


def baseline_of(target: TargetSpec, trends: Sequence[Trend], tr: Words = ENGLISH_WORDS) -> str:
    """A target's baseline: the audit's latest figure for its category, else the text given."""
    wanted = target.audit_category.casefold()
    for trend in trends:
        if wanted and trend.area is None and trend.category.casefold() == wanted:
            if trend.latest_value is None:
                break
            return tr(
                "%(figure)s %(unit)s in %(period)s (%(category)s)",
                figure=display.figure(trend.latest_value),
                unit=trend.unit,
                period=trend.latest_period,
                category=trend.category,
            )
    return target.baseline


def draft_figures(inputs: DraftInputs) -> dict[str, str]:
    """Every figure the draft prints, by label, as printed: kept with each build so the next
    one can say what changed."""
    results = inputs.results
    figures = {
        "Responses": display.number(results.responses)
        if results.responses is not None
        else f"fewer than {display.number(results.threshold)}"
    }
    agreement = agreement_result(results)
    if agreement is not None and agreement.answered:
        figures[f"Agreed: {quoted(agreement.statement or agreement.text)}"] = (
            f"{_share(agreement.agree)} of {display.number(agreement.answered)}"
        )
    worries = concerns_result(results)
    if worries is not None:
        for theme in mentioned(worries):
            figures[f"Concern '{theme.theme}'"] = _share(theme.share)
    for trend, row in zip(inputs.trends, trend_table_rows(inputs.trends), strict=True):
        if trend.previous_period:
            figures[f"{row[0]}, {trend.previous_period}"] = row[1]
        figures[f"{row[0]}, {trend.latest_period}"] = row[2]
    return figures


def _share(share: Share) -> str:
    if share.count is None:
        return display.fewer_than(share)
    return f"{display.share_count(share)} ({display.share_percent(share)})"


class _Builder:
    def __init__(self, inputs: DraftInputs) -> None:
        self.inputs = inputs
        self.spec = inputs.strategy
        self.tr = tr = Words(inputs.language)
        self.doc = DraftDocument(inputs.template, tr)
        self.shown: list[Chart] = []
        self.figure_of: dict[str, int] = {}  # a chart's title -> its figure number
        self.texts: list[str] = []  # everything written, for the glossary's abbreviations
        self.pending: list[str] = []  # comments waiting for the next heading
        self.table_of: dict[tuple[tuple[str, ...], ...], int] = {}  # rows -> table number
        self.gaps: dict[str, list[str]] = {}
        for section, message in inputs.gaps:
            self.gaps.setdefault(section, []).append(message)

    def build(self) -> bytes:
        tr = self.tr
        self._cover()
        self.doc.contents()
        self._foreword()
        self._summary()
        self._area()
        self._partnership()
        self._purpose()
        self._assessment()
        self._consultation()
        self._choosing()
        self._priorities()
        self._governance()
        self._resources()
        self._equality()
        self._other_plans()
        self._glossary()
        self._appendix()
        self._you_said()
        self._changes()
        self.doc.finish_contents()
        self.doc.page_numbers()
        self.doc.update_fields_on_open()
        self.doc.set_properties(
            tr("%(title)s (draft %(version)s)", title=self.spec.title, version=self.inputs.version),
            self.spec.partnership,
            self.inputs.built_at,
        )
        return self.doc.to_bytes()

    # Helpers that remember what was written.

    def _heading(self, text: str, level: int, section: str = "", new_page: bool = False) -> None:
        """A heading, with the comments waiting for it and the gaps of its `section`."""
        paragraph = self.doc.heading(text, level, new_page=new_page)
        notes = self.pending + self.gaps.pop(section, [])
        self.pending = []
        for note in notes:
            self.doc.comment(paragraph, note)

    def _skip(self, section: str) -> None:
        """A section left out: its gaps go on the next heading written."""
        self.pending.extend(self.gaps.pop(section, []))

    def _say(self, text: str, *, leads_in: bool = False) -> None:
        """Numbered body paragraphs, one per line of `text`; one that `leads_in` to a table
        or list stays on the same page as it."""
        self.texts.append(text)
        paragraph = self.doc.paragraph(text, numbered=True)
        paragraph.paragraph_format.keep_with_next = leads_in

    def _passages(self, key: str) -> None:
        for paragraph in self.inputs.wording.get(key, ()):
            self._say(paragraph)

    def _list(self, items: Sequence[str]) -> None:
        self.texts.extend(items)
        self.doc.bullets(items)

    def _chart(self, chart: Chart | None, source: str, caption: str | None = None) -> None:
        if chart is None:
            return
        title = caption or chart.title
        if title in self.figure_of:  # each figure once: later mentions point back to it
            what = f"{title[0].lower()}{title[1:]}"
            self._say(
                self.tr(
                    "Figure %(number)s shows %(what)s.", number=self.figure_of[title], what=what
                )
            )
            return
        self.doc.figure(chart.png, chart.alt_text, title, source)
        self.shown.append(chart)
        self.figure_of[title] = self.doc.figures

    def _table(
        self, caption: str, headers: Sequence[str], rows: Sequence[Sequence[str]], source: str = ""
    ) -> None:
        self.doc.table(caption, headers, rows, source)
        self.table_of.setdefault(_rows_key(rows), self.doc.tables)

    def _audit_source(self, categories: Sequence[str] | None = None) -> str:
        """Where the figures of `categories` (all when None) came from, as the audit says."""
        sources = self.inputs.audit_sources
        wanted = sources if categories is None else categories
        named = "; ".join(dict.fromkeys(sources[c] for c in wanted if sources.get(c)))
        audit = quoted(self.inputs.audit_name)
        if named:
            return self.tr("%(sources)s (audit %(audit)s)", sources=named, audit=audit)
        return self.tr("the partnership's audit %(audit)s", audit=audit)

    @property
    def _consultation_source(self) -> str:
        results = self.inputs.results
        return self.tr(
            "%(title)s consultation, %(opens)s to %(closes)s",
            title=self._consultation_title,
            opens=display.long_date(results.opens, self.tr.language),
            closes=display.long_date(results.closes, self.tr.language),
        )

    @property
    def _consultation_title(self) -> str:
        """The consultation's title; its Welsh one in a Welsh draft, where it has one."""
        if self.tr.language != ENGLISH and self.inputs.welsh.get("title"):
            return self.inputs.welsh["title"]
        return self.inputs.results.title

    def _question(self, key: str, english: str) -> str:
        """A question's text as the draft quotes it: its Welsh in a Welsh draft, if any."""
        if self.tr.language != ENGLISH and self.inputs.welsh.get(key):
            return self.inputs.welsh[key]
        return english

    # Sections.

    def _cover(self) -> None:
        built = display.long_date(
            self.inputs.built_at.astimezone(display.LOCAL_ZONE).date(), self.tr.language
        )
        self.doc.title_page(
            [
                ("Normal", self.spec.partnership),
                ("Title", self.spec.title),
                ("Subtitle", self.spec.period),
                (
                    "Normal",
                    self.tr(
                        "Draft %(version)s, built on %(date)s",
                        version=self.inputs.version,
                        date=built,
                    ),
                ),
            ]
        )

    def _foreword(self) -> None:
        if not self.spec.foreword:
            self._skip("foreword")
            return
        self._heading(self.tr("Foreword"), 1, "foreword", new_page=True)
        self._say(self.spec.foreword)
        for signatory in self.spec.signatories:
            self.doc.paragraph(signatory.name, bold=True)
            self.doc.paragraph(signatory.role)

    def _summary(self) -> None:
        tr = self.tr
        self._heading(tr("Executive summary"), 1, "summary", new_page=not self.spec.foreword)
        names = join_words([p.name.lower() for p in self.spec.priorities], tr)
        count = len(self.spec.priorities)
        opening = tr.ngettext(
            "This strategy sets out how %(partnership)s will make the area safer over "
            "%(period)s. It has %(count)s priority: %(names)s.",
            "This strategy sets out how %(partnership)s will make the area safer over "
            "%(period)s. It has %(count)s priorities: %(names)s.",
            count,
            partnership=self.spec.partnership,
            period=self.spec.period,
            count=display.number(count),
            names=names,
        )
        self._say(opening)
        whole = [t for t in self.inputs.trends if t.area is None]
        rises = [t for t in whole if t.direction is Direction.ROSE and t.percent_change is not None]
        falls = [t for t in whole if t.direction is Direction.FELL and t.percent_change is not None]
        if rises or falls:
            parts = []
            if rises:
                top = max(rises, key=lambda t: t.percent_change or 0)
                parts.append(
                    tr(
                        "The largest rise in the strategic assessment: %(sentence)s",
                        sentence=top.sentence,
                    )
                )
            if falls:
                top = min(falls, key=lambda t: t.percent_change or 0)
                parts.append(tr("The largest fall: %(sentence)s", sentence=top.sentence))
            self._say(" ".join(parts))
        agreement = agreement_result(self.inputs.results)
        if agreement is not None:
            said = _lower_first(self._agreement_sentence(agreement))
            self._say(tr("In the consultation, %(sentence)s", sentence=said))
        worries = concerns_result(self.inputs.results)
        if worries is not None:
            top_themes = [t for t in mentioned(worries) if t.share.count is not None]
            named = [
                tr(
                    "%(theme)s (%(count)s of %(base)s)",
                    theme=t.theme.lower(),
                    count=display.share_count(t.share, tr.say),
                    base=display.number(t.share.base),
                )
                for t in top_themes[:TOP_CONCERNS]
            ]
            if named:
                self._say(
                    tr(
                        "The concerns residents raised most were %(themes)s.",
                        themes=join_words(named, tr),
                    )
                )

    def _agreement_sentence(self, agreement: ScaleResult) -> str:
        question = self._question(agreement.key, agreement.statement or agreement.text)
        return agreement_sentence(agreement, self.tr, question)

    def _area(self) -> None:
        if not self.spec.area:
            self._skip("area")
            return
        self._heading(self.tr("The area"), 1, "area")
        self._say(self.spec.area)

    def _partnership(self) -> None:
        if not (self.spec.responsible_authorities or self.spec.structure):
            self._skip("partnership")
            return
        self._heading(self.tr("The partnership"), 1, "partnership")
        if self.spec.responsible_authorities:
            self._say(
                self.tr(
                    "%(partnership)s brings together these responsible authorities:",
                    partnership=self.spec.partnership,
                ),
                leads_in=True,
            )
            self._list(list(self.spec.responsible_authorities))
        if self.spec.structure:
            self._say(self.spec.structure)

    def _purpose(self) -> None:
        tr = self.tr
        self._heading(tr("Purpose, statutory duties and Section 17"), 1, "purpose")
        if self.spec.introduction:
            self._say(self.spec.introduction)
        if self.spec.vision:
            self._heading(tr("Our vision"), 2)
            self._say(self.spec.vision)
        if self.inputs.wording.get("duties"):
            self._heading(tr("Statutory duties"), 2)
            self._passages("duties")
        if self.inputs.wording.get("section-17"):
            self._heading(tr("Section 17"), 2)
            self._passages("section-17")

    def _assessment(self) -> None:
        tr = self.tr
        self._heading(tr("Summary of the strategic assessment"), 1, "assessment")
        trends = self.inputs.trends
        self._passages("assessment")
        audit = quoted(self.inputs.audit_name)
        if not trends:
            self._say(tr("The audit %(audit)s has no figures to compare.", audit=audit))
            return
        periods = self.inputs.audit_periods
        categories = len({t.category for t in trends})
        self._say(
            tr.ngettext(
                "The audit %(audit)s covers %(count)s category of crime and disorder from "
                "%(first)s to %(last)s. Each is compared here with the period before of the "
                "same kind (a quarter or month with the same one a year before).",
                "The audit %(audit)s covers %(count)s categories of crime and disorder from "
                "%(first)s to %(last)s. Each is compared here with the period before of the "
                "same kind (a quarter or month with the same one a year before).",
                categories,
                audit=audit,
                count=display.number(categories),
                first=periods[0],
                last=periods[-1],
            )
        )
        self._table(
            tr("Crime and disorder trends"),
            trend_table_headers(trends, tr),
            trend_table_rows(trends, tr),
            self._audit_source(),
        )
        self._chart(self.inputs.charts.trends, self._audit_source())
        self._heading(tr("What the figures say"), 2)
        self._list([t.sentence for t in trends])
        compared = self.inputs.charts.comparators
        if compared is not None:
            self._heading(tr("How the area compares"), 2)
            self._chart(compared, self._audit_source())
        findings = [(c, text) for c, text in self.inputs.findings.items() if text.strip()]
        if findings:
            self._heading(tr("Key findings"), 2)
            for category, text in findings:
                self.texts.append(text)
                self.doc.labelled(category, text)
        if self.spec.data_caveats:
            self._heading(tr("Caveats"), 2)
            self._list(list(self.spec.data_caveats))

    def _consultation(self) -> None:
        tr = self.tr
        results = self.inputs.results
        self._heading(tr("Consultation: method, reach and results"), 1, "consultation")
        self._passages("consultation")
        if self.spec.consultation_method:
            self._heading(tr("How the consultation was run"), 2)
            self._say(self.spec.consultation_method)
        self._heading(tr("Who took part"), 2)
        self._say(how_it_ran(replace(results, title=self._consultation_title), tr))
        agreement = agreement_result(results)
        worries = concerns_result(results)
        if agreement is not None or worries is not None:
            self._heading(tr("What residents said"), 2)
        if agreement is not None:
            self._say(self._agreement_sentence(agreement))
            self._chart(self.inputs.charts.agreement, self._consultation_source)
        if worries is not None:
            self._chart(
                self.inputs.charts.themes,
                self._consultation_source,
                tr(
                    "Feedback on consultation question %(question)s",
                    question=quoted(self._question(worries.key, worries.text)),
                ),
            )
        breakdown = self.inputs.breakdown
        if breakdown is not None:
            self._heading(tr("Agreement by area"), 2)
            shown = [g for g in breakdown.groups if g.answered is not None]
            withheld = any(g.answered is None and g.agree.withheld for g in breakdown.groups)
            threshold = display.number(results.threshold)
            if shown and withheld:
                self._say(
                    tr(
                        "Agreement in each area where enough people answered to report it "
                        "(areas with fewer than %(threshold)s respondents, and any whose results "
                        "would let a small number be worked out, are not shown separately, so no "
                        "one can be identified).",
                        threshold=threshold,
                    )
                )
            elif shown:
                self._say(
                    tr(
                        "Agreement in each area where enough people answered to report it "
                        "(areas with fewer than %(threshold)s respondents are not shown "
                        "separately, so no one can be identified).",
                        threshold=threshold,
                    )
                )
            else:
                self._say(
                    tr(
                        "Every area had fewer than %(threshold)s respondents, so no breakdown "
                        "is shown.",
                        threshold=threshold,
                    )
                )
            if shown:
                self._chart(self.inputs.charts.breakdown, self._consultation_source)

    def _choosing(self) -> None:
        tr = self.tr
        self._heading(tr("How the priorities were chosen"), 1, "choosing")
        self._say(
            tr(
                "The partnership chose its priorities from the strategic assessment, the "
                "consultation and the national priorities it is given. Each concern residents "
                "raised is either answered by a priority or passed to the agency that addresses "
                "it."
            )
        )
        national = [p.name for p in self.spec.priorities if p.kind == "national"]
        local = [p.name for p in self.spec.priorities if p.kind == "local"]
        for label, names in (
            (tr("National priorities"), national),
            (tr("Local priorities"), local),
        ):
            if names:
                self.doc.label(label)
                self._list(names)
        worries = concerns_result(self.inputs.results)
        if worries is None:
            self._say(tr("The consultation did not ask residents what concerns them."))
            return
        linked: dict[str, list[str]] = {}
        for priority in self.spec.priorities:
            for theme in priority.themes:
                linked.setdefault(theme, []).append(priority.name)
        agencies = {a.theme: (a.agency, a.explanation) for a in self.spec.other_agencies}
        found = concerns(worries, {k: tuple(v) for k, v in linked.items()}, agencies)
        self._heading(tr("Residents' concerns and the priorities"), 2)
        self._say(concerns_summary(found, tr))
        addressed = [c for c in found if c.priorities]
        if any(c.priorities != (c.theme,) for c in addressed):  # say which, unless by name
            self._list([f"{c.theme}: {join_words(list(c.priorities), tr)}" for c in addressed])
        others = others_summary(found, tr)
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
        paragraph = self.doc.labelled(concern.theme, self.tr("not yet addressed by this strategy."))
        self.doc.comment(
            paragraph,
            f"Residents raised '{concern.theme}' but it is neither linked to a priority nor "
            "listed under other agencies. Link it to a priority or say which agency addresses it.",
        )  # a note for the officer, who works in English

    def _priorities(self) -> None:
        self._heading(self.tr("The strategic priorities"), 1)
        for number, priority in enumerate(self.spec.priorities, start=1):
            self._priority(number, priority)

    def _priority(self, number: int, priority: PrioritySpec) -> None:
        tr = self.tr
        self._heading(priority.name, 2, f"priority:{number}")
        self.texts.append(priority.aim)
        lead = priority.lead
        if priority.lead_officer:
            lead = tr(
                "%(lead)s (lead officer: %(officer)s)", lead=lead, officer=priority.lead_officer
            )
        kind = tr(KIND_WORDS[priority.kind]) if priority.kind in KIND_WORDS else priority.kind
        for label, text in (
            (tr("Type"), kind),
            (tr("Aim"), priority.aim),
            (tr("Lead"), lead),
        ):  # the priority's name, type, aim and lead stay on one page
            self.doc.labelled(label, text).paragraph_format.keep_with_next = True
        self._heading(tr("Why this is a priority"), 3)
        if priority.why:
            self._say(priority.why)
        evidence = self._evidence(priority)
        if evidence:
            self.doc.label(tr("The evidence:"))
            self._list(evidence)
            for chart in self.inputs.charts.priorities.get(priority.name, ()):
                self._chart(chart, self._audit_source([str(row[0]) for row in chart.rows]))
        elif not priority.why:
            self._say(tr("No audit category or consultation theme is linked to this priority yet."))
        self._heading(tr("Objectives"), 3)
        self._list(list(priority.objectives))
        self._heading(tr("Targets"), 3)
        self._targets(priority)
        self.texts.extend(t.target for t in priority.targets)
        self._heading(tr("Measures"), 3)
        self._list(list(priority.measures))
        if priority.actions:
            self._heading(tr("Action plan"), 3)
            rows = [(a.action, a.who, a.by_when) for a in priority.actions]
            self.texts.extend(a.action for a in priority.actions)
            self._table(
                tr("Action plan: %(priority)s", priority=priority.name),
                (tr("Action"), tr("Who"), tr("By when")),
                rows,
            )

    def _targets(self, priority: PrioritySpec) -> None:
        """A table of the targets with the details any of them has (a detail one target lacks
        reads "not set"); a list when none has any. What is missing is the readiness list's,
        asked for in a comment, not a table of blanks."""
        details = [
            [baseline_of(t, self.inputs.trends, self.tr) for t in priority.targets],
            [t.value for t in priority.targets],
            [t.by for t in priority.targets],
            [t.frequency for t in priority.targets],
            [t.lead_officer or priority.lead_officer for t in priority.targets],
        ]
        tr = self.tr
        given = [
            (header, column)
            for header, column in zip(TARGET_HEADERS, details, strict=True)
            if any(column)
        ]
        if not given:
            self.doc.bullets([t.target for t in priority.targets])
            return
        missing = [tr("not set")] * 4 + [tr("not named")]
        blank = dict(zip(TARGET_HEADERS, missing, strict=True))
        rows = [
            (t.target, *(column[n] or blank[header] for header, column in given))
            for n, t in enumerate(priority.targets)
        ]
        self._table(
            tr("Targets: %(priority)s", priority=priority.name),
            (tr("Target"), *(tr(h) for h, _ in given)),
            rows,
        )

    def _evidence(self, priority: PrioritySpec) -> list[str]:
        """A line per linked audit category and theme: the figure, not the whole sentence
        again (that is in the strategic assessment)."""
        wanted = {c.casefold() for c in priority.audit_categories}
        whole = [
            t for t in self.inputs.trends if t.area is None and t.category.casefold() in wanted
        ]
        tr = self.tr
        lines = []
        for trend, row in zip(whole, trend_table_rows(whole, tr), strict=True):
            values = {
                "category": trend.category,
                "figure": row[2],
                "unit": trend.unit,
                "period": trend.latest_period,
                "change": row[4],
                "previous_period": trend.previous_period,
            }
            if trend.previous_period and trend.percent_change is not None:
                line = tr(
                    "%(category)s: %(figure)s %(unit)s in %(period)s, %(change)s on "
                    "%(previous_period)s (audit).",
                    **values,
                )
            else:
                line = tr("%(category)s: %(figure)s %(unit)s in %(period)s (audit).", **values)
            lines.append(line)
        worries = concerns_result(self.inputs.results)
        if worries is not None:
            for theme in priority.themes:
                said = theme_mentions(worries, theme, tr)
                if said:
                    lines.append(said)
        return lines

    def _governance(self) -> None:
        tr = self.tr
        self._heading(tr("Governance, reporting and evaluation"), 1, "governance")
        if self.spec.governance:
            self._say(self.spec.governance)
        self._passages("governance")
        rows = [
            (
                p.name,
                "; ".join(p.measures),
                f"{p.lead}; {p.lead_officer}" if p.lead_officer else p.lead,
            )
            for p in self.spec.priorities
        ]
        self._say(
            tr("How progress on each priority will be measured, and who answers for it:"),
            leads_in=True,
        )
        self._table(tr("Measures by priority"), (tr("Priority"), tr("Measures"), tr("Lead")), rows)

    def _resources(self) -> None:
        if not (self.spec.resources or self.spec.funding):
            self._skip("resources")
            return
        tr = self.tr
        self._heading(tr("Resources and funding"), 1, "resources")
        if self.spec.resources:
            self._say(self.spec.resources)
        if self.spec.funding:
            rows = [(f.source, f.amount, f.use) for f in self.spec.funding]
            self._table(
                tr("Funding for this strategy"), (tr("From"), tr("Amount"), tr("Used for")), rows
            )

    def _equality(self) -> None:
        tr = self.tr
        self._heading(tr("Equality impact and rural proofing"), 1, "equality")
        self._passages("equality")
        for heading, text in (
            (tr("Equality impact"), self.spec.equality_impact),
            (tr("Rural proofing"), self.spec.rural_proofing),
        ):
            if text:
                self._heading(heading, 2)
                self._say(text)

    def _other_plans(self) -> None:
        if not self.spec.other_plans:
            self._skip("other_plans")
            return
        tr = self.tr
        self._heading(tr("Links to other plans"), 1, "other_plans")
        rows = [(p.plan, p.link) for p in self.spec.other_plans]
        self._table(
            tr("Plans this strategy links to"),
            (tr("Plan"), tr("How this strategy links to it")),
            rows,
        )

    def _glossary(self) -> None:
        given = [(g.term, g.meaning) for g in self.spec.glossary]
        tr = self.tr
        found = abbreviations_in(self.texts, [term for term, _ in given], tr)
        entries = sorted(given + found, key=lambda entry: entry[0].casefold())
        if not entries:
            return
        self._heading(tr("Glossary"), 1)
        self._table(tr("Glossary"), (tr("Term"), tr("Meaning")), entries)

    def _appendix(self) -> None:
        tr = self.tr
        self._heading(tr("Appendix: the data behind the charts, and sources"), 1, new_page=True)
        if self.shown:
            self._heading(tr("The charts' data"), 2)
        for number, chart in enumerate(self.shown, start=1):
            same = self.table_of.get(_rows_key(chart.rows))
            if same is not None:  # each figure once: the chart drew a table already shown
                self.doc.paragraph(
                    tr(
                        "Figure %(number)s (%(title)s) draws table %(table)s.",
                        number=number,
                        title=chart.title,
                        table=same,
                    )
                )
                continue
            self._table(
                tr("Data for figure %(number)s: %(title)s", number=number, title=chart.title),
                chart.headers,
                chart.rows,
            )
        results = self.inputs.results
        self._heading(tr("Small numbers"), 2)
        groups = tr(
            "A group's results (an area's, an age band's) are shown on their own only where, "
            "with everyone's and the other groups', they would let no small number be worked out."
        )
        self._say(f"{display.suppression_note(results.threshold, say=tr.say)} {groups}")
        self._heading(tr("Sources"), 2)
        built = display.date_time(self.inputs.built_at, tr.language)
        threshold = display.number(results.threshold)
        dates = tr(
            "%(opens)s to %(closes)s",
            opens=display.long_date(results.opens, tr.language),
            closes=display.long_date(results.closes, tr.language),
        )
        rows = [
            (tr("Consultation"), f"{self._consultation_title} ({results.slug})"),
            (tr("Consultation dates"), dates),
            (
                tr("Responses"),
                display.below(results.threshold, tr.say)
                if results.responses is None
                else display.number(results.responses),
            ),
            (tr("Counts suppressed below"), threshold),
            (tr("Audit"), self.inputs.audit_name),
            (tr("Audit periods"), ", ".join(self.inputs.audit_periods)),
            *(
                [(tr("Audit figures from"), self._audit_source())]
                if self.inputs.audit_sources
                else []
            ),
            *(
                (tr(SOURCE_WORDS[k]) if k in SOURCE_WORDS else k, v)
                for k, v in self.inputs.sources.items()
            ),
            (
                tr("Draft"),
                tr(
                    "version %(version)s, built %(built)s by %(by)s",
                    version=self.inputs.version,
                    built=built,
                    by=self.inputs.built_by,
                ),
            ),
        ]
        self._table(tr("Sources of this draft"), (tr("Source"), tr("Detail")), rows)

    def _you_said(self) -> None:
        if self.inputs.you_said is None:
            return
        tr = self.tr
        about, points = self.inputs.you_said
        self._heading(tr("Appendix: How the consultation on the draft changed this strategy"), 1)
        self._say(about)
        rows = [(section, by, said, did) for section, by, said, did in points]
        self._table(
            tr("You said, we did"),
            (tr("Section"), tr("Who said it"), tr("You said"), tr("We did")),
            rows,
        )

    def _changes(self) -> None:
        changes = self.inputs.changes
        if changes is None:
            return
        tr = self.tr
        since = self.inputs.changes_since or tr(
            "draft %(version)s", version=self.inputs.version - 1
        )
        self._heading(tr("Appendix: what changed since %(since)s", since=since), 1)
        if changes:
            self._list(list(changes))
        else:
            self._say(
                tr("Nothing in the definition or the figures changed since %(since)s.", since=since)
            )


def _rows_key(rows: Sequence[Sequence[object]]) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(str(cell) for cell in row) for row in rows)


def _lower_first(text: str) -> str:
    """'Of the 61 ...' (and Welsh 'O’r 61 ...') mid-sentence; 'ASB ...' unchanged."""
    if text[1:2] in ("’", "'"):
        return text[:1].lower() + text[1:]
    return text[:1].lower() + text[1:] if text[:2] != text[:2].upper() else text
