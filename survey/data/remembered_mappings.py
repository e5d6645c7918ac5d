"""Column mappings officers confirmed, kept for the next file of the same shape.

A survey tool's export of the same survey has the same headings each time; once an officer
has said where its columns go (a mapping file, on the upload page or the command line), the
next such file imported to the consultation is read the same way without asking again.
Reading never writes: `remembered` only reads; `remember` adds or replaces, and the import
that calls it commits.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from common.database import db, utcnow
from survey.data.models import Consultation, RememberedMapping


def remembered(consultation: Consultation, shape: str) -> RememberedMapping | None:
    """The mapping confirmed for files of this shape, if any."""
    return db.session.scalar(
        sa.select(RememberedMapping).where(
            RememberedMapping.consultation_id == consultation.id,
            RememberedMapping.shape == shape,
        )
    )


def remember(
    consultation: Consultation, shape: str, mapping: dict[str, Any], by_id: int | None
) -> None:
    """Keep `mapping` for the consultation's next file of this shape (replacing any kept)."""
    kept = remembered(consultation, shape)
    if kept is None:
        kept = RememberedMapping(consultation_id=consultation.id, shape=shape)
        db.session.add(kept)
    kept.mapping = mapping
    kept.saved_at = utcnow()
    kept.saved_by_id = by_id
