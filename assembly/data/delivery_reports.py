"""Gathering a strategy's delivery reports: the quarterly progress report (each action's
update for the period) and the annual report to the crime and disorder scrutiny committee."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from assembly.core.annual_report import DUTIES, ActionYear, AnnualReport, Duty, due_words
from assembly.core.charts import change_chart, comparator_chart
from assembly.core.delivery import Period, parse_period, period_of
from assembly.core.delivery_view import ActionPosition, DeliveryPosition
from assembly.core.periods import compared_periods
from assembly.core.progress_report import PriorityProgress, ProgressReport, ReportRow
from assembly.core.strategy import StrategySpec
from assembly.core.trends import trends
from assembly.core.wording import join_words
from assembly.data import crime_audits, delivery, strategies, target_figures
from assembly.data.models import CrimeAudit, DeliveryItem, DeliveryUpdate, Strategy
from common.database import db
from common.display import long_date, plural
from survey import interface


def progress_report(
    strategy: Strategy, period: Period, today: dt.date, lead: str = ""
) -> ProgressReport:
    """The report for `period`: the actions in the plan by its end, each with its latest
    update for that period, its status as it stood at the period's end (or today, for the
    quarter under way, so it matches the pages) and the figures of periods begun by then."""
    check_quarter(strategy, period, today)
    spec = strategies.spec_of(strategy)
    as_of = min(period.ends, today)
    rows: dict[str, tuple[list[ReportRow], list[ReportRow]]] = {
        p.name: ([], []) for p in spec.priorities
    }
    for item in delivery_items(strategy):
        if parse_period(item.first_period) > period:
            continue
        this = _latest(item.updates, lambda u: u.period == str(period))
        row = ReportRow(
            number=item.number,
            action=item.action,
            status=delivery.standing(item, as_of)[0],
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
        measures=tuple(target_figures.measures_of(strategy, as_of)),
    )


def delivery_position(strategy: Strategy, today: dt.date) -> DeliveryPosition:
    """The strategy's delivery as it stands today, for the councillors' page: the statuses
    and figures the progress report for this quarter and this year's annual report give."""
    spec = strategies.spec_of(strategy)
    items = delivery_items(strategy)
    actions = []
    for item in items:
        status, update = delivery.standing(item, today)
        actions.append(
            ActionPosition(
                number=item.number,
                priority=item.priority,
                action=item.action,
                owner=_owner(item),
                due=due_words(item.due, item.by_when),
                status=status,
                period=update.period if update else "",
                progress=update.progress if update else "",
                issues=update.issues if update else "",
            )
        )
    return DeliveryPosition(
        title=strategy.title,
        as_of=today,
        priorities=_priority_names(spec, items),
        actions=tuple(actions),
        measures=tuple(target_figures.measures_of(strategy, today)),
    )


def _priority_names(spec: StrategySpec, items: list[DeliveryItem]) -> tuple[str, ...]:
    """The strategy's priorities in its order, then any an item names that it no longer has."""
    return tuple(dict.fromkeys([*(p.name for p in spec.priorities), *(i.priority for i in items)]))


def check_quarter(strategy: Strategy, period: Period, today: dt.date) -> None:
    """DeliveryError unless `period` is a quarter of the strategy's delivery so far."""
    if period > period_of(today):
        raise delivery.DeliveryError(
            f"{period} has not started yet: choose {period_of(today)} or an earlier quarter"
        )
    adopted_on = strategy.adopted_on
    if adopted_on is not None and period < period_of(adopted_on):
        raise delivery.DeliveryError(
            f"{period} is before '{strategy.slug}' was adopted in {period_of(adopted_on)}: "
            "choose that quarter or a later one"
        )


def check_year(strategy: Strategy, year: int, today: dt.date) -> None:
    """DeliveryError unless `year` is a year of the strategy's delivery so far."""
    adopted_on = strategy.adopted_on
    if adopted_on is not None and year < adopted_on.year or year > today.year:
        raise delivery.DeliveryError(
            f"{year} is outside '{strategy.slug}''s delivery: choose a year from "
            f"{adopted_on.year if adopted_on else today.year} to {today.year}"
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


def annual_report(strategy: Strategy, year: int, today: dt.date) -> AnnualReport:
    """The year's annual report: statuses as they stood at the year's end (or today, in the
    current year, so they match the actions page), the progress reported in the year's
    quarters, the measures, the duties from the service's records, and the newest audit's
    trends. DeliveryError for a year before the strategy was adopted or not yet begun."""
    check_year(strategy, year, today)
    spec = strategies.spec_of(strategy)
    as_of = min(dt.date(year, 12, 31), today)
    last = period_of(as_of)
    quarters = {str(Period(year, q)) for q in range(1, 5)}
    actions = []
    items = delivery_items(strategy)
    for item in items:
        if parse_period(item.first_period) > last:
            continue
        in_year = sorted(
            {u.period: u.progress for u in reversed(item.updates) if u.period in quarters}.items()
        )
        actions.append(
            ActionYear(
                number=item.number,
                priority=item.priority,
                action=item.action,
                organisation=item.organisation,
                status=delivery.standing(item, as_of)[0],
                due=due_words(item.due, item.by_when),
                progress=tuple(in_year),
                new=item.added_during_delivery and item.first_period in quarters,
            )
        )
    audit = _newest_audit()
    table = crime_audits.audit_table(audit) if audit else None
    found = [t for t in trends(table) if t.area is None] if table else []
    return AnnualReport(
        title=strategy.title,
        partnership=spec.partnership,
        year=year,
        as_of=as_of,
        period=spec.period,
        adopted=_adopted_words(strategy),
        equality_impact=spec.equality_impact,
        budget=_budget(spec),
        responsible_authorities=spec.responsible_authorities,
        structure=spec.structure,
        duties=_duties(strategy, spec, year, len({p for a in actions for p, _ in a.progress})),
        priorities=_priority_names(spec, items),
        actions=tuple(actions),
        measures=tuple(target_figures.measures_of(strategy, as_of)),
        trends=tuple(found),
        audit_name=audit.name if audit else "",
        trend_charts=tuple(
            c
            for c in (change_chart(found), comparator_chart(table, found) if table else None)
            if c is not None
        ),  # fmt: skip
    )


def _newest_audit() -> CrimeAudit | None:
    """The newest audit with two periods of one kind to compare (a year's figures alone
    show no trend), else the newest of all."""
    audits = crime_audits.all_audits()
    for audit in audits:
        pair = compared_periods(audit.periods)
        if pair is not None and pair[0] is not None:
            return audit
    return audits[0] if audits else None


def _adopted_words(strategy: Strategy) -> str:
    by = f"by {strategy.adopted_by} " if strategy.adopted_by else ""
    on = f"on {long_date(strategy.adopted_on)}" if strategy.adopted_on else ""
    return (by + on).strip() or "by the partnership"


def _budget(spec: StrategySpec) -> str:
    """The strategy's resources and funding lines, as the budget section's words."""
    lines = [f"{f.source}: {f.amount} for {f.use}" for f in spec.funding]
    parts = [spec.resources.strip()] if spec.resources.strip() else []
    if lines:
        parts.append("Funding: " + "; ".join(lines) + ".")
    return "\n\n".join(parts)


def _duties(strategy: Strategy, spec: StrategySpec, year: int, quarters: int) -> tuple[Duty, ...]:
    """How each statutory duty was met in `year`, from the service's own records; '' where
    it keeps none (the report asks the officer to write it)."""
    audits = [a for a in crime_audits.all_audits() if a.imported_at.year == year]
    assessment = (
        f"Audit figures imported in {year}: "
        + join_words([f"{a.name} ({long_date(a.imported_at.date())})" for a in audits])
        + f". The strategy was drawn from the audit {spec.audit}."
        if audits
        else ""
    )
    plan = ""
    if strategy.adopted_on and strategy.adopted_on.year == year:
        plan = f"The {strategy.title} ({spec.period}) was adopted {_adopted_words(strategy)}."
    elif strategy.adopted_on:
        plan = (
            f"The {strategy.title} ({spec.period}), adopted {_adopted_words(strategy)}, was "
            f"delivered through {year}; owners reported progress in "
            f"{plural(quarters, 'quarter')} of the year."
        )
    refreshes = [s for s in strategies.refreshes_of(strategy) if s.refresh_year == year]
    if refreshes:
        plan += f" Refreshed for {year}: " + join_words([s.title for s in refreshes]) + "."
    run = [c for c in interface.consultations() if _in_year(c.opens, c.closes, year)]
    engagement = (
        "Consultations with residents run in the year: "
        + join_words([f"{c.title}{_dates(c.opens, c.closes)}" for c in run])
        + "."
        if run
        else ""
    )
    reoffending = [p for p in spec.priorities if "reoffend" in p.name.casefold()]
    offending = (
        "The strategy's priority " + join_words([p.name for p in reoffending]) + " delivers it."
        if reoffending
        else ""
    )
    texts = (assessment, plan.strip(), engagement, "", offending, "")
    return tuple(Duty(name, text) for name, text in zip(DUTIES, texts, strict=True))


def _in_year(opens: dt.date | None, closes: dt.date | None, year: int) -> bool:
    return any(day is not None and day.year == year for day in (opens, closes))


def _dates(opens: dt.date | None, closes: dt.date | None) -> str:
    if opens and closes:
        return f" ({long_date(opens)} to {long_date(closes)})"
    return f" (opened {long_date(opens)})" if opens else ""
