"""Residents never meet a bare dead end: results not out yet, a closed consultation, a hint
that lists things."""

from __future__ import annotations

import datetime as dt

from flask.testing import FlaskClient

from common.database import db
from common.display import long_date
from survey.core.question_types.kind import hint_param, list_in_hint
from survey.data.models import Status
from tests.support import heading, make_consultation, open_definition, page

BASE = "/consultations/safer-streets"


def test_results_not_published_while_open_say_when_it_closes(client: FlaskClient) -> None:
    consultation = make_consultation()
    shown = client.get(f"{BASE}/results")
    assert shown.status_code == 404  # there are no results yet, but the page says why
    assert heading(shown) == "The results are not published yet"
    text = page(shown).get_text(" ", strip=True)
    assert f"This consultation closes on {long_date(consultation.closes)}." in text
    assert "publish a summary of what people said on this page" in text


def test_results_not_published_after_closing_say_they_will_follow(client: FlaskClient) -> None:
    consultation = make_consultation(status=Status.CLOSED)
    text = page(client.get(f"{BASE}/results")).get_text(" ", strip=True)
    opened, closed = long_date(consultation.opens), long_date(consultation.closes)
    assert f"This consultation was open from {opened} to {closed}. It is now closed." in text
    assert "A summary of what people said will be published on this page." in text


def test_draft_consultation_results_stay_a_plain_not_found(client: FlaskClient) -> None:
    make_consultation(status=Status.DRAFT)
    shown = client.get(f"{BASE}/results")
    assert shown.status_code == 404
    assert heading(shown) == "Page not found"


def test_closed_consultation_says_so_with_its_dates(client: FlaskClient) -> None:
    today = dt.date.today()
    opens, closes = today - dt.timedelta(days=40), today - dt.timedelta(days=3)
    make_consultation(status=Status.CLOSED, opens=opens.isoformat(), closes=closes.isoformat())
    text = page(client.get(BASE)).get_text(" ", strip=True)
    assert f"This consultation closed on {long_date(closes)}." in text
    assert f"It was open from {long_date(opens)} to {long_date(closes)}." in text
    assert "A summary of what people said will be published on the results page" in text


def test_consultation_closed_early_does_not_claim_its_planned_closing_date(
    client: FlaskClient,
) -> None:
    consultation = make_consultation(status=Status.CLOSED)
    text = page(client.get(BASE)).get_text(" ", strip=True)
    assert "This consultation has closed early." in text
    assert f"was due to close on {long_date(consultation.closes)}" in text
    assert "closed on" not in text


def test_priorities_listed_in_a_hint_appear_as_a_list(client: FlaskClient) -> None:
    definition = open_definition()
    definition["questions"][0]["hint"] = "The priorities are: Burglary; Drug dealing; Speeding."
    make_consultation(questions=definition["questions"])
    hint = page(client.get(f"{BASE}/questions/agree")).select_one(".govuk-hint")
    assert hint.get_text(" ", strip=True).startswith("The priorities are:")
    items = [li.get_text(strip=True) for li in hint.select("ul li")]
    assert items == ["Burglary", "Drug dealing", "Speeding"]
    db.session.rollback()


def test_a_hint_that_lists_nothing_is_shown_as_written() -> None:
    assert list_in_hint("For example: a street or an estate.") == (
        "For example: a street or an estate.",
        (),
    )
    assert hint_param("Tick all that apply") == {"text": "Tick all that apply"}
    assert hint_param("") is None


def test_listed_items_are_escaped() -> None:
    shown = hint_param("Areas are: <b>North</b>; South")
    assert shown is not None
    assert "&lt;b&gt;North&lt;/b&gt;" in str(shown["html"])
