"""Charts of consultation results and audit trends, drawn once for the pages and the Word drafts.

Pure: plain data in, bytes and words out. matplotlib through `Figure`, never `pyplot`.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Chart:
    """A drawn chart with everything a reader without sight of it needs.

    `alt_text` states the chart's main message; `headers` and `rows` are its data as a table,
    already formatted by `survey.display`; `svg` is for pages, `png` (200 dpi or more) for
    documents. The same data always gives the same bytes.
    """

    name: str
    title: str
    alt_text: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    svg: bytes
    png: bytes
