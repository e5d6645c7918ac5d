"""Delivering an adopted strategy: its actions as items people own, and quarterly updates.

Adoption turns every action of the plan into an item (`start_delivery`); officers may add
more during delivery. An owner records an update for a quarter; every update is kept and the
latest is shown. A partner account sees and updates only the items whose owner account it
is; officers see and change every item; councillors read. Functions here never commit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from assembly.core.delivery import (
    DeliveryProblems,
    Period,
    Status,
    checked_item,
    checked_update,
    due_date_from,
    parse_period,
    period_of,
    reported_status,
    shown_status,
)
from assembly.data import strategies
from assembly.data.models import DeliveryItem, DeliveryUpdate, Strategy
from common import action_log
from common.database import db
from common.models import Role, User


class DeliveryError(ValueError):
    """A strategy or item that cannot be delivered or reported on, saying why."""


class NotYours(DeliveryError):
    """An account asked to see or change an item it does not own."""


@dataclass(frozen=True)
class ItemView:
    """An item as a list or page shows it: its status worked out for today."""

    item: DeliveryItem
    status: Status
    latest: DeliveryUpdate | None

    @property
    def new(self) -> bool:
        """Added during delivery (not in the adopted plan)."""
        return self.item.added_during_delivery


def start_delivery(strategy: Strategy, on: dt.date) -> list[DeliveryItem]:
    """Make an item of each action in the adopted plan, numbered in the plan's order; the
    first reporting quarter is the one adoption fell in. Does nothing if items exist."""
    if db.session.scalar(sa.select(DeliveryItem.id).where(DeliveryItem.strategy_id == strategy.id)):
        return []
    spec = strategies.spec_of(strategy)
    first = str(period_of(on))
    made = []
    for priority in spec.priorities:
        for action in priority.actions:
            made.append(
                DeliveryItem(
                    strategy_id=strategy.id,
                    number=len(made) + 1,
                    priority=priority.name,
                    action=action.action,
                    owner_name=priority.lead_officer,
                    organisation=action.who,
                    owner_email="",
                    due=due_date_from(action.by_when),
                    by_when=action.by_when,
                    first_period=first,
                    added_during_delivery=False,
                )
            )
    db.session.add_all(made)
    db.session.flush()
    return made


def delivered(slug: str) -> Strategy:
    """The adopted strategy with this slug, or DeliveryError saying why there is none."""
    strategy = strategies.by_strategy_slug(slug)
    if strategy is None:
        raise DeliveryError(f"no strategy with the slug '{slug}'")
    if not strategy.frozen:
        raise DeliveryError(
            f"'{slug}' has not been adopted, so it has no actions to deliver yet: adopt it "
            f"first ('flask strategy adopt {slug} --on DATE --by BODY')"
        )
    return strategy


def adopted_strategies() -> list[Strategy]:
    """Every adopted strategy (refreshed ones too: their plans are still delivered)."""
    return [s for s in strategies.all_strategies() if s.frozen]


def owns(user: User, item: DeliveryItem) -> bool:
    """True when `user` is the account that reports on `item`."""
    return bool(item.owner_email) and item.owner_email == user.email


def may_see(user: User, item: DeliveryItem) -> bool:
    """Partners see only their own items; every other account reads them all."""
    return user.role != Role.PARTNER or owns(user, item)


def may_update(user: User, item: DeliveryItem) -> bool:
    """Officers and admins update any item; a partner only their own; councillors none."""
    return user.can(Role.OFFICER) or (user.role == Role.PARTNER and owns(user, item))


def items_of(strategy: Strategy, user: User | None, today: dt.date) -> list[ItemView]:
    """The strategy's items in number order, with their latest update; a partner's own only."""
    query = (
        sa.select(DeliveryItem)
        .where(DeliveryItem.strategy_id == strategy.id)
        .options(selectinload(DeliveryItem.updates))
        .order_by(DeliveryItem.number)
    )
    if user is not None and user.role == Role.PARTNER:
        query = query.where(DeliveryItem.owner_email == user.email, DeliveryItem.owner_email != "")
    return [view_of(item, today) for item in db.session.scalars(query)]


def view_of(item: DeliveryItem, today: dt.date) -> ItemView:
    """The item with its status for today and the update that status comes from."""
    return ItemView(item, *standing(item, today))


def standing(item: DeliveryItem, as_of: dt.date) -> tuple[Status, DeliveryUpdate | None]:
    """The item's status on `as_of`, and the update it comes from: the one for the latest
    quarter up to `as_of`'s (the newest recorded, when a quarter has several), overdue once
    past its due date and not done. Pages, commands and both reports all ask this."""
    last = period_of(as_of)
    known = max(
        (u for u in item.updates if parse_period(u.period) <= last),
        key=lambda u: parse_period(u.period),
        default=None,
    )  # updates come newest first, so max keeps the newest of a quarter's
    return shown_status(known.status if known else Status.NOT_STARTED, item.due, as_of), known


def reported_default(item: DeliveryItem, today: dt.date) -> str:
    """The status an update form starts from: the one last reported (not "overdue")."""
    known = standing(item, today)[1]
    return known.status if known else Status.NOT_STARTED.value


def item_of(strategy: Strategy, number: int, user: User | None) -> DeliveryItem:
    """Item `number` of the strategy; DeliveryError if none, NotYours if `user` may not see it."""
    item = db.session.scalar(
        sa.select(DeliveryItem).where(
            DeliveryItem.strategy_id == strategy.id, DeliveryItem.number == number
        )
    )
    if item is None:
        raise DeliveryError(f"'{strategy.slug}' has no action {number}")
    if user is not None and not may_see(user, item):
        raise NotYours(f"action {number} of '{strategy.slug}' is not yours to see")
    return item


def record_update(
    item: DeliveryItem,
    *,
    period: str,
    status: str,
    progress: str,
    issues: str = "",
    who: str = "",
    by_when: str = "",
    user: User | None,
    today: dt.date,
) -> DeliveryUpdate:
    """Keep an update of `item` for a quarter and make its status the item's; raises
    NotYours, or DeliveryProblems naming every wrong field (nothing is saved). Caller commits."""
    if user is not None and not may_update(user, item):
        raise NotYours(f"action {item.number} of '{item.strategy.slug}' is not yours to update")
    problems: dict[str, str] = {}
    quarter: Period | None = None
    try:
        quarter = parse_period(period)
    except ValueError as exc:
        problems["period"] = str(exc)
    if quarter is not None and quarter > period_of(today):
        problems["period"] = (
            f"{quarter} has not started yet: report on this quarter or an earlier one"
        )
    elif quarter is not None and str(quarter) < item.first_period:
        problems["period"] = (
            f"{quarter} is before action {item.number} was in the plan ({item.first_period})"
        )
    reported: Status | None = None
    try:
        reported = reported_status(status)
    except ValueError as exc:
        problems["status"] = str(exc)
    try:
        text = checked_update(progress, issues, who, by_when)
    except DeliveryProblems as exc:
        problems.update(exc.problems)
    if problems:
        raise DeliveryProblems(problems)
    assert quarter is not None and reported is not None
    update = DeliveryUpdate(
        period=str(quarter),
        status=reported.value,
        progress=text.progress,
        issues=text.issues,
        who=text.who,
        by_when=text.by_when,
        recorded_by=user.email if user is not None else action_log.COMMAND_LINE,
    )
    item.updates.insert(0, update)  # newest first, as loaded
    action_log.record(
        "delivery update recorded",
        None,
        item.strategy.title,
        f"action {item.number} for {quarter}: {reported.value}",
        by=user,
    )
    db.session.flush()
    return update


def priorities_of(strategy: Strategy) -> list[str]:
    """The strategy's priorities' names, in its order."""
    return [p.name for p in strategies.spec_of(strategy).priorities]


def add_item(
    strategy: Strategy,
    *,
    priority: str,
    action: str,
    owner_name: str,
    organisation: str,
    owner_email: str,
    due: dt.date | None,
    user: User | None,
    today: dt.date,
) -> DeliveryItem:
    """Add an action during delivery, marked new in this quarter's report; DeliveryProblems
    names every wrong field. Caller commits."""
    text = checked_item(
        action, owner_name, organisation, owner_email, priorities_of(strategy), priority
    )
    highest = db.session.scalar(
        sa.select(sa.func.max(DeliveryItem.number)).where(DeliveryItem.strategy_id == strategy.id)
    )
    item = DeliveryItem(
        strategy_id=strategy.id,
        number=(highest or 0) + 1,
        priority=priority,
        action=text.action,
        owner_name=text.owner_name,
        organisation=text.organisation,
        owner_email=text.owner_email,
        due=due,
        by_when="",
        first_period=str(period_of(today)),
        added_during_delivery=True,
    )
    db.session.add(item)
    db.session.flush()
    action_log.record(
        "delivery action added", None, strategy.title, f"action {item.number}: {text.action}",
        by=user,
    )  # fmt: skip
    return item


def change_owner(
    item: DeliveryItem,
    *,
    owner_name: str,
    organisation: str,
    owner_email: str,
    due: dt.date | None,
    user: User | None,
) -> None:
    """Give an item a new owner (person, organisation, account) and due date; officers only.
    DeliveryProblems names every wrong field. Caller commits."""
    if user is not None and not user.can(Role.OFFICER):
        raise NotYours("only officers change who owns an action")
    text = checked_item(item.action, owner_name, organisation, owner_email, [item.priority],
                        item.priority)  # fmt: skip
    item.owner_name, item.organisation = text.owner_name, text.organisation
    item.owner_email, item.due = text.owner_email, due
    action_log.record(
        "delivery owner changed",
        None,
        item.strategy.title,
        f"action {item.number}: {text.owner_name or text.organisation}"
        + (f" ({text.owner_email})" if text.owner_email else ""),
        by=user,
    )
    db.session.flush()


def owners_of(views: Sequence[ItemView]) -> list[str]:
    """The organisations owning these items, once each, sorted."""
    return sorted({v.item.organisation for v in views}, key=str.casefold)
