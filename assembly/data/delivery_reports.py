"""Gathering a strategy's quarterly progress report: each action's update for the period."""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from assembly.core.delivery import Period, Status, parse_period, shown_status
from assembly.core.progress_report import PriorityProgress, ProgressReport, ReportRow
from assembly.data import strategies, target_figures
from assembly.data.models import DeliveryItem, DeliveryUpdate, Strategy
from common.database import db


def progress_report(strategy: Strategy, period: Period, lead: str = "") -> ProgressReport:
    """The report for `period`: the actions in the plan by its end, each with its latest
    update for that period, and its status as it stood at the period's end."""
    spec = strategies.spec_of(strategy)
    items = delivery_items(strategy)
    rows: dict[str, tuple[list[ReportRow], list[ReportRow]]] = {
        p.name: ([], []) for p in spec.priorities
    }
    for item in items:
        if parse_period(item.first_period) > period:
            continue
        this = _latest(item.updates, lambda u: u.period == str(period))
        known = _latest(item.updates, lambda u: parse_period(u.period) <= period)
        status = shown_status(
            known.status if known else Status.NOT_STARTED.value, item.due, period.ends
        )
        row = ReportRow(
            number=item.number,
            action=item.action,
            status=status,
            progress=this.progress if this else "",
            issues=this.issues if this else "",
            who=(this.who if this and this.who else _owner(item)),
            by_when=(this.by_when if this and this.by_when else item.by_when),
        )
        previous, new = rows.setdefault(item.priority, ([], []))
        (new if item.first_period == str(period) else previous).append(row)
    if not lead and spec.signatories:
        lead = f"{spec.signatories[0].name}, {spec.signatories[0].role}"
    return ProgressReport(
        title=strategy.title,
        partnership=spec.partnership,
        area="Community safety",
        lead=lead or "Not named",
        period=period,
        scope=spec.structure or spec.introduction or spec.vision,
        glossary=tuple((g.term, g.meaning) for g in spec.glossary),
        priorities=tuple(
            PriorityProgress(name, tuple(prev), tuple(new)) for name, (prev, new) in rows.items()
        ),
        measures=tuple(target_figures.measures_of(strategy)),
    )


def delivery_items(strategy: Strategy) -> list[DeliveryItem]:
    """Every item of the strategy with its updates, in number order."""
    return list(
        db.session.scalars(
            sa.select(DeliveryItem)
            .where(DeliveryItem.strategy_id == strategy.id)
            .options(selectinload(DeliveryItem.updates))
            .order_by(DeliveryItem.number)
        )
    )


def _latest(
    updates: list[DeliveryUpdate], wanted: Callable[[DeliveryUpdate], bool]
) -> DeliveryUpdate | None:
    """The newest update that is `wanted` (updates come newest first)."""
    return next((u for u in updates if wanted(u)), None)


def _owner(item: DeliveryItem) -> str:
    return ", ".join(part for part in (item.owner_name, item.organisation) if part)
