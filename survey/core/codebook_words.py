"""Words a theme could add to its codebook entry, found in the answers officers coded.

Pure core: no Flask, no database. Among the answers officers gave a theme that its words do
not find, the words and word pairs several of them use and that answers officers did not give
the theme rarely use are offered to officers, who decide which mean the theme.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from survey.core.coding import words_of

MIN_FINDS = 2  # a word used by fewer of the missed answers than this is not offered
MOST_WRONG = 0.2  # nor one this share or more of whose uses are in answers without the theme


@dataclass(frozen=True)
class WordSuggestion:
    """A word or word pair, with the reviewed answers it would give the theme."""

    phrase: str
    finds: int  # answers officers gave the theme, its words miss, and this would find
    wrongly: int  # answers officers did not give the theme that this would give it


def suggested_words(
    missed: Sequence[str],
    without: Sequence[str],
    known: Callable[[str], bool],
    most: int = 5,
) -> list[WordSuggestion]:
    """Up to `most` words and word pairs for a theme, most useful first.

    `missed`: texts of answers officers gave the theme that its words do not find; `without`:
    texts of reviewed answers officers did not give it; `known(phrase)`: whether the theme's
    words already find the phrase standing alone (then adding it changes nothing).
    """
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS  # see learning._vectoriser

    def terms(text: str) -> set[str]:
        """Its words (no stop words, numbers or two-letter words) and its pairs of them."""
        kept = [w if _content(w, ENGLISH_STOP_WORDS) else "" for w in words_of(text)]
        pairs = {f"{a} {b}" for a, b in zip(kept, kept[1:], strict=False) if a and b}
        return {w for w in kept if w} | pairs

    finds = Counter(term for text in missed for term in terms(text))
    candidates = {term for term, count in finds.items() if count >= MIN_FINDS}
    wrongly = Counter(term for text in without for term in terms(text) & candidates)
    ranked = sorted(
        (
            WordSuggestion(term, finds[term], wrongly[term])
            for term in candidates
            if wrongly[term] < MOST_WRONG * (finds[term] + wrongly[term]) and not known(term)
        ),
        key=lambda s: (s.wrongly - s.finds, len(s.phrase.split()), s.phrase),
    )
    chosen: list[WordSuggestion] = []
    for suggestion in ranked:  # "kicked door" adds nothing to "kicked" finding the same
        if not any(_within(suggestion, other) for other in chosen):
            chosen.append(suggestion)
        if len(chosen) == most:
            break
    return chosen


def _content(word: str, stop: frozenset[str]) -> bool:
    return len(word) > 2 and word.isalpha() and word not in stop


def _within(one: WordSuggestion, other: WordSuggestion) -> bool:
    """Whether one of the two phrases holds the other and they find the same answers."""
    a, b = f" {one.phrase} ", f" {other.phrase} "
    return (a in b or b in a) and (one.finds, one.wrongly) == (other.finds, other.wrongly)
