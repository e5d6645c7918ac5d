"""A pooled PostgreSQL connection closed behind the pool's back is replaced, not used.

Servers restart and proxies drop idle connections unseen; the pool tries each connection it
hands out (SQLAlchemy's pool_pre_ping) and replaces a closed one.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import Flask

from common.database import db
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
def test_a_connection_closed_by_the_server_is_replaced(app: Flask) -> None:
    db.session.remove()
    db.engine.dispose()
    assert _select_one() == 1  # one connection in the pool, now idle
    _server_drops_our_connections()
    assert _select_one() == 1  # tried, found closed, replaced: the request goes through
