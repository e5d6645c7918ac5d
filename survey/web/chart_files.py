"""Charts as files for the browser: SVG for pages, PNG and CSV to download, drawn once a process.

Charts depend only on the results, which are frozen dataclasses, and the language they are
worded in: those are the cache key, so a new response (new counts) draws afresh and nothing
stale, nor in the other language, is ever served. A cached chart draws
each format on its first request only, so pages that show SVG never pay for the PNG.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from flask import Response, abort

from common.spreadsheets import write_csv
from survey.core import tables
from survey.core.charts import Chart, charts_for
from survey.core.results import Breakdown, ConsultationResults
from survey.web.languages import say_for

TYPES = {"svg": "image/svg+xml", "png": "image/png"}


@lru_cache(maxsize=32)
def _drawn(
    results: ConsultationResults, breakdowns: tuple[Breakdown, ...], language: str
) -> dict[str, Chart]:
    charts = charts_for(results, breakdowns, say_for(language))
    return {chart.name: chart for chart in charts}


def charts(
    results: ConsultationResults, breakdowns: Sequence[Breakdown] = (), language: str = "en"
) -> dict[str, Chart]:
    """Every chart of these results by name, in page order, worded in `language` (cached per
    process)."""
    return _drawn(results, tuple(breakdowns), language)


def filename(*parts: str) -> str:
    """A safe download name from its parts: letters, digits, '-' and '_' only."""
    return "".join(c if c.isalnum() or c in "-_" else "-" for c in "-".join(parts))


def chart_file(chart: Chart, kind: str, name: str, shown_for: str | None = None) -> Response:
    """The chart as an SVG or PNG image, or its data table as CSV (`shown_for` says whose
    results they are, under its title, when not everyone's)."""
    if kind == "csv":
        rows = tables.csv_rows(tables.DataTable(chart.title, chart.headers, chart.rows))
        if shown_for is not None:
            rows.insert(1, [shown_for])
        return Response(
            write_csv(rows),
            content_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
        )
    if kind not in TYPES:
        abort(404)
    body = chart.svg if kind == "svg" else chart.png
    response = Response(body, content_type=TYPES[kind])
    response.headers["Content-Disposition"] = f'inline; filename="{name}.{kind}"'
    response.headers["Cache-Control"] = "private, max-age=300"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
