"""The sentences a strategy draft says about its consultation, concerns and priorities.

Pure. Every number comes from the survey's result dataclasses and is written by
`common.display`, so the draft says exactly what the councillors' pages say; a suppressed
count reads "fewer than 5" here too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from assembly.core.language import ENGLISH_WORDS, N_, WELSH, Words
from common import display
from common.statistics import Share
from survey.core.results import ConsultationResults, ScaleResult, TextResult, ThemeCount

CHANNEL_WORDS = {
    "online": N_("online"),
    "paper": N_("on paper"),
    "email": N_("by email"),
    "event": N_("at events"),
}

# Abbreviations a strategy often uses, explained in the glossary when they appear in the text.
KNOWN_ABBREVIATIONS = {
    "ASB": N_("Anti-social behaviour"),
    "BCS": N_("British Crime Survey"),
    "CCTV": N_("Closed-circuit television"),
    "CSP": N_("Community Safety Partnership"),
    "CSEW": N_("Crime Survey for England and Wales"),
    "DA": N_("Domestic abuse"),
    "DHR": N_("Domestic Homicide Review"),
    "DTTO": N_("Drug Treatment and Testing Order"),
    "DV": N_("Domestic violence"),
    "IDVA": N_("Independent Domestic Violence Adviser"),
    "IOM": N_("Integrated Offender Management"),
    "LSP": N_("Local Strategic Partnership"),
    "MARAC": N_("Multi-Agency Risk Assessment Conference"),
    "MAPPA": N_("Multi-Agency Public Protection Arrangements"),
    "NHS": N_("National Health Service"),
    "PCC": N_("Police and Crime Commissioner"),
    "PCSO": N_("Police Community Support Officer"),
    "RAG": N_("Responsible Authorities Group"),
    "YOS": N_("Youth Offending Service"),
    "YOT": N_("Youth Offending Team"),
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


def join_words(items: Sequence[str], tr: Words = ENGLISH_WORDS) -> str:
    """'a', 'a and b', 'a, b and c' (in Welsh 'a, b a c', and 'ac' before a vowel)."""
    if len(items) <= 1:
        return "".join(items)
    joined = tr("%(items)s and %(last)s", items=", ".join(items[:-1]), last=items[-1])
    if tr.language == WELSH and items[-1][:1].casefold() in WELSH_VOWELS:
        joined = joined.replace(f" a {items[-1]}", f" ac {items[-1]}")
    return joined


# Before these, Welsh "a" (and) is "ac"; not before "w" and "y", which begin English names
# ("young people") as often as Welsh words.
WELSH_VOWELS = "aeiouâêîôûáéíóú"


def how_it_ran(results: ConsultationResults, tr: Words = ENGLISH_WORDS) -> str:
    """Dates, number of responses and channels, in one or two sentences."""
    dates = tr(
        "The consultation %(title)s ran from %(opens)s to %(closes)s.",
        title=quoted(results.title),
        opens=display.long_date(results.opens, tr.language),
        closes=display.long_date(results.closes, tr.language),
    )
    if results.responses is None:
        fewer = tr(
            "Fewer than %(threshold)s responses were received.",
            threshold=display.number(results.threshold),
        )
        return f"{dates} {fewer}"
    channels = [
        f"{_channel_count(c.share, tr)} "
        f"{tr(CHANNEL_WORDS[c.label]) if c.label in CHANNEL_WORDS else c.label}"
        for c in results.channels
        if c.share.count != 0
    ]
    values = {"count": display.number(results.responses), "channels": join_words(channels, tr)}
    if len(channels) > 1:
        received = tr.ngettext(
            "In all, %(count)s response was received: %(channels)s.",
            "In all, %(count)s responses were received: %(channels)s.",
            results.responses,
            **values,
        )
    else:
        received = tr.ngettext(
            "In all, %(count)s response was received.",
            "In all, %(count)s responses were received.",
            results.responses,
            **values,
        )
    return f"{dates} {received}"


def _channel_count(share: Share, tr: Words) -> str:
    if share.suppressed:
        return display.in_words(share, tr.say)
    return display.share_count(share, tr.say)


def agreement_sentence(
    result: ScaleResult, tr: Words = ENGLISH_WORDS, question_text: str | None = None
) -> str:
    """'Of the 61 respondents who answered '...', 50 (82%) agreed (95% interval 72% to 89%).'

    `question_text` is the question as the document quotes it (its Welsh, in Welsh)."""
    question = quoted(question_text or result.statement or result.text)
    if result.answered is None:
        return tr(
            "Fewer than %(threshold)s respondents answered %(question)s, so the result is not "
            "shown.",
            threshold=display.number(result.agree.threshold),
            question=question,
        )
    if result.answered == 0:
        return tr("No one answered %(question)s.", question=question)
    values = {
        "answered": display.number(result.answered),
        "question": question,
        "agreed": _count_and_percent(result.agree, tr),
        "interval": display.interval(result.agree, tr.say),
    }
    if result.agree.interval is not None:
        sentence = tr.ngettext(
            "Of the %(answered)s respondent who answered %(question)s, %(agreed)s agreed "
            "(95%% interval %(interval)s).",
            "Of the %(answered)s respondents who answered %(question)s, %(agreed)s agreed "
            "(95%% interval %(interval)s).",
            result.answered,
            **values,
        )
    else:
        sentence = tr.ngettext(
            "Of the %(answered)s respondent who answered %(question)s, %(agreed)s agreed.",
            "Of the %(answered)s respondents who answered %(question)s, %(agreed)s agreed.",
            result.answered,
            **values,
        )
    if result.dont_know.count != 0:
        did_not = tr("%(count)s did not know.", count=_count_and_percent(result.dont_know, tr))
        sentence += f" {did_not[:1].upper()}{did_not[1:]}"
    return sentence


def _count_and_percent(share: Share, tr: Words = ENGLISH_WORDS) -> str:
    """'50 (82%)', or 'fewer than 5' (or 'an undisclosed number')."""
    if share.count is None:
        return display.in_words(share, tr.say)
    return f"{display.share_count(share, tr.say)} ({display.share_percent(share, tr.say)})"


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


def concerns_summary(found: Sequence[Concern], tr: Words = ENGLISH_WORDS) -> str:
    """'Public consultation highlighted 14 areas of concern. Of these, 8 will be addressed ...'"""
    addressed = [c.theme for c in found if c.priorities]
    total = len(found)
    if total == 0:
        return tr("No areas of concern have been coded from the consultation's answers yet.")
    opening = tr.ngettext(
        "Public consultation highlighted %(total)s area of concern.",
        "Public consultation highlighted %(total)s areas of concern.",
        total,
        total=display.number(total),
    )
    if not addressed:
        return f"{opening} " + tr("None of these is addressed through the strategic priorities.")
    themes = join_words(addressed, tr)
    if len(addressed) == total:
        if total == 1:
            rest = tr("The strategic priorities address this: %(themes)s.", themes=themes)
        else:
            rest = tr("The strategic priorities address all of these: %(themes)s.", themes=themes)
        return f"{opening} {rest}"
    rest = tr(
        "Of these, %(count)s will be addressed through the strategic priorities: %(themes)s.",
        count=display.number(len(addressed)),
        themes=themes,
    )
    return f"{opening} {rest}"


def others_summary(found: Sequence[Concern], tr: Words = ENGLISH_WORDS) -> str | None:
    """'The other 6 areas of concern are addressed by other agencies:', or None for none."""
    others = [c for c in found if not c.priorities]
    if not others:
        return None
    if len(others) == 1:
        return tr("The other area of concern is not a strategic priority of this strategy:")
    return tr(
        "The other %(count)s areas of concern are not strategic priorities of this strategy:",
        count=display.number(len(others)),
    )


def theme_mentions(result: TextResult, theme: str, tr: Words = ENGLISH_WORDS) -> str | None:
    """'Of the 52 respondents who said what worries them, 18 (35%) mentioned burglary.'"""
    for count in result.themes:
        if count.theme.casefold() == theme.casefold():
            if result.answered is None:
                return None
            share = count.share
            if share.count is None:
                fewer = display.fewer_than(share, tr.say)
                return tr(
                    "%(fewer)s of the %(base)s respondents who said what worries them "
                    "mentioned %(theme)s.",
                    fewer=fewer[:1].upper() + fewer[1:],
                    base=display.number(share.base),
                    theme=count.theme.lower(),
                )
            return tr(
                "Of the %(base)s respondents who said what worries them, %(count)s "
                "(%(percent)s) mentioned %(theme)s.",
                base=display.number(share.base),
                count=display.number(share.count),
                percent=display.share_percent(share),
                theme=count.theme.lower(),
            )
    return None


def abbreviations_in(
    texts: Iterable[str], defined: Iterable[str] = (), tr: Words = ENGLISH_WORDS
) -> list[tuple[str, str]]:
    """Known abbreviations that appear (as whole words) in `texts` and are not yet defined,
    each with its meaning in the document's language."""
    already = {term.casefold() for term in defined}
    words: set[str] = set()
    for text in texts:
        words.update(re.findall(r"\b[A-Z]{2,6}\b", text))
    return [
        (term, tr(meaning))
        for term, meaning in sorted(KNOWN_ABBREVIATIONS.items())
        if term in words and term.casefold() not in already
    ]
