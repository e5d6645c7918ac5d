"""Benchmark: how long each kind of chart takes to draw, SVG and PNG each, against 150 ms.

Not a test: it prints figures. The data are shaped like the demo consultation (64 responses,
eight matrix statements, 14 themes, six areas, five weeks, a ten-year audit trend). A chart is
needed in one format at a time (pages SVG, Word drafts PNG), so each format is timed alone: a
fresh chart and its first SVG (or PNG), N times (default 5), the best time reported and as a
multiple of the target. Then the 11 PNG charts of a draft-like set, against 2 s in all. Times
are this process's CPU time (the clock's in brackets), so other work on a shared machine does
not count against a chart; on an idle machine the two agree.

    .venv/bin/python bench/charts.py [--repeat 5] [--out DIR]

`--out DIR` also writes every chart as NAME.svg and NAME.png, to look at.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assembly.core.charts import _change_bars  # noqa: E402
from common import chart_drawing as draw  # noqa: E402
from common.statistics import share  # noqa: E402
from survey.core import charts  # noqa: E402
from survey.core.demo import AREAS, PRIORITIES  # noqa: E402
from survey.core.questions import QuestionSpec, QuestionType  # noqa: E402
from survey.core.results import (  # noqa: E402
    Breakdown,
    GroupShare,
    Week,
    choice_result,
    matrix_result,
    scale_result,
    text_result,
)

TARGET_MS = 150
DRAFT_TARGET_MS = 2000  # a Word draft's 11 charts
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


def draft_set() -> list[Callable[[], charts.Chart]]:
    """The 11 charts of a draft-like set: agreement, themes, breakdown, change and 7 lines."""
    kinds = samples()
    categories = [
        "Anti-social behaviour", "Arson", "Burglary", "Criminal damage", "Drug offences",
        "Hate crime", "Public order offences", "Robbery", "Shoplifting", "Vehicle crime",
        "Violence against the person",
    ]  # fmt: skip
    changes = [
        (c, float((i * 7) % 23 - 11), f"{(i * 7) % 23 - 11:+d}%") for i, c in enumerate(categories)
    ]
    title = "Change in recorded figures, 2022/23 to 2023/24"

    def change() -> charts.Chart:
        # assembly.core.charts.change_chart's own drawing, made lazy the way survey's charts are
        drawing = draw.Drawing(title, lambda figure: _change_bars(figure, changes), len(changes))
        return charts.Chart("audit-change", title, "", ("Category",), (), drawing=drawing)

    periods = ["2021/22", "2022/23", "2023/24"]

    def lines(number: int) -> Callable[[], charts.Chart]:
        count = number % 4 + 1  # 1 to 4 series
        series = [
            (categories[(number + i) % 11], [400.0 - 30 * i, 380.0 - 20 * i + number, 350.0 - i])
            for i in range(count)
        ]
        names = ", ".join(name for name, _ in series)
        return lambda: charts.trend_chart(
            f"priority-{number}",
            f"{names}, 2021/22 to 2023/24",
            periods,
            series,
            "Recorded crimes",
            "",
            ("Category", *periods),
            [(name, *(str(v) for v in values)) for name, values in series],
        )

    return [kinds["agreement"], kinds["themes"], kinds["breakdown"], change] + [
        lines(n) for n in range(7)
    ]


def best_of(repeat: int, work: Callable[[], object]) -> tuple[float, float]:
    """The fastest of `repeat` runs of `work` in ms, by the clock and by this process's CPU.

    On an idle machine the two agree; when other processes share the cores the clock counts
    their time too, and the CPU time is the chart's own cost.
    """
    clock, cpu = [], []
    for _ in range(repeat):
        start, started = time.perf_counter(), time.process_time()
        work()
        clock.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - started) * 1000)
    return min(clock), min(cpu)


def verdict(ms: float, target: float) -> str:
    return f"{ms / target:4.2f}x target, {'met' if ms <= target else 'NOT met'}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    if args.out:
        args.out.mkdir(parents=True, exist_ok=True)
    kinds = samples()
    warm = kinds["themes"]()  # the first figures load fonts and caches: not a chart's own cost
    _ = warm.svg, warm.png
    worst = {"svg": 0.0, "png": 0.0}
    load = ", ".join(f"{n:.1f}" for n in os.getloadavg())
    print(f"best of {args.repeat}, a fresh chart each time; load average {load}")
    print(f"CPU ms (clock ms) against {TARGET_MS} ms a chart, judged by CPU")
    for kind, make in kinds.items():
        line = f"{kind:<10}"
        for fmt in ("svg", "png"):
            clock, cpu = best_of(args.repeat, lambda make=make, fmt=fmt: getattr(make(), fmt))
            worst[fmt] = max(worst[fmt], cpu)
            line += f"  {fmt} {cpu:5.1f} ({clock:5.1f}) {verdict(cpu, TARGET_MS)}"
        chart = make()
        print(f"{line}  {len(chart.svg) // 1024} KB svg, {len(chart.png) // 1024} KB png")
        if args.out:
            (args.out / f"{kind}.svg").write_bytes(chart.svg)
            (args.out / f"{kind}.png").write_bytes(chart.png)
            (args.out / f"{kind}.txt").write_text(chart.alt_text + "\n")
    for fmt, ms in worst.items():
        print(f"slowest {fmt} {ms:5.1f} ms: {verdict(ms, TARGET_MS)}")
    drafted = draft_set()
    clock, cpu = best_of(args.repeat, lambda: [make().png for make in drafted])
    print(
        f"draft set of {len(drafted)} PNG charts {cpu:6.1f} ms ({clock:6.1f}): "
        f"{verdict(cpu, DRAFT_TARGET_MS)}"
    )
    if args.out:
        for number, make in enumerate(drafted, start=1):
            (args.out / f"draft-{number:02d}.png").write_bytes(make().png)


if __name__ == "__main__":
    main()
