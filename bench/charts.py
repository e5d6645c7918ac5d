"""Benchmark: how long each kind of chart takes to draw (SVG and PNG), against 150 ms a chart.

Not a test: it prints figures. The data are shaped like the demo consultation (64 responses,
eight matrix statements, 14 themes, six areas, five weeks, a ten-year audit trend). Each chart
is drawn N times (default 7) and the best time is reported, SVG and PNG together.

    .venv/bin/python bench/charts.py [--repeat 7] [--out DIR]

`--out DIR` also writes every chart as NAME.svg and NAME.png, to look at.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from survey import charts  # noqa: E402
from survey.demo import AREAS, PRIORITIES  # noqa: E402
from survey.questions import QuestionSpec, QuestionType  # noqa: E402
from survey.results import (  # noqa: E402
    Breakdown,
    GroupShare,
    Week,
    choice_result,
    matrix_result,
    scale_result,
    text_result,
)
from survey.statistics import share  # noqa: E402

TARGET_MS = 150
THRESHOLD = 5
THEMES = {
    "Burglary and break-ins": 18,
    "Anti-social behaviour": 15,
    "Drugs": 11,
    "Alcohol and the night-time economy": 9,
    "Policing and visibility": 8,
    "Vehicle crime": 6,
    "Young people with nothing to do": 6,
    "Domestic abuse": 5,
    "Hate crime": 3,
    "Fraud and scams": 2,
    "Road safety": 2,
    "Reoffending": 1,
    "Vandalism and graffiti": 4,
    "Support for victims": 0,
}


def samples() -> dict[str, Callable[[], charts.Chart]]:
    """One drawing function per kind of chart, on demo-shaped data."""
    agree = QuestionSpec("agree_priorities", QuestionType.AGREEMENT, "Do you agree?")
    likert = QuestionSpec("feel_safe", QuestionType.LIKERT, "I feel safe after dark")
    matrix = QuestionSpec(
        "priority_support", QuestionType.MATRIX, "Should each be a priority?", rows=PRIORITIES
    )
    multi = QuestionSpec(
        "hear_about",
        QuestionType.MULTI_CHOICE,
        "How would you like to hear about the partnership's work?",
        options=("Council newsletter", "Local newspaper", "Website", "Social media"),
        other=True,
    )
    text = QuestionSpec("worries", QuestionType.FREE_TEXT, "What are you most worried about?")
    matrix_counts = {
        (row, option): (row * 3 + option * 7) % 13 for row in range(8) for option in range(6)
    }
    breakdown = Breakdown(
        "area",
        "Where do you live?",
        "agree_priorities",
        "Do you agree?",
        None,
        tuple(
            GroupShare(area, n, share(a, n, THRESHOLD))
            for area, n, a in zip(AREAS, (20, 12, 10, 9, 6, 6), (17, 10, 8, 6, 5, 3), strict=True)
        ),
    )
    weeks = tuple(
        Week(dt.date(2026, 1, 5) + dt.timedelta(weeks=i), share(n, 64, THRESHOLD))
        for i, n in enumerate((22, 18, 12, 9, 3))
    )
    years = [f"{y}/{(y + 1) % 100:02d}" for y in range(2015, 2025)]
    crimes = [
        ("Burglary", [410, 395, 380, None, 350, 330, 300, 310, 290, 280]),
        ("Vehicle crime", [520, 500, 470, 455, 430, 400, 380, 360, 355, 340]),
        ("Violence against the person", [300, 320, 340, 360, 380, 390, 420, 430, 445, 460]),
    ]
    return {
        "themes": lambda: charts.themes_chart(
            text_result(text, 52, THEMES, coded=52, no_theme=4), THRESHOLD
        ),
        "agreement": lambda: charts.scale_chart(
            scale_result(agree, {0: 50, 1: 8, 2: 3}), THRESHOLD
        ),
        "likert": lambda: charts.scale_chart(
            scale_result(likert, {0: 9, 1: 20, 2: 12, 3: 11, 4: 6, 5: 3}), THRESHOLD
        ),
        "matrix": lambda: charts.matrix_chart(matrix_result(matrix, matrix_counts), THRESHOLD),
        "choice": lambda: charts.choice_chart(
            choice_result(multi, {0: 30, 1: 22, 2: 25, 3: 12, -1: 3}, 60), THRESHOLD
        ),
        "breakdown": lambda: charts.breakdown_chart(breakdown, THRESHOLD),
        "weeks": lambda: charts.weeks_chart(weeks, THRESHOLD),
        "trend": lambda: charts.trend_chart(
            "crime-trends",
            "Recorded crimes a year",
            years,
            crimes,
            "Recorded crimes",
            "Burglary fell from 410 to 280.",
            ("Year", *(name for name, _ in crimes)),
            tuple((y, *(str(v[i]) for _, v in crimes)) for i, y in enumerate(years)),
        ),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    if args.out:
        args.out.mkdir(parents=True, exist_ok=True)
    kinds = samples()
    kinds["themes"]()  # the first figure loads fonts and caches: not a chart's own cost
    worst = 0.0
    for kind, draw in kinds.items():
        times = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            chart = draw()
            times.append((time.perf_counter() - start) * 1000)
        best = min(times)
        worst = max(worst, best)
        met = "met" if best <= TARGET_MS else "NOT met"
        print(
            f"{kind:<10} best {best:6.1f} ms  median {sorted(times)[len(times) // 2]:6.1f} ms"
            f"  svg {len(chart.svg) // 1024:4d} KB  png {len(chart.png) // 1024:4d} KB  {met}"
        )
        if args.out:
            (args.out / f"{kind}.svg").write_bytes(chart.svg)
            (args.out / f"{kind}.png").write_bytes(chart.png)
            (args.out / f"{kind}.txt").write_text(chart.alt_text + "\n")
    verdict = "met" if worst <= TARGET_MS else "NOT met"
    print(f"slowest kind {worst:.1f} ms: target {TARGET_MS} ms a chart {verdict}")


if __name__ == "__main__":
    main()
