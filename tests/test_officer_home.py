"""The officers' home: what needs doing, from each package, each with a link that works."""

from __future__ import annotations

import datetime as dt

from flask.testing import FlaskClient, FlaskCliRunner

from common.clock import today
from common.database import db
from survey.data.models import Channel, Status
from survey.data.screening import flag
from tests.support import make_consultation, page, sign_in
from tests.test_response_list import record


def _to_do(client: FlaskClient) -> list[tuple[str, str]]:
    """(sentence, link) of each thing listed under "What needs doing"."""
    home = page(client.get("/officers/"))
    heading = home.find(id="to-do")
    assert heading is not None
    listed = heading.parent.find("ul")
    return [
        (" ".join(item.get_text(" ", strip=True).split()), item.find("a")["href"])
        for item in (listed.find_all("li") if listed else [])
    ]


def test_the_home_lists_consultations_closing_responses_flagged_and_answers_uncoded(
    client: FlaskClient,
) -> None:
    closing = make_consultation(closes=(today() + dt.timedelta(days=2)).isoformat())
    response = record(closing, Channel.ONLINE, worries="Speeding on the high street")
    flag(response, "The same answers as another response a minute earlier")
    db.session.commit()
    make_consultation(
        Status.DRAFT,
        slug="late-draft",
        title="Late draft",
        opens=(today() - dt.timedelta(days=3)).isoformat(),
    )
    sign_in(client, "officer")
    items = _to_do(client)
    sentences = [text for text, _ in items]
    assert sentences[0].startswith("Urgent Closing soon: Safer streets closes in 2 days")
    assert any(s.startswith("Urgent Due to open: Late draft was due to open") for s in sentences)
    assert any("1 response to Safer streets looks like a duplicate" in s for s in sentences)
    assert any(
        "1 answer to 'What are you most worried about?' (Safer streets) is not yet coded" in s
        for s in sentences
    )
    for _, link in items:
        assert client.get(link).status_code == 200, link


def test_the_home_lists_delivery_overdue_and_at_risk(
    client: FlaskClient, runner: FlaskCliRunner
) -> None:
    assert runner.invoke(args=["demo"]).exit_code == 0
    assert runner.invoke(args=["demo-delivery"]).exit_code == 0
    sign_in(client, "officer", "another-officer@example.org")
    items = dict(_to_do(client))
    overdue = next(text for text in items if "is overdue" in text)
    assert overdue == (
        "Urgent Delivery: 1 action of Community Safety Strategy 2024-27 is overdue. See it "
        "(delivery)"
    )
    listed = client.get(items[overdue])
    assert listed.status_code == 200
    assert "overdue" in page(listed).get_text().lower()


def test_with_nothing_waiting_the_home_says_so(client: FlaskClient) -> None:
    make_consultation(closes=(today() + dt.timedelta(days=60)).isoformat())
    sign_in(client, "officer")
    assert _to_do(client) == []
    assert "Nothing is waiting" in page(client.get("/officers/")).get_text()


def test_staff_pages_name_the_staff_service_and_who_is_signed_in(client: FlaskClient) -> None:
    make_consultation()
    sign_in(client, "councillor")
    results = page(client.get("/results/"))
    assert results.title.get_text().endswith("- Community safety workspace")
    account = results.select_one("#navigation a[href='/account']")
    assert " ".join(account.get_text(" ", strip=True).split()) == (
        "Your account: signed in as councillor@example.org (councillor)"
    )
    home = results.select_one(".govuk-service-navigation__service-name a")
    assert home["href"] == "/results/"
    resident = page(client.get("/"))
    assert resident.title.get_text().endswith("- Have your say on community safety")
