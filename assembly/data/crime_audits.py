"""Data access for crime and disorder audits: import a file whole, read figures and findings.

The file is read and checked by `assembly.core.audit_files` (pure); only a file without a single
problem is stored, in one transaction. Figures come back as the same `AuditTable` the file
gave, so trends are computed identically from a file and from the database.
"""

from __future__ import annotations

from decimal import Decimal

import sqlalchemy as sa

from assembly.core.audit_files import AuditFigure as FileFigure
from assembly.core.audit_files import AuditTable, read_audit
from assembly.data.models import WHOLE_AREA, AuditFigure, AuditFinding, CrimeAudit
from common.database import db
from common.text import clean_line, clean_text

NAME_LIMIT = 120
FINDING_LIMIT = 5000


class AuditError(ValueError):
    """An audit import or change that was refused, with the reason for a person."""


def checked_name(name: str) -> str:
    """An audit's name, cleaned; raises AuditError when blank or too long."""
    name = " ".join(clean_line(name or "").split())
    if not name:
        raise AuditError("Enter a name for the audit, for example '2017-18 audit'")
    if len(name) > NAME_LIMIT:
        raise AuditError(f"The audit's name must be {NAME_LIMIT} characters or fewer")
    return name


def name_to_import(name: str, replace: bool) -> tuple[str, CrimeAudit | None]:
    """An imported audit's name, cleaned, and the audit it replaces; AuditError when the name
    is blank, too long, or taken (unless `replace`)."""
    name = checked_name(name)
    existing = audit_by_name(name)
    if existing is not None and not replace:
        raise AuditError(
            f"There is already an audit called '{existing.name}': choose another name, "
            "or replace its figures"
        )
    return name, existing


def import_audit(
    name: str, filename: str, data: bytes, user_id: int | None, replace: bool = False
) -> CrimeAudit:
    """Store an audit file's figures under `name`; the caller commits.

    Raises AuditError for a taken name (unless `replace`), and the file reader's refusal,
    listing every problem, for a bad file. With `replace`, an audit's figures are replaced
    and its key findings kept.
    """
    name, existing = name_to_import(name, replace)
    table = read_audit(data, filename)  # raises with every problem; nothing stored yet
    audit = existing or CrimeAudit(name=name)
    if existing is not None:
        db.session.execute(sa.delete(AuditFigure).where(AuditFigure.audit_id == existing.id))
    audit.filename = clean_line(filename)[:255]
    audit.periods = list(table.periods)
    audit.imported_by_id = user_id
    db.session.add(audit)
    db.session.flush()
    db.session.execute(
        sa.insert(AuditFigure),
        [
            {
                "audit_id": audit.id,
                "position": position,
                "category": figure.category,
                "area": figure.area or WHOLE_AREA,
                "period": figure.period,
                "value": figure.value,
                "unit": figure.unit,
                "source": figure.source,
                "notes": figure.notes,
            }
            for position, figure in enumerate(table.figures)
        ],
    )
    db.session.expire(audit)
    return audit


def audit_by_name(name: str) -> CrimeAudit | None:
    """The audit with this name (case-insensitive), if any."""
    return db.session.scalar(
        sa.select(CrimeAudit).where(sa.func.lower(CrimeAudit.name) == name.strip().lower())
    )


def all_audits() -> list[CrimeAudit]:
    """Every audit, newest first."""
    return list(db.session.scalars(sa.select(CrimeAudit).order_by(CrimeAudit.imported_at.desc())))


def audit_table(audit: CrimeAudit) -> AuditTable:
    """The audit's figures as the file gave them, in file order."""
    rows = db.session.execute(
        sa.select(
            AuditFigure.category,
            AuditFigure.period,
            AuditFigure.value,
            AuditFigure.area,
            AuditFigure.unit,
            AuditFigure.source,
            AuditFigure.notes,
        )
        .where(AuditFigure.audit_id == audit.id)
        .order_by(AuditFigure.position)
    )
    figures = tuple(
        FileFigure(
            category=category,
            period=period,
            value=Decimal(value).normalize() if value is not None else Decimal(0),
            area=area or None,
            unit=unit,
            source=source,
            notes=notes,
        )
        for category, period, value, area, unit, source, notes in rows
    )
    return AuditTable(periods=tuple(audit.periods), figures=figures)


def audit_categories(audit: CrimeAudit) -> list[str]:
    """The audit's categories, in file order."""
    rows = db.session.execute(
        sa.select(AuditFigure.category, sa.func.min(AuditFigure.position))
        .where(AuditFigure.audit_id == audit.id)
        .group_by(AuditFigure.category)
        .order_by(sa.func.min(AuditFigure.position))
    )
    return [category for category, _ in rows]


def findings_of(audit: CrimeAudit) -> dict[str, str]:
    """Officers' key findings by category, in the audit's category order."""
    stored = {f.category: f.text for f in audit.findings}
    return {c: stored[c] for c in audit_categories(audit) if c in stored}


def set_finding(audit: CrimeAudit, category: str, text: str) -> None:
    """Record (or with blank text, remove) the key finding for one category; caller commits."""
    if category not in audit_categories(audit):
        raise AuditError(f"'{category}' is not a category of audit '{audit.name}'")
    text = clean_text(text or "").strip()
    if len(text) > FINDING_LIMIT:
        raise AuditError(f"A key finding must be {FINDING_LIMIT:,} characters or fewer")
    finding = next((f for f in audit.findings if f.category == category), None)
    if not text:
        if finding is not None:
            db.session.delete(finding)
    elif finding is None:
        db.session.add(AuditFinding(audit_id=audit.id, category=category, text=text))
    else:
        finding.text = text
    db.session.flush()
