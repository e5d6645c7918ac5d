"""An adopted strategy's actions become items to deliver, reported on each quarter (unit, CLI, db).

Statuses (with "overdue" worked out on read), reporting periods, due dates read from a plan's
"by when", and `flask actions list / update` with their refusals.
"""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from flask.testing import FlaskCliRunner

from assembly.core.delivery import (
    DeliveryProblems,
    Period,
    Status,
    checked_update,
    due_date_from,
    parse_period,
    period_of,
    reported_status,
    shown_status,
    status_counts,
)
from assembly.data import delivery, strategies
from assembly.data.models import DeliveryItem, DeliveryUpdate, StrategyDraft
from assembly.web import delivery as delivery_pages
from common.accounts import create_user, find_user
from common.clock import today
from common.database import db
from common.jobs import Job
from common.models import AuditEvent, User
from tests.test_strategy_consultation import DEMO_SPEC, FAKE_PDF, STRATEGY

ADOPTED_ON = dt.date(2027, 5, 12)
PARTNER = "sergeant.jones@police.example.org"
PASSWORD = "correct horse battery staple"
PLAN = [(p.name, a) for p in DEMO_SPEC.priorities for a in p.actions]


# Unit: statuses, periods and due dates.


def test_an_item_past_its_due_date_and_not_done_shows_as_overdue() -> None:
    due = dt.date(2027, 6, 30)
    assert shown_status("on track", due, dt.date(2027, 6, 30)) is Status.ON_TRACK
    assert shown_status("on track", due, dt.date(2027, 7, 1)) is Status.OVERDUE
    assert shown_status("not started", due, dt.date(2027, 7, 1)) is Status.OVERDUE
    assert shown_status("at risk", due, dt.date(2028, 1, 1)) is Status.OVERDUE
    assert shown_status("done", due, dt.date(2027, 7, 1)) is Status.DONE
    assert shown_status("at risk", None, dt.date(2099, 1, 1)) is Status.AT_RISK


def test_overdue_cannot_be_reported_and_other_words_name_the_statuses() -> None:
    assert reported_status("On-track") is Status.ON_TRACK
    assert reported_status(" not_started ") is Status.NOT_STARTED
    with pytest.raises(ValueError, match="shown automatically once an item is past its due"):
        reported_status("overdue")
    with pytest.raises(ValueError) as refused:
        reported_status("green")
    assert str(refused.value) == (
        "'green' is not a status: use one of not started, on track, at risk, done"
    )


def test_a_reporting_period_is_a_year_and_quarter() -> None:
    assert parse_period("2027-q1") == Period(2027, 1)
    assert str(parse_period(" 2027-Q4 ")) == "2027-Q4"
    assert Period(2027, 1).ends == dt.date(2027, 3, 31)
    assert Period(2027, 4).ends == dt.date(2027, 12, 31)
    assert Period(2027, 1).previous == Period(2026, 4)
    assert period_of(dt.date(2027, 5, 12)) == Period(2027, 2)
    assert Period(2026, 4) < Period(2027, 1) < Period(2027, 2)
    for bad in ("2027-Q5", "2027 Q1", "Q1 2027", "1999-Q1", ""):
        with pytest.raises(ValueError, match="is not a reporting period: write the year"):
            parse_period(bad)


def test_a_plans_by_when_gives_a_due_date_only_when_it_names_one() -> None:
    assert due_date_from("June 2027") == dt.date(2027, 6, 30)
    assert due_date_from("December 2027") == dt.date(2027, 12, 31)
    assert due_date_from("Sept 2027") == dt.date(2027, 9, 30)
    assert due_date_from("2027-06-15") == dt.date(2027, 6, 15)
    assert due_date_from("15 June 2027") == dt.date(2027, 6, 15)
    for words in ("Ongoing", "Quarterly", "After each forum", "31 February 2027", "Smarch 2027"):
        assert due_date_from(words) is None, words


def test_an_update_needs_its_progress_and_keeps_each_field_in_its_limit() -> None:
    with pytest.raises(DeliveryProblems) as refused:
        checked_update("   ", "x" * 5001, "w" * 201, "")
    assert refused.value.problems == {
        "progress": "Enter the progress made this quarter",
        "issues": "Issues to be addressed must be 5,000 characters or fewer",
        "who": "Who must be 200 characters or fewer",
    }
    kept = checked_update("  Done\r\nwell ", "", " DAT team ", " April 2028 ")
    assert (kept.progress, kept.who, kept.by_when) == ("Done\nwell", "DAT team", "April 2028")


def test_status_counts_name_every_status_in_board_order() -> None:
    counts = status_counts([Status.DONE, Status.OVERDUE, Status.DONE])
    assert list(counts) == [
        Status.NOT_STARTED, Status.ON_TRACK, Status.AT_RISK, Status.OVERDUE, Status.DONE,
    ]  # fmt: skip
    assert list(counts.values()) == [0, 0, 0, 1, 2]


# The database and the command line.


def adopt_demo(runner: FlaskCliRunner) -> None:
    """Adopt the demo strategy through `flask strategy adopt`, on a stand-in built draft: its
    delivery depends on the adopted definition, not on the Word file's contents."""
    assert runner.invoke(args=["demo"]).exit_code == 0
    strategy = strategies.by_strategy_slug(STRATEGY)
    assert strategy is not None
    db.session.add(
        StrategyDraft(
            strategy=strategy,
            version=1,
            built_by="test",
            inputs={"strategy": strategy.definition},
            docx=b"PK stand-in",
            pdf=FAKE_PDF,
        )
    )
    db.session.commit()
    done = runner.invoke(
        args=["strategy", "adopt", STRATEGY, "--on", ADOPTED_ON.isoformat(), "--by", "Full Council"]
    )
    assert done.exit_code == 0, done.output


@pytest.fixture
def adopted(runner: FlaskCliRunner, on_day) -> FlaskCliRunner:
    adopt_demo(runner)
    return runner


def update(runner: FlaskCliRunner, *more: str, action: str = "1", period: str = "2027-Q3",
           status: str = "on track", progress: str = "Hotspot map drafted"):  # fmt: skip
    return runner.invoke(
        args=[
            "actions",
            "update",
            "--strategy",
            STRATEGY,
            "--action",
            action,
            "--period",
            period,
            "--status",
            status,
            "--progress",
            progress,
            *more,
        ]  # fmt: skip
    )


def items() -> list[DeliveryItem]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(DeliveryItem).order_by(DeliveryItem.number)))


def statuses() -> list[str]:
    """Each item's status on the pages' today (`on_day`), as every page and report works it out."""
    return [delivery.standing(i, delivery_pages.today())[0].value for i in items()]


@pytest.mark.db
def test_adoption_makes_each_action_of_the_plan_an_item(adopted: FlaskCliRunner) -> None:
    made = items()
    assert [(i.priority, i.action, i.organisation, i.by_when) for i in made] == [
        (name, a.action, a.who, a.by_when) for name, a in PLAN
    ]
    assert [i.number for i in made] == list(range(1, len(PLAN) + 1))
    assert not any(i.updates for i in made), "nothing reported yet: each starts not started"
    assert {i.first_period for i in made} == {"2027-Q2"}
    assert not any(i.added_during_delivery for i in made)
    assert made[0].due == dt.date(2027, 6, 30)  # "June 2027"
    assert made[1].due is None  # "Quarterly"


@pytest.mark.db
def test_actions_list_shows_overdue_once_past_due_without_writing_it(
    adopted: FlaskCliRunner, on_day
) -> None:
    on_day(dt.date(2027, 6, 30))
    before = adopted.invoke(args=["actions", "list", "--strategy", STRATEGY])
    assert before.exit_code == 0, before.output
    first = before.output.splitlines()[0].split("\t")
    assert first[:3] == ["1", "not started", "Anti-social behaviour"]
    assert first[4] == "30 June 2027"
    on_day(dt.date(2027, 7, 1))
    after = adopted.invoke(args=["actions", "list", "--strategy", STRATEGY])
    assert after.output.splitlines()[0].split("\t")[1] == "overdue"
    overdue = sum(
        1 for _, a in PLAN if (due_date_from(a.by_when) or dt.date.max) < dt.date(2027, 7, 1)
    )
    assert overdue == 2  # June 2027 and April 2027
    assert after.output.splitlines()[-1] == (
        f"not started: {len(PLAN) - overdue}; on track: 0; at risk: 0; overdue: {overdue}; done: 0"
    )
    assert db.session.scalar(sa.select(sa.func.count()).select_from(DeliveryUpdate)) == 0


@pytest.mark.db
def test_updates_are_kept_as_history_and_the_latest_sets_the_status(
    adopted: FlaskCliRunner,
) -> None:
    first = update(adopted, "--issues", "Council data late", "--who", "CS team",
                   "--by-when", "September 2027")  # fmt: skip
    assert first.exit_code == 0, first.output
    assert first.output.strip() == "Recorded the update of action 1 for 2027-Q3: on track"
    second = update(adopted, status="done", progress="Map published to partners")
    assert second.exit_code == 0, second.output
    item = items()[0]
    assert statuses()[0] == "done"
    assert [(u.period, u.status, u.progress) for u in item.updates] == [
        ("2027-Q3", "done", "Map published to partners"),
        ("2027-Q3", "on track", "Hotspot map drafted"),
    ]
    oldest = item.updates[-1]
    assert (oldest.issues, oldest.who, oldest.by_when, oldest.recorded_by) == (
        "Council data late", "CS team", "September 2027", "command line",
    )  # fmt: skip
    logged = db.session.scalars(
        sa.select(AuditEvent.detail)
        .where(AuditEvent.action == "delivery update recorded")
        .order_by(AuditEvent.id)
    ).all()
    assert logged == ["action 1 for 2027-Q3: on track", "action 1 for 2027-Q3: done"]


@pytest.mark.db
@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({"period": "2027-Q5"}, "'2027-Q5' is not a reporting period: write the year and quarter"),
        ({"period": "2027-Q4"}, "2027-Q4 has not started yet"),
        ({"period": "2027-Q1"}, "2027-Q1 is before action 1 was in the plan (2027-Q2)"),
        ({"status": "overdue"}, "'overdue' is shown automatically"),
        ({"status": "red"}, "'red' is not a status: use one of not started, on track"),
        ({"progress": "  "}, "Enter the progress made this quarter"),
        ({"action": "99"}, f"'{STRATEGY}' has no action 99"),
    ],
)
def test_a_refused_update_says_why_and_saves_nothing(
    adopted: FlaskCliRunner, args: dict[str, str], message: str
) -> None:
    done = update(adopted, **args)
    assert done.exit_code != 0
    assert "nothing saved: " in done.output and message in done.output, done.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(DeliveryUpdate)) == 0


@pytest.mark.db
def test_actions_need_a_known_adopted_strategy(runner: FlaskCliRunner) -> None:
    unknown = runner.invoke(args=["actions", "list", "--strategy", "nowhere"])
    assert unknown.exit_code != 0 and "no strategy with the slug 'nowhere'" in unknown.output
    assert runner.invoke(args=["demo"]).exit_code == 0
    draft = runner.invoke(args=["actions", "list", "--strategy", STRATEGY])
    assert draft.exit_code != 0
    assert f"'{STRATEGY}' has not been adopted, so it has no actions" in draft.output
    refused = update(runner)
    assert refused.exit_code != 0 and "has not been adopted" in refused.output


@pytest.mark.db
def test_a_partner_on_the_command_line_reaches_only_their_own_actions(
    adopted: FlaskCliRunner,
) -> None:
    create_user(PARTNER, PASSWORD, "partner")
    items()[2].owner_email = PARTNER
    db.session.commit()
    mine = adopted.invoke(args=["actions", "list", "--strategy", STRATEGY, "--as", PARTNER])
    assert [line.split("\t")[0] for line in mine.output.splitlines()[:-1]] == ["3"]
    refused = update(adopted, "--as", PARTNER, action="1")
    assert refused.exit_code != 0
    assert f"action 1 of '{STRATEGY}' is not yours to see" in refused.output
    done = update(adopted, "--as", PARTNER, action="3", period="2027-Q2")
    assert done.exit_code == 0, done.output
    assert items()[2].updates[0].recorded_by == PARTNER
    councillor = create_user("cllr@example.org", PASSWORD, "councillor")
    db.session.commit()
    read_only = update(adopted, "--as", councillor.email, action="3")
    assert read_only.exit_code != 0 and "is not yours to update" in read_only.output


@pytest.mark.db
def test_an_action_added_during_delivery_is_numbered_next_and_marked_new(
    adopted: FlaskCliRunner,
) -> None:
    strategy = delivery.delivered(STRATEGY)
    officer = find_user("officer@example.org")  # the demo's
    assert officer is not None
    with pytest.raises(DeliveryProblems) as refused:
        delivery.add_item(strategy, priority="Burglary", action="", owner_name="",
                          organisation="", owner_email="not-an-email", due=None, user=officer,
                          today=dt.date(2027, 8, 1))  # fmt: skip
    assert refused.value.problems == {
        "priority": "Select the priority the action delivers",
        "action": "Enter the action",
        "organisation": "Enter the organisation that owns the action",
        "owner_email": "Enter the owner's account email address, like name@example.org",
    }
    made = delivery.add_item(
        strategy, priority="Drug misuse", action="Test purchase operations", owner_name="PC Lee",
        organisation="Avon and Somerset Police", owner_email=PARTNER, due=dt.date(2027, 12, 31),
        user=officer, today=dt.date(2027, 8, 1),
    )  # fmt: skip
    db.session.commit()
    assert (made.number, made.first_period, made.added_during_delivery) == (
        len(PLAN) + 1, "2027-Q3", True,
    )  # fmt: skip
    listed = adopted.invoke(args=["actions", "list", "--strategy", STRATEGY])
    assert listed.output.splitlines()[len(PLAN)].endswith("Test purchase operations (new)")
    assert (
        db.session.scalar(
            sa.select(AuditEvent.actor).where(AuditEvent.action == "delivery action added")
        )
        == "officer@example.org"
    )


@pytest.mark.db
def test_items_of_a_partner_are_only_those_their_account_owns(adopted: FlaskCliRunner) -> None:
    partner = create_user(PARTNER, PASSWORD, "partner")
    councillor = create_user("c@example.org", PASSWORD, "councillor")
    made = items()
    made[0].owner_email = PARTNER
    made[4].owner_email = PARTNER
    db.session.commit()
    strategy = delivery.delivered(STRATEGY)
    today = dt.date(2027, 8, 1)
    assert [v.item.number for v in delivery.items_of(strategy, partner, today)] == [1, 5]
    assert len(delivery.items_of(strategy, councillor, today)) == len(PLAN)
    with pytest.raises(delivery.NotYours):
        delivery.item_of(strategy, 2, partner)
    assert delivery.may_update(partner, made[0]) and not delivery.may_update(councillor, made[0])
    assert isinstance(partner, User) and not partner.can("councillor")  # type: ignore[arg-type]


@pytest.mark.db
def test_the_demo_has_an_adopted_strategy_two_quarters_into_delivery(
    runner: FlaskCliRunner,
) -> None:
    assert runner.invoke(args=["demo"]).exit_code == 0
    for _ in range(2):  # safe to rerun
        done = runner.invoke(args=["demo-delivery"])
        assert done.exit_code == 0, done.output
    assert "partner@example.org  password: demo-partner-password" in done.output
    listed = runner.invoke(
        args=["actions", "list", "--strategy", "community-safety-strategy-2024-27"]
    )
    assert listed.exit_code == 0, listed.output
    lines = listed.output.splitlines()
    assert len(lines) == len(PLAN) + 2  # and the action added during delivery, and the counts
    assert lines[len(PLAN)].endswith("(new)")
    assert "overdue: 1" in lines[-1] and "done: 2" in lines[-1]
    partner = find_user("partner@example.org")
    assert partner is not None and partner.role == "partner"
    slug = "community-safety-strategy-2024-27"
    mine = runner.invoke(args=["actions", "list", "--strategy", slug, "--as", partner.email])
    assert [line.split("\t")[0] for line in mine.output.splitlines()[:-1]] == ["7", "8"]
    periods = db.session.scalars(sa.select(DeliveryUpdate.period).distinct()).all()
    assert len(periods) == 2, "two quarters of updates"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(DeliveryUpdate)) == 8
    measured = runner.invoke(args=["measures", "list", "--strategy", slug])
    assert measured.exit_code == 0, measured.output
    assert "2026/27\t3,720\taudit 'Crime and disorder figures 2026/27 (demo)'" in measured.output
    assert "2026/27\t5\tentered by command line" in measured.output
    built = db.session.scalars(sa.select(Job.output_name).where(Job.state == "done")).all()
    last_quarter = period_of(today()).previous
    assert sorted(built) == [f"{slug}-annual-report-{today().year}.docx",
                             f"{slug}-progress-report-{last_quarter}.docx"]  # fmt: skip
