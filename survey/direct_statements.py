"""Statements run straight on the database driver: the submission's hot path.

A resident's "Accept and send" reads the consultation and the draft, looks for the same long
text sent minutes earlier, and writes the response, its answers and the draft's deletion.
Through SQLAlchemy's session each statement cost several times its own CPU (its transaction,
the statement cache's key, the result objects): together a fifth of the submission's CPU in
the web worker. Here a statement is compiled once, run on one pooled connection in autocommit
mode (psycopg on PostgreSQL, sqlite3 on SQLite), and its rows come back as tuples converted by
the columns' own types, as the session would give them.

Each statement is atomic by itself and is committed as it runs; none sees what the session
has not committed. Statements that must stand or fall together run in `transaction()`. On
PostgreSQL the submission needs none: its write is one statement, and a draft sent twice at
once is stopped by the response's unique token (`recording.submit_once`). On SQLite the write
is three statements in one `transaction()`, which takes the database's write lock when it
begins and holds it only while they run, with nothing of the session's in between: SQLite
lets one writer in at a time, so the time the lock is held decides how long the next waits,
and the writers wait in a queue (`survey.writer_queue`) rather than in SQLite's busy
handler, which sleeps between tries.
"""

from __future__ import annotations

import contextvars
import logging
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.pool import PoolProxiedConnection

from survey.database import SQLITE_CHECKPOINT_PAGES, db
from survey.writer_queue import one_writer, pending_frames


@dataclass(frozen=True, slots=True)
class _Block:
    """What a `stand_alone()` block runs on, looked up once: the app's engine is found through
    Flask-SQLAlchemy's app context, a dozen times a submission if asked for each statement."""

    pooled: PoolProxiedConnection
    dialect: sa.Dialect
    database: str | None  # the database's name (for SQLite, its file)

    @property
    def driver(self) -> Any:
        return self.pooled.driver_connection


_log = logging.getLogger(__name__)

# The outermost `stand_alone()` block running, if any.
_held: contextvars.ContextVar[_Block | None] = contextvars.ContextVar(
    "stand_alone_block", default=None
)
# Whether a `transaction()` block is running.
_writing: contextvars.ContextVar[bool] = contextvars.ContextVar("in_transaction", default=False)


@contextmanager
def stand_alone() -> Iterator[None]:
    """One pooled connection, in autocommit mode, for the `DirectStatement`s run inside.

    Each statement is committed as it runs, unless inside `transaction()`. The connection
    goes back to the pool in its usual transactional state, or is discarded if it was lost.
    Within an outer block, the outer block's connection is used.
    """
    if _held.get() is not None:
        yield
        return
    engine = db.engine
    block = _Block(engine.raw_connection(), engine.dialect, engine.url.database)
    token = _held.set(block)
    try:
        block.dialect.set_isolation_level(block.driver, "AUTOCOMMIT")
        yield
    finally:
        _held.reset(token)
        _give_back(block)


def _give_back(block: _Block) -> None:
    pooled, dialect = block.pooled, block.dialect
    if pooled.is_valid:  # not when it was lost, and invalidated, in the block
        try:
            dialect.reset_isolation_level(block.driver)
        except dialect.loaded_dbapi.Error as error:
            pooled.invalidate(error)  # closed under us: not to be handed out again
    pooled.close()


# How each database is told to start a transaction. SQLite's IMMEDIATE takes the write lock
# at once, so a transaction that reads before it writes never has to give up half-way for a
# writer that came between (SQLite would refuse its first write at once, without waiting).
_BEGIN = {"sqlite": "BEGIN IMMEDIATE"}


@contextmanager
def transaction() -> Iterator[None]:
    """The `DirectStatement`s run inside, as one transaction of the `stand_alone()` connection.

    Committed when the block ends, rolled back if it raises; on SQLite the database's write
    lock is taken when the block starts, after waiting in the writers' queue (so begin it only
    to write).
    """
    block = _held.get()
    if block is None:
        with stand_alone(), transaction():
            yield
        return
    if _writing.get():
        # SQLite would refuse the second BEGIN, and its writers' queue would wait on itself.
        raise RuntimeError("transaction() blocks do not nest")
    token = _writing.set(True)
    try:
        with _one_transaction(block):
            yield
    finally:
        _writing.reset(token)


@contextmanager
def _one_transaction(block: _Block) -> Iterator[None]:
    if block.dialect.name != "sqlite":
        with _begin_and_commit(block):
            yield
        return
    # SQLite's writers queue for its write lock rather than poll for it, and checkpoint the
    # log only once out of the queue, where waiting for the disk holds up no other writer
    # (survey.writer_queue).
    _execute(block, "PRAGMA wal_autocheckpoint=0")
    try:
        with one_writer(block.database), _begin_and_commit(block):
            yield
    finally:
        if block.pooled.is_valid:
            _checkpoint_if_due(block)
            _execute(block, f"PRAGMA wal_autocheckpoint={SQLITE_CHECKPOINT_PAGES}")


def _checkpoint_if_due(block: _Block) -> None:
    """What SQLite's automatic checkpoint would have done at the COMMIT: copy the log back
    into the database once it holds enough pages. PASSIVE: it waits for no reader or
    writer, and copies what it can. The transaction has committed whatever happens here."""
    due = pending_frames(block.database)
    if due is None or due < SQLITE_CHECKPOINT_PAGES:
        return
    try:
        _execute(block, "PRAGMA wal_checkpoint(PASSIVE)")
    except sa.exc.DBAPIError:
        # The disk, say: SQLite will try again at the next writer's turn, and the response
        # was stored; the log only grows meanwhile.
        _log.warning("SQLite checkpoint failed", exc_info=True)


@contextmanager
def _begin_and_commit(block: _Block) -> Iterator[None]:
    _execute(block, _BEGIN.get(block.dialect.name, "BEGIN"))
    try:
        yield
        _execute(block, "COMMIT")
    except BaseException:
        # Also after a COMMIT that failed: PostgreSQL has then ended the transaction, but
        # SQLite keeps it open (a deferred foreign key, a full disk), and the block's next
        # statements would run inside it. The error that ended the block is the one raised.
        if block.pooled.is_valid:
            with suppress(sa.exc.DBAPIError):
                _execute(block, "ROLLBACK")
        raise


def _execute(
    block: _Block,
    sql: str,
    params: Mapping[str, Any] | Sequence[Any] = (),
    *,
    prepare: bool | None = None,
    many: bool = False,
) -> Any:
    """Run `sql` on the connection's driver (once for each set of `params` if `many`), its
    errors raised as SQLAlchemy's."""
    pooled, dialect, driver = block.pooled, block.dialect, block.driver
    if not pooled.is_valid:
        raise sa.exc.ResourceClosedError("the connection was lost earlier in this block")
    try:
        if many:
            cursor = driver.cursor()
            cursor.executemany(sql, params)
            return cursor
        if prepare is None:
            return driver.execute(sql, params)
        return driver.execute(sql, params, prepare=prepare)
    except dialect.loaded_dbapi.Error as error:
        # As the session would raise it: IntegrityError for a unique key taken, and a lost
        # connection invalidated so that the pool never hands it out again.
        lost = dialect.is_disconnect(error, driver, None)
        if lost:
            pooled.invalidate(error)
        raise sa.exc.DBAPIError.instance(
            sql,
            params,
            error,
            dialect.loaded_dbapi.Error,
            connection_invalidated=lost,
            dialect=dialect,
        ) from error


Processor = Callable[[Any], Any]
Statement = sa.Select[Any] | sa.Insert | sa.Update | sa.Delete


@dataclass(frozen=True, slots=True)
class _Compiled:
    """A statement as the database's driver is given it, with its columns' conversions."""

    sql: str
    defaults: dict[str, Any]  # every parameter, with the values written into the statement
    required: frozenset[str]  # the parameters with no value in the statement
    binders: Mapping[str, Processor]  # by parameter: its type's conversion, where it has one
    readers: Sequence[Processor | None]  # by result column
    positions: tuple[str, ...] | None  # the parameters in order, for a driver that wants them so
    prepare: bool | None  # psycopg: prepare on the server at once; None where not asked

    def bind(self, params: Mapping[str, Any]) -> dict[str, Any] | tuple[Any, ...]:
        """`params` as the driver takes them: every parameter, converted by its type."""
        missing = self.required.difference(params)
        if missing:  # the session's own message; left out, it would be sent as NULL
            raise sa.exc.InvalidRequestError(
                f"A value is required for bind parameter {min(missing)!r}"
            )
        bound = self.defaults | dict(params)
        for name, binder in self.binders.items():
            bound[name] = binder(bound[name])
        if self.positions is None:
            return bound
        return tuple(bound[name] for name in self.positions)


def _compile(statement: Statement, dialect: sa.Dialect) -> _Compiled:
    compiled = statement.compile(dialect=dialect)
    computed = [*compiled.insert_prefetch, *compiled.update_prefetch]
    if computed:
        # The session computes these before it sends the statement; nothing does here.
        names = ", ".join(column.name for column in computed)
        raise ValueError(f"give {names} in the statement: Python-side defaults are not run here")
    binders = {
        name: processor
        for bind, name in compiled.bind_names.items()
        if (processor := bind.type.dialect_impl(dialect).bind_processor(dialect)) is not None
    }
    readers = [
        column.type.dialect_impl(dialect).result_processor(dialect, None)
        for column in statement.exported_columns
    ]
    required = frozenset(name for bind, name in compiled.bind_names.items() if bind.required)
    positions = None if compiled.positiontup is None else tuple(compiled.positiontup)
    prepare = True if dialect.name == "postgresql" else None
    return _Compiled(
        str(compiled), dict(compiled.params), required, binders, readers, positions, prepare
    )


class DirectStatement:
    """A Core statement (a SELECT, or a DML statement with or without RETURNING) run straight
    on the database's driver."""

    def __init__(self, statement: Statement) -> None:
        self.statement = statement
        # Compiled on first use, once per kind of database (the tests use both in one process).
        self._compiled: dict[str, _Compiled] = {}

    def rows(self, params: Mapping[str, Any]) -> list[tuple[Any, ...]]:
        """The statement's rows (none for a statement that returns none), run with `params`."""
        block = _held.get()
        if block is None:
            with stand_alone():
                return self.rows(params)
        compiled = self._for(block.dialect)
        sent = compiled.bind(params)
        cursor = _execute(block, compiled.sql, sent, prepare=compiled.prepare)
        if cursor.description is None:  # a statement with no RETURNING
            return []
        fetched = cursor.fetchall()
        readers = compiled.readers
        if not any(readers):
            return [tuple(row) for row in fetched]
        return [
            tuple(
                value if read is None else read(value)
                for read, value in zip(readers, row, strict=True)
            )
            for row in fetched
        ]

    def run_many(self, params: Sequence[Mapping[str, Any]]) -> None:
        """Run the statement once for each set of `params` (the driver's executemany)."""
        if not params:
            return
        block = _held.get()
        if block is None:
            with stand_alone():
                return self.run_many(params)
        compiled = self._for(block.dialect)
        _execute(block, compiled.sql, [compiled.bind(each) for each in params], many=True)

    def _for(self, dialect: sa.Dialect) -> _Compiled:
        compiled = self._compiled.get(dialect.name)
        if compiled is None:
            compiled = self._compiled[dialect.name] = _compile(self.statement, dialect)
        return compiled
