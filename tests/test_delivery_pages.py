"""The delivery pages: partners update only their own actions, officers all, councillors read."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient, FlaskCliRunner

from assembly.data.models import DeliveryItem, DeliveryUpdate
from common.database import db
from common.models import AuditEvent
from tests.support import csrf_token, error_summary, page, post_form, sign_in
from tests.test_delivery import PARTNER, PLAN, adopt_demo, items, statuses
from tests.test_strategy_consultation import STRATEGY

pytestmark = pytest.mark.db

ACTIONS = f"/officers/strategies/{STRATEGY}/actions"
UPDATE = {"period": "2027-Q3", "status": "at risk", "progress": "Two sessions held",
          "issues": "Venue lost", "who": "Housing lead", "by_when": "October 2027"}  # fmt: skip


@pytest.fixture
def adopted(runner: FlaskCliRunner, on_day) -> FlaskCliRunner:
    adopt_demo(runner)
    made = items()
    made[1].owner_email = PARTNER  # "Run ASB awareness sessions for housing staff"
    made[6].owner_email = PARTNER
    db.session.commit()
    return runner


def numbers(response) -> list[int]:
    """The action numbers listed in the page's table."""
    rows = page(response).select("#actions tbody tr")
    return [int(row.find("td").get_text(strip=True)) for row in rows]


def updates() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(DeliveryUpdate)) or 0


def test_a_partner_sees_and_updates_only_their_own_actions(
    adopted: FlaskCliRunner, client: FlaskClient
) -> None:
    sign_in(client, "partner", PARTNER)
    home = client.get("/officers/delivery")
    assert home.status_code == 200
    assert "The actions you own" in home.get_data(as_text=True)
    assert numbers(client.get(ACTIONS)) == [2, 7]
    saved = post_form(client, f"{ACTIONS}/2", UPDATE)
    assert saved.status_code == 303
    shown = client.get(f"{ACTIONS}/2")
    assert "Update for 2027-Q3 saved" in shown.get_data(as_text=True)
    history = page(shown).select("#history ~ .govuk-summary-card h3")
    assert [h.get_text(strip=True) for h in history] == ["2027-Q3 (latest): At risk"]
    assert statuses()[1] == "at risk"
    assert items()[1].updates[0].recorded_by == PARTNER
    assert client.get(f"{ACTIONS}/1").status_code == 403
    token = csrf_token(client.get(f"{ACTIONS}/2"))
    refused = client.post(f"{ACTIONS}/1", data={**UPDATE, "csrf_token": token})
    assert refused.status_code == 403
    assert client.get(f"{ACTIONS}/new").status_code == 403
    owner = client.post(f"{ACTIONS}/2/owner", data={"organisation": "Me", "csrf_token": token})
    assert owner.status_code == 403
    assert client.get("/results/").status_code == 403
    assert client.get("/officers/strategies").status_code == 403
    assert updates() == 1 and not items()[0].updates


def test_sign_in_takes_a_partner_to_their_actions_and_the_menu_offers_no_other_page(
    adopted: FlaskCliRunner, client: FlaskClient
) -> None:
    from common.accounts import create_user

    create_user(PARTNER, "correct horse battery staple", "partner")
    db.session.commit()
    done = post_form(
        client, "/sign-in", {"email": PARTNER, "password": "correct horse battery staple"}
    )
    assert done.headers["Location"] == "/officers/delivery"
    menu = [
        " ".join(a.get_text(" ", strip=True).split())
        for a in page(client.get("/officers/delivery")).select("#navigation a")
    ]
    assert menu == ["Delivery", f"Your account: signed in as {PARTNER} (partner)"]


def test_a_councillor_reads_every_action_and_can_change_none(
    adopted: FlaskCliRunner, client: FlaskClient
) -> None:
    sign_in(client, "councillor", "cllr.smith@example.org")
    assert numbers(client.get(ACTIONS)) == list(range(1, len(PLAN) + 1))
    shown = client.get(f"{ACTIONS}/2")
    assert shown.status_code == 200
    assert page(shown).select("main form") == []
    token = csrf_token(shown)
    assert client.post(f"{ACTIONS}/2", data={**UPDATE, "csrf_token": token}).status_code == 403
    assert updates() == 0


def test_the_list_counts_statuses_and_filters_by_priority_status_and_owner(
    adopted: FlaskCliRunner, client: FlaskClient, on_day
) -> None:
    sign_in(client, "officer", "lead.officer@example.org")
    assert post_form(client, f"{ACTIONS}/3", UPDATE | {"status": "done"}).status_code == 303
    on_day(dt.date(2027, 7, 1))  # "June 2027" and "April 2027" have passed
    listed = client.get(ACTIONS)
    counts = [li.get_text(strip=True) for li in page(listed).select("#status-counts li")]
    assert counts == ["Not started: 8", "On track: 0", "At risk: 0", "Overdue: 1", "Done: 1"]
    overdue = client.get(ACTIONS, query_string={"status": "overdue"})
    assert numbers(overdue) == [1]  # action 3 was due in April too, but it is done
    by_priority = client.get(ACTIONS, query_string={"priority": "Anti-social behaviour"})
    assert numbers(by_priority) == [1, 2]
    shown = page(by_priority).find(id="counts").get_text(strip=True)
    assert shown == f"2 actions of {len(PLAN)}"
    assert numbers(client.get(ACTIONS, query_string={"owner": "Probation Service"})) == [9]
    nothing = client.get(ACTIONS, query_string={"priority": "Hate crime", "status": "done"})
    assert "No actions match these filters" in nothing.get_data(as_text=True)


def test_a_refused_update_shows_each_problem_and_saves_nothing(
    adopted: FlaskCliRunner, client: FlaskClient
) -> None:
    sign_in(client, "officer", "lead.officer@example.org")
    refused = post_form(
        client, f"{ACTIONS}/1", {"period": "Q3", "status": "overdue", "progress": " "}
    )
    assert refused.status_code == 400
    assert error_summary(refused) == [
        "'Q3' is not a reporting period: write the year and quarter, like 2027-Q1 "
        "(January to March)",
        "'overdue' is shown automatically once an item is past its due date and not done: "
        "report it as on track, at risk or done",
        "Enter the progress made this quarter",
    ]
    assert page(refused).find(id="period")["value"] == "Q3"
    without_token = client.post(f"{ACTIONS}/1", data=UPDATE)
    assert without_token.status_code == 400
    assert updates() == 0
    assert db.session.scalar(
        sa.select(sa.func.count()).select_from(AuditEvent)
        .where(AuditEvent.action == "delivery update recorded")
    ) == 0  # fmt: skip


def test_an_officer_adds_an_action_and_gives_an_action_its_partner(
    adopted: FlaskCliRunner, client: FlaskClient
) -> None:
    sign_in(client, "officer", "lead.officer@example.org")
    refused = post_form(client, f"{ACTIONS}/new", {"action": "", "due-day": "31"})
    assert refused.status_code == 400
    assert error_summary(refused) == [
        "Select the priority the action delivers",
        "Enter the action",
        "Enter the organisation that owns the action",
        "The due date must be a real date, like 31 3 2027",
    ]
    added = post_form(
        client,
        f"{ACTIONS}/new",
        {"priority": "Drug misuse", "action": "Test purchase operations",
         "organisation": "Trading Standards", "owner_email": PARTNER,
         "due-day": "31", "due-month": "12", "due-year": "2027"},
    )  # fmt: skip
    assert added.status_code == 303
    assert added.headers["Location"] == f"{ACTIONS}/{len(PLAN) + 1}"
    made = items()[-1]
    assert (made.priority, made.due, made.first_period, made.added_during_delivery) == (
        "Drug misuse", dt.date(2027, 12, 31), "2027-Q3", True,
    )  # fmt: skip
    assert "New" in [t.get_text(strip=True) for t in page(client.get(ACTIONS)).select(".govuk-tag")]
    token = csrf_token(client.get(f"{ACTIONS}/1"))
    owner = client.post(
        f"{ACTIONS}/1/owner",
        data={"owner_name": "Insp. Khan", "organisation": "Avon and Somerset Police",
              "owner_email": "Khan@Police.example.org", "csrf_token": token},
    )  # fmt: skip
    assert owner.status_code == 303
    first = items()[0]
    assert (first.owner_name, first.owner_email, first.due) == (
        "Insp. Khan", "khan@police.example.org", None,
    )  # fmt: skip
    logged = db.session.scalars(sa.select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert logged[-2:] == ["delivery action added", "delivery owner changed"]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(DeliveryItem)) == len(PLAN) + 1


def test_a_strategy_not_adopted_has_no_delivery_pages(
    runner: FlaskCliRunner, client: FlaskClient
) -> None:
    assert runner.invoke(args=["demo"]).exit_code == 0
    sign_in(client, "officer", "lead.officer@example.org")
    assert client.get(ACTIONS).status_code == 404
    assert client.get(f"{ACTIONS}/1").status_code == 404
    assert "No strategy has been adopted yet" in client.get("/officers/delivery").get_data(
        as_text=True
    )
