"""The labelled resident answers in bench/data/worries.csv, and their fixed split in two halves.

Shared by the benchmarks. The answers were written for the purpose, in residents' own words
(misspellings, several themes, no theme), separately from the codebook's phrase lists, and
labelled with the 14 themes of the community-safety codebook as an officer would code them.
The last 498 rows were added later by a writer who saw only the themes' names and descriptions
and 30 development answers, never the phrase lists; two of their conventions were brought in
line with the first rows (drink driving is alcohol too; graffiti that is a hate crime is not
also anti-social behaviour).
bench/data/worries-cy.csv holds 170 answers written in Welsh (colloquial and formal, mutated,
some English mixed in, accents left out) by a writer who saw only the themes' names and
descriptions and the conventions above, never the phrase lists; made up, like the rest.
The split is by a hash of each answer's text, so it never changes: the development half may be
read while improving the codebook; the held-out half is only ever scored.
"""

from __future__ import annotations

import csv
import hashlib
from dataclasses import dataclass
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "worries.csv"
WELSH = DATA.with_name("worries-cy.csv")  # answers written in Welsh, labelled the same way
DEV, HELD_OUT = "dev", "held-out"


@dataclass(frozen=True)
class Labelled:
    text: str
    themes: tuple[str, ...]
    half: str


def half_of(text: str) -> str:
    """Which half an answer is in: 'dev' or 'held-out', by its text's SHA-256."""
    return DEV if hashlib.sha256(text.encode("utf-8")).digest()[0] % 2 == 0 else HELD_OUT


def labelled_answers(path: Path = DATA) -> list[Labelled]:
    """Every labelled answer, in file order."""
    with path.open(encoding="utf-8", newline="") as handle:
        return [
            Labelled(
                row["text"],
                tuple(t.strip() for t in row["themes"].split(";") if t.strip()),
                half_of(row["text"]),
            )
            for row in csv.DictReader(handle)
        ]
