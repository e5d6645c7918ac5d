"""The audit log: officers' and admins' actions are recorded with who and when; admins read it."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from flask.testing import FlaskClient, FlaskCliRunner

from common.database import db
from common.models import AuditEvent
from survey.data.models import Question, Status
from tests.support import csrf_token, make_consultation, open_definition, page, sign_in

PAGE = "/officers/consultations/safer-streets"


def logged() -> list[tuple[str, str, str]]:
    rows = db.session.execute(
        sa.select(AuditEvent.actor, AuditEvent.action, AuditEvent.subject).order_by(AuditEvent.id)
    )
    return [tuple(row) for row in rows]  # type: ignore[misc]


def change_status(client: FlaskClient, status: str) -> None:
    token = csrf_token(client.get(PAGE))
    client.post(f"{PAGE}/status", data={"status": status, "csrf_token": token, "confirmed": "yes"})


def test_opening_closing_and_exporting_are_logged_with_the_officer(client: FlaskClient) -> None:
    make_consultation(status=Status.DRAFT)
    sign_in(client, "officer")
    change_status(client, "open")
    change_status(client, "closed")
    assert client.get(f"{PAGE}/export.csv").status_code == 200
    assert logged() == [
        ("officer@example.org", "signed in", "officer@example.org"),
        ("officer@example.org", "consultation open", ""),
        ("officer@example.org", "consultation closed", ""),
        ("officer@example.org", "responses exported (personal data)", "CSV"),
    ]


def test_a_refused_change_is_not_logged(client: FlaskClient) -> None:
    make_consultation(status=Status.DRAFT, questions=[open_definition()["questions"][0]])
    db.session.execute(sa.delete(Question))
    db.session.commit()
    sign_in(client, "officer")
    change_status(client, "open")  # refused: no questions
    assert logged() == [("officer@example.org", "signed in", "officer@example.org")]


def test_command_line_exports_are_logged_as_the_command_line(
    runner: FlaskCliRunner, tmp_path: Path
) -> None:
    make_consultation()
    out = tmp_path / "responses.csv"
    result = runner.invoke(args=["responses", "export", "safer-streets", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert logged() == [("command line", "responses exported (personal data)", str(out))]


def test_admins_read_the_log_newest_first_and_filter_it(client: FlaskClient) -> None:
    make_consultation(status=Status.DRAFT)
    sign_in(client, "officer")
    change_status(client, "open")
    change_status(client, "closed")
    client.post("/sign-out", data={"csrf_token": csrf_token(client.get("/officers/"))})
    sign_in(client, "admin")
    shown = page(client.get("/admin/audit"))
    rows = [
        [cell.get_text(" ", strip=True) for cell in row.select("td")]
        for row in shown.select("tbody tr")
    ]
    assert [row[1:4] for row in rows] == [
        ["admin@example.org", "Signed in", ""],
        ["officer@example.org", "Signed out", ""],
        ["officer@example.org", "Consultation closed", "Safer streets"],
        ["officer@example.org", "Consultation open", "Safer streets"],
        ["officer@example.org", "Signed in", ""],
    ]
    filtered = page(client.get("/admin/audit?action=consultation+open"))
    assert len(filtered.select("tbody tr")) == 1
    assert client.get("/admin/audit?page=9").status_code == 404


def test_officers_cannot_read_the_log(client: FlaskClient) -> None:
    sign_in(client, "officer")
    assert client.get("/admin/audit").status_code == 403
