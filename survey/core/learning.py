"""Theme suggestions learnt from officers' codes: a multi-label text classifier.

Pure core: no Flask, no database. Officers' decisions on some answers ("these themes", or
"no theme") are the examples; for each theme with enough of them, a logistic regression over
TF-IDF word and character n-grams learns how its answers are worded, and gives every other
answer a confidence (0 to 1) that it has the theme. Character n-grams let "speeding",
"speeders" and "sped" share evidence, which matters when there are only a few dozen examples.

Two things help when officers have coded only a few dozen answers. A theme's own name is one
more example of it (officers name themes in the words answers use). And each theme has its own
cut-off: the confidence from which suggesting it agreed best with officers' codes, found on
answers held out in turn (k folds); its confidences are rescaled so that this cut-off reads 50%,
so "suggested" is at least 50% for every theme and "least sure" is nearest to the cut-off.

`cross_validate` says how far to trust the suggestions: it holds out each reviewed answer in
turn (k folds), learns from the others, and scores the held-out suggestions against what the
officer decided, per theme, with `survey.core.coding.score_coding`; each fold's cut-offs are
chosen on the other folds' held-out answers, never on its own. Everything is deterministic.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from survey.core.agreement import ThemeScore, macro_f1, score_coding
from survey.core.coding import normalise
from survey.core.suggesting import LEARNT, Suggestion, ThemeBrief

MIN_EXAMPLES = 10  # reviewed answers before anything is suggested
# Answers an officer gave a theme before that theme is suggested. 2, not 3: with 20% coded
# by active learning, 3 left a theme unsuggested in a seed of bench/learning_f1.py (seeds 1-3:
# macro-F1 0.854 -> 0.864); the agreement page shows how far so few examples can be trusted.
MIN_POSITIVES = 2
THRESHOLD = 0.5  # a suggestion at least this confident counts as "suggested"
SHOWN = 0.2  # a suggestion below this confidence is not worth showing an officer (nor storing)
FOLDS = 5
RANDOM_STATE = 0
# Regularisation. Smaller C scores higher on bench/learning_f1.py (seed 1: 0.80 micro-F1 at
# C=1, 0.87 at 0.1) only by squeezing every confidence towards 50%: an answer in words never
# seen gets 49%. C=1 keeps confidences an officer can read (such an answer gets about 40%).
_C = 1.0


class TooFewExamples(ValueError):
    """Officers have not reviewed enough answers to learn from; the message says how many."""


@dataclass(frozen=True)
class Example:
    """One answer an officer reviewed: its words and the themes they gave it (maybe none)."""

    text: str
    themes: frozenset[str]


@dataclass(frozen=True)
class Suggester:
    """Classifiers learnt from examples: one per theme that had enough of them."""

    themes: tuple[str, ...]  # the themes it can suggest, in the order given
    skipped: dict[str, str]  # theme: why it is never suggested
    _vectoriser: Any = field(repr=False)
    _models: tuple[Any, ...] = field(repr=False)
    # Per theme, the classifier's probability that reads as 50% (see the module).
    cut_offs: Mapping[str, float] = field(default_factory=dict)

    def confidences(self, texts: Sequence[str]) -> list[dict[str, float]]:
        """Per text, each learnt theme with the confidence (0 to 1) that the text has it."""
        return [
            {
                theme: rescaled(value, self.cut_offs.get(theme, THRESHOLD))
                for theme, value in row.items()
            }
            for row in self.probabilities(texts)
        ]

    def probabilities(self, texts: Sequence[str]) -> list[dict[str, float]]:
        """Per text, each learnt theme with its classifier's probability, before rescaling."""
        if not texts or not self.themes:
            return [{} for _ in texts]
        features = self._vectoriser.transform([normalise(text) for text in texts])
        columns = [model.predict_proba(features)[:, 1] for model in self._models]
        return [
            {theme: float(column[row]) for theme, column in zip(self.themes, columns, strict=True)}
            for row in range(len(texts))
        ]

    @property
    def source(self) -> str:
        """Suggestions learnt from officers' codes (survey.core.suggesting.ThemeSuggester)."""
        return LEARNT

    def suggest_themes(
        self, answers: Sequence[str], themes: Sequence[ThemeBrief]
    ) -> list[Suggestion]:
        """Per answer, each of `themes` it learnt with its confidence (descriptions unused)."""
        asked = {theme.name for theme in themes}
        return [
            Suggestion({name: value for name, value in found.items() if name in asked})
            for found in self.confidences(answers)
        ]

    def suggest(self, texts: Sequence[str], threshold: float = THRESHOLD) -> list[set[str]]:
        """Per text, the themes suggested with at least `threshold` confidence."""
        return [
            {theme for theme, value in found.items() if value >= threshold}
            for found in self.confidences(texts)
        ]


@dataclass(frozen=True)
class ThemeAgreement:
    """How one theme's suggestions agreed with officers' codes on the reviewed answers."""

    name: str
    examples: int  # reviewed answers an officer gave the theme
    score: ThemeScore | None  # None: the theme is never suggested (see `reason`)
    reason: str | None = None


@dataclass(frozen=True)
class Agreement:
    """Cross-validated agreement of suggestions with officers' codes, per theme and overall."""

    reviewed: int
    folds: int
    themes: list[ThemeAgreement]

    @property
    def scored(self) -> list[ThemeScore]:
        """The scores of the themes that are suggested."""
        return [t.score for t in self.themes if t.score is not None]

    @property
    def macro_f1(self) -> float:
        """The mean F1 of the suggested themes, each counting equally."""
        return macro_f1(self.scored)

    @property
    def micro_f1(self) -> float:
        """F1 over every (answer, theme) decision of the suggested themes together."""
        return pooled(self.scored).f1


def pooled(scores: Iterable[ThemeScore]) -> ThemeScore:
    """The themes' counts added up, for micro-averaged precision, recall and F1."""
    tp = fp = fn = 0
    for score in scores:
        tp, fp, fn = (
            tp + score.true_positives,
            fp + score.false_positives,
            fn + score.false_negatives,
        )
    return ThemeScore("all themes", tp, fp, fn)


def train(
    examples: Sequence[Example],
    themes: Sequence[str],
    *,
    min_examples: int = MIN_EXAMPLES,
    min_positives: int = MIN_POSITIVES,
) -> Suggester:
    """Learn to suggest `themes` from officers' examples, each theme with its cut-off from
    held-out answers (the module says how); TooFewExamples below `min_examples`."""
    if len(examples) < min_examples:
        raise TooFewExamples(
            f"officers have reviewed {len(examples)} of these answers: "
            f"suggestions need at least {min_examples}"
        )
    held_out = _held_out_probabilities(examples, themes, min_positives, FOLDS)
    everyone = range(len(examples))
    suggester = _fit(examples, themes, min_positives)
    cut_offs = _cut_offs(suggester.themes, examples, held_out, everyone)
    return dataclasses.replace(suggester, cut_offs=cut_offs)


CUT_OFFS = tuple(step / 20 for step in range(2, 15))  # 10% to 70%, the cut-offs tried


def rescaled(probability: float, cut_off: float) -> float:
    """A probability as a confidence: the theme's cut-off reads 50%, 0 and 1 stay put."""
    if probability < cut_off:
        return 0.5 * probability / cut_off
    return 0.5 + 0.5 * (probability - cut_off) / (1 - cut_off)


def _held_out_probabilities(
    examples: Sequence[Example], themes: Sequence[str], min_positives: int, folds: int
) -> list[dict[str, float]]:
    """Each example's probabilities from classifiers that did not learn from it (k folds)."""
    found: list[dict[str, float]] = [{} for _ in examples]
    for held_out in folds_of(len(examples), folds):
        left_out = set(held_out)
        learning = [e for i, e in enumerate(examples) if i not in left_out]
        suggester = _fit(learning, themes, min_positives)
        texts = [examples[i].text for i in held_out]
        for index, row in zip(held_out, suggester.probabilities(texts), strict=True):
            found[index] = row
    return found


def _cut_offs(
    themes: Sequence[str],
    examples: Sequence[Example],
    held_out: Sequence[Mapping[str, float]],
    chosen_from: Iterable[int],
) -> dict[str, float]:
    """Per theme, the cut-off at which held-out suggestions for the examples `chosen_from`
    agreed best with officers' codes (F1); of equals, the nearest 50%. 50% where none agree."""
    rows = [(examples[i].themes, held_out[i]) for i in chosen_from]
    cut_offs = {}
    for theme in themes:
        best, best_f1 = THRESHOLD, 0.0
        for cut_off in sorted(CUT_OFFS, key=lambda c: (abs(c - THRESHOLD), c)):
            tp = fp = fn = 0
            for coded, found in rows:
                suggested = theme in found and found[theme] >= cut_off
                tp += suggested and theme in coded
                fp += suggested and theme not in coded
                fn += not suggested and theme in coded
            f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
            if f1 > best_f1:
                best, best_f1 = cut_off, f1
        cut_offs[theme] = best
    return cut_offs


def _fit(examples: Sequence[Example], themes: Sequence[str], min_positives: int) -> Suggester:
    """One classifier per theme with at least `min_positives` examples with and without it."""
    learnt: list[str] = []
    skipped: dict[str, str] = {}
    for theme in themes:
        reason = _too_few(theme, examples, min_positives)
        if reason:
            skipped[theme] = reason
        else:
            learnt.append(theme)
    if not learnt:
        return Suggester((), skipped, None, ())
    from sklearn.linear_model import LogisticRegression  # see _vectoriser on why here

    # Each theme's name is one more example of it (and of no other theme).
    examples = [*examples, *(Example(theme, frozenset({theme})) for theme in themes)]
    vectoriser = _vectoriser()
    features = vectoriser.fit_transform([normalise(e.text) for e in examples])
    models = []
    for theme in learnt:
        model = LogisticRegression(
            C=_C,
            class_weight="balanced",
            solver="liblinear",
            dual=True,  # far faster than the primal when n-grams outnumber answers
            max_iter=1000,
            random_state=RANDOM_STATE,
        )
        model.fit(features, [theme in e.themes for e in examples])
        models.append(model)
    return Suggester(tuple(learnt), skipped, vectoriser, tuple(models))


def _too_few(theme: str, examples: Sequence[Example], min_positives: int) -> str | None:
    """Why a theme cannot be learnt from these examples, or None when it can."""
    positives = sum(1 for e in examples if theme in e.themes)
    if positives < min_positives:
        return (
            f"officers gave it to {positives} of the reviewed answers: "
            f"suggestions need at least {min_positives}"
        )
    if len(examples) - positives < min_positives:
        return (
            f"officers gave it to all but {len(examples) - positives} of the reviewed answers: "
            f"suggestions need at least {min_positives} without it"
        )
    return None


def _vectoriser() -> Any:
    """Words and word pairs (less English stop words), character 2- to 5-grams, TF-IDF.

    scikit-learn is imported here, not with the module: it adds about 90 MB to a process, and
    only learning needs it, not every web worker that serves residents.
    """
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import FeatureUnion

    return FeatureUnion(
        [
            (
                "words",
                TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, stop_words="english"),
            ),
            ("chars", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True)),
        ]
    )


def uncertainty(found: Mapping[Any, float]) -> float:
    """How unsure one answer's suggestions are, all its themes together: each theme shown to
    officers (at least SHOWN) adds 1 at 50% and 0 at 100%; themes under SHOWN add nothing.

    Summed, not the least sure theme alone: an answer unsure of two themes teaches more than one
    unsure of one. On bench/learning_f1.py --active (seeds 1-6, 20% coded) the sum raised
    macro-F1 from 0.855 to 0.863 on average and from 0.838 to 0.850 in the worst seed. Themes
    under SHOWN are left out because the database keeps only those (the review queue's order,
    survey.data.themes.review_page, must be this one).
    """
    return sum(1 - abs(2 * value - 1) for value in found.values() if value >= SHOWN)


def least_sure_first(suggester: Suggester, texts: Sequence[str]) -> list[int]:
    """Positions in `texts`, the answer the suggestions are least sure of first (active learning:
    an officer's code for it teaches the classifiers most). Ties keep the order given."""
    found = suggester.confidences(texts)
    return sorted(range(len(texts)), key=lambda i: (-uncertainty(found[i]), i))


def folds_of(count: int, folds: int = FOLDS) -> list[list[int]]:
    """Indexes held out in each fold: answer i is held out in fold i mod k (k <= count)."""
    k = max(1, min(folds, count))
    return [list(range(start, count, k)) for start in range(k)]


def cross_validate(
    examples: Sequence[Example],
    themes: Sequence[str],
    *,
    folds: int = FOLDS,
    threshold: float = THRESHOLD,
    min_examples: int = MIN_EXAMPLES,
    min_positives: int = MIN_POSITIVES,
) -> Agreement:
    """Per theme, how suggestions agree with officers' codes on answers they did not learn from.

    Each fold's classifiers learn from the other folds under the same rules as `train`, so a
    theme with barely enough examples scores low here: its fold classifiers saw fewer still.
    Themes `train` would not learn from all the examples are listed with the reason, unscored.
    """
    if len(examples) < min_examples:
        raise TooFewExamples(
            f"officers have reviewed {len(examples)} of these answers: "
            f"measuring suggestions needs at least {min_examples}"
        )
    probabilities = _held_out_probabilities(examples, themes, min_positives, folds)
    found: list[set[str]] = [set() for _ in examples]
    held_out_folds = folds_of(len(examples), folds)
    for held_out in held_out_folds:
        left_out = set(held_out)
        others = [i for i in range(len(examples)) if i not in left_out]
        cut_offs = _cut_offs(themes, examples, probabilities, others)
        for index in held_out:
            found[index] = {
                theme
                for theme, value in probabilities[index].items()
                if rescaled(value, cut_offs[theme]) >= threshold
            }
    scores = score_coding(themes, [e.themes for e in examples], found)
    agreements = []
    for theme, score in zip(themes, scores, strict=True):
        support = score.true_positives + score.false_negatives
        reason = _too_few(theme, examples, min_positives)
        agreements.append(ThemeAgreement(theme, support, None if reason else score, reason))
    return Agreement(len(examples), len(held_out_folds), agreements)
