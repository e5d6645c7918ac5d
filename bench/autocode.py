"""Benchmark: auto-coding speed of the default codebook, in answers per second.

Not a test: it prints figures. Codes the labelled resident answers (bench/data/worries.csv),
repeated to --answers answers, with the pure core's matcher (no database), best of --runs.
Target (from the issue): at least 20,000 answers per second.

    .venv/bin/python bench/autocode.py [--answers 200000] [--runs 3]
"""

from __future__ import annotations

import argparse
import sys
import time
from itertools import cycle, islice
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from labelled import labelled_answers  # noqa: E402

from survey.core.coding import DEFAULT_CODEBOOK, load_codebook, matcher_for  # noqa: E402

TARGET = 20_000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--answers", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    started = time.perf_counter()
    matcher = matcher_for(load_codebook(DEFAULT_CODEBOOK))
    compiled = time.perf_counter() - started
    texts = list(islice(cycle(a.text for a in labelled_answers()), args.answers))
    mean_length = sum(map(len, texts)) / len(texts)
    best = float("inf")
    themed = 0
    for _ in range(args.runs):
        started = time.perf_counter()
        themed = sum(1 for text in texts if matcher.theme_indexes(text))
        best = min(best, time.perf_counter() - started)
    rate = len(texts) / best
    print(f"codebook compiled in {compiled * 1000:.1f} ms")
    print(f"{len(texts):,} answers (mean {mean_length:.0f} characters), {themed:,} with a theme")
    print(
        f"best of {args.runs}: {best:.3f} s, {rate:,.0f} answers/s "
        f"(target {TARGET:,}: {'met' if rate >= TARGET else 'NOT met'})"
    )


if __name__ == "__main__":
    main()
