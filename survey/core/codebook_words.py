"""Words a theme could add to its codebook entry, found in the answers officers coded.

Pure core: no Flask, no database. Among the answers officers gave a theme that its words do
not find, the words and word pairs several of them use and that answers officers did not give
the theme rarely use are offered to officers, who decide which mean the theme.

In answers written in Welsh, a word's mutated forms count as one ("cyffuriau", "gyffuriau" and
"nghyffuriau" are all "cyffuriau"), offered as a Welsh phrase ("cy: cyffuriau") that finds
each of them; Welsh short words ("mae", "wedi") are left out as English ones are.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from survey.core.coding import WELSH_PREFIX, words_of
from survey.core.welsh import FUNCTION_WORDS, looks_welsh, unmutated

MIN_FINDS = 2  # a word used by fewer of the missed answers than this is not offered
MOST_WRONG = 0.2  # nor one this share or more of whose uses are in answers without the theme


@dataclass(frozen=True)
class WordSuggestion:
    """A word or word pair, with the reviewed answers it would give the theme."""

    phrase: str
    finds: int  # answers officers gave the theme, its words miss, and this would find
    wrongly: int  # answers officers did not give the theme that this would give it

    @property
    def welsh(self) -> bool:
        """Whether it is a Welsh phrase ("cy: ..."), found in every mutated form."""
        return self.phrase.startswith(WELSH_PREFIX)


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

    split = [(words, looks_welsh(words)) for words in map(words_of, [*missed, *without])]
    welsh = Counter(word for words, is_welsh in split if is_welsh for word in words)
    stop = ENGLISH_STOP_WORDS | FUNCTION_WORDS

    def radical(word: str) -> str:
        return unmutated(word, welsh)

    def terms(words: list[str], is_welsh: bool) -> set[str]:
        """Its words (no stop words, numbers or two-letter words) and its pairs of them; in
        Welsh, Welsh phrases of its words unmutated."""
        if not is_welsh:
            kept = [w if _content(w, ENGLISH_STOP_WORDS) else "" for w in words]
            pairs = {f"{a} {b}" for a, b in zip(kept, kept[1:], strict=False) if a and b}
            return {w for w in kept if w} | pairs
        kept = [w if _content(w, stop) and radical(w) not in stop else "" for w in words]
        pairs = {f"{radical(a)} {b}" for a, b in zip(kept, kept[1:], strict=False) if a and b}
        return {f"{WELSH_PREFIX} {w}" for w in {radical(w) for w in kept if w} | pairs}

    texts = [terms(words, is_welsh) for words, is_welsh in split]
    finds = Counter(term for found in texts[: len(missed)] for term in found)
    candidates = {term for term, count in finds.items() if count >= MIN_FINDS}
    wrongly = Counter(term for found in texts[len(missed) :] for term in found & candidates)
    ranked = sorted(
        (
            WordSuggestion(term, finds[term], wrongly[term])
            for term in candidates
            if wrongly[term] < MOST_WRONG * (finds[term] + wrongly[term])
            and not known(" ".join(_words(term)))
        ),
        key=lambda s: (s.wrongly - s.finds, len(_words(s.phrase)), s.phrase),
    )
    chosen: list[WordSuggestion] = []
    for suggestion in ranked:  # "kicked door" adds nothing to "kicked" finding the same
        if not any(_within(suggestion, other) for other in chosen):
            chosen.append(suggestion)
        if len(chosen) == most:
            break
    return chosen


def _words(phrase: str) -> list[str]:
    """A suggested phrase's words, without the Welsh mark."""
    return phrase.removeprefix(WELSH_PREFIX).split()


def _content(word: str, stop: frozenset[str]) -> bool:
    return len(word) > 2 and word.isalpha() and word not in stop


def _within(one: WordSuggestion, other: WordSuggestion) -> bool:
    """Whether one of the two phrases holds the other and they find the same answers."""
    a, b = f" {one.phrase} ", f" {other.phrase} "
    return (a in b or b in a) and (one.finds, one.wrongly) == (other.finds, other.wrongly)
