"""CSV and XLSX files as tables of text, read from and written to bytes.

Pure core: no Flask, no database. Every cell is text once read (numbers and dates in XLSX
cells become the text a person would type), and every cell written is neutralised against
formula injection: a cell starting with = + - @ (or tab or carriage return) gets a leading
single quote, which reading removes again so that an export imports exactly as it was.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import posixpath
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from defusedxml import ElementTree
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell

MAX_FILE_BYTES = 8 * 1024 * 1024
MAX_UNZIPPED_BYTES = 200 * 1024 * 1024  # an XLSX is a zip: this bounds what it may expand to
MAX_ROWS = 50_000  # responses (rows after the header) in one file
MAX_COLUMNS = 2_000
# Cells a worksheet may declare (its <dimension>): what openpyxl reads in well under a minute,
# and room for 50,000 responses to 60 columns.
MAX_DECLARED_CELLS = 3_000_000
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
NEUTRALISER = "'"
SAVE_AS_CSV = 'In Excel, use File > Save As and choose "CSV UTF-8 (Comma delimited) (*.csv)".'
OLD_EXCEL = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the start of a 97-2003 .xls file
ZIP = b"PK\x03\x04"


@dataclass(frozen=True)
class Problem:
    """One reason a file was refused: its row (header = 1) and column, as the spreadsheet
    shows them; `row` 0 or `column` "" when the problem is not in one row or one column."""

    row: int
    column: str
    message: str

    def __str__(self) -> str:
        where = [f"row {self.row}"] if self.row else []
        if self.column:
            where.append(f"column '{self.column}'")
        return f"{', '.join(where)}: {self.message}" if where else self.message


@dataclass
class ImportRefused(Exception):
    """The file was refused as a whole (nothing imported); `problems` lists every reason."""

    problems: list[Problem] = field(default_factory=list)

    def __str__(self) -> str:
        return "; ".join(str(p) for p in self.problems)


class FileFormat(StrEnum):
    """The kinds of file responses are imported from and exported to, by file extension."""

    CSV = "csv"
    XLSX = "xlsx"

    @property
    def media_type(self) -> str:
        """The Content-Type of a download in this format."""
        if self is FileFormat.CSV:
            return "text/csv; charset=utf-8"
        return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class UnreadableFile(ValueError):
    """The file cannot be read as a table at all; the message says why and what to do."""


NumberedRow = tuple[int, tuple[str, ...]]


@dataclass(frozen=True)
class Table:
    """A file's header (row 1) and its non-empty rows, each with its row number in the file."""

    header: tuple[str, ...]
    rows: tuple[NumberedRow, ...]


def file_format(filename: str) -> FileFormat:
    """The format a file name says (.csv or .xlsx, any case), or UnreadableFile."""
    extension = filename.rpartition(".")[2].lower() if "." in filename else ""
    if extension in (FileFormat.CSV, FileFormat.XLSX):
        return FileFormat(extension)
    if extension == "xls":
        raise UnreadableFile(
            "The file is an old Excel .xls workbook. Open it in Excel and save it as "
            "an Excel Workbook (.xlsx) or as CSV UTF-8."
        )
    raise UnreadableFile("The file must be a CSV file (.csv) or an Excel workbook (.xlsx).")


def read_file(data: bytes, fmt: FileFormat) -> Table:
    """The table in a CSV or XLSX file, or UnreadableFile saying what is wrong with it."""
    if not data:
        raise UnreadableFile("The file is empty.")
    if len(data) > MAX_FILE_BYTES:
        raise UnreadableFile(
            f"The file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB. "
            "Split it into smaller files and import each."
        )
    return read_csv(data) if fmt is FileFormat.CSV else read_xlsx(data)


def check_upload(data: bytes, fmt: FileFormat) -> None:
    """Refuse, quickly and before it is read, a file that cannot be read or is too big to.

    A CSV must be UTF-8 text; a workbook must be a zip whose parts, by its own directory, are
    not too large unpacked and whose first sheet declares no more than MAX_DECLARED_CELLS.
    """
    if not data:
        raise UnreadableFile("The file is empty.")
    if len(data) > MAX_FILE_BYTES:
        raise UnreadableFile(
            f"The file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB. "
            "Split it into smaller files and import each."
        )
    if fmt is FileFormat.CSV:
        _decode(data)
    else:
        _check_workbook(data)


def write_file(rows: Iterable[Sequence[str]], fmt: FileFormat) -> bytes:
    """The rows as a CSV or XLSX file, every cell neutralised against formula injection."""
    return write_csv(rows) if fmt is FileFormat.CSV else write_xlsx(rows)


def neutralise(cell: str) -> str:
    """The cell with a leading quote if a spreadsheet could take it for a formula."""
    return NEUTRALISER + cell if cell.lstrip(NEUTRALISER).startswith(FORMULA_STARTS) else cell


def restore(cell: str) -> str:
    """The inverse of `neutralise`: removes exactly the one quote it adds."""
    if cell.startswith(NEUTRALISER) and cell.lstrip(NEUTRALISER).startswith(FORMULA_STARTS):
        return cell[1:]
    return cell


def column_letter(index: int) -> str:
    """The spreadsheet name of the column at 0-based `index`: A, B, ..., Z, AA, AB, ..."""
    letters = ""
    number = index + 1
    while number:
        number, remainder = divmod(number - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


# CSV


def read_csv(data: bytes) -> Table:
    """The table in CSV bytes: UTF-8, with or without a byte order mark."""
    text = _decode(data)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        return _table(reader)
    except csv.Error as exc:
        raise UnreadableFile(
            f"The file is not a valid CSV file (row {reader.line_num}: {exc})."
        ) from None


def _decode(data: bytes) -> str:
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        raise UnreadableFile(f"The file is saved as UTF-32 text, not UTF-8. {SAVE_AS_CSV}")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise UnreadableFile(
            f'The file is saved as UTF-16 (Excel\'s "Unicode Text"), not UTF-8. {SAVE_AS_CSV}'
        )
    if data.startswith(ZIP):
        raise UnreadableFile(
            "The file is an Excel workbook, not a CSV file: import it with a name ending .xlsx."
        )
    if data.startswith(OLD_EXCEL):
        raise UnreadableFile(
            f"The file is an old Excel .xls workbook, not a CSV file. {SAVE_AS_CSV}"
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise UnreadableFile(
            f"The file is not UTF-8 text: byte 0x{data[exc.start]:02X} on line {line} is not "
            "UTF-8 (the file may be saved as Windows-1252 or Latin-1, Excel's plain "
            f'"CSV (Comma delimited)"). {SAVE_AS_CSV}'
        ) from None
    if "\x00" in text:
        raise UnreadableFile(
            "The file is not UTF-8 text: it contains NUL characters, so it may be saved as "
            f"UTF-16. {SAVE_AS_CSV}"
        )
    return text


def write_csv(rows: Iterable[Sequence[str]]) -> bytes:
    """UTF-8 CSV with a byte order mark (so Excel shows accents and emoji correctly)."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow([neutralise(cell) for cell in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


# XLSX


def read_xlsx(data: bytes) -> Table:
    """The table on the first worksheet of an XLSX workbook (values, not formulas)."""
    if data.startswith(OLD_EXCEL):
        raise UnreadableFile(
            "The file is an old Excel .xls workbook. Open it in Excel and save it as "
            "an Excel Workbook (.xlsx)."
        )
    damaged = UnreadableFile(
        "The file is not a valid Excel .xlsx workbook (it may be damaged, or another kind of "
        "file renamed .xlsx). Open it in Excel and save it as an Excel Workbook (.xlsx)."
    )
    _check_workbook(data)
    # openpyxl raises many kinds of error for a damaged workbook (zip, XML, missing parts,
    # bad values); to a person they all mean the same thing.
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:
        raise damaged from None
    try:
        sheets = workbook.worksheets
        if not sheets:
            raise UnreadableFile("The workbook has no worksheets.")
        sheet = sheets[0]
        sheet.reset_dimensions()  # trust the cells, not a stated size that may be wrong
        return _table(sheet.iter_rows(values_only=True))
    except UnreadableFile:
        raise
    except Exception:
        raise damaged from None
    finally:
        workbook.close()


DAMAGED = (
    "The file is not a valid Excel .xlsx workbook (it may be damaged, or another kind of "
    "file renamed .xlsx). Open it in Excel and save it as an Excel Workbook (.xlsx)."
)
DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s+ref=\"([A-Z]{1,3})(\d+)(?::([A-Z]{1,3})(\d+))?\"")
SHEET_HEAD_BYTES = 64 * 1024  # a sheet's <dimension> comes before its cells


def _check_workbook(data: bytes) -> None:
    """Refuse a workbook too large to read, by the sizes its zip directory and first sheet
    declare, reading no more than the sheet's first few kilobytes."""
    if data.startswith(OLD_EXCEL):
        raise UnreadableFile(
            "The file is an old Excel .xls workbook. Open it in Excel and save it as "
            "an Excel Workbook (.xlsx)."
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unzipped = sum(info.file_size for info in archive.infolist())
            if unzipped > MAX_UNZIPPED_BYTES:
                raise UnreadableFile(
                    "The workbook is too large once unpacked "
                    f"({unzipped // (1024 * 1024):,} MB; at most "
                    f"{MAX_UNZIPPED_BYTES // (1024 * 1024):,} MB). Split it into smaller files."
                )
            cells = _declared_cells(archive)
    except (zipfile.BadZipFile, ValueError, OSError, KeyError, ElementTree.ParseError) as exc:
        if isinstance(exc, UnreadableFile):
            raise
        raise UnreadableFile(DAMAGED) from None
    if cells > MAX_DECLARED_CELLS:
        raise UnreadableFile(
            f"The workbook's first sheet declares {cells:,} cells; at most "
            f"{MAX_DECLARED_CELLS:,} can be imported. Split it into smaller files, or save it "
            "as CSV UTF-8."
        )


def _declared_cells(archive: zipfile.ZipFile) -> int:
    """How many cells the first worksheet's <dimension> says it spans (0 when it says none)."""
    with archive.open(_first_sheet(archive)) as sheet:
        head = sheet.read(SHEET_HEAD_BYTES)
    found = DIMENSION.search(head)
    if found is None:
        return 0
    first_column, first_row, last_column, last_row = found.groups()
    if last_column is None:
        return 1
    columns = _column_number(last_column.decode()) - _column_number(first_column.decode()) + 1
    rows = int(last_row) - int(first_row) + 1
    return max(columns, 1) * max(rows, 1)


def _first_sheet(archive: zipfile.ZipFile) -> str:
    """The zip path of the workbook's first worksheet, as openpyxl would read it."""
    names = set(archive.namelist())
    parts = ("xl/workbook.xml", "xl/_rels/workbook.xml.rels")
    for info in archive.infolist():  # small parts only: these are read whole
        if info.filename in parts and info.file_size > 10 * 1024 * 1024:
            raise UnreadableFile(DAMAGED)
    workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    relation = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
    sheet = workbook.find(f"{main}sheets/{main}sheet")
    rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {rel.get("Id"): rel.get("Target", "") for rel in rels}
    target = targets.get(sheet.get(relation)) if sheet is not None else None
    if not target:
        raise UnreadableFile("The workbook has no worksheets.")
    path = target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
    path = posixpath.normpath(path)
    if path not in names:
        raise UnreadableFile(DAMAGED)
    return path


def _column_number(letters: str) -> int:
    """1 for A, 26 for Z, 27 for AA: the inverse of `column_letter`, counted from 1."""
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - ord("A") + 1
    return number


def write_xlsx(rows: Iterable[Sequence[str]]) -> bytes:
    """An XLSX workbook with one sheet, "Responses", every cell text."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Responses")
    for row in rows:
        sheet.append([neutralise(cell) if cell else None for cell in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@dataclass(frozen=True)
class Percent:
    """A percentage for a report's cell: `value` as a fraction (0.82), shown to `places`."""

    value: float
    places: int = 0


ReportCell = str | int | float | Percent | None
SHEET_NAME_LENGTH = 31  # Excel's limit
SHEET_NAME_BANNED = re.compile(r"[\\/?*\[\]:]")


def sheet_name(text: str, taken: Iterable[str] = ()) -> str:
    """A name Excel accepts for a sheet (31 characters, none of \\ / ? * [ ] :), unique."""
    base = SHEET_NAME_BANNED.sub(" ", text).strip()[:SHEET_NAME_LENGTH].strip() or "Sheet"
    used = {name.casefold() for name in taken}
    name, n = base, 1
    while name.casefold() in used:
        n += 1
        suffix = f" ({n})"
        name = base[: SHEET_NAME_LENGTH - len(suffix)].strip() + suffix
    return name


def write_report(sheets: Sequence[tuple[str, Sequence[Sequence[ReportCell]]]]) -> bytes:
    """An XLSX workbook of named sheets: numbers stored as numbers, percentages with a percent
    format to their places, text neutralised against formulas."""
    workbook = Workbook(write_only=True)
    for name, rows in sheets:
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append([_report_cell(sheet, cell) for cell in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _report_cell(sheet: Any, cell: ReportCell) -> Any:
    if isinstance(cell, Percent):
        written = WriteOnlyCell(sheet, value=cell.value)
        written.number_format = "0" + ("." + "0" * cell.places if cell.places else "") + "%"
        return written
    if isinstance(
        cell, str
    ):  # a lone "-" (no percentage) is not a formula: kept as the page has it
        return neutralise(cell) if len(cell) > 1 else cell or None
    return cell


def cell_text(value: Any) -> str:
    """An XLSX cell's value as the text a person would have typed for it."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, dt.datetime):  # Excel has no date-only cells: midnight is a date
        rounded = (value + dt.timedelta(microseconds=500_000)).replace(microsecond=0)
        return rounded.date().isoformat() if rounded.time() == dt.time() else rounded.isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


# Both


def _table(rows: Iterable[Sequence[Any]]) -> Table:
    """Header and non-empty rows, as text with neutralising quotes removed."""
    numbered = enumerate(rows, start=1)
    first = next(numbered, None)
    if first is None:
        raise UnreadableFile("The file is empty.")
    header = _trimmed([restore(cell_text(cell)).strip() for cell in first[1]])
    if not header:
        raise UnreadableFile(
            "The first row of the file is empty: it must name the columns (reference, "
            "submitted_at, channel and the question keys)."
        )
    if len(header) > MAX_COLUMNS:
        raise UnreadableFile(f"The file has more than {MAX_COLUMNS:,} columns.")
    body: list[NumberedRow] = []
    for number, cells in numbered:
        texts = _trimmed([restore(cell_text(cell)) for cell in cells])
        if not texts:
            continue
        if len(body) == MAX_ROWS:
            raise UnreadableFile(
                f"The file has more than {MAX_ROWS:,} responses. Split it into smaller files "
                "and import each."
            )
        body.append((number, tuple(texts)))
    if not body:
        raise UnreadableFile("The file has a header row but no responses.")
    return Table(tuple(header), tuple(body))


def _trimmed(cells: list[str]) -> list[str]:
    """The cells without the empty (or blank) ones at the end of the row."""
    end = len(cells)
    while end and not cells[end - 1].strip():
        end -= 1
    return cells[:end]
