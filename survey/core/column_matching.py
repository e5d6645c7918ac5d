"""Matching a survey tool's wording (column headings, answers) to a consultation's own wording.

Pure core. A heading or answer matches exactly, or once normalised (case, punctuation and
spacing ignored); failing both, the closest wording (difflib) is only *offered*: applying a
guess silently could put answers under the wrong question.
"""

from __future__ import annotations

import difflib
import functools
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Generic, TypeVar

T = TypeVar("T")

CLOSE_ENOUGH = 0.75  # difflib ratio from which a wording is offered as a likely match
_NOT_WORD = re.compile(r"[\W_]+")
_APOSTROPHES = re.compile(r"['\u2019\u2018`]")


class How(StrEnum):
    """How a wording was matched."""

    EXACT = "exact"
    NORMALISED = "normalised"  # equal once case, punctuation and spacing are ignored
    CLOSE = "close"  # only offered, never applied


@dataclass(frozen=True)
class Match(Generic[T]):
    """What a wording matched (`target`), how; a CLOSE match is an offer, not a match."""

    target: T
    wording: str
    how: How

    @property
    def applies(self) -> bool:
        """True for an exact or normalised match: the only kinds used without asking."""
        return self.how is not How.CLOSE


def normalise(text: str) -> str:
    """The wording with case, accents' forms, apostrophes, punctuation and spacing ignored."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    folded = _APOSTROPHES.sub("", folded)  # "Don't know" and "dont know" are the same words
    return " ".join(_NOT_WORD.sub(" ", folded).split())


def best_match(given: str, candidates: Mapping[str, T]) -> Match[T] | None:
    """The candidate (by wording) `given` matches exactly, normalised, or closely; or None."""
    stripped = given.strip()
    if stripped in candidates:
        return Match(candidates[stripped], stripped, How.EXACT)
    wanted = normalise(stripped)
    if not wanted:
        return None
    by_normal: dict[str, str] = {}
    for wording in candidates:
        by_normal.setdefault(normalise(wording), wording)
    if wanted in by_normal:
        wording = by_normal[wanted]
        return Match(candidates[wording], wording, How.NORMALISED)
    close = difflib.get_close_matches(wanted, list(by_normal), n=1, cutoff=CLOSE_ENOUGH)
    if close:
        wording = by_normal[close[0]]
        return Match(candidates[wording], wording, How.CLOSE)
    return None


@functools.lru_cache(maxsize=4096)  # a file repeats the same few answers in every row
def matching_option(given: str, options: tuple[str, ...]) -> str | None:
    """The option `given` names exactly or once normalised, in the option's own wording."""
    found = best_match(given, {option: option for option in options})
    return found.target if found is not None and found.applies else None


@functools.lru_cache(maxsize=4096)
def offered_option(given: str, options: tuple[str, ...]) -> str | None:
    """The option closest to `given`, offered when it matches none (or None)."""
    found = best_match(given, {option: option for option in options})
    return found.target if found is not None and not found.applies else None


# Words a tool writes in an option's own column when the option was not ticked.
UNTICKED = frozenset({"no", "n", "0", "false", "not selected", "not ticked", "unticked"})
_SEPARATORS = (";", ",", "\n", "|")


def ticks(text: str, option_label: str) -> bool:
    """Whether a cell in an option's own column says the option was ticked."""
    said = normalise(text)
    return bool(said) and (said == normalise(option_label) or said not in UNTICKED)


def split_ticked(text: str, options: tuple[str, ...]) -> list[str]:
    """The answers one cell names: split only where every piece is an option, so an answer
    with a comma in it is never cut in two; else the pieces between ';'."""
    whole = text.strip()
    if matching_option(whole, options):
        return [whole]
    for separator in _SEPARATORS:
        parts = [part.strip() for part in whole.split(separator) if part.strip()]
        if len(parts) > 1 and all(matching_option(part, options) for part in parts):
            return parts
    return [part.strip() for part in whole.split(";") if part.strip()]
