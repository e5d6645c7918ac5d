"""The sentences a strategy draft says about its consultation, concerns and priorities.

Pure. Every number comes from the survey's result dataclasses and is written by
`common.display`, so the draft says exactly what the councillors' pages say; a suppressed
count reads "fewer than 5" here too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from common import display
from common.statistics import Share
from survey.core.results import ConsultationResults, ScaleResult, TextResult, ThemeCount

CHANNEL_WORDS = {
    "online": "online",
    "paper": "on paper",
    "email": "by email",
    "event": "at events",
}

# Abbreviations a strategy often uses, explained in the glossary when they appear in the text.
KNOWN_ABBREVIATIONS = {
    "ASB": "Anti-social behaviour",
    "BCS": "British Crime Survey",
    "CCTV": "Closed-circuit television",
    "CSP": "Community Safety Partnership",
    "CSEW": "Crime Survey for England and Wales",
    "DA": "Domestic abuse",
    "DHR": "Domestic Homicide Review",
    "DTTO": "Drug Treatment and Testing Order",
    "DV": "Domestic violence",
    "IDVA": "Independent Domestic Violence Adviser",
    "IOM": "Integrated Offender Management",
    "LSP": "Local Strategic Partnership",
    "MARAC": "Multi-Agency Risk Assessment Conference",
    "MAPPA": "Multi-Agency Public Protection Arrangements",
    "NHS": "National Health Service",
    "PCC": "Police and Crime Commissioner",
    "PCSO": "Police Community Support Officer",
    "RAG": "Responsible Authorities Group",
    "YOS": "Youth Offending Service",
    "YOT": "Youth Offending Team",
}


@dataclass(frozen=True)
class Concern:
    """A theme residents raised, and what the strategy does about it."""

    theme: str
    mentions: Share
    priorities: tuple[str, ...]  # the priorities it is linked to, if any
    agency: str | None = None  # else: the agency that addresses it
    explanation: str | None = None


def quoted(text: str) -> str:
    """A question or title in single quotes, as the 2005-08 strategy writes them."""
    return f"'{text.strip()}'"


def join_words(items: Sequence[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def how_it_ran(results: ConsultationResults) -> str:
    """Dates, number of responses and channels, in one or two sentences."""
    dates = (
        f"The consultation {quoted(results.title)} ran from {display.long_date(results.opens)} "
        f"to {display.long_date(results.closes)}."
    )
    if results.responses is None:
        return f"{dates} Fewer than {display.number(results.threshold)} responses were received."
    received = (
        f"In all, {display.plural(results.responses, 'response')} "
        f"{_were(results.responses)} received"
    )
    channels = [
        f"{display.in_words(c.share) if c.share.suppressed else display.share_count(c.share)} "
        f"{CHANNEL_WORDS.get(c.label, c.label)}"
        for c in results.channels
        if c.share.count != 0
    ]
    if len(channels) > 1:
        received += f": {join_words(channels)}"
    return f"{dates} {received}."


def _were(count: int) -> str:
    return "was" if count == 1 else "were"


def agreement_sentence(result: ScaleResult) -> str:
    """'Of the 61 respondents who answered '...', 50 (82%) agreed (95% interval 72% to 89%).'"""
    question = quoted(result.statement or result.text)
    if result.answered is None:
        return (
            f"Fewer than {display.number(result.agree.threshold)} respondents answered "
            f"{question}, so the result is not shown."
        )
    if result.answered == 0:
        return f"No one answered {question}."
    who = "respondent who" if result.answered == 1 else "respondents who"
    agreed = _count_and_percent(result.agree)
    sentence = (
        f"Of the {display.number(result.answered)} {who} answered {question}, {agreed} agreed"
    )
    if result.agree.interval is not None:
        sentence += f" (95% interval {display.interval(result.agree)})"
    sentence += "."
    if result.dont_know.count != 0:
        sentence += f" {_count_and_percent(result.dont_know).capitalize()} did not know."
    return sentence


def _count_and_percent(share: Share) -> str:
    """'50 (82%)', or 'fewer than 5' (or 'an undisclosed number')."""
    if share.count is None:
        return display.in_words(share)
    return f"{display.share_count(share)} ({display.share_percent(share)})"


def mentioned(result: TextResult) -> list[ThemeCount]:
    """The themes at least one respondent mentioned, most mentioned first."""
    return [t for t in result.themes if t.share.count != 0]


def concerns(
    result: TextResult,
    linked: dict[str, tuple[str, ...]],
    agencies: dict[str, tuple[str, str]],
) -> list[Concern]:
    """Every theme residents mentioned, with its priorities or the agency addressing it.

    `linked` maps a theme to the priorities naming it; `agencies` maps a theme to
    (agency, explanation). Matching is case-insensitive.
    """
    by_key = {k.casefold(): v for k, v in linked.items()}
    agency_by_key = {k.casefold(): v for k, v in agencies.items()}
    found = []
    for theme in mentioned(result):
        agency = agency_by_key.get(theme.theme.casefold())
        found.append(
            Concern(
                theme=theme.theme,
                mentions=theme.share,
                priorities=by_key.get(theme.theme.casefold(), ()),
                agency=agency[0] if agency else None,
                explanation=agency[1] if agency else None,
            )
        )
    return found


def concerns_summary(found: Sequence[Concern]) -> str:
    """'Public consultation highlighted 14 areas of concern. Of these, 8 will be addressed ...'"""
    addressed = [c.theme for c in found if c.priorities]
    total = len(found)
    if total == 0:
        return "No areas of concern have been coded from the consultation's answers yet."
    areas = "area of concern" if total == 1 else "areas of concern"
    opening = f"Public consultation highlighted {display.number(total)} {areas}."
    if not addressed:
        return f"{opening} None of these is addressed through the strategic priorities."
    if len(addressed) == total:
        which = "this" if total == 1 else "all of these"
        return f"{opening} The strategic priorities address {which}: {join_words(addressed)}."
    return (
        f"{opening} Of these, {display.number(len(addressed))} will be addressed through the "
        f"strategic priorities: {join_words(addressed)}."
    )


def others_summary(found: Sequence[Concern]) -> str | None:
    """'The other 6 areas of concern are addressed by other agencies:', or None for none."""
    others = [c for c in found if not c.priorities]
    if not others:
        return None
    if len(others) == 1:
        return "The other area of concern is not a strategic priority of this strategy:"
    return (
        f"The other {display.number(len(others))} areas of concern are not strategic "
        "priorities of this strategy:"
    )


def theme_mentions(result: TextResult, theme: str) -> str | None:
    """'Of the 52 respondents who said what worries them, 18 (35%) mentioned burglary.'"""
    for count in result.themes:
        if count.theme.casefold() == theme.casefold():
            if result.answered is None:
                return None
            share = count.share
            if share.count is None:
                return (
                    f"{display.fewer_than(share).capitalize()} of the "
                    f"{display.number(share.base)} respondents who said what worries them "
                    f"mentioned {count.theme.lower()}."
                )
            return (
                f"Of the {display.number(share.base)} respondents who said what worries them, "
                f"{display.number(share.count)} ({display.share_percent(share)}) mentioned "
                f"{count.theme.lower()}."
            )
    return None


def abbreviations_in(texts: Iterable[str], defined: Iterable[str] = ()) -> list[tuple[str, str]]:
    """Known abbreviations that appear (as whole words) in `texts` and are not yet defined."""
    already = {term.casefold() for term in defined}
    words: set[str] = set()
    for text in texts:
        words.update(re.findall(r"\b[A-Z]{2,6}\b", text))
    return [
        (term, meaning)
        for term, meaning in sorted(KNOWN_ABBREVIATIONS.items())
        if term in words and term.casefold() not in already
    ]
