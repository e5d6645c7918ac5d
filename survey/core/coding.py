"""Theme coding of free-text answers by a codebook's words and phrases.

Pure core: no Flask, no database. A codebook is a list of themes, each with the words and
phrases residents use for it. `Matcher` compiles the phrases of every theme into one tree of words
and finds every theme an answer mentions (an answer may have several, or none).

Matching ignores capitals, accents, punctuation and apostrophes (don't = dont, tŷ = ty), and is
by whole words ("pub" is not found in "public"). A hyphen in a phrase also matches a space or
nothing, so "anti-social" finds "anti-social", "anti social" and "antisocial"; a space in a
phrase matches any run of spaces, hyphens or punctuation between the words.

Some words mean a theme only in some sentences. A phrase may say so: "not: unsafe driving"
(these words do not mean the theme, though "unsafe" does), "confidence when: police, council"
(only in a sentence that names one of them) or "unsafe unless: traffic, roads". Negations
("not worried about burglary", "burglary isn't a problem here") cancel what they cover.

Welsh changes a word's first letter after some words (its mutations: "cyffuriau", "ei
gyffuriau", "fy nghyffuriau", "a chyffuriau"). A phrase written "cy: cyffuriau" is Welsh: its
first word is also found in each of its mutated forms.
"""

from __future__ import annotations

import bisect
import json
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from importlib import resources
from typing import Any

from common.text import clean_line
from survey.core.welsh import mutations

DEFAULT_CODEBOOK = "community-safety"
CODEBOOK_PACKAGE = "survey.core.codebooks"
_APOSTROPHES = re.compile("['\u2019\u2018`\u02bc]")
# Welsh joins a short word to the one before with an apostrophe (goryrru’n, i’r, a’r, ei’i):
# those stay two words, so a codebook's "goryrru" matches "goryrru’n". English contractions
# (don't, they're, I'm) have no such ending and stay one word, as before.
_WELSH_JOINED = re.compile("['\u2019\u2018`\u02bc](?=(?:n|r|i|w|th|ch|u)\\b)", re.IGNORECASE)
_WORD = re.compile(r"[^\W_]+")
_ACCENTS = re.compile("[\u0300-\u036f]")  # combining accents, as NFKD leaves them


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
    return " ".join(words_of(text))


def words_of(text: str) -> list[str]:
    """The words of a text as matched: `normalise(text).split()`, in fewer passes over it."""
    if not text.isascii():  # NFKD leaves ASCII as it is
        # Letters apart from their accents, which go: many type "ty" for "tŷ", "cafe" for "café".
        text = _ACCENTS.sub("", unicodedata.normalize("NFKD", text))
    text = text.casefold()
    if _APOSTROPHES.search(text):
        text = _APOSTROPHES.sub("", _WELSH_JOINED.sub(" ", text))
    return _WORD.findall(text)


def phrase_variants(phrase: str, *, welsh: bool = False) -> set[tuple[str, ...]]:
    """The word sequences (over normalised text) one codebook phrase matches; empty for none.

    A hyphen means "a space or nothing": anti-social gives (anti, social) and (antisocial,).
    Other punctuation and apostrophes are dropped, as they are from answers. `welsh`: also
    each sequence with its first word in a mutated form (`survey.core.welsh.mutations`).
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
    variants.discard(())
    if welsh:
        variants |= {(w,) + v[1:] for v in variants for w in mutations(v[0])}
    return variants


_END = ""  # key, in a node of the phrase tree, of the themes a phrase ending there means
_MORE = "?"  # key of the rarer marks: "not:" phrases, phrases with rules, negation cues
_NOT, _RULE, _CUE = "not", "rule", "cue"
_AHEAD, _BEHIND = "ahead", "behind"
NOT_PREFIX = "not:"
WELSH_PREFIX = "cy:"
WHEN, UNLESS = " when:", " unless:"

# Words that make what follows them, to the end of the clause, not a worry the answer raises:
# "not worried about burglary, but speeding is awful" is about speeding only.
NEGATIONS_AHEAD = (
    "not worried about",
    "not worried by",
    "not really worried about",
    "not too worried about",
    "not concerned about",
    "not concerned by",
    "not really concerned about",
    "not bothered about",
    "not bothered by",
    "not afraid of",
    "not scared of",
    "not frightened of",
    "dont worry about",
    "do not worry about",
    "never worry about",
    "no problem with",
    "no problems with",
    "no trouble with",
    "no issue with",
    "no issues with",
    "never had a problem with",
    "never had any problems with",
    "never had any trouble with",
    "never had any",
    "havent had any",
    "have not had any",
    "never experienced",
    "never been a victim of",
    "not affected by",
    "free of",
    "free from",
)
# Words that make what comes before them in the clause not a worry: "burglary isn't an issue".
NEGATIONS_BEHIND = (
    "is not a problem",
    "isnt a problem",
    "are not a problem",
    "arent a problem",
    "is not an issue",
    "isnt an issue",
    "are not an issue",
    "arent an issue",
    "is not a worry",
    "isnt a worry",
    "no longer a problem",
    "no longer an issue",
    "not a problem here",
    "not an issue here",
    "never been a problem",
    "never been an issue",
)
_CLAUSE_WORDS = frozenset({"but", "however", "although", "though", "whereas", "except"})
_CLAUSE_MARKS = re.compile(r"[.!?;:,()\n]")
_SENTENCE_MARKS = re.compile(r"[.!?;\n]")
_TOKEN = re.compile("(?:[^\\W_]|['\u2019\u2018`\u02bc])+")


def exclusion(phrase: str) -> str | None:
    """The words of a "not: ..." phrase (one that does not mean its theme); None otherwise."""
    return _after(NOT_PREFIX, phrase)


def _after(prefix: str, phrase: str) -> str | None:
    """What follows `prefix` at the start of a phrase (any capitals); None without it."""
    stripped = phrase.strip()
    if stripped[: len(prefix)].casefold() == prefix:
        return stripped[len(prefix) :].strip()
    return None


@dataclass(frozen=True)
class PhraseRule:
    """One codebook phrase read: its words, and the sentence it must (or must not) be in.

    "confidence when: police, council" counts only in a sentence that also mentions the police
    or the council (not "crisis of confidence in the party"); "fear unless: traffic, speeding"
    counts except in a sentence about traffic; "not: unsafe driving" is an exclusion. A phrase
    begun "cy:" (before or after "not:") is Welsh, its words and context found mutated too.
    """

    words: str
    excluded: bool = False
    context: tuple[str, ...] = ()
    needs_context: bool = True  # when: True; unless: False (ignored without a context)
    welsh: bool = False


_RULE_MARKER = re.compile(r"\s+(when|unless):", re.IGNORECASE)


def parse_phrase(phrase: str) -> PhraseRule:
    """A phrase as the matcher reads it: plain, "not: ...", "... when: a, b", "... unless: a, b",
    any of them begun "cy:" for Welsh."""
    welsh = _after(WELSH_PREFIX, phrase)
    if welsh is not None:
        return replace(parse_phrase(welsh), welsh=True)
    excluded = exclusion(phrase)
    if excluded is not None:
        welsh = _after(WELSH_PREFIX, excluded)
        return PhraseRule(excluded if welsh is None else welsh, True, welsh=welsh is not None)
    parts = _RULE_MARKER.split(" " + phrase.strip(), maxsplit=1)
    if len(parts) == 1:
        return PhraseRule(phrase.strip())
    words, kind, rest = parts
    context = tuple(word.strip() for word in rest.split(",") if normalise(word))
    return PhraseRule(words.strip(), context=context, needs_context=kind.casefold() == "when")


def phrase_problem(phrase: str) -> str | None:
    """Why a phrase cannot be matched, for a person; None when it can."""
    rule = parse_phrase(phrase)
    marker = _RULE_MARKER.search(" " + phrase.strip())
    if not normalise(rule.words):
        return f"'{phrase.strip()}' has no words to find" + (" before its rule" if marker else "")
    if marker and not rule.context:
        return f"'{phrase.strip()}': list the words after '{marker.group(1)}:', split by commas"
    return None


@dataclass(frozen=True)
class Match:
    """Words of an answer that gave it a theme, by character position in the answer as given."""

    theme: str
    start: int
    end: int


class _Walk:
    """Everything the phrase tree found in one list of words, by word position."""

    def __init__(self) -> None:
        self.meant: list[tuple[int, int, int]] = []  # (theme, first word, after the last)
        self.unmeant: list[tuple[int, int, int]] = []  # the same, for "not:" phrases
        self.ruled: list[tuple[int, int, int, bool, frozenset[tuple[str, ...]]]] = []
        self.cues: list[tuple[str, int, int]] = []  # (_AHEAD or _BEHIND, first, after)

    def add(self, marks: list[tuple[str, Any]], first: int, after: int) -> None:
        """Note the rarer marks of a phrase found at words first to after."""
        for kind, mark in marks:
            if kind == _NOT:
                self.unmeant.append((mark, first, after))
            elif kind == _RULE:
                self.ruled.append((mark[0], first, after, mark[1], mark[2]))
            else:
                self.cues.append((mark, first, after))


class Matcher:
    """Finds the themes an answer mentions, by a tree of the codebook's phrases by word.

    The answer is normalised and split into words once; from each word, the tree is walked
    as far as the following words allow, collecting the themes of every phrase that ends on
    the way. So overlapping and nested phrases are all found ("drink driving" finds a theme
    listing "drink driving" and one listing "drink"), and a phrase two themes list counts for
    both. Each word costs one dictionary look-up, whatever the size of the codebook.

    A phrase written "not: unsafe driving" is one that does *not* mean its theme: a match of
    the theme's own phrases inside it ("unsafe", listed for fear of crime) is not counted.
    A phrase with "when:" or "unless:" counts only by what else its sentence says (see
    `PhraseRule`), and nothing counts in the part of a clause a negation covers ("not worried
    about burglary"; "burglary isn't a problem here"). Those need the answer's clauses and
    sentences, which are worked out only for the few answers where they matter.
    """

    def __init__(self, themes: Mapping[str, Iterable[str]]) -> None:
        self.names: tuple[str, ...] = tuple(themes)
        self._tree: dict[str, Any] = {}
        for index, phrases in enumerate(themes.values()):
            for phrase in phrases:
                self._add(index, parse_phrase(phrase))
        for cues, kind in ((NEGATIONS_AHEAD, _AHEAD), (NEGATIONS_BEHIND, _BEHIND)):
            for cue in cues:
                for words in phrase_variants(cue):
                    self._node(words).setdefault(_MORE, []).append((_CUE, kind))

    def _node(self, words: Sequence[str]) -> dict[str, Any]:
        node = self._tree
        for word in words:
            node = node.setdefault(word, {})
        return node

    def _add(self, index: int, rule: PhraseRule) -> None:
        welsh = rule.welsh
        context = frozenset(v for c in rule.context for v in phrase_variants(c, welsh=welsh))
        for words in phrase_variants(rule.words, welsh=welsh):
            node = self._node(words)
            if rule.excluded:
                node.setdefault(_MORE, []).append((_NOT, index))
            elif context:
                node.setdefault(_MORE, []).append((_RULE, (index, rule.needs_context, context)))
            else:
                node.setdefault(_END, set()).add(index)

    def _walk(self, words: Sequence[str]) -> _Walk:
        found = _Walk()
        tree, count = self._tree, len(words)
        for start, word in enumerate(words):
            node = tree.get(word)
            ahead = start + 1
            while node is not None:
                if _END in node:
                    found.meant += [(i, start, ahead) for i in node[_END]]
                if _MORE in node:
                    found.add(node[_MORE], start, ahead)
                if ahead == count:
                    break
                node = node.get(words[ahead])
                ahead += 1
        return found

    def _hits(self, text: str, spans: bool) -> tuple[list[tuple[int, int, int]], list[Span]]:
        """The (theme, first word, after the last) of every phrase counted, and word spans."""
        words = words_of(text)
        found = self._walk(words)
        if not (found.ruled or found.cues or spans):
            return _kept(found.meant, found.unmeant), []
        places = word_places(text)
        words = [place.word for place in places]
        found = self._walk(words)
        kept = found.meant + [
            (theme, first, after)
            for theme, first, after, needs, context in found.ruled
            if _in_sentence(context, places, first) == needs
        ]
        kept = _kept(kept, found.unmeant)
        for kind, first, after in found.cues:
            clause = places[first].clause
            if kind == _AHEAD:
                kept = [h for h in kept if not (h[1] >= first and places[h[1]].clause == clause)]
            else:
                kept = [h for h in kept if not (h[2] <= after and places[h[1]].clause == clause)]
        return kept, places

    def theme_indexes(self, text: str) -> set[int]:
        """The positions (in `names`) of every theme the text mentions."""
        return {theme for theme, _, _ in self._hits(text, spans=False)[0]}

    def themes(self, text: str) -> list[str]:
        """The names of every theme the text mentions, in codebook order; [] for none."""
        return [self.names[i] for i in sorted(self.theme_indexes(text))]

    def matches(self, text: str) -> list[Match]:
        """The words that gave the text each of its themes, in the order they are written."""
        hits, places = self._hits(text, spans=True)
        found = {
            Match(self.names[theme], places[first].start, places[after - 1].end)
            for theme, first, after in hits
        }
        found = {  # "drug dealers", not also "drug" and "dealers" inside it
            m
            for m in found
            if not any(
                o.theme == m.theme and o.start <= m.start and m.end <= o.end and o != m
                for o in found
            )
        }
        return sorted(found, key=lambda m: (m.start, m.end, self.names.index(m.theme)))


def _kept(
    hits: list[tuple[int, int, int]], unmeant: list[tuple[int, int, int]]
) -> list[tuple[int, int, int]]:
    """Hits not inside a "not:" phrase of their own theme."""
    if not unmeant:
        return hits
    return [
        (theme, first, after)
        for theme, first, after in hits
        if not any(t == theme and f <= first and after <= a for t, f, a in unmeant)
    ]


@dataclass(frozen=True)
class Span:
    """One normalised word of an answer, where it is, and which clause and sentence."""

    word: str
    start: int
    end: int
    clause: int
    sentence: int


def word_places(text: str) -> list[Span]:
    """The words of a text as matched, each with its characters, clause and sentence.

    Clauses end at punctuation and at words such as "but"; sentences at full stops,
    question and exclamation marks, semicolons and line breaks.
    """
    clause_marks = [m.start() for m in _CLAUSE_MARKS.finditer(text)]
    sentence_marks = [m.start() for m in _SENTENCE_MARKS.finditer(text)]
    places: list[Span] = []
    extra = 0  # clauses begun by a word such as "but"
    for token in _TOKEN.finditer(text):
        for word in words_of(token.group()):
            extra += word in _CLAUSE_WORDS
            clause = bisect.bisect(clause_marks, token.start()) + extra
            sentence = bisect.bisect(sentence_marks, token.start())
            places.append(Span(word, token.start(), token.end(), clause, sentence))
    return places


def _in_sentence(context: frozenset[tuple[str, ...]], places: list[Span], at: int) -> bool:
    """Whether any of the context's word sequences is in the sentence of word `at`."""
    sentence = places[at].sentence
    words = f" {' '.join(place.word for place in places if place.sentence == sentence)} "
    return any(f" {' '.join(variant)} " in words for variant in context)


def highlighted(text: str, matches: Iterable[Match]) -> list[tuple[str, tuple[str, ...]]]:
    """The text in pieces, each with the themes whose words it is (none for plain text)."""
    matches = list(matches)
    cuts = sorted({0, len(text), *(m.start for m in matches), *(m.end for m in matches)})
    pieces: list[tuple[str, tuple[str, ...]]] = []
    for start, end in zip(cuts, cuts[1:], strict=False):
        themes = tuple(dict.fromkeys(m.theme for m in matches if m.start <= start < m.end))
        if pieces and pieces[-1][1] == themes:
            pieces[-1] = (pieces[-1][0] + text[start:end], themes)
        else:
            pieces.append((text[start:end], themes))
    return pieces


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
    for phrase in phrases:
        if phrase.strip() and (problem := phrase_problem(phrase)):
            raise CodebookError(f"codebook '{codebook}': theme '{item['name']}': {problem}")
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
