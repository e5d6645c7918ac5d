"""Response references in the database: which are taken, and fresh ones that are not."""

from __future__ import annotations

from collections.abc import Collection

import sqlalchemy as sa

from common.database import db
from survey.core.references import new_reference
from survey.data.models import Response

CHUNK = 500  # references per lookup query


def taken_references(references: Collection[str]) -> set[str]:
    """Which of `references` already belong to stored responses (a query per 500)."""
    taken: set[str] = set()
    wanted = sorted(references)
    for start in range(0, len(wanted), CHUNK):
        chunk = wanted[start : start + CHUNK]
        taken.update(
            db.session.scalars(sa.select(Response.reference).where(Response.reference.in_(chunk)))
        )
    return taken


def fresh_references(count: int, avoid: Collection[str] = ()) -> list[str]:
    """`count` new references, unused in the database and not in `avoid`, checked in bulk."""
    chosen: set[str] = set()
    while len(chosen) < count:
        candidates = {new_reference() for _ in range(count - len(chosen))} - set(avoid) - chosen
        chosen |= candidates - taken_references(candidates)
    return list(chosen)
