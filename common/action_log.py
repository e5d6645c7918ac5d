"""The action log: who did what to which consultation, written in the same transaction.

Officer and admin actions call `record` just before they commit, so an action and its log
entry are saved together or not at all.
"""

from __future__ import annotations

from typing import Protocol

from common.database import db
from common.models import AuditEvent, User
from common.text import clean_line

COMMAND_LINE = "command line"


class Identified(Protocol):
    """What an entry is about (a consultation): anything with its database id."""

    id: int | None


def record(
    action: str,
    consultation: Identified | None = None,
    subject: str = "",
    detail: str = "",
    *,
    by: User | None,
    actor: str = COMMAND_LINE,
) -> AuditEvent:
    """Add an entry for `by`, the person who acted (None, or no one signed in: `actor`, by
    default the command line); the caller commits."""
    if consultation is not None and consultation.id is None:
        db.session.flush()  # a consultation created in this transaction needs its id
    user = by if isinstance(by, User) else None  # a signed-out visitor's proxy is no User
    event = AuditEvent(
        user_id=user.id if user else None,
        actor=user.email if user else clean_line(actor)[:254],
        action=action,
        consultation_id=consultation.id if consultation is not None else None,
        subject=clean_line(subject)[:300],
        detail=detail,
    )
    db.session.add(event)
    return event
