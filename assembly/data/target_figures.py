"""Measures against targets of an adopted strategy: actual figures from imported audits, or
entered by an officer, gathered with each target's baseline and goal.

A target linked to an audit category takes its baseline from the strategy's own audit (its
latest figure for the category) unless the strategy words one, and its actual figures from
every imported audit's whole-area figures for that category (the newest import wins a period).
Any target may have figures entered for periods no audit gives. Functions here never commit.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import sqlalchemy as sa

from assembly.core.measures import Measure
from assembly.core.periods import chronological, compared_periods, period_begins, period_kind
from assembly.core.strategy import StrategySpec, TargetSpec
from assembly.core.target_progress import (
    Point,
    TargetProgress,
    entered_period,
    entered_value,
    first_number,
    kind_of_figures,
    period_named,
    progress_of,
)
from assembly.data import strategies
from assembly.data.models import WHOLE_AREA, AuditFigure, CrimeAudit, Strategy, TargetFigure
from common import action_log
from common.database import db
from common.models import User


class TargetError(ValueError):
    """A figure that cannot be recorded, saying why and which field is wrong; nothing saved."""

    def __init__(self, message: str, field: str = "period") -> None:
        super().__init__(message)
        self.field = field


def numbered_targets(spec: StrategySpec) -> list[tuple[int, str, TargetSpec]]:
    """Every target with its number across the strategy (1, 2, 3 …) and its priority's name."""
    found = [(p.name, t) for p in spec.priorities for t in p.targets]
    return [(number, name, target) for number, (name, target) in enumerate(found, start=1)]


def measures_of(strategy: Strategy, as_of: dt.date | None = None) -> list[TargetProgress]:
    """Each target of the strategy with its baseline, goal and actual figures; with `as_of`,
    only figures of periods begun by that day (a past quarter's report shows no later year)."""
    spec = strategies.spec_of(strategy)
    entered = _entered(strategy)
    measured = []
    for number, priority, target in numbered_targets(spec):
        points = entered.get(number, [])
        unit, measure, baseline = None, Measure.COUNT, _worded_baseline(target)
        if target.audit_category:
            rows = _audit_rows(target.audit_category)
            if rows:
                unit, measure = rows[-1][3], Measure(rows[-1][4])
            if baseline is None:
                baseline = _audit_baseline(spec.audit, target.audit_category)
            from_audits = {
                period: Point(period, Decimal(value).normalize(), f"audit '{name}'")
                for period, value, name, _, _ in rows
            }
            points = [p for p in points if p.period not in from_audits] + list(from_audits.values())
        if as_of is not None:
            points = [p for p in points if (period_begins(p.period) or as_of) <= as_of]
        measured.append(progress_of(number, priority, target, baseline, points, unit, measure))
    return measured


def _worded_baseline(target: TargetSpec) -> tuple[Decimal, str | None] | None:
    """The baseline the strategy words ('four events in 2025/26'), if it names a number."""
    value = first_number(target.baseline) if target.baseline else None
    return None if value is None else (value, period_named(target.baseline))


def _audit_rows(category: str) -> list[tuple[str, Decimal, str, str | None, str]]:
    """(period, value, audit, unit, measure) of every audit's whole-area figures for a
    category, oldest import first, so a later import's figure for a period replaces it."""
    rows = db.session.execute(
        sa.select(
            AuditFigure.period,
            AuditFigure.value,
            CrimeAudit.name,
            AuditFigure.unit,
            AuditFigure.measure,
        )  # fmt: skip
        .join(CrimeAudit, CrimeAudit.id == AuditFigure.audit_id)
        .where(
            AuditFigure.category == category,
            AuditFigure.area == WHOLE_AREA,
            AuditFigure.comparator.is_(False),
            AuditFigure.value.is_not(None),
        )
        .order_by(CrimeAudit.imported_at, CrimeAudit.id, AuditFigure.position)
    )
    return [(p, v, n, u, m) for p, v, n, u, m in rows]


def _audit_baseline(audit_name: str, category: str) -> tuple[Decimal, str] | None:
    """The strategy's own audit's latest figure for the category, and its period."""
    rows = db.session.execute(
        sa.select(AuditFigure.period, AuditFigure.value)
        .join(CrimeAudit, CrimeAudit.id == AuditFigure.audit_id)
        .where(
            sa.func.lower(CrimeAudit.name) == audit_name.strip().lower(),
            AuditFigure.category == category,
            AuditFigure.area == WHOLE_AREA,
            AuditFigure.comparator.is_(False),
            AuditFigure.value.is_not(None),
        )
        .order_by(AuditFigure.position)
    ).all()
    values = {period: value for period, value in rows}
    compared = compared_periods(list(values))
    if compared is None:
        return None
    return Decimal(values[compared[1]]).normalize(), compared[1]


def _entered(strategy: Strategy) -> dict[int, list[Point]]:
    """Officers' figures by target number."""
    found: dict[int, list[Point]] = {}
    for figure in db.session.scalars(
        sa.select(TargetFigure).where(TargetFigure.strategy_id == strategy.id)
    ):
        found.setdefault(figure.target_number, []).append(
            Point(
                figure.period, Decimal(figure.value).normalize(), f"entered by {figure.recorded_by}"
            )
        )
    return found


def record_figure(
    strategy: Strategy, number: int, period: str, value: str, user: User | None
) -> TargetProgress:
    """Keep an officer's figure for target `number` and a period (replacing one entered for
    that period before); TargetError says what is wrong and nothing is saved. Caller commits."""
    measured = measures_of(strategy)
    if not 1 <= number <= len(measured):
        raise TargetError(
            f"'{strategy.slug}' has no target {number}: its targets are numbered 1 to "
            f"{len(measured)}",
            "target",
        )
    target = measured[number - 1]
    try:
        label = entered_period(period)
    except ValueError as exc:
        raise TargetError(str(exc)) from None
    try:
        figure = entered_value(value)
    except ValueError as exc:
        raise TargetError(str(exc), "value") from None
    from_audit = next(
        (p for p in target.points if p.period == label and p.source.startswith("audit")), None
    )
    if from_audit is not None:
        raise TargetError(
            f"the figure for {label} comes from {from_audit.source} "
            f"({target.shown(from_audit.value)}): import a corrected audit to change it"
        )
    kind = target.kind or kind_of_figures(None, [label])
    if period_kind(label) is not kind:
        raise TargetError(
            f"{label} is a {period_kind(label).value}, but target {number}'s figures are each a "
            f"{kind.value if kind else 'period'}: periods of different kinds are never compared"
        )
    if target.baseline_period and not _after(label, target.baseline_period):
        raise TargetError(
            f"{label} is not after the baseline ({target.baseline_period}): enter a later period"
        )
    existing = db.session.scalar(
        sa.select(TargetFigure).where(
            TargetFigure.strategy_id == strategy.id,
            TargetFigure.target_number == number,
            TargetFigure.period == label,
        )
    )
    by = user.email if user is not None else action_log.COMMAND_LINE
    if existing is None:
        db.session.add(TargetFigure(strategy_id=strategy.id, target_number=number, period=label,
                                    value=figure, recorded_by=by))  # fmt: skip
    else:
        existing.value, existing.recorded_by = figure, by
    action_log.record(
        "target figure recorded", None, strategy.title,
        f"target {number} for {label}: {target.shown(figure)}", by=user,
    )  # fmt: skip
    db.session.flush()
    return measures_of(strategy)[number - 1]


def _after(period: str, baseline: str) -> bool:
    """True when `period` is later than the baseline's (both of one kind)."""
    return period != baseline and chronological([period, baseline])[0] == baseline
