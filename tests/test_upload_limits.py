"""Files too big to read in reasonable time are refused before they are read or queued."""

from __future__ import annotations

import io
import zipfile

import openpyxl
import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient

from common import spreadsheets
from common.database import db
from common.jobs import Job
from common.spreadsheets import (
    MAX_DECLARED_CELLS,
    FileFormat,
    UnreadableFile,
    check_upload,
    read_file,
)
from tests.support import error_summary, make_consultation, post_form, sign_in


def workbook_spanning(last_cell: str) -> bytes:
    """A workbook of two cells, A1 and `last_cell`: its sheet declares everything between."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet["A1"], sheet[last_cell] = "agree", "Yes"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def never_read(*args: object, **kwargs: object) -> None:
    raise AssertionError("the workbook was read")


def test_a_workbook_declaring_too_many_cells_is_refused_unread(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    data = workbook_spanning("Z200000")  # 26 columns by 200,000 rows
    assert len(data) < 10_000
    monkeypatch.setattr(spreadsheets, "load_workbook", never_read)
    with pytest.raises(UnreadableFile) as refused:
        read_file(data, FileFormat.XLSX)
    assert str(refused.value) == (
        "The workbook's first sheet declares 5,200,000 cells; at most 3,000,000 can be "
        "imported. Split it into smaller files, or save it as CSV UTF-8."
    )
    with pytest.raises(UnreadableFile):
        check_upload(data, FileFormat.XLSX)


def test_a_workbook_within_the_limit_is_read() -> None:
    rows = MAX_DECLARED_CELLS // 26
    table = read_file(workbook_spanning(f"Z{rows}"), FileFormat.XLSX)
    assert table.header[0] == "agree"


def test_a_zip_bomb_is_refused_by_its_directory_before_unpacking(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive,
        archive.open("xl/worksheets/sheet1.xml", "w") as part,
    ):
        zeros = bytes(1024 * 1024)
        for _ in range(201):
            part.write(zeros)
    assert len(buffer.getvalue()) < 1024 * 1024
    monkeypatch.setattr(spreadsheets, "load_workbook", never_read)
    with pytest.raises(UnreadableFile) as refused:
        check_upload(buffer.getvalue(), FileFormat.XLSX)
    assert str(refused.value).startswith("The workbook is too large once unpacked (201 MB")


def test_an_officer_uploading_an_oversized_workbook_is_told_at_once_and_nothing_queued(
    client: FlaskClient,
) -> None:
    make_consultation()
    sign_in(client, "officer")
    response = post_form(
        client,
        "/officers/consultations/safer-streets/import",
        {"file": (io.BytesIO(workbook_spanning("Z200000")), "huge.xlsx"), "channel": "paper"},
        content_type="multipart/form-data",
    )
    assert response.status_code == 200
    assert error_summary(response)[0].startswith(
        "The workbook's first sheet declares 5,200,000 cells; at most 3,000,000"
    )
    assert db.session.scalar(sa.select(sa.func.count(Job.id))) == 0
