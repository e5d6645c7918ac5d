"""Building Word drafts of a strategy from the database, and keeping every build.

Gathers the strategy, its consultation's results (read through `survey.interface`), its audit's
trends and the charts, hands them to the pure `assembly.core.strategy_document`, and stores
the file with what it was built from, so any earlier draft can be fetched again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from assembly.core import charts as draft_charts
from assembly.core.audit_files import AuditTable
from assembly.core.changes import changes_between
from assembly.core.language import ENGLISH, WELSH, Words
from assembly.core.readiness import readiness
from assembly.core.statutory import DEFAULT_FILE, WELSH_FILE, parse_wording
from assembly.core.strategy import StrategySpec
from assembly.core.strategy_document import (
    DraftInputs,
    agreement_result,
    build_draft,
    concerns_result,
    draft_figures,
)
from assembly.core.trends import trends as audit_trends
from assembly.core.wording import mentioned
from assembly.core.you_said import RESIDENTS
from assembly.data import you_said
from assembly.data.crime_audits import audit_by_name, audit_table, findings_of
from assembly.data.models import HouseTemplate, Strategy, StrategyDraft, StrategyStatus
from assembly.data.strategies import frozen_reason, spec_of
from common import action_log
from common.database import db, utcnow
from common.display import iso_timestamp, long_date
from common.models import User
from survey import interface
from survey.core.report import results_to_dict
from survey.core.results import Breakdown, ConsultationResults

COMMAND_LINE = action_log.COMMAND_LINE


class DraftError(ValueError):
    """A draft that cannot be built, with the reason for a person."""


@dataclass(frozen=True)
class Gathered:
    """Everything a draft is built from, read from the database (which this does not change)."""

    inputs: DraftInputs
    consultation: interface.ConsultationRef
    built_from: dict[str, Any]  # kept with the draft: what it was built from


def statutory_wording(
    path: str | None = None, language: str = ENGLISH
) -> dict[str, tuple[str, ...]]:
    """The statutory passages: from the council's own file if the setting names one, else the
    service's, in Welsh for a Welsh draft."""
    source = Path(path) if path else WELSH_FILE if language == WELSH else DEFAULT_FILE
    try:
        return parse_wording(source.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise DraftError(
            f"the statutory wording file '{source}' could not be read: {exc}"
        ) from None


def audit_sources(table: AuditTable) -> dict[str, str]:
    """Each category's source, as the audit's file gives it (several joined by '; ')."""
    found: dict[str, dict[str, None]] = {}
    for figure in table.figures:
        if figure.source and figure.source.strip() and figure.area is None:
            found.setdefault(figure.category, {})[figure.source.strip()] = None
    return {category: "; ".join(names) for category, names in found.items()}


def gather(
    strategy: Strategy,
    built_by: str,
    built_at: dt.datetime,
    *,
    minimum: int,
    wording_file: str | None = None,
    language: str = ENGLISH,
) -> Gathered:
    """Read the next draft's inputs: the strategy, its consultation's results (counts below
    `minimum` hidden), its audit's trends and the charts, with the fixed wording in `language`
    ("en" or "cy"). Only reads, so it works against a read-only database."""
    tr = Words(language)
    spec = spec_of(strategy)
    consultation = interface.consultation(spec.consultation)
    results = interface.results(spec.consultation, minimum=minimum)
    if consultation is None or results is None:
        raise DraftError(f"the strategy's consultation '{spec.consultation}' no longer exists")
    audit = audit_by_name(spec.audit)
    if audit is None:
        raise DraftError(f"the strategy's audit '{spec.audit}' no longer exists")
    breakdown = _area_breakdown(results, minimum)
    table = audit_table(audit)
    trends = tuple(audit_trends(table, tr))
    template = current_template()
    welsh = interface.welsh_texts(spec.consultation) if language != ENGLISH else {}
    inputs = DraftInputs(
        strategy=spec,
        results=results,
        audit_name=audit.name,
        audit_periods=tuple(audit.periods),
        trends=trends,
        findings=findings_of(audit),
        charts=draft_charts.draft_charts(spec, results, breakdown, table, trends, tr, welsh),
        version=_next_version(strategy),
        built_at=built_at,
        built_by=built_by,
        breakdown=breakdown,
        template=template.docx if template is not None else None,
        sources={"Audit file": audit.filename} if audit.filename else {},
        audit_sources=audit_sources(table),
        wording=statutory_wording(wording_file, language),
        gaps=_comments(spec, results, audit.periods),
        language=language,
        welsh=welsh,
    )
    built_from = {
        "strategy": dict(strategy.definition),
        "consultation": consultation.slug,
        "responses": results.responses,
        "results_sha256": _digest(results),
        "suppression_threshold": results.threshold,
        "audit": audit.name,
        "audit_imported_at": iso_timestamp(audit.imported_at),
        "house_template": template.filename if template is not None else None,
        "figures": draft_figures(inputs),
        "language": language,
    }
    inputs = replace(inputs, you_said=_you_said(strategy, inputs.version, minimum, tr))
    previous = _latest_draft_inputs(strategy)
    since = ""
    if previous is None:
        previous, since = _adopted_inputs(strategy, tr)
    if previous is not None:
        changes = changes_between(previous, built_from, tr)
        inputs = replace(inputs, changes=changes, changes_since=since)
    return Gathered(inputs, consultation, built_from)


def _you_said(
    strategy: Strategy, version: int, minimum: int, tr: Words
) -> tuple[str, list[tuple[str, str, str, str]]] | None:
    """The points said about the newest earlier draft out for comment that has responses,
    and what was done about each; None when no draft has had any."""
    made = you_said.newest_answered_round(strategy.id, version)
    if made is None:
        return None
    points = [p for p in you_said.points_of(made, minimum=minimum, tr=tr) if p.answer]
    rows = [
        (
            p.section,
            tr(p.by) if p.by == RESIDENTS else p.by,
            tr("Recommendation: %(said)s", said=p.said) if p.recommendation else p.said,
            p.answer.worded(tr) if p.answer else "",
        )
        for p in points
    ]
    about = tr(
        "Draft %(version)s went out for comment (the consultation '%(slug)s'). Each point "
        "residents, partners and committees made, and what the partnership did about it:",
        version=made.draft_version,
        slug=made.consultation_slug,
    )
    return about, rows


def _adopted_inputs(strategy: Strategy, tr: Words) -> tuple[dict[str, Any] | None, str]:
    """For a refresh's first draft: what the adopted version it started from was built from,
    and how the appendix names that version; (None, "") for any other strategy."""
    adopted = strategy.refreshed_from
    if adopted is None or adopted.adopted_version is None:
        return None, ""
    draft = draft_version(adopted, adopted.adopted_version)
    if draft is None:
        return None, ""
    if adopted.adopted_on:
        return draft.inputs, tr(
            "the adopted strategy (draft %(version)s, adopted on %(date)s)",
            version=draft.version,
            date=long_date(adopted.adopted_on, tr.language),
        )
    return draft.inputs, tr("the adopted strategy (draft %(version)s)", version=draft.version)


def build(
    strategy: Strategy,
    user: User | None = None,
    now: dt.datetime | None = None,
    *,
    minimum: int,
    wording_file: str | None = None,
    language: str = ENGLISH,
) -> StrategyDraft:
    """Build the next version of a strategy's draft, its fixed wording in `language`, and keep
    it; the caller commits."""
    if strategy.frozen:
        raise DraftError(frozen_reason(strategy))
    built_by = user.email if user is not None else COMMAND_LINE
    gathered = gather(
        strategy,
        built_by,
        now or utcnow(),
        minimum=minimum,
        wording_file=wording_file,
        language=language,
    )
    inputs = gathered.inputs
    draft = StrategyDraft(
        strategy_id=strategy.id,
        version=inputs.version,
        built_at=inputs.built_at,
        built_by_id=user.id if user is not None else None,
        built_by=built_by,
        inputs=gathered.built_from,
        docx=build_draft(inputs),
    )
    db.session.add(draft)
    if strategy.status == StrategyStatus.OUT_FOR_COMMENT:
        strategy.status = StrategyStatus.DRAFT.value  # a newer draft, not yet out for comment
    action_log.record(
        "draft built",
        gathered.consultation,
        strategy.title,
        f"version {inputs.version}",
        by=user,
    )
    db.session.flush()
    return draft


def _area_breakdown(results: ConsultationResults, minimum: int) -> Breakdown | None:
    """Agreement with the priorities by the first breakdown question (area), if both exist."""
    agreement = agreement_result(results)
    if agreement is None or not results.breakdown_questions or agreement.statement is not None:
        return None
    by = results.breakdown_questions[0]
    return interface.breakdown(results.slug, by.key, agreement.key, minimum=minimum)


def _digest(results: ConsultationResults) -> str:
    """A fingerprint of every figure the draft used, to tell whether the data has changed."""
    text = json.dumps(results_to_dict(results), sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _comments(
    spec: StrategySpec, results: ConsultationResults, audit_periods: Sequence[str]
) -> tuple[tuple[str, str], ...]:
    """What a board would query, as (section of the draft, comment). A concern no one answers
    is left out: the draft flags it on its own paragraph."""
    worries = concerns_result(results)
    gaps = readiness(
        spec,
        audit_periods=audit_periods,
        concern_themes=[t.theme for t in mentioned(worries)] if worries is not None else [],
        codebook_themes=interface.theme_names(spec.consultation),
    )
    return tuple(
        (f"priority:{gap.priority}" if gap.section == "priority" else gap.section, gap.message)
        for gap in gaps
        if gap.page != "other_agencies"
    )


def _latest_draft_inputs(strategy: Strategy) -> dict[str, Any] | None:
    """What the latest build was built from, or None before the first build."""
    return db.session.scalar(
        sa.select(StrategyDraft.inputs)
        .where(StrategyDraft.strategy_id == strategy.id)
        .order_by(StrategyDraft.version.desc())
        .limit(1)
    )


def _next_version(strategy: Strategy) -> int:
    last = db.session.scalar(
        sa.select(sa.func.max(StrategyDraft.version)).where(
            StrategyDraft.strategy_id == strategy.id
        )
    )
    return (last or 0) + 1


def drafts_of(strategy: Strategy) -> list[StrategyDraft]:
    """Every build of a strategy's draft, newest first (without loading the files)."""
    return list(
        db.session.scalars(
            sa.select(StrategyDraft)
            .where(StrategyDraft.strategy_id == strategy.id)
            .order_by(StrategyDraft.version.desc())
            .options(sa.orm.defer(StrategyDraft.docx))
        )
    )


def versions_with_pdf(strategy: Strategy) -> set[int]:
    """The versions of a strategy's draft built with their PDF (without loading either file)."""
    return set(
        db.session.scalars(
            sa.select(StrategyDraft.version).where(
                StrategyDraft.strategy_id == strategy.id, StrategyDraft.pdf.is_not(None)
            )
        )
    )


def draft_version(strategy: Strategy, version: int) -> StrategyDraft | None:
    """One build of a strategy's draft, by version number."""
    return db.session.scalar(
        sa.select(StrategyDraft).where(
            StrategyDraft.strategy_id == strategy.id, StrategyDraft.version == version
        )
    )


def filename_of(strategy: Strategy, draft: StrategyDraft) -> str:
    """'community-safety-strategy-2026-29-draft-3.docx' ('...-draft-3-cy.docx' in Welsh)."""
    suffix = "" if language_of(draft) == ENGLISH else f"-{language_of(draft)}"
    return f"{strategy.slug}-draft-{draft.version}{suffix}.docx"


def language_of(draft: StrategyDraft) -> str:
    """The language of a draft's fixed wording: English for those built before Welsh was."""
    return str((draft.inputs or {}).get("language") or ENGLISH)


def current_template() -> HouseTemplate | None:
    """The most recently uploaded house template, if any."""
    return db.session.scalar(
        sa.select(HouseTemplate).order_by(HouseTemplate.uploaded_at.desc(), HouseTemplate.id.desc())
    )
