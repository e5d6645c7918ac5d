"""Unit tests for finding new themes among answers no theme matches (pure core, no app)."""

from __future__ import annotations

from survey.core.new_themes import MIN_ANSWERS, Cluster, find_clusters
from survey.core.sentence_vectors import installed

PARKING = [
    "Parking permits cost too much for residents",
    "The price of parking permits has doubled",
    "Residents parking permits are far too expensive",
    "Parking permits for visitors cost a fortune",
    "Why do parking permits cost so much now",
]
BINS = [
    "The bins are not collected on time",
    "Bins left uncollected for weeks",
    "Bin collections keep being missed",
    "Our bins were not collected again",
    "Missed bin collections every fortnight",
]


def test_answers_about_one_unseen_subject_land_in_one_group_with_its_words() -> None:
    clusters = find_clusters(PARKING + BINS, max_clusters=3)
    parking = {i for i in range(len(PARKING))}
    holding = [c for c in clusters if parking & set(c.members)]
    assert len(holding) == 1, clusters
    (group,) = holding
    assert set(group.members) == parking
    assert "parking permits" in group.words or "permits" in group.words
    assert not {"bins", "collected"} & set(group.words)


def test_every_answer_is_in_at_most_one_group_and_typical_ones_come_first() -> None:
    clusters = find_clusters(PARKING + BINS, max_clusters=3)
    members = [i for c in clusters for i in c.members]
    assert len(members) == len(set(members))
    for cluster in clusters:
        assert cluster.typical(2) == cluster.members[:2]
        assert cluster.size == len(cluster.members)


def test_the_same_answers_give_the_same_groups() -> None:
    assert find_clusters(PARKING + BINS) == find_clusters(PARKING + BINS)


def test_too_few_answers_or_no_shared_words_give_no_groups() -> None:
    assert find_clusters(PARKING[: MIN_ANSWERS - 1]) == []
    assert find_clusters(["alpha", "bravo", "charlie", "delta", "echo", "foxtrot"]) == []


THEFT = [
    "Burglaries on our street",
    "Muggings near the station at night",
    "Thieves took my bike from the shed",
    "Shoplifting at the corner shop",
    "My car was stolen last week",
    "Someone robbed the post office",
]


def test_answers_alike_in_meaning_but_not_in_words_land_in_one_group() -> None:
    model = installed()
    assert model is not None, "no instance/sentence-model: run make setup"
    clusters = find_clusters(THEFT + BINS, model=model)
    assert sorted(sorted(c.members) for c in clusters) == [
        list(range(len(THEFT))),
        list(range(len(THEFT), len(THEFT) + len(BINS))),
    ]
    (theft,) = [c for c in clusters if 0 in c.members]
    # No word is used twice among them: their words come from what they mean.
    assert {"burglaries", "thieves", "stolen", "robbed"} <= set(theft.words)
    assert not {"bins", "collected"} & set(theft.words)


def apart_from_bins(texts: list[str]) -> tuple[Cluster, Cluster]:
    """Two groups of `texts` and BINS: the one holding exactly `texts`, then BINS's."""
    clusters = find_clusters(texts + BINS, max_clusters=2)
    (group,) = [c for c in clusters if set(c.members) & set(range(len(texts)))]
    assert set(group.members) == set(range(len(texts)))
    (bins,) = [c for c in clusters if c is not group]
    return group, bins


def test_a_group_written_in_welsh_offers_welsh_phrases_of_its_words_unmutated() -> None:
    lights = [
        "Mae’r goleuadau stryd wedi torri ers misoedd",
        "Does dim goleuadau ar y llwybr i’r orsaf",
        "Dim golau yn y stryd gefn, mae’n dywyll iawn",
        "Mae angen trwsio’r goleuadau ar y stad",
        "Y goleuadau stryd ddim yn gweithio eto",
        "Pam does neb yn trwsio’r goleuadau?",
    ]
    group, bins = apart_from_bins(lights)
    assert "cy: goleuadau" in group.words
    assert all(word.startswith("cy: ") for word in group.words)
    assert not {"cy: mae", "cy: ddim", "cy: dim", "cy: does"} & set(group.words)
    assert not any(word.startswith("cy:") for word in bins.words)  # English stays plain


def test_a_group_partly_in_welsh_offers_its_words_without_welsh_short_words() -> None:
    lights = [
        "The street lights have been out for months",
        "Street lights broken on the path to the station",
        "No street lights working on the estate",
        "Street lights out again by the school",
        "Mae’r street lights wedi torri ers misoedd",
        "Mae’r street lights ddim yn gweithio ers wythnosau",
    ]
    group, _ = apart_from_bins(lights)
    assert "street lights" in group.words
    assert not {"mae", "wedi", "ers", "ddim", "yn"} & {w for p in group.words for w in p.split()}
    assert not any(word.startswith("cy:") for word in group.words)  # mostly English: plain
