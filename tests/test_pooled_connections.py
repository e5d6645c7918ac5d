"""A pooled PostgreSQL connection closed behind the pool's back is replaced, not used.

The app does not ping every connection it takes from the pool (a round trip on every
request); it tries only one that has been idle for `IDLE_BEFORE_PING` seconds, which is when
servers restart and proxies drop connections unseen.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask import Flask

from survey import database
from survey.database import db
from tests.conftest import POSTGRESQL_ONLY


def _server_drops_our_connections() -> None:
    """Close, from another connection, every connection of the app's pool (as a restart would)."""
    other = sa.create_engine(db.engine.url, poolclass=sa.pool.NullPool)
    with other.connect() as conn:
        conn.execute(
            sa.text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        )
    other.dispose()


def _select_one() -> int:
    value = db.session.scalar(sa.text("SELECT 1"))
    db.session.commit()
    return int(value)


@POSTGRESQL_ONLY  # SQLite is a file: no server can close its connections
def test_an_idle_connection_closed_by_the_server_is_replaced(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    db.session.remove()
    db.engine.dispose()
    assert _select_one() == 1  # one connection in the pool, now idle
    _server_drops_our_connections()
    monkeypatch.setattr(database, "IDLE_BEFORE_PING", -1.0)  # as if idle for long enough
    assert _select_one() == 1  # tried, found closed, replaced: the request goes through


@POSTGRESQL_ONLY
def test_a_connection_in_steady_use_is_not_tried_first(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The other side of the bargain, shown so the test above cannot pass by accident: a
    # connection used moments ago is taken as it is, so one closed meanwhile fails once.
    db.session.remove()
    db.engine.dispose()
    assert _select_one() == 1
    _server_drops_our_connections()
    monkeypatch.setattr(database, "IDLE_BEFORE_PING", 3600.0)
    with pytest.raises(sa.exc.OperationalError):
        _select_one()
    db.session.rollback()
    assert _select_one() == 1  # SQLAlchemy invalidated the pool: the next one is fresh
