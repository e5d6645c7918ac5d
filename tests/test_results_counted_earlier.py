"""A large consultation's changed results are counted in the background, not while a reader
waits: pages read the last count, say when it was made, and move to the new one once the job
has counted it (db: SQLite and PostgreSQL).

"Large" is a count that took at least `result_cache.SLOW_SECONDS`: the `large` fixture sets it
to 0, so every consultation counts as large; without it (tests/conftest.py) none does, as the
time a small count takes depends on how busy the machine is. Each step below that stands for a
new request starts a new database session, as a request does."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from common.database import db
from survey.data import result_cache, tallies
from survey.data.models import Consultation
from survey.jobs.recount import recount_changed
from tests.support import make_consultation, sign_in
from tests.test_result_cache import _respond

pytestmark = pytest.mark.db


def _fresh(consultation_id: int) -> Consultation:
    """The consultation as a new request would read it: a new session, the cache as it is."""
    db.session.remove()
    found = db.session.get(Consultation, consultation_id)
    assert found is not None
    return found


def _responses(consultation: Consultation, group: tuple[str, str] | None = None) -> int | None:
    return tallies.consultation_results(consultation, group, minimum=1).responses


@pytest.fixture
def large(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(result_cache, "SLOW_SECONDS", 0.0)


def test_a_large_consultation_reads_its_last_count_until_the_job_counts_the_change(
    app: Flask, large: None
) -> None:
    consultation = make_consultation()
    _respond(consultation, 10)
    cid = consultation.id
    assert _responses(_fresh(cid)) == 10
    assert tallies.counted_earlier(_fresh(cid)) is None  # counted at its latest version

    _respond(_fresh(cid), 3, seed=4)
    later = _fresh(cid)
    assert _responses(later) == 10  # the last count, not a count while the reader waits
    assert tallies.counted_earlier(later) is not None
    # Every view of the read comes from the same count: the groups add up to everyone.
    north, south = _responses(later, ("area", "North")), _responses(later, ("area", "South"))
    assert (north or 0) + (south or 0) == 10

    assert recount_changed(minimum=1) == 1
    after = _fresh(cid)
    assert _responses(after) == 13
    assert tallies.counted_earlier(after) is None
    assert recount_changed(minimum=1) == 0  # nothing changed since


def test_a_last_count_older_than_the_limit_is_not_read(
    app: Flask, large: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    consultation = make_consultation()
    _respond(consultation, 6)
    cid = consultation.id
    assert _responses(_fresh(cid)) == 6
    _respond(_fresh(cid), 2, seed=5)
    monkeypatch.setattr(result_cache, "STALE_SECONDS", -1)  # every last count is too old
    assert _responses(_fresh(cid)) == 8


def test_a_quick_count_is_always_of_the_latest_answers(app: Flask) -> None:
    consultation = make_consultation()
    _respond(consultation, 6)
    cid = consultation.id
    assert _responses(_fresh(cid)) == 6
    _respond(_fresh(cid), 2, seed=5)
    assert _responses(_fresh(cid)) == 8  # counted afresh while the reader waits
    assert tallies.counted_earlier(_fresh(cid)) is None
    assert recount_changed(minimum=1) == 0  # the job leaves quick consultations alone


def test_changed_questions_are_never_read_from_an_earlier_count(app: Flask, large: None) -> None:
    consultation = make_consultation()
    _respond(consultation, 6)
    cid = consultation.id
    assert _responses(_fresh(cid)) == 6
    _respond(_fresh(cid), 2, seed=5)
    edited = _fresh(cid)
    edited.title = "A new title"
    edited.updated_at = edited.updated_at.replace(year=edited.updated_at.year + 1)
    db.session.commit()
    assert _responses(_fresh(cid)) == 8


def test_the_councillors_page_and_report_say_when_their_count_was_made(
    app: Flask, client: FlaskClient, large: None
) -> None:
    consultation = make_consultation()
    _respond(consultation, 10)
    cid, slug = consultation.id, consultation.slug
    sign_in(client, "councillor")
    page = client.get(f"/results/{slug}").get_data(as_text=True)
    assert "These results count the responses received by" not in page
    _respond(_fresh(cid), 3, seed=4)
    db.session.remove()
    page = client.get(f"/results/{slug}").get_data(as_text=True)
    assert "These results count the responses received by" in page
    assert "Newer responses are being counted" in page
    db.session.remove()
    workbook = client.get(f"/results/{slug}/report.xlsx")
    assert workbook.status_code == 200
    from io import BytesIO

    from openpyxl import load_workbook

    contents = load_workbook(BytesIO(workbook.data))["Contents"]
    words = " ".join(str(c.value) for row in contents.iter_rows() for c in row if c.value)
    assert "from the responses received by" in words
