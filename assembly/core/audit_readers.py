"""Which reader an audit file needs, by its header: police.uk, an ONS table, or the long
and wide layouts of `audit_files`; and the header found below any notes rows above it.

Pure core: it is handed an open binary file (a real file or bytes in memory) and reads it.
A police.uk CSV is counted line by line, however long; every other file is read whole
(at most `MAX_FILE_BYTES`) and checked whole.
"""

from __future__ import annotations

import csv
import io
import itertools
from collections.abc import Callable
from typing import BinaryIO

from assembly.core.audit_files import AuditTable, parse_audit
from assembly.core.ons_tables import is_ons_header, parse_ons
from assembly.core.police_uk import count_police_uk, is_police_uk_header
from common.spreadsheets import (
    MAX_FILE_BYTES,
    FileFormat,
    Table,
    UnreadableFile,
    file_format,
    read_file,
)

HEADER_SEARCH_ROWS = 30  # notes rows an ONS sheet may have above its header
_CLASSIC = {"category", "period", "value"}
NOT_UTF8 = (
    "The file is not UTF-8 text. In Excel, use File > Save As and choose "
    '"CSV UTF-8 (Comma delimited) (*.csv)".'
)


def read_audit_file(
    source: BinaryIO,
    filename: str,
    area: str | None = None,
    on_rows: Callable[[int], None] | None = None,
) -> AuditTable:
    """The audit in an open .csv or .xlsx file, `area` naming the partnership's when the
    file covers several; `UnreadableFile` or `ImportRefused` (every problem) otherwise."""
    fmt = file_format(filename)
    if fmt is FileFormat.CSV and source.seekable():
        counted = _police_uk(source, area, on_rows)
        if counted is not None:
            return counted
        source.seek(0)
    return read_audit_bytes(source.read(MAX_FILE_BYTES + 1), filename, area)


def read_audit_bytes(data: bytes, filename: str, area: str | None = None) -> AuditTable:
    """The audit in a .csv or .xlsx file's bytes (police.uk, ONS, long or wide)."""
    if file_format(filename) is FileFormat.CSV and data:
        counted = _police_uk(io.BytesIO(data), area, None)
        if counted is not None:
            return counted
    table, title = with_header_found(read_file(data, file_format(filename)))
    if is_ons_header(table.header):
        return parse_ons(table, area, title)
    if is_police_uk_header(table.header):  # a police.uk file saved as a workbook
        rows = itertools.chain([table.header], (cells for _, cells in table.rows))
        return count_police_uk(rows, area)
    return parse_audit(table)


def _police_uk(
    source: BinaryIO, area: str | None, on_rows: Callable[[int], None] | None
) -> AuditTable | None:
    """The counted audit when the CSV is a police.uk file, else None (nothing consumed
    that a seek to the start cannot give back)."""
    text = io.TextIOWrapper(source, encoding="utf-8-sig", newline="")
    try:
        reader = csv.reader(text)
        try:
            header = next(reader, [])
        except (csv.Error, UnicodeDecodeError):
            return None  # the whole-file reader says what is wrong with it
        if not is_police_uk_header(header):
            return None
        try:
            return count_police_uk(itertools.chain([header], reader), area, on_rows)
        except UnicodeDecodeError:
            raise UnreadableFile(NOT_UTF8) from None
        except csv.Error as exc:
            raise UnreadableFile(
                f"The file is not a valid CSV file (row {reader.line_num}: {exc})."
            ) from None
    finally:
        text.detach()  # the caller's file stays open


def with_header_found(table: Table) -> tuple[Table, str | None]:
    """The table re-read from its header row when notes rows sit above it (as in ONS
    workbooks: a title, notes and blank rows), with the title; else as it is, and None."""
    if _is_header(table.header):
        return table, None
    for position, (_, cells) in enumerate(table.rows[:HEADER_SEARCH_ROWS]):
        if _is_header(cells):
            title = " ".join(" ".join(table.header).split())[:300] or None
            header = tuple(cell.strip() for cell in cells)
            return Table(header, table.rows[position + 1 :]), title
    return table, None


def _is_header(cells: tuple[str, ...]) -> bool:
    """True for a row that names an audit's columns in any layout this service reads."""
    names = {" ".join(cell.split()).casefold() for cell in cells}
    if is_ons_header(cells) or is_police_uk_header(cells):
        return True
    return "category" in names or ("period" in names and "value" in names)
