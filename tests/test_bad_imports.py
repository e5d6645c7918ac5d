"""Every case of the bad-input corpus in every kind of import cell, encoding and file type.

Each ends either in the file refused whole, every problem named by row and column, or in
responses stored whose export imports again to exactly the same answers: never a crash,
never half an import, never a corrupted export.
"""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
import sqlalchemy as sa
from flask import Flask

from common.database import db
from common.spreadsheets import FileFormat, ImportRefused, UnreadableFile
from survey.data.models import Answer, Consultation, Response
from survey.data.transfers import export_responses, import_responses
from tests.bad_input import CASES, ENCODINGS, RAW_BYTES
from tests.support import make_consultation

HEADER = ["reference", "submitted_at", "channel", "agree", "area", "worries"]
GOOD = {"reference": "", "submitted_at": "", "channel": "paper", "agree": "Yes", "area": "North"}
COLUMNS = ["reference", "submitted_at", "channel", "agree", "area", "worries"]


def _csv(rows: list[dict[str, str]], encoding: str = "utf-8") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    for row in rows:
        writer.writerow([row.get(name, "") for name in HEADER])
    return out.getvalue().encode(encoding)


def _stored(consultation: Consultation) -> list[tuple[str | None, int | None, str | None]]:
    rows = db.session.execute(
        sa.select(Answer.row, Answer.option, Answer.text)
        .join(Response)
        .where(Response.consultation_id == consultation.id)
        .order_by(Answer.question_id, Answer.id)
    )
    return [tuple(row) for row in rows]  # type: ignore[misc]


def _counts() -> tuple[int, int]:
    responses = db.session.scalar(sa.select(sa.func.count(Response.id))) or 0
    answers = db.session.scalar(sa.select(sa.func.count(Answer.id))) or 0
    return responses, answers


def _import_or_refuse(consultation: Consultation, data: bytes, filename: str) -> bool:
    """True when imported; on refusal checks nothing was stored and each problem is placed."""
    before = _counts()
    try:
        import_responses(consultation, data, filename)
    except ImportRefused as refused:
        assert refused.problems, "refused without saying why"
        for problem in refused.problems:
            assert problem.message.strip(), "a problem without a message"
            assert problem.row >= 0
        assert _counts() == before, "a refused file left something behind"
        return False
    except UnreadableFile as unreadable:
        assert str(unreadable).strip()
        assert _counts() == before
        return False
    db.session.commit()
    return True


def _round_trip(consultation: Consultation, fmt: FileFormat) -> None:
    """Export, import into an identical consultation: the same answers, byte for byte."""
    exported = export_responses(consultation, fmt)
    before = _stored(consultation)
    twin = make_consultation(slug=f"twin-{fmt.value}")
    # References are unique across consultations: the twin takes them over.
    db.session.execute(sa.delete(Response).where(Response.consultation_id == consultation.id))
    assert _import_or_refuse(twin, exported, f"export.{fmt.value}"), "an export did not import"
    assert _stored(twin) == before
    db.session.execute(sa.delete(Response).where(Response.consultation_id == twin.id))
    import_responses(consultation, exported, f"export.{fmt.value}")  # back, for the next check
    db.session.delete(twin)
    db.session.commit()


@pytest.mark.parametrize("column", COLUMNS)
def test_every_case_in_every_column_of_a_csv(app: Flask, column: str) -> None:
    consultation = make_consultation()
    imported = 0
    for _case, value in CASES:
        row = GOOD | {column: value}
        if _import_or_refuse(consultation, _csv([row]), "responses.csv"):
            imported += 1
    assert imported > 0 or column in ("submitted_at", "channel", "agree", "area"), column
    _round_trip(consultation, FileFormat.CSV)
    _round_trip(consultation, FileFormat.XLSX)


def test_every_case_in_an_xlsx_cell(app: Flask) -> None:
    consultation = make_consultation()
    for _case, value in CASES:
        book = openpyxl.Workbook()
        sheet = book.active
        assert sheet is not None
        sheet.append(HEADER)
        try:
            sheet.append([GOOD.get(name, "") if name != "worries" else value for name in HEADER])
        except openpyxl.utils.exceptions.IllegalCharacterError:
            continue  # Excel itself cannot hold these characters in a cell
        out = io.BytesIO()
        book.save(out)
        _import_or_refuse(consultation, out.getvalue(), "responses.xlsx")
    _round_trip(consultation, FileFormat.XLSX)


@pytest.mark.parametrize(("case", "encoding"), ENCODINGS, ids=[e[0] for e in ENCODINGS])
def test_other_encodings_are_read_or_refused_by_name(app: Flask, case: str, encoding: str) -> None:
    consultation = make_consultation()
    data = _csv([GOOD | {"worries": "Café crime: £5 stolen"}], encoding)
    if _import_or_refuse(consultation, data, "responses.csv"):
        assert ("worries", "Café crime: £5 stolen") in [
            ("worries", text) for _, _, text in _stored(consultation) if text
        ], f"{case} read wrongly"


@pytest.mark.parametrize(("case", "raw"), RAW_BYTES, ids=[r[0] for r in RAW_BYTES])
def test_bytes_that_are_not_utf8_are_refused_whole(app: Flask, case: str, raw: bytes) -> None:
    consultation = make_consultation()
    data = _csv([GOOD | {"worries": "fine"}]) + b"," * 5 + raw + b"\n"
    assert not _import_or_refuse(consultation, data, "responses.csv"), case


def test_one_bad_row_among_good_ones_imports_nothing(app: Flask) -> None:
    consultation = make_consultation()
    rows = [GOOD | {"worries": f"fine {n}"} for n in range(50)]
    rows[37] = GOOD | {"area": "Atlantis"}
    assert not _import_or_refuse(consultation, _csv(rows), "responses.csv")
