"""Data access for strategy definitions: load (create or update by slug), read, export.

A definition is checked whole against the database before anything is saved: its
consultation must exist, its themes must be in that consultation's codebook, and its audit
categories in its audit. The stored JSON is the checked, cleaned definition.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from assembly.core.strategy import StrategyErrors, StrategySpec, parse_strategy, strategy_to_dict
from assembly.data.crime_audits import audit_by_name, audit_categories
from assembly.data.models import Strategy, StrategyStatus
from common.database import db
from common.display import long_date
from survey import interface


def check_definition(raw: object) -> StrategySpec:
    """A definition checked against the consultation and audit it names; raises StrategyErrors."""
    spec = parse_strategy(raw)  # shape first: the references below need its fields
    problems: list[str] = []
    if interface.consultation(spec.consultation) is None:
        problems.append(f"consultation '{spec.consultation}' does not exist")
    audit = audit_by_name(spec.audit)
    if audit is None:
        problems.append(f"audit '{spec.audit}' does not exist: import it with 'flask audit import'")
    if problems:
        raise StrategyErrors(problems)
    assert audit is not None
    return parse_strategy(
        raw,
        theme_names=interface.theme_names(spec.consultation),
        audit_categories=audit_categories(audit),
    )


def save_strategy(raw: object) -> tuple[Strategy, bool]:
    """Create or update (by slug) a strategy from a definition; returns it and whether it is new.

    Raises StrategyErrors naming every problem; nothing is saved then. The caller commits.
    """
    spec = check_definition(raw)
    strategy = by_strategy_slug(spec.slug)
    if strategy is not None and strategy.frozen:
        raise StrategyErrors([frozen_reason(strategy)])
    created = strategy is None
    if strategy is None:
        strategy = Strategy(slug=spec.slug)
        db.session.add(strategy)
    strategy.title = spec.title
    strategy.definition = strategy_to_dict(spec)
    db.session.flush()
    return strategy, created


def frozen_reason(strategy: Strategy) -> str:
    """Why an adopted strategy can no longer change, and what to do instead."""
    decision = f"adopted by {strategy.adopted_by}"
    if strategy.adopted_on is not None:
        decision += f" on {long_date(strategy.adopted_on)}"
    if strategy.adoption_minute:
        decision += f" (minute {strategy.adoption_minute})"
    return (
        f"'{strategy.slug}' was {decision}, so it can no longer change: start a refresh of it "
        f"('flask strategy refresh {strategy.slug} --year YYYY') and change that instead"
    )


def status_of(strategy: Strategy) -> str:
    """Its status as officers and the public read it: 'Draft', 'Adopted by Full Council on
    12 May 2027 (minute 45/27)', 'Draft (2028 refresh)'."""
    if strategy.frozen:
        decision = f"Adopted by {strategy.adopted_by}"
        if strategy.adopted_on is not None:
            decision += f" on {long_date(strategy.adopted_on)}"
        if strategy.adoption_minute:
            decision += f" (minute {strategy.adoption_minute})"
        refreshed = ", since refreshed" if strategy.status == StrategyStatus.REFRESHED else ""
        return decision + refreshed
    status = strategy.status[:1].upper() + strategy.status[1:]
    return f"{status} ({strategy.refresh_year} refresh)" if strategy.refresh_year else status


def refreshes_of(strategy: Strategy) -> list[Strategy]:
    """The refreshes started from this strategy, newest year first."""
    return list(
        db.session.scalars(
            sa.select(Strategy)
            .where(Strategy.refreshed_from_id == strategy.id)
            .order_by(Strategy.refresh_year.desc())
        )
    )


def by_strategy_slug(slug: str) -> Strategy | None:
    """The strategy with this slug, if any."""
    return db.session.scalar(sa.select(Strategy).where(Strategy.slug == slug))


def all_strategies() -> list[Strategy]:
    """Every strategy, by title."""
    return list(db.session.scalars(sa.select(Strategy).order_by(Strategy.title)))


def spec_of(strategy: Strategy) -> StrategySpec:
    """The stored definition as a spec (it was checked when saved)."""
    return parse_strategy(strategy.definition)


def definition_of(strategy: Strategy) -> dict[str, Any]:
    """The stored definition, in the file format."""
    return dict(strategy.definition)
