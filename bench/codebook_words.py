"""Benchmark: would the words a theme's page offers (survey/core/codebook_words.py) help?

Not a test: it prints figures. The development half of bench/data/worries.csv stands for the
answers officers reviewed; for each theme of the community-safety codebook, the words offered
from it are printed, then every one of them is added, as an officer accepting them all would,
and the codebook's macro-F1 is printed before and after on both halves (see bench/labelled.py).
The held-out half is only scored: nothing offered comes from it.

`--welsh`: the same for answers written in Welsh (bench/data/worries-cy.csv), starting from
the codebook without its Welsh ("cy:") phrases, as a council's own English codebook would be;
the reviewed answers are both development halves, English and Welsh, and both languages'
halves are scored.

    .venv/bin/python bench/codebook_words.py [--welsh]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from labelled import DEV, HELD_OUT, WELSH, Labelled, labelled_answers  # noqa: E402

from survey.core.agreement import macro_f1, score_coding  # noqa: E402
from survey.core.codebook_words import suggested_words  # noqa: E402
from survey.core.coding import DEFAULT_CODEBOOK, Matcher, load_codebook, parse_phrase  # noqa: E402


def score(themes: dict[str, tuple[str, ...]], answers: list[Labelled]) -> float:
    """The codebook's macro-F1 on these answers."""
    matcher = Matcher(themes)
    found = [matcher.themes(a.text) for a in answers]
    return macro_f1(score_coding(matcher.names, [a.themes for a in answers], found))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--welsh", action="store_true", help="answers written in Welsh")
    args = parser.parse_args()
    codebook = load_codebook(DEFAULT_CODEBOOK)
    sets = {"": labelled_answers()}
    if args.welsh:
        sets["Welsh "] = labelled_answers(WELSH)
    halves = {
        (label, half): [a for a in answers if a.half == half]
        for label, answers in sets.items()
        for half in (DEV, HELD_OUT)
    }
    reviewed = [a for label in sets for a in halves[label, DEV]]
    wanted = halves["Welsh " if args.welsh else "", DEV]
    before = {
        t.name: tuple(p for p in t.phrases if not (args.welsh and parse_phrase(p).welsh))
        for t in codebook.themes
    }
    after = dict(before)
    print(f"words offered from the {len(wanted)} {'Welsh ' * args.welsh}development answers:")
    for name, phrases in before.items():
        own = Matcher({name: phrases})
        missed = [a.text for a in wanted if name in a.themes and not own.theme_indexes(a.text)]
        without = [a.text for a in reviewed if name not in a.themes]
        offered = suggested_words(missed, without, lambda p, own=own: bool(own.theme_indexes(p)))
        after[name] = phrases + tuple(s.phrase for s in offered)
        shown = ", ".join(f"{s.phrase} ({s.finds}/{s.wrongly})" for s in offered) or "none"
        print(f"  {name} ({len(missed)} missed): {shown}")
    for (label, half), answers in halves.items():
        print(
            f"{label}{half}: macro-F1 {score(before, answers):.3f} -> "
            f"{score(after, answers):.3f} with every offered word added"
        )


if __name__ == "__main__":
    main()
