"""The SQLAlchemy handle shared by survey and assembly, and column types both use."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

import sqlalchemy as sa
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy.orm import DeclarativeBase

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base with constraint names that migrations can refer to."""

    metadata = sa.MetaData(naming_convention=NAMING)


class UTCDateTime(sa.types.TypeDecorator[dt.datetime]):
    """A timestamp stored in UTC and always read back timezone-aware (SQLite drops the zone)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("timestamps must be timezone-aware")
        return value.astimezone(dt.UTC)

    def process_result_value(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)


def utcnow() -> dt.datetime:
    """The current time, timezone-aware in UTC."""
    return dt.datetime.now(dt.UTC)


db = SQLAlchemy(model_class=Base)


def on_postgresql() -> bool:
    """Whether the app's database is PostgreSQL (otherwise SQLite, the embedded default)."""
    # The engine, not the session's bind: asking the session would start one for nothing.
    return bool(db.engine.dialect.name == "postgresql")


# SQLite checkpoints its write-ahead log once it holds this many pages (SQLite's own default),
# automatically at a COMMIT; the submissions' writers do it themselves after leaving their
# queue (survey.direct_statements, survey.writer_queue).
SQLITE_CHECKPOINT_PAGES = 1000


@sa.event.listens_for(sa.engine.Engine, "connect")
def _sqlite_pragmas(dbapi_connection: Any, connection_record: Any) -> None:
    """SQLite: enforce foreign keys, write-ahead logging for concurrent readers, and wait
    (rather than fail) when another process holds the write lock."""
    if type(dbapi_connection).__module__ != "sqlite3":
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute(f"PRAGMA wal_autocheckpoint={SQLITE_CHECKPOINT_PAGES}")
    cursor.close()


# A pooled PostgreSQL connection may have been closed behind the pool's back (the server
# restarted, a proxy or firewall dropped it after a quiet spell). One that has been idle for
# longer than this is tried with SELECT 1 when taken from the pool, and replaced if it fails.
# A connection in steady use is not: pinging on every checkout (pool_pre_ping) cost a round
# trip on every request, 10% to 25% of an online submission on PostgreSQL. A connection lost
# while in use is still caught: SQLAlchemy then invalidates it and the rest of its pool.
IDLE_BEFORE_PING = 10.0  # seconds


@sa.event.listens_for(sa.pool.Pool, "connect")
def _new_connection(dbapi_connection: Any, connection_record: Any) -> None:
    connection_record.info["idle_since"] = time.monotonic()


@sa.event.listens_for(sa.pool.Pool, "checkin")
def _returned(dbapi_connection: Any, connection_record: Any) -> None:
    if connection_record is not None:
        connection_record.info["idle_since"] = time.monotonic()


@sa.event.listens_for(sa.pool.Pool, "checkout")
def _ping_if_idle(dbapi_connection: Any, connection_record: Any, connection_proxy: Any) -> None:
    """Try a connection that has been idle a while; a dead one is replaced by a fresh one."""
    if type(dbapi_connection).__module__ == "sqlite3":
        return  # a file: nothing can drop it
    idle_since = connection_record.info.get("idle_since", 0.0)
    if time.monotonic() - idle_since <= IDLE_BEFORE_PING:
        return
    try:
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("SELECT 1")
        finally:
            cursor.close()
        # Not left inside the transaction the driver began for it: a caller may want the
        # connection in autocommit mode (survey.direct_statements), which only an idle one takes.
        dbapi_connection.rollback()
    except Exception as error:  # whatever the driver raises for a closed connection
        # The pool discards this connection and checks out another (up to three times).
        raise sa.exc.DisconnectionError(f"pooled connection found closed: {error}") from error
