"""A stored strategy's readiness gaps, with what they are checked against read from the database.

Only reads: the audit's periods, and the themes residents mentioned in answer to the
consultation's concerns question (counted as the results pages count them).
"""

from __future__ import annotations

from assembly.core.readiness import Gap, readiness
from assembly.core.strategy import StrategySpec
from assembly.core.strategy_document import concerns_result
from assembly.core.wording import mentioned
from assembly.data.crime_audits import audit_by_name
from survey import interface


def gaps_of(spec: StrategySpec, *, minimum: int) -> list[Gap]:
    """What a board would query in the strategy; `minimum` is the suppression threshold."""
    audit = audit_by_name(spec.audit)
    results = interface.results(spec.consultation, minimum=minimum)
    worries = concerns_result(results) if results is not None else None
    return readiness(
        spec,
        audit_periods=tuple(audit.periods) if audit is not None else (),
        concern_themes=[t.theme for t in mentioned(worries)] if worries is not None else [],
        codebook_themes=interface.theme_names(spec.consultation),
    )
