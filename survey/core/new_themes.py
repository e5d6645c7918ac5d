"""Finding new themes: groups of similar answers among those no theme of the codebook matches.

Pure core: no Flask, no database, nothing downloaded. An answer is described by its words twice
over: what it says (TF-IDF of its words and word pairs, less English stop words, joined with its
character 3- to 5-grams, so "bin", "bins" and "binmen" share evidence) and what its words mean
(`survey.core.word_vectors`, given in half again the weight, so that "burglary", "muggings" and
"thieves" are near though they share no letters). Ward's agglomerative clustering makes a group
per GROUP_SIZE answers, between 2 and a limit: Ward keeps groups of like size, where average
linkage gathered half of a large question's answers into one group. Over SAMPLE answers, a fixed
sample is grouped and every other answer joins the group whose centre it is nearest.
bench/new_themes.py measures this; without the word vectors it groups by words alone.
Each group is shown to officers with its most typical answers (nearest its centre) and its
distinctive words (heaviest in its centre compared with all the answers; for a group its words'
meaning made, also its words nearest in meaning to the group's), which become the new theme's
phrases if an officer names it. Deterministic: the same answers give the same groups.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from survey.core.coding import normalise
from survey.core.word_vectors import WordVectors

MAX_CLUSTERS = 10  # more groups: purer, but a theme's answers more often split
GROUP_SIZE = 6  # answers per group, until MAX_CLUSTERS (chosen on bench/new_themes.py --half dev)
MEANING_WEIGHT = 1.5  # of what the words mean, against which words are used (likewise)
MIN_ANSWERS = 6  # fewer unmatched answers than this are not worth grouping
MIN_SIZE = 2  # a group of fewer answers is not shown
RANDOM_STATE = 0
DIMENSIONS = 100  # latent components the sample is grouped in
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
    vectors: WordVectors | None = None,
) -> list[Cluster]:
    """Groups of similar answers among `texts`, largest first; [] when there are too few.

    `vectors`: what words mean (`word_vectors.installed()`); None groups by words alone.
    """
    if len(texts) < MIN_ANSWERS:
        return []
    from scipy.sparse import csr_matrix, hstack
    from sklearn.feature_extraction.text import (  # see learning._vectoriser
        ENGLISH_STOP_WORDS,
        TfidfVectorizer,
    )
    from sklearn.preprocessing import normalize

    cleaned = [normalise(text) for text in texts]
    word_vectoriser = TfidfVectorizer(
        ngram_range=(1, 2), stop_words="english", sublinear_tf=True, min_df=2, max_features=20000
    )
    try:
        word_features = word_vectoriser.fit_transform(cleaned)
    except ValueError:  # no word is used twice: nothing to group by
        return []
    char_features = TfidfVectorizer(
        analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, min_df=2, max_features=50000
    ).fit_transform(cleaned)
    features = normalize(hstack([word_features, char_features]).tocsr())
    stop = frozenset(ENGLISH_STOP_WORDS)
    if vectors is not None:
        meaning = vectors.of_texts(cleaned, stop)
        features = normalize(hstack([features, csr_matrix(MEANING_WEIGHT * meaning)]).tocsr())
    labels = _grouping(features, max(2, min(max_clusters, len(texts) // GROUP_SIZE)))
    vocabulary = word_vectoriser.get_feature_names_out()
    overall = word_features.mean(axis=0).A1
    clusters = []
    for number in sorted(set(labels)):
        rows = [i for i, label in enumerate(labels) if label == number]
        if len(rows) < MIN_SIZE:
            continue
        centre = features[rows].mean(axis=0).A1
        nearness = features[rows] @ centre
        order = sorted(range(len(rows)), key=lambda i: (-nearness[i], rows[i]))
        weights = word_features[rows].mean(axis=0).A1 - overall
        top = [vocabulary[i] for i in weights.argsort()[::-1][:words] if weights[i] > 0]
        if vectors is not None and len(top) < words:  # a group its words' meaning made
            known = vectors.words_of([cleaned[i] for i in rows], stop)
            nearest = vectors.ranked(known, meaning[rows].mean(axis=0), meaning.mean(axis=0))
            top += [w for w in nearest if w not in top][: words - len(top)]
        clusters.append(Cluster(tuple(rows[i] for i in order), tuple(top)))
    return sorted(clusters, key=lambda c: (-c.size, c.members[0]))


def _grouping(features: Any, groups: int) -> list[int]:
    """A group number per row: Ward's agglomerative clustering into `groups` groups."""
    import numpy as np
    from sklearn.cluster import AgglomerativeClustering

    rows = features.shape[0]
    sample = (
        np.arange(rows)
        if rows <= SAMPLE
        else np.sort(np.random.default_rng(RANDOM_STATE).choice(rows, SAMPLE, replace=False))
    )
    grouped = (
        AgglomerativeClustering(n_clusters=min(groups, len(sample)), linkage="ward")
        .fit(_reduced(features[sample]))
        .labels_
    )
    if rows <= SAMPLE:
        return [int(x) for x in grouped]
    numbers = sorted(set(grouped))
    centres = np.vstack([features[sample[grouped == g]].mean(axis=0).A1 for g in numbers])
    nearest = np.asarray((features @ centres.T).argmax(axis=1)).ravel()
    assigned = [numbers[int(i)] for i in nearest]
    for position, row in enumerate(sample):
        assigned[int(row)] = int(grouped[position])
    return assigned


def _reduced(features: Any) -> Any:
    """Dense rows for agglomerative clustering: at most DIMENSIONS latent components (LSA).

    Thousands of n-gram columns made dense would need gigabytes. Rows are of length 1, so
    Ward's Euclidean distances rank pairs as cosine distance does; a row with no shared n-gram
    is nudged off zero.
    """
    from sklearn.decomposition import TruncatedSVD
    from sklearn.preprocessing import normalize

    components = min(DIMENSIONS, features.shape[0] - 1, features.shape[1] - 1)
    if components < 2:
        return features.toarray() + 1e-9
    reduced = TruncatedSVD(n_components=components, random_state=RANDOM_STATE).fit_transform(
        features
    )
    return normalize(reduced) + 1e-9
