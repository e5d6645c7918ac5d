"""The retention run: unfinished answers of closed consultations and old free text go, by the
command (with a dry run that changes nothing) and by the daily scheduled job."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskCliRunner

from app import create_app
from common.database import db, utcnow
from common.job_queue import queue_of
from common.jobs import Job, JobState
from common.models import AuditEvent
from survey.core.answers import Choice, Multi, Text
from survey.core.questions import OTHER_OPTION
from survey.data import retention
from survey.data.models import Answer, Channel, Consultation, Draft, Status
from survey.data.recording import record_response
from tests.conftest import _config
from tests.support import make_consultation

LONG_AGO = utcnow() - dt.timedelta(days=800)


def _respond(consultation: Consultation, at: dt.datetime, words: str, reference: str) -> None:
    record_response(
        consultation,
        {
            "agree": Choice(0),
            "hear": Multi((0, OTHER_OPTION), f"Other {words}"),
            "worries": Text(words),
        },
        Channel.ONLINE,
        reference=reference,
        submitted_at=at,
    )


def _draft(consultation: Consultation, token: str, updated: dt.datetime | None = None) -> None:
    when = updated or utcnow()
    db.session.add(
        Draft(
            token=token,
            consultation_id=consultation.id,
            answers={"worries": "my half-written words"},
            created_at=when,
            updated_at=when,
        )
    )


def _stored() -> None:
    """A closed consultation with two unfinished answers and three old responses; an open one
    with one fresh unfinished answer, one abandoned a fortnight ago, and one recent response."""
    closed = make_consultation(Status.CLOSED, slug="old-survey", title="Old survey")
    current = make_consultation(slug="safer-streets")
    _draft(closed, "closed-1")
    _draft(closed, "closed-2")
    _draft(current, "fresh")
    _draft(current, "abandoned", utcnow() - dt.timedelta(days=14))
    for n, letter in enumerate("CDF"):
        _respond(closed, LONG_AGO, f"old worry {n}", f"CDFGHJK{letter}")
    _respond(current, utcnow(), "recent worry", "TWXYZ234")
    db.session.commit()


def _what_is_kept() -> tuple[list[str], list[str], int]:
    db.session.expire_all()
    drafts = sorted(db.session.scalars(sa.select(Draft.token)))
    texts = sorted(db.session.scalars(sa.select(Answer.text).where(Answer.text.is_not(None))))
    events = db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent)) or 0
    return drafts, texts, events


def test_due_counts_each_kind_per_consultation(app: Flask) -> None:
    _stored()
    found = retention.due(retention.Rules(utcnow(), 730))
    assert [(d.consultation, d.kind, d.count) for d in found] == [
        ("old-survey", "unfinished answers", 2),
        ("safer-streets", "unfinished answers", 1),
        ("old-survey", "free text", 6),  # three free-text answers and three "Other" words
    ]


def test_a_dry_run_lists_what_would_go_and_changes_nothing(runner: FlaskCliRunner) -> None:
    _stored()
    before = _what_is_kept()
    result = runner.invoke(args=["personal-data", "retention", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "Would remove:",
        "  old-survey\tunfinished answers\t2",
        "  safer-streets\tunfinished answers\t1",
        "  old-survey\tfree text\t6",
    ]
    assert _what_is_kept() == before


def test_the_run_removes_what_is_due_and_logs_it_once(runner: FlaskCliRunner) -> None:
    _stored()
    result = runner.invoke(args=["personal-data", "retention"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == "Removed:"
    assert "  old-survey\tfree text\t6" in result.output.splitlines()
    drafts, texts, _ = _what_is_kept()
    assert drafts == ["fresh"]
    assert texts == ["Other recent worry", "recent worry"]
    events = db.session.scalars(sa.select(AuditEvent)).all()
    assert [(e.action, e.actor) for e in events] == [("retention run", "retention")]
    assert "old-survey: 2 unfinished answers" in events[0].detail
    assert "old-survey: 6 free text" in events[0].detail
    again = runner.invoke(args=["personal-data", "retention", "--dry-run"])
    assert again.output.strip() == "Nothing is due to be removed"


def test_free_text_keeps_its_retention_period(app: Flask) -> None:
    _stored()
    app.config["TEXT_RETENTION_DAYS"] = 900
    result = app.test_cli_runner().invoke(args=["personal-data", "retention", "--dry-run"])
    assert "free text" not in result.output
    assert "old-survey\tunfinished answers\t2" in result.output


def test_the_daily_retention_task_is_registered_for_half_past_two(app: Flask) -> None:
    huey = queue_of(app).huey
    names = [task.name for task in huey.read_periodic(dt.datetime(2027, 3, 1, 2, 30))]
    assert "scheduled_retention" in names
    later = [task.name for task in huey.read_periodic(dt.datetime(2027, 3, 1, 2, 31))]
    assert "scheduled_retention" not in later


def test_the_retention_schedule_can_be_changed(app: Flask) -> None:
    other = create_app(
        _config(app.config["SQLALCHEMY_DATABASE_URI"]) | {"RETENTION_SCHEDULE": "0 4 * * 1"}
    )
    huey = queue_of(other).huey
    monday, tuesday = dt.datetime(2027, 3, 1, 4, 0), dt.datetime(2027, 3, 2, 4, 0)
    assert "scheduled_retention" in [t.name for t in huey.read_periodic(monday)]
    assert "scheduled_retention" not in [t.name for t in huey.read_periodic(tuesday)]


def test_a_schedule_that_is_not_a_crontab_line_is_refused_naming_the_setting(app: Flask) -> None:
    with pytest.raises(SystemExit, match="RETENTION_SCHEDULE must be a crontab line"):
        create_app(_config(app.config["SQLALCHEMY_DATABASE_URI"]) | {"RETENTION_SCHEDULE": "daily"})


def test_the_scheduled_task_runs_retention_as_a_job_once_a_minute(app: Flask) -> None:
    _stored()
    task = queue_of(app).scheduled["retention"]
    job_id = task.call_local()
    job = db.session.get(Job, job_id, populate_existing=True)
    assert job is not None and job.state == JobState.DONE
    assert job.kind == "retention"
    assert job.summary.startswith("Retention run: old-survey: 2 unfinished answers")
    drafts, texts, _ = _what_is_kept()
    assert drafts == ["fresh"]
    assert texts == ["Other recent worry", "recent worry"]
    # Another worker's scheduler queued the same minute's task: it does nothing.
    assert task.call_local() is None
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Job)) == 1


def test_the_retention_job_shows_on_the_jobs_page(app: Flask) -> None:
    from tests.support import sign_in

    _stored()
    job_id = queue_of(app).scheduled["retention"].call_local()
    client = app.test_client()
    sign_in(client, "officer")
    page = client.get(f"/officers/jobs/{job_id}")
    assert page.status_code == 200
    assert "Retention run: old-survey: 2 unfinished answers" in page.get_data(as_text=True)


def test_admins_see_the_schedule_what_is_due_and_the_last_runs(app: Flask) -> None:
    from tests.support import page, sign_in

    _stored()
    client = app.test_client()
    sign_in(client, "admin")
    before = page(client.get("/admin/retention"))
    assert "30 2 * * *" in before.get_text()
    due = [[td.get_text(strip=True) for td in tr.select("td")] for tr in before.select("#due tr")]
    assert ["Old survey", "Free text", "6"] in due
    assert before.select_one("p#runs").get_text(strip=True) == "The scheduled run has not run yet."
    job_id = queue_of(app).scheduled["retention"].call_local()
    after = page(client.get("/admin/retention"))
    assert after.select_one("p#due").get_text(strip=True) == "Nothing is due to be removed."
    (run,) = after.select("#runs tbody tr")
    assert run.select_one("a")["href"] == f"/officers/jobs/{job_id}"
    assert "Retention run: old-survey: 2 unfinished answers" in run.get_text()
