"""Quotes under themes: what a quote may say, and which themes' quotes a results page may show.

A quote is a resident's words chosen by an officer to show what a theme means. It is shown
only where it cannot single anyone out: under a theme that at least the suppression threshold
of people in the page's view mentioned (its count is shown, not "fewer than"), never in a view
whose responses are hidden, and never with anything else of its response. Its text is
screened for personal details when saved and again when shown.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from common.statistics import Share
from survey.core.personal_details import personal_details
from survey.core.results import ConsultationResults, TextResult

MOST_PER_THEME = 3  # quotes illustrate a theme; more would read as a sample of opinion
LONGEST = 500  # characters: a quote is a sentence or two, not a whole answer pasted in


class QuoteError(ValueError):
    """A quote that cannot be saved; each message says one thing to change."""

    def __init__(self, *messages: str) -> None:
        super().__init__(messages[0])
        self.messages = messages


@dataclass(frozen=True)
class QuotedTheme:
    """One theme of a free-text question with the quotes a page may show under it."""

    question_key: str
    question_text: str
    theme: str
    share: Share
    quotes: tuple[str, ...]


def quote_text(text: str, answer: str) -> str:
    """The quote's text as it will be kept: one paragraph, trimmed. QuoteError when it is
    empty, too long, puts words in the resident's mouth, or holds personal details (each
    problem named)."""
    cleaned = " ".join(text.split())
    if not cleaned:
        raise QuoteError("Enter the words to quote")
    if len(cleaned) > LONGEST:
        raise QuoteError(f"The quote must be {LONGEST} characters or fewer")
    problems = [*_not_said(cleaned, answer), *(p.message for p in personal_details(cleaned))]
    if problems:
        raise QuoteError(*problems)
    return cleaned


_EDITED = re.compile(r"\[[^\]]*\]|\.\.\.|…")  # [name], [the council], ... and …
_WORD = re.compile(r"[\w']+")


def _not_said(quote: str, answer: str) -> list[str]:
    """A quote is the resident's words, shortened: each word outside square brackets must be
    one of the answer's (an officer's own words go in brackets, such as [name])."""
    said = {word.casefold() for word in _WORD.findall(answer)}
    added = [w for w in _WORD.findall(_EDITED.sub(" ", quote)) if w.casefold() not in said]
    if not added:
        return []
    return [
        f"Use only the resident's words: “{added[0]}” is not in the answer. Leave words out, "
        "or put your own in square brackets, such as [name]"
    ]


def quotable(results: ConsultationResults) -> dict[str, list[str]]:
    """Per free-text question, the themes whose quotes this view may show: those whose count
    is shown and at least the threshold. None in a view whose responses are not shown."""
    if results.responses is None or results.withheld:
        return {}
    found: dict[str, list[str]] = {}
    for result in results.questions:
        if not isinstance(result, TextResult) or result.answered is None:
            continue
        names = [
            theme.theme
            for theme in result.themes
            if theme.share.count is not None and theme.share.count >= results.threshold
        ]
        if names:
            found[result.key] = names
    return found


def quoted_themes(
    results: ConsultationResults, chosen: Mapping[tuple[str, str], Sequence[str]]
) -> tuple[QuotedTheme, ...]:
    """The themes to show quotes under, in the page's order, with their quotes: `chosen` holds
    the stored quotes by (question key, theme name); any that fails screening now is left out."""
    allowed = quotable(results)
    shown = []
    for result in results.questions:
        if not isinstance(result, TextResult):
            continue
        for theme in result.themes:
            if theme.theme not in allowed.get(result.key, ()):
                continue
            texts = [
                text
                for text in chosen.get((result.key, theme.theme), ())
                if not personal_details(text)
            ][:MOST_PER_THEME]
            if texts:
                shown.append(
                    QuotedTheme(result.key, result.text, theme.theme, theme.share, tuple(texts))
                )
    return tuple(shown)
