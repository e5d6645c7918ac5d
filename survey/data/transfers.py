"""Data access for importing and exporting a consultation's responses as CSV or XLSX.

The web page and the command line both call `import_responses` and `export_responses`, so an
import behaves identically from either. Reading and checking a file (the service's own format
or a survey tool's export) is `survey.data.checked_imports`, over the pure core; recording is
`record_response`, the one write path for responses.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from common import action_log
from common.database import db, on_postgresql
from common.models import User
from common.spreadsheets import FileFormat, ImportRefused, file_format, read_file, write_file
from survey.core.answers import StoredRow
from survey.core.column_mapping import ColumnChoice
from survey.core.question_types import from_rows
from survey.core.questions import QuestionSpec
from survey.core.responses_io import ExportResponse, export_rows
from survey.core.tool_layouts import Layout
from survey.data.checked_imports import CheckedFile, check_table, rows_in
from survey.data.models import Answer, Channel, Consultation, Response
from survey.data.recording import record_response
from survey.data.references import fresh_references
from survey.data.remembered_mappings import remember
from survey.data.themes import (
    NAME_SEPARATOR,
    coded_questions,
    ensure_themes,
    question_themes,
    record_imported_themes,
    theme_order,
    themes_of_answer,
)

CHUNK = 500  # responses per flush while importing
_ResponseFields = tuple[int, str, dt.datetime, str]  # id, reference, submitted_at, channel


@dataclass(frozen=True)
class Imported:
    """What an import did: responses recorded, whose file it was, and the columns left out."""

    count: int
    layout: Layout = Layout.OWN
    left_out: tuple[ColumnChoice, ...] = ()
    remembered_at: dt.datetime | None = None  # the mapping confirmed then was used


def import_responses(
    consultation: Consultation,
    data: bytes,
    filename: str,
    default_channel: Channel = Channel.PAPER,
    *,
    mapping: object | None = None,
    entered_by_id: int | None = None,
    progress: Callable[[str, int | None], None] | None = None,
    recorded: Callable[[int], None] | None = None,
) -> Imported:
    """Record every response in the file, or none; says how many. The caller commits.

    The file is in the service's own format or a survey tool's export (recognised by its
    headings); `mapping` overrides where a tool's columns go. Raises UnreadableFile when the
    file cannot be read at all, and ImportRefused listing every problem (by row and column)
    when any row or column cannot be recorded. `progress` is told each step (with its number
    of rows) and `recorded` how many rows are recorded so far.
    """
    step = progress or (lambda text, total: None)
    step("Reading the file", None)
    table = read_file(data, file_format(filename))
    step("Checking every row", rows_in(table))
    ensure_themes(consultation)
    names = {q.key: [t.name for t in question_themes(q)] for q in coded_questions(consultation)}

    def check() -> CheckedFile:
        return check_table(consultation, table, mapping, default_channel, names)

    checked = check()
    parsed = checked.parsed
    if parsed.problems:
        raise ImportRefused(list(parsed.problems))
    given = {row.reference for row in parsed.rows if row.reference}
    fresh = iter(fresh_references(sum(1 for r in parsed.rows if not r.reference), given))
    step("Recording responses", len(parsed.rows))
    coded: list[tuple[int, dict[str, tuple[str, ...]]]] = []
    try:
        for count, row in enumerate(parsed.rows, start=1):
            response = record_response(
                consultation,
                row.values,
                Channel(row.channel),
                reference=row.reference or next(fresh),
                submitted_at=row.submitted_at,
                entered_by_id=entered_by_id,
            )
            if row.themes:
                coded.append((response.id, dict(row.themes)))
            if count % CHUNK == 0:
                db.session.flush()
                _refresh_statistics(count)
                if recorded is not None:
                    recorded(count)
        record_imported_themes(consultation, coded, entered_by_id)
        if mapping is not None and isinstance(mapping, dict) and checked.shape:
            remember(consultation, checked.shape, mapping, entered_by_id)  # for the next file
        officer = db.session.get(User, entered_by_id) if entered_by_id else None
        detail = f"{len(parsed.rows)} responses"
        if checked.layout is not Layout.OWN:  # say whose export, and what was not kept
            left_out = ", ".join(choice.column.heading for choice in checked.left_out)
            detail += f" from a {checked.layout.tool} export; left out: {left_out or 'nothing'}"
        action_log.record("responses imported", consultation, filename, detail, by=officer)
        db.session.flush()  # a reference stored meanwhile by someone else clashes here
    except IntegrityError:
        db.session.rollback()
        # Someone else stored one of the file's references after it was checked: say which.
        clashes = check().parsed.problems
        if clashes:
            raise ImportRefused(list(clashes)) from None
        raise
    except BaseException:
        db.session.rollback()
        raise
    return Imported(len(parsed.rows), checked.layout, checked.left_out, checked.remembered_at)


def _refresh_statistics(count: int) -> None:
    """PostgreSQL: after 500, 1,000, 2,000 ... rows, let the planner see the rows this import
    added so far (ANALYZE reads its own transaction's view). Into a near-empty table it would
    otherwise keep checking each answer's response (the foreign key) by reading every row,
    slower with every response added: an import into a fresh database slowed to a crawl."""
    if on_postgresql() and count // CHUNK & (count // CHUNK - 1) == 0:
        db.session.execute(sa.text("ANALYZE response, answer"))


def export_responses(consultation: Consultation, fmt: FileFormat) -> bytes:
    """Every response to the consultation as a file in the format `import_responses` reads."""
    specs = [question.spec() for question in consultation.questions]
    return write_file(export_rows(specs, stored_responses(consultation)), fmt)


def stored_responses(consultation: Consultation) -> Iterator[ExportResponse]:
    """The consultation's responses with their answers, oldest first, from one query."""
    specs: dict[int, QuestionSpec] = {q.id: q.spec() for q in consultation.questions}
    query = (
        sa.select(
            Response.id,
            Response.reference,
            Response.submitted_at,
            Response.channel,
            Answer.question_id,
            Answer.row,
            Answer.option,
            Answer.text,
            themes_of_answer(),
        )
        .outerjoin(Answer, Answer.response_id == Response.id)
        .where(Response.consultation_id == consultation.id)
        .order_by(Response.submitted_at, Response.id, Answer.id)
        .execution_options(yield_per=1000)
    )
    order = theme_order(consultation)
    current: _ResponseFields | None = None
    stored: dict[int, list[StoredRow]] = {}
    coded: dict[str, list[str]] = {}
    for (
        response_id,
        reference,
        submitted_at,
        channel,
        question_id,
        row,
        option,
        text,
        theme_names,
    ) in db.session.execute(query):
        if current is None or current[0] != response_id:
            if current is not None:
                yield _export_response(current, stored, specs, coded)
            current, stored, coded = (response_id, reference, submitted_at, channel), {}, {}
        if question_id is not None:
            stored.setdefault(question_id, []).append(StoredRow(row, option, text))
        if theme_names:
            names = theme_names.split(NAME_SEPARATOR)
            coded[specs[question_id].key] = sorted(names, key=lambda n: order.get(n, len(order)))
    if current is not None:
        yield _export_response(current, stored, specs, coded)


def _export_response(
    response: _ResponseFields,
    stored: dict[int, list[StoredRow]],
    specs: dict[int, QuestionSpec],
    coded: dict[str, list[str]],
) -> ExportResponse:
    _, reference, submitted_at, channel = response
    answers = {}
    for question_id, rows in stored.items():
        value = from_rows(specs[question_id], rows)
        if value is not None:
            answers[specs[question_id].key] = value
    return ExportResponse(reference, submitted_at, channel, answers, coded)
