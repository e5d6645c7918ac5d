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
import zipfile
from collections.abc import Callable, Iterator, Sequence
from typing import BinaryIO

from assembly.core.audit_files import AuditTable, parse_audit
from assembly.core.ons_tables import is_ons_header, parse_ons
from assembly.core.police_uk import count_police_uk, count_police_uk_parts, is_police_uk_header
from common.spreadsheets import (
    MAX_FILE_BYTES,
    FileFormat,
    Table,
    UnreadableFile,
    check_upload,
    file_format,
    read_file,
)

HEADER_SEARCH_ROWS = 30  # notes rows an ONS sheet may have above its header
ZIP = ".zip"  # police.uk's downloads: a folder a month, a CSV a force and kind in each
MAX_ARCHIVE_FILES = 1_000  # 36 months of street, outcomes and stop-and-search for 9 forces
MAX_UNPACKED_BYTES = 4 * 1024**3  # police.uk's whole-country year is about 1.5 GB
MAX_RATIO = 100  # a CSV packs about 5 to 1; a zip bomb by thousands
PREFERRED_KINDS = ("-street.csv", "-outcomes.csv")  # stop and search is not crime counts
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
    if filename.lower().endswith(ZIP):
        return read_police_uk_zip(source, area, on_rows)
    fmt = file_format(filename)
    if fmt is FileFormat.CSV and source.seekable():
        counted = _police_uk(source, area, on_rows)
        if counted is not None:
            return counted
        source.seek(0)
    return read_audit_bytes(source.read(MAX_FILE_BYTES + 1), filename, area)


def read_audit_bytes(data: bytes, filename: str, area: str | None = None) -> AuditTable:
    """The audit in a .csv or .xlsx file's bytes (police.uk, ONS, long or wide), or in a
    .zip of police.uk's monthly files."""
    if filename.lower().endswith(ZIP):
        return read_police_uk_zip(io.BytesIO(data), area, None)
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


def read_police_uk_zip(
    source: BinaryIO, area: str | None = None, on_rows: Callable[[int], None] | None = None
) -> AuditTable:
    """The audit in a police.uk download (a .zip of monthly CSVs), counted file by file as
    it is read: its street-level files, else its outcomes files. Refused before anything is
    unpacked when it is not a zip, holds too many files or unpacks to too much."""
    try:
        archive = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError):
        raise UnreadableFile("The file is not a .zip archive that can be opened.") from None
    with archive:
        members = [m for m in archive.infolist() if not m.is_dir()]
        unpacked = sum(m.file_size for m in members)
        packed = sum(m.compress_size for m in members) or 1
        if len(members) > MAX_ARCHIVE_FILES or unpacked > MAX_UNPACKED_BYTES:
            raise UnreadableFile(
                f"The archive holds {len(members):,} files, {unpacked / 1024**2:,.0f} MB "
                f"unpacked: at most {MAX_ARCHIVE_FILES:,} files and "
                f"{MAX_UNPACKED_BYTES // 1024**3} GB can be imported at once."
            )
        if unpacked / packed > MAX_RATIO:
            raise UnreadableFile("The archive unpacks to far more than any CSV would.")
        chosen = _police_uk_members(members)
        if not chosen:
            raise UnreadableFile(
                "The archive holds no police.uk street-level or outcomes files "
                "(named like 2024-04-avon-and-somerset-street.csv)."
            )
        return count_police_uk_parts(
            ((member.filename, _csv_rows(archive, member)) for member in chosen), area, on_rows
        )


def check_audit_upload(data: bytes, filename: str) -> None:
    """Refuse, before it is read, an upload that cannot be an audit: a spreadsheet as
    `check_upload` does, or a .zip that is not one or is over the upload limit."""
    if not filename.lower().endswith(ZIP):
        check_upload(data, file_format(filename))
        return
    if len(data) > MAX_FILE_BYTES:
        raise UnreadableFile(
            f"The file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB. Import fewer "
            "months at once, or use the command line (flask audit import)."
        )
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise UnreadableFile("The file is not a .zip archive that can be opened.")


def _police_uk_members(members: Sequence[zipfile.ZipInfo]) -> list[zipfile.ZipInfo]:
    """The archive's street-level CSVs, else its outcomes CSVs, in name (month) order."""
    for kind in PREFERRED_KINDS:
        found = [m for m in members if m.filename.lower().endswith(kind)]
        if found:
            return sorted(found, key=lambda m: m.filename)
    return []


def _csv_rows(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> Iterator[list[str]]:
    """A member's rows, read as they are needed."""
    with archive.open(member) as raw:
        text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
        try:
            yield from csv.reader(text)
        except UnicodeDecodeError:
            raise UnreadableFile(f"{member.filename}: {NOT_UTF8}") from None
        except csv.Error as exc:
            raise UnreadableFile(f"{member.filename} is not a valid CSV file ({exc}).") from None


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
