"""You said, we did: what residents, partners and committees said about a draft out for
comment, and the partnership's response to each point.

Pure core: no Flask, no database. Residents' points are the themes their comments were coded
with, counted by survey's results (suppressed there) and worded by `common.display`; partners'
and committees' points are the comments officers recorded. Each point is named by a subject
key, which its response is stored under.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from assembly.core.comment_consultation import section_of, sections
from assembly.core.language import ENGLISH_WORDS, N_, Words
from assembly.core.strategy import NAME_LIMIT, StrategySpec
from common import display
from survey.core.results import ConsultationResults, TextResult

KINDS = ("partner agency", "parish council", "scrutiny committee", "other committee")
OUTCOMES = {
    "changed": N_("Changed"),
    "not changed": N_("Not changed"),
    "passed on": N_("Passed to another body"),
}
WHOLE = "The whole strategy"
RESIDENTS = N_("Residents")  # who made a point from residents' coded comments
TEXT_LIMIT = 5000
DETAIL_LIMIT = 2000


@dataclass(frozen=True)
class Comment:
    """A comment an officer recorded from an organisation or a committee."""

    id: int
    section: str
    organisation: str
    kind: str
    made_by: str
    made_on: dt.date
    text: str
    recommendation: bool


@dataclass(frozen=True)
class Answer:
    """The partnership's response to one point."""

    outcome: str  # a key of OUTCOMES
    detail: str  # what changed, why not, or what the other body was asked
    passed_to: str = ""

    @property
    def we_did(self) -> str:
        """'Changed: ...', 'Not changed: ...', 'Passed to Public Health: ...'."""
        return self.worded(ENGLISH_WORDS)

    def worded(self, tr: Words) -> str:
        """`we_did` in the language of `tr` (the officer's own words as written)."""
        if self.outcome == "passed on":
            return tr("Passed to %(body)s: %(detail)s", body=self.passed_to, detail=self.detail)
        return tr("%(outcome)s: %(detail)s", outcome=tr(OUTCOMES[self.outcome]), detail=self.detail)


@dataclass(frozen=True)
class Point:
    """One thing said about a section of the draft, and the response to it if given."""

    subject: str  # "theme:priority_2_comments:Street lighting" or "comment:12"
    section: str
    said: str
    by: str  # "Residents", or "Parish Council of X (the Clerk), 3 March 2027"
    recommendation: bool = False
    answer: Answer | None = None


def section_choices(spec: StrategySpec) -> list[str]:
    """The sections a comment can be about: the vision, each priority, the whole strategy."""
    return [section.heading for section in sections(spec)] + [WHOLE]


def resident_points(
    spec: StrategySpec, results: ConsultationResults, tr: Words = ENGLISH_WORDS
) -> list[Point]:
    """Each theme residents' comments on a section were coded with; those no one mentioned
    are left out. Counts are survey's, suppressed there, written by `common.display`; the
    words around them in the language of `tr`."""
    points = []
    for question in results.questions:
        if not isinstance(question, TextResult):
            continue
        section = section_of(spec, question.key)
        if not section:
            continue
        if question.answered is None and question.themes:
            # Too few answered to show any theme's count, so every theme would be listed,
            # those no one mentioned too: one point for the section says so instead.
            few = display.fewer_than(question.themes[0].share, tr.say)
            points.append(
                Point(
                    subject=f"theme:{question.key}:*",
                    section=section,
                    said=tr(
                        "Comments from %(few)s residents (too few to show their themes)", few=few
                    ),
                    by=RESIDENTS,
                )
            )
            continue
        for theme in question.themes:
            share = theme.share
            if share.count == 0:
                continue
            people = (
                tr("%(few)s residents", few=display.in_words(share, tr.say))
                if share.count is None
                else tr.ngettext(
                    "%(count)s resident",
                    "%(count)s residents",
                    share.count,
                    count=display.number(share.count),
                )
            )
            points.append(
                Point(
                    subject=f"theme:{question.key}:{theme.theme}",
                    section=section,
                    said=tr(
                        "%(theme)s (mentioned by %(people)s)", theme=theme.theme, people=people
                    ),
                    by=RESIDENTS,
                )
            )
    return points


def comment_points(comments: Sequence[Comment], tr: Words = ENGLISH_WORDS) -> list[Point]:
    """Each recorded comment, naming who made it, when, and whether it is a recommendation."""
    return [
        Point(
            subject=f"comment:{c.id}",
            section=c.section,
            said=c.text,
            by=f"{c.organisation} ({c.made_by}), {display.long_date(c.made_on, tr.language)}",
            recommendation=c.recommendation,
        )
        for c in comments
    ]


def all_points(
    spec: StrategySpec,
    results: ConsultationResults | None,
    comments: Sequence[Comment],
    answers: Mapping[str, Answer],
    tr: Words = ENGLISH_WORDS,
) -> list[Point]:
    """Every point, in the draft's order of sections, each with its response if given; the
    fixed wording in the language of `tr`."""
    points = resident_points(spec, results, tr) if results is not None else []
    points += comment_points(comments, tr)
    order = {name: n for n, name in enumerate(section_choices(spec))}
    order.setdefault("Anything missing from the strategy", len(order))
    points.sort(key=lambda p: (order.get(p.section, len(order) + 1), p.by != RESIDENTS))
    return [
        Point(p.subject, p.section, p.said, p.by, p.recommendation, answers.get(p.subject))
        for p in points
    ]


def comment_problems(
    spec: StrategySpec,
    section: str,
    organisation: str,
    kind: str,
    made_by: str,
    made_on: dt.date | None,
    text: str,
    recommendation: bool,
) -> dict[str, str]:
    """What is wrong with a comment to record, by field; {} when it can be recorded."""
    problems: dict[str, str] = {}
    if section not in section_choices(spec):
        problems["section"] = "Choose the section of the draft the comment is about"
    if not organisation:
        problems["organisation"] = "Enter the organisation or committee that made the comment"
    elif len(organisation) > NAME_LIMIT:
        problems["organisation"] = f"The organisation must be {NAME_LIMIT} characters or fewer"
    if kind not in KINDS:
        problems["kind"] = "Choose what kind of body made the comment"
    if not made_by:
        problems["made_by"] = "Enter who made the comment, such as the Chair or the Clerk"
    elif len(made_by) > NAME_LIMIT:
        problems["made_by"] = f"Who made it must be {NAME_LIMIT} characters or fewer"
    if made_on is None:
        problems["made_on"] = "Enter the date the comment was made"
    if not text:
        problems["text"] = "Enter the comment"
    elif len(text) > TEXT_LIMIT:
        problems["text"] = f"The comment must be {TEXT_LIMIT:,} characters or fewer"
    if recommendation and "committee" not in kind:
        problems["recommendation"] = "Only a committee makes recommendations"
    return problems


def answer_problems(outcome: str, detail: str, passed_to: str) -> dict[str, str]:
    """What is wrong with a response, by field; {} when it can be saved."""
    problems: dict[str, str] = {}
    if outcome not in OUTCOMES:
        problems["outcome"] = "Choose whether the strategy changed, did not, or it was passed on"
    wanted = {
        "changed": "Say what changed in the strategy",
        "not changed": "Say why the strategy did not change",
        "passed on": "Say what the other body was asked to do",
    }
    if not detail:
        problems["detail"] = wanted.get(outcome, "Give the response")
    elif len(detail) > DETAIL_LIMIT:
        problems["detail"] = f"The response must be {DETAIL_LIMIT:,} characters or fewer"
    if outcome == "passed on" and not passed_to:
        problems["passed_to"] = "Enter the body it was passed to"
    elif len(passed_to) > NAME_LIMIT:
        problems["passed_to"] = f"The body must be {NAME_LIMIT} characters or fewer"
    return problems
