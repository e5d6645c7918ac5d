"""Finding new themes: groups of similar answers among those no theme of the codebook matches.

Pure core: no Flask, no database, nothing downloaded. An answer is described twice over, in
equal measure: by what it says (TF-IDF of its words and word pairs, less English stop words,
joined with its character 3- to 5-grams, so "bin", "bins" and "binmen" share evidence) and by
what it means (its vector from a small sentence model run here, `survey.core.sentence_vectors`,
less what all the answers share), so that "Burglaries on our street" and "Thieves took my bike"
are near though they share no word. Ward's agglomerative clustering makes a group per
GROUP_SIZE answers, between 2 and a limit: Ward keeps groups of like size, where average linkage
gathered half the answers into one group. Over SAMPLE answers, a fixed sample is grouped and
every other answer joins the group whose centre it is nearest. bench/new_themes.py measures
this; without the model (`make setup` keeps it) answers are grouped by their words alone.
Each group is shown to officers with its most typical answers (nearest its centre) and its
distinctive words (heaviest in its centre compared with all the answers; for a group its
meaning made, also its words nearest in meaning to the group's), which become the new theme's
phrases if an officer names it (for a group mostly in Welsh, as Welsh phrases, "cy: ...", that
find every mutated form). Deterministic: the same answers give the same groups.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from survey.core.coding import WELSH_PREFIX, normalise
from survey.core.sentence_vectors import SentenceModel
from survey.core.welsh import ALSO_ENGLISH, FUNCTION_WORDS, looks_welsh, unmutated

MAX_CLUSTERS = 10  # more groups: purer, but a theme's answers more often split
GROUP_SIZE = 12  # answers per group, until MAX_CLUSTERS (chosen on bench/new_themes.py --half dev)
MIN_ANSWERS = 6  # fewer unmatched answers than this are not worth grouping
MIN_SIZE = 2  # a group of fewer answers is not shown
RANDOM_STATE = 0
DIMENSIONS = 100  # latent components answers are grouped in by words alone
SAMPLE = 2000  # answers grouped directly (agglomerative memory grows with its square)


@dataclass(frozen=True)
class Cluster:
    """One group of similar answers: positions in the texts given, typical first."""

    members: tuple[int, ...]  # every answer in the group, most typical first
    words: tuple[str, ...]  # distinctive words and word pairs, most distinctive first

    @property
    def size(self) -> int:
        """How many answers the group holds."""
        return len(self.members)

    def typical(self, count: int = 3) -> tuple[int, ...]:
        """The `count` answers nearest the group's centre."""
        return self.members[:count]


def find_clusters(
    texts: Sequence[str],
    *,
    max_clusters: int = MAX_CLUSTERS,
    words: int = 6,
    model: SentenceModel | None = None,
) -> list[Cluster]:
    """Groups of similar answers among `texts`, largest first; [] when there are too few.

    `model`: what answers mean (`sentence_vectors.installed()`); None groups by words alone.
    """
    if len(texts) < MIN_ANSWERS:
        return []
    from sklearn.feature_extraction.text import (  # see learning._vectoriser
        ENGLISH_STOP_WORDS,
        TfidfVectorizer,
    )

    cleaned = [normalise(text) for text in texts]
    welsh = [looks_welsh(text.split()) for text in cleaned]
    word_vectoriser = TfidfVectorizer(
        ngram_range=(1, 2), stop_words="english", sublinear_tf=True, min_df=2, max_features=20000
    )
    try:
        word_features = word_vectoriser.fit_transform(cleaned)
    except ValueError:  # no word is used twice
        if model is None:
            return []  # nothing to group by
        word_features = None
    groups = max(2, min(max_clusters, len(texts) // GROUP_SIZE))
    by_words = None if word_features is None else _reduced(_by_words(cleaned, word_features))
    meaning = None if model is None else model.of_texts(texts)
    features = _joined(by_words, meaning)
    labels = _grouping(features, groups)
    clusters = []
    for number in sorted(set(labels)):
        rows = [i for i, label in enumerate(labels) if label == number]
        if len(rows) < MIN_SIZE:
            continue
        nearness = features[rows] @ features[rows].mean(axis=0)
        order = sorted(range(len(rows)), key=lambda i: (-nearness[i], rows[i]))
        top: list[str] = []
        if word_features is not None:
            vocabulary = word_vectoriser.get_feature_names_out()
            weights = _mean(word_features[rows]) - _mean(word_features)
            ranked = weights.argsort()[::-1][: 2 * words]  # more: Welsh short words may go
            top = [vocabulary[i] for i in ranked if weights[i] > 0]
        if model is not None and meaning is not None and len(top) < words:  # meaning made it
            stop = frozenset(ENGLISH_STOP_WORDS)
            known = sorted({w for i in rows for w in cleaned[i].split() if w.isalpha()} - stop)
            nearest = _ranked(model, known, meaning[rows].mean(axis=0), meaning.mean(axis=0))
            top += [w for w in nearest if w not in top][: words - len(top)]
        welsh_texts = [cleaned[i] for i in rows if welsh[i]]
        top = _in_welsh(top, welsh_texts, len(welsh_texts) * 2 > len(rows))[:words]
        clusters.append(Cluster(tuple(rows[i] for i in order), tuple(top)))
    return sorted(clusters, key=lambda c: (-c.size, c.members[0]))


def _in_welsh(words: Sequence[str], texts: Sequence[str], mostly: bool) -> list[str]:
    """A group's words less Welsh short words ("mae", "wedi": `texts` are its answers written
    in Welsh), as English stop words are left out. For a group `mostly` in Welsh, its words as
    Welsh phrases of the word unmutated ("cy: cyffuriau" for gyffuriau), found in every form."""
    if not texts:
        return list(words)
    short = FUNCTION_WORDS if mostly else FUNCTION_WORDS - ALSO_ENGLISH
    uses = Counter(word for text in texts for word in text.split())
    phrases: list[str] = []
    for phrase in words:
        first, *rest = phrase.split()
        if first in short or (rest and rest[-1] in short):
            continue
        if mostly:
            phrase = " ".join([WELSH_PREFIX, unmutated(first, uses), *rest])
        if phrase not in phrases:
            phrases.append(phrase)
    return phrases


def _joined(by_words: Any, meaning: Any) -> Any:
    """Rows of length 1 giving what answers say and what they mean equal weight. The meaning
    vectors lose their mean first: what all the answers share (their subject) cannot tell
    them apart, and would outweigh what does."""
    import numpy as np
    from sklearn.preprocessing import normalize

    if meaning is None:
        return by_words
    apart = normalize(meaning - meaning.mean(axis=0))
    return apart if by_words is None else normalize(np.hstack([by_words, apart]))


def _by_words(cleaned: Sequence[str], word_features: Any) -> Any:
    """What answers say: rows of length 1 joining word and character n-gram weights."""
    from scipy.sparse import hstack
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.preprocessing import normalize

    char_features = TfidfVectorizer(
        analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, min_df=2, max_features=50000
    ).fit_transform(cleaned)
    return normalize(hstack([word_features, char_features]).tocsr())


def _ranked(model: SentenceModel, words: Sequence[str], towards: Any, away: Any) -> list[str]:
    """`words`, those nearer in meaning to `towards` than to `away` first: given a group's mean
    answer vector and all the answers', what sets the group apart."""
    if not words:
        return []
    rows = model.of_texts(words)
    apart = rows @ towards - rows @ away
    return [words[i] for i in sorted(range(len(words)), key=lambda i: (-apart[i], words[i]))]


def _mean(rows: Any) -> Any:
    """The mean row of a sparse matrix, as a flat array."""
    import numpy as np

    return np.asarray(rows.mean(axis=0)).ravel()


def _grouping(rows: Any, groups: int) -> list[int]:
    """A group number per row of a dense matrix whose rows are of length 1 (so that Ward's
    Euclidean distances rank pairs as cosine distance does): Ward's agglomerative clustering
    into `groups` groups."""
    import numpy as np
    from sklearn.cluster import AgglomerativeClustering

    count = rows.shape[0]
    sample = (
        np.arange(count)
        if count <= SAMPLE
        else np.sort(np.random.default_rng(RANDOM_STATE).choice(count, SAMPLE, replace=False))
    )
    grouped = (
        AgglomerativeClustering(n_clusters=min(groups, len(sample)), linkage="ward")
        .fit(rows[sample])
        .labels_
    )
    if count <= SAMPLE:
        return [int(x) for x in grouped]
    numbers = sorted(set(grouped))
    centres = np.vstack([rows[sample[grouped == g]].mean(axis=0) for g in numbers])
    assigned = [numbers[int(i)] for i in (rows @ centres.T).argmax(axis=1)]
    for position, row in enumerate(sample):
        assigned[int(row)] = int(grouped[position])
    return assigned


def _reduced(features: Any) -> Any:
    """Dense rows of length 1 from sparse n-gram rows: at most DIMENSIONS latent components
    (LSA), as thousands of n-gram columns made dense would need gigabytes; a row with no
    shared n-gram is nudged off zero."""
    from sklearn.decomposition import TruncatedSVD
    from sklearn.preprocessing import normalize

    components = min(DIMENSIONS, features.shape[0] - 1, features.shape[1] - 1)
    if components < 2:
        return features.toarray() + 1e-9
    reduced = TruncatedSVD(n_components=components, random_state=RANDOM_STATE).fit_transform(
        features
    )
    return normalize(reduced) + 1e-9
