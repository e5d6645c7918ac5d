"""Finding new themes: groups of similar answers among those no theme of the codebook matches.

Pure core: no Flask, no database, nothing downloaded. Answers are TF-IDF vectors of their words
and word pairs (less English stop words) joined with their character 3- to 5-grams, so "bin",
"bins" and "binmen" share evidence. Agglomerative clustering (average linkage, cosine) groups
them for each k from 2 up to a limit, and the k whose groups are best separated (silhouette,
cosine) is kept; over SAMPLE answers, a fixed sample is grouped and every other answer joins
the group whose centre it is nearest. On bench/new_themes.py this beat k-means over words alone
on both the share of a hidden theme in one group and that group's purity.
Each group is shown to officers with its most typical answers (nearest its centre) and its
distinctive words (heaviest in its centre compared with all the answers), which become the new
theme's phrases if an officer names it. Deterministic: the same answers give the same groups.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from survey.core.coding import normalise

MAX_CLUSTERS = 10  # more groups: purer, but a theme's answers more often split
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
    texts: Sequence[str], *, max_clusters: int = MAX_CLUSTERS, words: int = 6
) -> list[Cluster]:
    """Groups of similar answers among `texts`, largest first; [] when there are too few."""
    if len(texts) < MIN_ANSWERS:
        return []
    from scipy.sparse import hstack
    from sklearn.feature_extraction.text import TfidfVectorizer  # see learning._vectoriser
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
    labels = _best_grouping(features, max_clusters)
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
        clusters.append(Cluster(tuple(rows[i] for i in order), tuple(top)))
    return sorted(clusters, key=lambda c: (-c.size, c.members[0]))


def _best_grouping(features: Any, max_clusters: int) -> list[int]:
    """A group number per row: average-linkage groups for the k with the best silhouette."""
    import numpy as np
    from sklearn.cluster import AgglomerativeClustering
    from sklearn.metrics import silhouette_score

    rows = features.shape[0]
    sample = (
        np.arange(rows)
        if rows <= SAMPLE
        else np.sort(np.random.default_rng(RANDOM_STATE).choice(rows, SAMPLE, replace=False))
    )
    dense = _reduced(features[sample])
    best: tuple[float, Any] | None = None
    for k in range(2, min(max_clusters, len(sample) - 1) + 1):
        labels = (
            AgglomerativeClustering(n_clusters=k, metric="cosine", linkage="average")
            .fit(dense)
            .labels_
        )
        if len(set(labels)) < 2:
            continue
        score = float(silhouette_score(dense, labels, metric="cosine"))
        if best is None or score > best[0]:
            best = (score, labels)
    if best is None:
        return [0] * rows
    if rows <= SAMPLE:
        return [int(x) for x in best[1]]
    groups = sorted(set(best[1]))
    centres = np.vstack([features[sample[best[1] == g]].mean(axis=0).A1 for g in groups])
    nearest = np.asarray((features @ centres.T).argmax(axis=1)).ravel()
    assigned = [groups[int(i)] for i in nearest]
    for position, row in enumerate(sample):
        assigned[int(row)] = int(best[1][position])
    return assigned


def _reduced(features: Any) -> Any:
    """Dense rows for agglomerative clustering: at most DIMENSIONS latent components (LSA).

    Thousands of n-gram columns made dense would need gigabytes; cosine distance is undefined
    for an answer with no shared n-gram, so every row is nudged off zero.
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
