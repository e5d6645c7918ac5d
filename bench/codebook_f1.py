"""Benchmark: how well the default codebook's auto-coding agrees with hand-coded answers.

Not a test: it prints per-theme precision, recall and F1, and the macro-F1 over the 14 themes,
for the development half and the held-out half of bench/data/worries.csv (see bench/labelled.py).
Report the held-out figure; the development half is the one looked at to improve phrases.
`--welsh` scores the Welsh answers of bench/data/worries-cy.csv instead, split the same way.

    .venv/bin/python bench/codebook_f1.py [--welsh] [--errors dev]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from labelled import DEV, HELD_OUT, WELSH, Labelled, labelled_answers  # noqa: E402

from survey.core.agreement import macro_f1, score_coding  # noqa: E402
from survey.core.coding import DEFAULT_CODEBOOK, Matcher, load_codebook, matcher_for  # noqa: E402


def report(matcher: Matcher, answers: list[Labelled], title: str) -> float:
    """Print the half's per-theme table; returns its macro-F1."""
    found = [matcher.themes(a.text) for a in answers]
    scores = score_coding(matcher.names, [a.themes for a in answers], found)
    print(f"\n{title}: {len(answers)} answers, {sum(1 for a in answers if not a.themes)} no theme")
    print(f"{'theme':<24}{'answers':>8}{'precision':>11}{'recall':>8}{'F1':>7}")
    for s in scores:
        print(
            f"{s.name:<24}{s.true_positives + s.false_negatives:>8}"
            f"{s.precision:>11.2f}{s.recall:>8.2f}{s.f1:>7.2f}"
        )
    macro = macro_f1(scores)
    print(f"{'macro-F1':<24}{'':>8}{'':>11}{'':>8}{macro:>7.3f}")
    return macro


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--errors", choices=[DEV], help="list the development half's mistakes")
    parser.add_argument("--welsh", action="store_true", help="the answers written in Welsh")
    args = parser.parse_args()
    matcher = matcher_for(load_codebook(DEFAULT_CODEBOOK))
    answers = labelled_answers(WELSH) if args.welsh else labelled_answers()
    halves = {half: [a for a in answers if a.half == half] for half in (DEV, HELD_OUT)}
    results = {half: report(matcher, halves[half], half) for half in (DEV, HELD_OUT)}
    print(
        f"\nmacro-F1 over {len(matcher.names)} themes: dev {results[DEV]:.3f}, "
        f"held-out {results[HELD_OUT]:.3f}"
    )
    if args.errors:
        print("\nDevelopment-half mistakes (missed -, wrongly found +):")
        for answer in halves[DEV]:
            got = set(matcher.themes(answer.text))
            missed, extra = set(answer.themes) - got, got - set(answer.themes)
            if missed or extra:
                marks = [f"-{m}" for m in sorted(missed)] + [f"+{e}" for e in sorted(extra)]
                print(f"  {answer.text[:90]!r}: {', '.join(marks)}")


if __name__ == "__main__":
    main()
