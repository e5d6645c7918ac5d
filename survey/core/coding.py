"""Theme coding of free-text answers by a codebook's words and phrases.

Pure core: no Flask, no database. A codebook is a list of themes, each with the words and
phrases residents use for it. `Matcher` compiles the phrases of every theme into one tree of words
and finds every theme an answer mentions (an answer may have several, or none).

Matching ignores capitals, punctuation and apostrophes (don't = dont), and is by whole words
("pub" is not found in "public"). A hyphen in a phrase also matches a space or nothing, so
"anti-social" finds "anti-social", "anti social" and "antisocial"; a space in a phrase
matches any run of spaces, hyphens or punctuation between the words.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any

from common.text import clean_line

DEFAULT_CODEBOOK = "community-safety"
CODEBOOK_PACKAGE = "survey.core.codebooks"
_APOSTROPHES = re.compile("['\u2019\u2018`\u02bc]")
_SEPARATORS = re.compile(r"[\W_]+")


class CodebookError(ValueError):
    """A codebook that cannot be used, with the reason."""


@dataclass(frozen=True)
class ThemeSpec:
    """One theme of a codebook: its name, what it covers, and the phrases that mean it."""

    name: str
    description: str = ""
    phrases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Codebook:
    """A named list of themes, in the order officers see them."""

    name: str
    title: str
    themes: tuple[ThemeSpec, ...]


def normalise(text: str) -> str:
    """Text as matched: lower case, no apostrophes, words separated by single spaces."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return _SEPARATORS.sub(" ", _APOSTROPHES.sub("", text)).strip()


def phrase_variants(phrase: str) -> set[tuple[str, ...]]:
    """The word sequences (over normalised text) one codebook phrase matches; empty for none.

    A hyphen means "a space or nothing": anti-social gives (anti, social) and (antisocial,).
    Other punctuation and apostrophes are dropped, as they are from answers.
    """
    parts = [normalise(part).split() for part in phrase.split("-")]
    parts = [words for words in parts if words]
    variants: set[tuple[str, ...]] = {()}
    for index, words in enumerate(parts):
        grown: set[tuple[str, ...]] = set()
        for done in variants:
            grown.add(done + tuple(words))
            if index and done:  # joined to the previous part, with no space
                grown.add(done[:-1] + (done[-1] + words[0],) + tuple(words[1:]))
        variants = grown
    return {variant for variant in variants if variant}


_END = ""  # key, in a node of the phrase tree, of the themes a phrase ending there means
_NOT = "!"  # key of the themes a "not:" phrase ending there does not mean
NOT_PREFIX = "not:"


def exclusion(phrase: str) -> str | None:
    """The words of a "not: ..." phrase (one that does not mean its theme); None otherwise."""
    stripped = phrase.strip()
    if stripped[: len(NOT_PREFIX)].casefold() == NOT_PREFIX:
        return stripped[len(NOT_PREFIX) :].strip()
    return None


class Matcher:
    """Finds the themes an answer mentions, by a tree of the codebook's phrases by word.

    The answer is normalised and split into words once; from each word, the tree is walked
    as far as the following words allow, collecting the themes of every phrase that ends on
    the way. So overlapping and nested phrases are all found ("drink driving" finds a theme
    listing "drink driving" and one listing "drink"), and a phrase two themes list counts for
    both. Each word costs one dictionary look-up, whatever the size of the codebook.

    A phrase written "not: unsafe driving" is one that does *not* mean its theme: a match of
    the theme's own phrases inside it ("unsafe", listed for fear of crime) is not counted.
    """

    def __init__(self, themes: Mapping[str, Iterable[str]]) -> None:
        self.names: tuple[str, ...] = tuple(themes)
        self._tree: dict[str, Any] = {}
        for index, phrases in enumerate(themes.values()):
            for phrase in phrases:
                excluded = exclusion(phrase)
                key = _NOT if excluded is not None else _END
                for words in phrase_variants(phrase if excluded is None else excluded):
                    node = self._tree
                    for word in words:
                        node = node.setdefault(word, {})
                    node.setdefault(key, set()).add(index)

    def theme_indexes(self, text: str) -> set[int]:
        """The positions (in `names`) of every theme the text mentions."""
        words = normalise(text).split()
        tree = self._tree
        matches: list[tuple[int, int, int]] = []  # (theme, first word, after the last)
        unmeant: list[tuple[int, int, int]] = []  # the same, for "not:" phrases
        for start, word in enumerate(words):
            node = tree.get(word)
            if node is None:
                continue
            ahead = start + 1
            while True:
                matches += [(i, start, ahead) for i in node.get(_END, ())]
                unmeant += [(i, start, ahead) for i in node.get(_NOT, ())]
                if ahead == len(words):
                    break
                node = node.get(words[ahead])
                if node is None:
                    break
                ahead += 1
        return {
            theme
            for theme, first, after in matches
            if not any(t == theme and f <= first and after <= a for t, f, a in unmeant)
        }

    def themes(self, text: str) -> list[str]:
        """The names of every theme the text mentions, in codebook order; [] for none."""
        return [self.names[i] for i in sorted(self.theme_indexes(text))]


def matcher_for(codebook: Codebook) -> Matcher:
    """A matcher for a codebook's themes."""
    return Matcher({theme.name: theme.phrases for theme in codebook.themes})


def parse_codebook(raw: object) -> Codebook:
    """A codebook from its JSON data, checked; raises CodebookError naming the problem."""
    if not isinstance(raw, dict):
        raise CodebookError("a codebook is a JSON object")
    name = raw.get("name")
    themes = raw.get("themes")
    if not isinstance(name, str) or not name.strip():
        raise CodebookError("a codebook needs a 'name'")
    if not isinstance(themes, list) or not themes:
        raise CodebookError(f"codebook '{name}' needs a list of 'themes'")
    specs = [_theme_spec(name, item) for item in themes]
    seen: set[str] = set()
    for spec in specs:
        if spec.name.casefold() in seen:
            raise CodebookError(f"codebook '{name}' has the theme '{spec.name}' twice")
        seen.add(spec.name.casefold())
    return Codebook(name=name, title=str(raw.get("title") or name), themes=tuple(specs))


def _theme_spec(codebook: str, item: object) -> ThemeSpec:
    if not isinstance(item, dict) or not isinstance(item.get("name"), str):
        raise CodebookError(f"codebook '{codebook}': every theme needs a 'name'")
    phrases = item.get("phrases", [])
    if not isinstance(phrases, list) or not all(isinstance(p, str) for p in phrases):
        raise CodebookError(f"codebook '{codebook}': theme '{item['name']}' phrases: a list")
    return ThemeSpec(
        name=item["name"].strip(),
        description=str(item.get("description", "")).strip(),
        phrases=unique_phrases(phrases),
    )


def unique_phrases(phrases: Iterable[str]) -> tuple[str, ...]:
    """Phrases trimmed, blanks dropped, each once (the first spelling kept)."""
    kept: dict[str, str] = {}
    for phrase in phrases:
        shown = " ".join(clean_line(phrase).split())
        key = normalise(shown.replace("-", " "))
        if shown and key.strip() and key not in kept:
            kept[key] = shown
    return tuple(kept.values())


def codebook_names() -> list[str]:
    """The names of the codebooks the app ships."""
    folder = resources.files(CODEBOOK_PACKAGE)
    return sorted(
        entry.name.removesuffix(".json")
        for entry in folder.iterdir()
        if entry.name.endswith(".json")
    )


def load_codebook(name: str) -> Codebook:
    """A codebook the app ships, by name; raises CodebookError when there is none."""
    if name not in codebook_names():
        raise CodebookError(f"there is no codebook named '{name}'")
    text = resources.files(CODEBOOK_PACKAGE).joinpath(f"{name}.json").read_text("utf-8")
    return parse_codebook(json.loads(text))


@dataclass(frozen=True)
class ThemeScore:
    """How well codes found for one theme agree with reference codes."""

    name: str
    true_positives: int
    false_positives: int
    false_negatives: int

    @property
    def precision(self) -> float:
        """Of the answers given the theme, the share the reference gives it (1 when none)."""
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 1.0

    @property
    def recall(self) -> float:
        """Of the answers the reference gives the theme, the share found (1 when none)."""
        expected = self.true_positives + self.false_negatives
        return self.true_positives / expected if expected else 1.0

    @property
    def f1(self) -> float:
        """The harmonic mean of precision and recall (0 when both are 0)."""
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


def score_coding(
    names: Sequence[str],
    expected: Sequence[Iterable[str]],
    found: Sequence[Iterable[str]],
) -> list[ThemeScore]:
    """Per theme of `names`, how `found` codes agree with `expected` codes, answer by answer."""
    if len(expected) != len(found):
        raise ValueError("expected and found codes must be for the same answers")
    counts = {name: [0, 0, 0] for name in names}
    for wanted, got in zip(expected, found, strict=True):
        wanted_set, got_set = set(wanted), set(got)
        for name in names:
            if name in got_set:
                counts[name][0 if name in wanted_set else 1] += 1
            elif name in wanted_set:
                counts[name][2] += 1
    return [ThemeScore(name, *counts[name]) for name in names]


def macro_f1(scores: Sequence[ThemeScore]) -> float:
    """The mean of the themes' F1 scores, each theme counting equally."""
    return sum(score.f1 for score in scores) / len(scores) if scores else 0.0
