"""Results for a combination of filters (area and age group and channel), safe from subtraction.

A combination is one cell of a cross-table: every option of each chosen breakdown question,
those who did not answer it, and (when chosen) every channel. Its figures can be added up to,
or taken from, everyone's, a single group's and the other cells' figures. So a table (a
question's options, a matrix statement's, the channels, the weeks) is shown for a combination
only when no cell of the whole cross-table has a small count anywhere in it (options, sums,
base): then every figure a reader can work out by adding or taking away is a sum of cells
that are each 0 or at least the threshold, and so never a small number either. Where the
responses themselves have a small cell, nothing of the combination is shown.

Pure: views counted with nothing hidden (a threshold of 1) in, the published view out.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from common.statistics import is_small
from survey.core.release import publish, tables
from survey.core.results import ConsultationResults, MatrixResult

RESPONSES = "responses"  # the cells' sizes: small anywhere, and a small group can be worked out


def unsafe_tables(cells: Iterable[ConsultationResults], threshold: int) -> frozenset[str]:
    """The tables with a small count in some cell of the cross-table (by question key, or
    "channels" and "weeks")."""
    found: set[str] = set()
    for counted in cells:
        if is_small(counted.responses or 0, threshold):
            found.add(RESPONSES)
        for table in tables(counted, counted):
            if any(is_small(n, threshold) for n in table.counts.values()):
                found.add(table.name.split(" / ", 1)[0])
    return frozenset(found)


def published(
    counted: ConsultationResults, unsafe: frozenset[str], threshold: int
) -> ConsultationResults:
    """The combination as published: too few responses said as such; responses with a small
    cell anywhere, nothing shown; otherwise every safe table as counted (no cell of it is
    small), and the unsafe questions named as not shown."""
    if is_small(counted.responses or 0, threshold):
        return publish(counted, threshold, lambda table, label: False)
    if RESPONSES in unsafe:
        return dataclasses.replace(
            counted,
            threshold=threshold,
            responses=None,
            channels=(),
            weeks=(),
            questions=(),
            withheld=True,
        )
    safe = dataclasses.replace(
        counted,
        channels=() if "channels" in unsafe else counted.channels,
        weeks=() if "weeks" in unsafe else counted.weeks,
        questions=tuple(q for q in counted.questions if q.key not in unsafe),
        not_shown=tuple(_text(q) for q in counted.questions if q.key in unsafe)
        + (("Responses by channel",) if "channels" in unsafe else ())
        + (("Responses by week",) if "weeks" in unsafe else ()),
        headline_not_shown=headline.text
        if (headline := counted.headline) is not None and headline.key in unsafe
        else None,
    )
    return publish(safe, threshold, lambda table, label: False)


def _text(result: object) -> str:
    if isinstance(result, MatrixResult):
        return result.text
    return str(getattr(result, "text", ""))
