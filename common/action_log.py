"""The action log: who did what to which consultation, written in the same transaction.

Officer and admin actions call `record` just before they commit, so an action and its log
entry are saved together or not at all. Reading residents' words or downloading what holds
them calls `record_read`, which keeps the read's own session free of writes.
"""

from __future__ import annotations

import logging
from typing import Any, Protocol

import sqlalchemy as sa

from common.database import db, utcnow
from common.models import AuditEvent, User
from common.text import clean_line, clean_text

COMMAND_LINE = "command line"
log = logging.getLogger("csp.audit")


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
    event = AuditEvent(**_entry(action, consultation, subject, detail, by, actor))
    db.session.add(event)
    return event


def record_read(
    action: str,
    consultation: Identified | None = None,
    subject: str = "",
    detail: str = "",
    *,
    by: User | None,
    actor: str = COMMAND_LINE,
) -> bool:
    """An entry for a read (a page of residents' words, a download), committed at once on a
    connection of its own so that the read itself still writes nothing; True when stored.

    Where the database refuses writes (a read-only replica serving reads) the read goes on and
    the entry is written to the server's log (`csp.audit`) instead.
    """
    values = _entry(action, consultation, subject, detail, by, actor) | {"at": utcnow()}
    try:
        with db.engine.begin() as connection:
            connection.execute(sa.insert(AuditEvent).values(**values))
    except sa.exc.DBAPIError as exc:
        log.warning("audit entry kept here, not stored (%s): %s", type(exc.orig).__name__, values)
        return False
    return True


def _entry(
    action: str,
    consultation: Identified | None,
    subject: str,
    detail: str,
    by: User | None,
    actor: str,
) -> dict[str, Any]:
    user = by if isinstance(by, User) else None  # a signed-out visitor's proxy is no User
    return {
        "user_id": user.id if user else None,
        "actor": user.email if user else clean_line(actor)[:254],
        "action": action,
        "consultation_id": consultation.id if consultation is not None else None,
        "subject": clean_line(subject)[:300],
        "detail": clean_text(detail),  # names people typed (a priority, a theme) go in here
    }
