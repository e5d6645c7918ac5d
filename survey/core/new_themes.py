"""Finding new themes: groups of similar answers among those no theme of the codebook matches.

Pure core: no Flask, no database, nothing downloaded. Answers are TF-IDF vectors of their words
and word pairs (less English stop words); k-means groups them for each k from 2 up to a limit,
and the k whose groups are best separated (silhouette, cosine) is kept. Each group is shown to
officers with its most typical answers (nearest its centre) and its distinctive words (heaviest
in its centre compared with all the answers), which become the new theme's phrases if an
officer names it. Deterministic: the same answers give the same groups.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from survey.core.coding import normalise

MAX_CLUSTERS = 8
MIN_ANSWERS = 6  # fewer unmatched answers than this are not worth grouping
MIN_SIZE = 2  # a group of fewer answers is not shown
RANDOM_STATE = 0
SAMPLE = 2000  # answers the separation of each k is measured on


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
    from sklearn.feature_extraction.text import TfidfVectorizer  # see learning._vectoriser

    vectoriser = TfidfVectorizer(
        ngram_range=(1, 2), stop_words="english", sublinear_tf=True, min_df=2, max_features=20000
    )
    try:
        features = vectoriser.fit_transform([normalise(text) for text in texts])
    except ValueError:  # no word is used twice: nothing to group by
        return []
    labels, centres = _best_grouping(features, max_clusters)
    vocabulary = vectoriser.get_feature_names_out()
    overall = features.mean(axis=0).A1
    clusters = []
    for number, centre in enumerate(centres):
        rows = [i for i, label in enumerate(labels) if label == number]
        if len(rows) < MIN_SIZE:
            continue
        nearness = features[rows] @ centre
        order = sorted(range(len(rows)), key=lambda i: (-nearness[i], rows[i]))
        weights = centre - overall
        top = [vocabulary[i] for i in weights.argsort()[::-1][:words] if weights[i] > 0]
        clusters.append(Cluster(tuple(rows[i] for i in order), tuple(top)))
    return sorted(clusters, key=lambda c: (-c.size, c.members[0]))


def _best_grouping(features: Any, max_clusters: int) -> tuple[list[int], list[Any]]:
    """k-means labels and centres for the k (2 to max_clusters) with the best silhouette."""
    from sklearn.cluster import KMeans
    from sklearn.metrics import silhouette_score

    rows = features.shape[0]
    best: tuple[float, list[int], list[Any]] | None = None
    for k in range(2, min(max_clusters, rows - 1) + 1):
        model = KMeans(n_clusters=k, n_init=3, random_state=RANDOM_STATE).fit(features)
        labels = model.labels_
        if len(set(labels)) < 2:
            continue
        score = silhouette_score(
            features,
            labels,
            metric="cosine",
            sample_size=min(rows, SAMPLE),
            random_state=RANDOM_STATE,
        )
        if best is None or score > best[0]:
            best = (float(score), [int(x) for x in labels], list(model.cluster_centers_))
    if best is None:
        return [0] * rows, [features.mean(axis=0).A1]
    return best[1], best[2]
