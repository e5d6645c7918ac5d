"""Data access for crime and disorder audits: import a file whole, read figures and findings.

The file is read and checked by `assembly.core.audit_files` (pure); only a file without a single
problem is stored, in one transaction. Figures come back as the same `AuditTable` the file
gave, so trends are computed identically from a file and from the database.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import BinaryIO

import sqlalchemy as sa

from assembly.core.audit_files import AuditFigure as FileFigure
from assembly.core.audit_files import AuditTable
from assembly.core.audit_readers import read_audit_file
from assembly.core.measures import Measure
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
    name: str,
    filename: str,
    data: bytes | BinaryIO,
    user_id: int | None,
    replace: bool = False,
    area: str | None = None,
    on_rows: Callable[[int], None] | None = None,
) -> CrimeAudit:
    """Store an audit file's figures (and its comparators') under `name`; the caller commits.

    `data` is the file's bytes or the open file (a police.uk file is counted as it is read,
    however long); `area` names the partnership's area in a file of several. Raises
    AuditError for a taken name (unless `replace`), and the file reader's refusal, listing
    every problem, for a bad file. With `replace`, an audit's figures are replaced and its
    key findings kept.
    """
    name, existing = name_to_import(name, replace)
    source = io.BytesIO(data) if isinstance(data, bytes) else data
    table = read_audit_file(source, filename, area, on_rows)  # raises: nothing stored yet
    audit = existing or CrimeAudit(name=name)
    if existing is not None:
        db.session.execute(sa.delete(AuditFigure).where(AuditFigure.audit_id == existing.id))
    audit.filename = clean_line(filename)[:255]
    audit.periods = list(table.periods)
    audit.area_name = table.area_name[:120] if table.area_name else None
    audit.area_code = table.area_code[:20] if table.area_code else None
    audit.imported_by_id = user_id
    db.session.add(audit)
    db.session.flush()
    rows = [*_rows(audit.id, table.figures, False, 0)]
    rows += _rows(audit.id, table.comparators, True, len(rows))
    if rows:
        db.session.execute(sa.insert(AuditFigure), rows)
    db.session.expire(audit)
    return audit


def _rows(
    audit_id: int, figures: Iterable[FileFigure], comparator: bool, start: int
) -> list[dict[str, object]]:
    """The rows to insert for figures, numbered on from `start` in file order."""
    return [
        {
            "audit_id": audit_id,
            "position": position,
            "category": figure.category,
            "area": figure.area or WHOLE_AREA,
            "period": figure.period,
            "value": figure.value,
            "unit": figure.unit,
            "source": figure.source,
            "notes": figure.notes,
            "measure": figure.measure.value,
            "comparator": comparator,
        }
        for position, figure in enumerate(figures, start=start)
    ]


def audit_by_name(name: str) -> CrimeAudit | None:
    """The audit with this name (case-insensitive), if any."""
    return db.session.scalar(
        sa.select(CrimeAudit).where(sa.func.lower(CrimeAudit.name) == name.strip().lower())
    )


def all_audits() -> list[CrimeAudit]:
    """Every audit, newest first."""
    return list(db.session.scalars(sa.select(CrimeAudit).order_by(CrimeAudit.imported_at.desc())))


def audit_table(audit: CrimeAudit) -> AuditTable:
    """The audit's figures as the file gave them, in file order, and its comparators'."""
    rows = db.session.execute(
        sa.select(
            AuditFigure.category,
            AuditFigure.period,
            AuditFigure.value,
            AuditFigure.area,
            AuditFigure.unit,
            AuditFigure.source,
            AuditFigure.notes,
            AuditFigure.measure,
            AuditFigure.comparator,
        )
        .where(AuditFigure.audit_id == audit.id)
        .order_by(AuditFigure.position)
    )
    figures: list[FileFigure] = []
    comparators: list[FileFigure] = []
    for category, period, value, area, unit, source, notes, measure, comparator in rows:
        figure = FileFigure(
            category=category,
            period=period,
            value=Decimal(value).normalize() if value is not None else None,
            area=area or None,
            unit=unit,
            source=source,
            notes=notes,
            measure=Measure(measure),
        )
        (comparators if comparator else figures).append(figure)
    return AuditTable(
        periods=tuple(audit.periods),
        figures=tuple(figures),
        area_name=audit.area_name,
        area_code=audit.area_code,
        comparators=tuple(comparators),
    )


def audit_categories(audit: CrimeAudit) -> list[str]:
    """The audit's categories, in file order."""
    rows = db.session.execute(
        sa.select(AuditFigure.category, sa.func.min(AuditFigure.position))
        .where(AuditFigure.audit_id == audit.id, AuditFigure.comparator.is_(False))
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
