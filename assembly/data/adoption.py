"""Adopting a strategy (freezing the version the decision-making body agreed) and starting
its annual refresh.

An adopted strategy can no longer change: `strategies.save_strategy`, `built_drafts.build`
and `comment_rounds.put_out_for_comment` refuse it with `strategies.frozen_reason`. A refresh
is a new strategy started from the adopted one's definition, on the newest audit, titled
as councils title them ("Community Safety Plan 2017-2020 (2019 refresh)").
"""

from __future__ import annotations

import copy
import datetime as dt
import re

from assembly.core.strategy import NAME_LIMIT, StrategyErrors
from assembly.data import crime_audits, delivery, strategies
from assembly.data.comment_rounds import latest_draft
from assembly.data.models import Strategy, StrategyStatus
from common import action_log
from common.database import db
from common.display import long_date
from common.models import User
from common.text import clean_line

REFRESH_SUFFIX = re.compile(r"\s*\(\d{4} refresh\)$")
SLUG_LIMIT = 80


class AdoptionError(ValueError):
    """An adoption or refresh refused, saying why for a person; nothing was saved."""


def adopt(
    strategy: Strategy,
    on: dt.date,
    by: str,
    minute: str = "",
    user: User | None = None,
) -> None:
    """Record that body `by` adopted the strategy's newest draft on `on`, freeze it, and make
    each action of its plan an item to deliver.

    The draft adopted must be built from the definition as it stands (so what was agreed is
    what is kept) and have its PDF (both are published). The caller commits."""
    body, reference = clean_line(by).strip(), clean_line(minute).strip()
    if strategy.frozen:
        raise AdoptionError(strategies.frozen_reason(strategy))
    if not body:
        raise AdoptionError("name the body that adopted it, such as 'Full Council'")
    if len(body) > NAME_LIMIT or len(reference) > NAME_LIMIT:
        raise AdoptionError(f"the body and the minute reference are at most {NAME_LIMIT} letters")
    draft = latest_draft(strategy)
    if draft is None:
        raise AdoptionError(f"'{strategy.slug}' has no draft to adopt: build one, with its PDF")
    if draft.inputs.get("strategy") != strategy.definition:
        raise AdoptionError(
            f"the strategy has changed since draft {draft.version} was built, so that draft is "
            "not what would be adopted: build a new draft (with its PDF) and adopt that"
        )
    if draft.pdf is None:
        raise AdoptionError(
            f"draft {draft.version} was built without a PDF, and the adopted strategy is "
            "published as Word and PDF: build the draft again with its PDF"
        )
    strategy.status = StrategyStatus.ADOPTED.value
    strategy.adopted_on = on
    strategy.adopted_by = body
    strategy.adoption_minute = reference or None
    strategy.adopted_version = draft.version
    delivery.start_delivery(strategy, on)
    action_log.record(
        "strategy adopted",
        None,
        strategy.title,
        f"draft {draft.version}, by {body} on {long_date(on)}"
        + (f", minute {reference}" if reference else ""),
        by=user,
    )
    db.session.flush()


def refresh(strategy: Strategy, year: int, user: User | None = None) -> Strategy:
    """Start the `year` refresh of an adopted strategy: a new strategy with its definition,
    on the newest audit. Raises AdoptionError saying why not; the caller commits."""
    if strategy.status == StrategyStatus.REFRESHED:
        raise AdoptionError(f"'{strategy.slug}' has been refreshed already: refresh the newest")
    if strategy.status != StrategyStatus.ADOPTED:
        raise AdoptionError(
            f"'{strategy.slug}' has not been adopted: a refresh starts from an adopted "
            f"strategy ('flask strategy adopt {strategy.slug} --on DATE --by BODY')"
        )
    if not 2000 <= year <= 2100:
        raise AdoptionError(f"{year} is not a year like 2028")
    base_title = REFRESH_SUFFIX.sub("", strategy.title)
    base_slug = re.sub(r"-\d{4}-refresh$", "", strategy.slug)
    tail = f"-{year}-refresh"
    slug = base_slug[: SLUG_LIMIT - len(tail)].rstrip("-") + tail
    if strategies.by_strategy_slug(slug) is not None:
        raise AdoptionError(f"the {year} refresh already exists, as '{slug}'")
    definition = copy.deepcopy(strategy.definition)
    definition["slug"] = slug
    definition["title"] = f"{base_title} ({year} refresh)"[:NAME_LIMIT]
    audits = crime_audits.all_audits()  # newest first
    if audits:
        definition["audit"] = audits[0].name
    try:
        made, _ = strategies.save_strategy(definition)
    except StrategyErrors as exc:
        raise AdoptionError(
            f"the refresh on the newest audit ('{definition['audit']}') does not fit it: "
            + "; ".join(exc.problems)
        ) from None
    made.refreshed_from_id = strategy.id
    made.refresh_year = year
    strategy.status = StrategyStatus.REFRESHED.value
    action_log.record("strategy refreshed", None, made.title, f"from {strategy.slug}", by=user)
    db.session.flush()
    return made
