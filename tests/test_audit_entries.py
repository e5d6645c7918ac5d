"""The audit log names every sign-in and sign-out, every theme coding save, every view of
residents' words and every download, never the words themselves (web, db)."""

from __future__ import annotations

import logging
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from common import action_log, jobs
from common.database import db
from common.models import AuditEvent
from survey.core.answers import Choice, Text
from survey.data import themes
from survey.data.models import Answer, Channel, Consultation, Question, Response, Status
from survey.data.recording import record_response
from tests.support import csrf_token, make_consultation, page, sign_in

pytestmark = pytest.mark.db

SLUG = "safer-streets"
OFFICERS = f"/officers/consultations/{SLUG}"
WORDS = "Burglary on Station Road by my neighbour"


def _entries(action: str) -> list[AuditEvent]:
    db.session.expire_all()
    rows = sa.select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
    return list(db.session.scalars(rows))


def _no_words_logged() -> None:
    """No entry carries a resident's words."""
    for event in db.session.scalars(sa.select(AuditEvent)):
        assert "Station Road" not in f"{event.subject} {event.detail}", event.action


def _responses(status: Status = Status.OPEN) -> tuple[Consultation, list[Response]]:
    consultation = make_consultation(status)
    made = [
        record_response(
            consultation,
            {"agree": Choice(n % 3), "worries": Text(WORDS if n == 0 else f"worry {n}")},
            Channel.PAPER,
        )
        for n in range(6)
    ]
    db.session.commit()
    return consultation, made


def test_signing_in_and_out_are_both_logged(client: FlaskClient) -> None:
    email = sign_in(client, "officer")
    home = client.get("/officers/")
    client.post("/sign-out", data={"csrf_token": csrf_token(home)})
    assert [(e.action, e.actor) for e in _entries("signed in")] == [("signed in", email)]
    assert [(e.action, e.actor) for e in _entries("signed out")] == [("signed out", email)]


def test_each_coding_save_names_the_answer_and_themes_not_the_words(client: FlaskClient) -> None:
    consultation, made = _responses()
    sign_in(client, "officer")
    review = f"{OFFICERS}/themes/worries/review"
    queue = client.get(review)
    answer = db.session.scalar(
        sa.select(Answer).where(Answer.response_id == made[0].id, Answer.text == WORDS)
    )
    form = page(queue).find("form", id=f"answer-{answer.id}")
    data: dict[str, Any] = {f["name"]: f["value"] for f in form.select("input[type=hidden]")}
    theme = themes.question_themes(db.session.get(Question, answer.question_id))[0]
    data["theme"] = [str(theme.id)]
    assert client.post(form["action"], data=data).status_code == 302
    (coded,) = _entries("answer coded")
    assert coded.subject == f"answer {answer.id}"
    assert coded.detail == f"response {made[0].reference}; theme ids: {theme.id}"
    assert coded.consultation_id == consultation.id
    viewed = _entries("residents' words viewed")
    assert viewed and viewed[0].subject == "coding review: worries"
    assert str(answer.id) in viewed[0].detail.removeprefix("answers ").split(", ")
    _no_words_logged()


def test_a_response_page_view_names_the_response(client: FlaskClient) -> None:
    _, made = _responses()
    sign_in(client, "officer")
    shown = client.get(f"{OFFICERS}/responses/{made[0].reference}")
    assert WORDS in shown.get_data(as_text=True)
    (viewed,) = _entries("residents' words viewed")
    assert viewed.subject == f"response {made[0].reference}"
    assert viewed.actor == "officer@example.org"
    _no_words_logged()


def test_the_response_list_is_logged_only_when_words_are_searched(client: FlaskClient) -> None:
    _, made = _responses()
    sign_in(client, "officer")
    assert client.get(f"{OFFICERS}/responses").status_code == 200
    assert _entries("residents' words viewed") == []
    assert client.get(f"{OFFICERS}/responses?search=Station+Road").status_code == 200
    (searched,) = _entries("residents' words viewed")
    assert (searched.subject, searched.detail) == (
        "responses searched",
        f"responses {made[0].reference}",
    )
    _no_words_logged()


def test_the_flagged_list_names_the_responses_shown(client: FlaskClient) -> None:
    _, made = _responses()
    made[0].review_reason = "Sent twice from one browser"
    db.session.commit()
    sign_in(client, "officer")
    assert client.get(f"{OFFICERS}/flagged").status_code == 200
    (viewed,) = _entries("residents' words viewed")
    assert viewed.detail == f"responses {made[0].reference}"


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_responses_exports_are_logged(client: FlaskClient, fmt: str) -> None:
    _responses()
    sign_in(client, "officer")
    download = client.get(f"{OFFICERS}/export.{fmt}")
    assert download.status_code == 200
    assert download.headers["Cache-Control"] == "no-store"
    (exported,) = _entries("responses exported (personal data)")
    assert exported.subject == fmt.upper()


def test_a_subject_access_export_is_logged(client: FlaskClient) -> None:
    _, made = _responses()
    sign_in(client, "officer")
    shown = client.get(f"{OFFICERS}/responses/{made[0].reference}")
    download = client.post(
        f"{OFFICERS}/responses/{made[0].reference}/export",
        data={"csrf_token": csrf_token(shown)},
    )
    assert download.status_code == 200
    (exported,) = _entries("respondent's answers exported")
    assert exported.subject == made[0].reference


@pytest.mark.parametrize("address", ["agree.csv", "charts/agree.csv"])
def test_results_downloads_are_logged(client: FlaskClient, address: str) -> None:
    _responses(Status.CLOSED)
    email = sign_in(client, "councillor")
    download = client.get(f"/results/{SLUG}/{address}")
    assert download.status_code == 200, download.status_code
    assert download.headers["Cache-Control"] == "no-store"
    (downloaded,) = _entries("results downloaded")
    assert downloaded.actor == email
    assert downloaded.subject == download.headers["Content-Disposition"].split('"')[1]


def test_the_chart_images_are_not_downloads_to_log(client: FlaskClient) -> None:
    _responses(Status.CLOSED)
    sign_in(client, "councillor")
    assert client.get(f"/results/{SLUG}/charts/agree.svg").status_code == 200
    assert _entries("results downloaded") == []


def test_a_jobs_file_download_is_logged(client: FlaskClient) -> None:
    job = jobs.new_job("retention", "A job that made a file", {"text_retention_days": 1})
    job.state, job.output, job.output_name = "done", b"%PDF-1.7", "made.pdf"
    db.session.commit()
    sign_in(client, "officer")
    download = client.get(f"/officers/jobs/{job.id}/output")
    assert download.status_code == 200
    assert download.headers["Cache-Control"] == "no-store"
    (downloaded,) = _entries("file downloaded")
    assert (downloaded.subject, downloaded.detail) == ("made.pdf", f"made by job {job.id}")


def test_the_admins_audit_page_lists_views_and_downloads(client: FlaskClient, app: Flask) -> None:
    _, made = _responses()
    sign_in(client, "officer")
    client.get(f"{OFFICERS}/responses/{made[0].reference}")
    admin = app.test_client()
    sign_in(admin, "admin")
    shown = page(admin.get("/admin/audit?action=residents' words viewed")).get_text(" ")
    assert f"response {made[0].reference}" in shown


def test_a_read_on_a_database_that_refuses_writes_logs_the_entry_instead(
    app: Flask, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise sa.exc.InternalError("INSERT", {}, Exception("read-only transaction"))

    monkeypatch.setattr(db.engine, "begin", refuse)
    with caplog.at_level(logging.WARNING, logger="csp.audit"):
        stored = action_log.record_read("results downloaded", subject="x.csv", by=None)
    assert stored is False
    assert "results downloaded" in caplog.text and "x.csv" in caplog.text
