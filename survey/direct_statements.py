"""Statements run straight on psycopg, each committed on its own: the submission's hot path.

A resident's "Accept and send" runs three statements on PostgreSQL: read the consultation
and the draft, look for the same long text sent minutes earlier, and write the response, its
answers and the draft's deletion in one statement. Through SQLAlchemy's session each of them
cost several times the statement's own CPU (its transaction, the statement cache's key, the
result objects), and together they were a fifth of the submission's CPU in the web worker.
Here a statement is compiled once, run on one pooled connection in autocommit mode, and its
rows come back as tuples converted by the columns' own types, as the session would give them.

Each statement is atomic by itself, and none sees what the session has not committed. No
transaction spans them, and under READ COMMITTED one would add only two round trips: the
submission's write is a single statement, and a draft sent twice at once is stopped by the
response's unique token (`recording.submit_once`). On SQLite, where there are no round trips
to save, the statements go through the session as usual, in its transaction, and the caller
commits.
"""

from __future__ import annotations

import contextvars
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.pool import PoolProxiedConnection

from survey.database import db, on_postgresql

# The pooled connection of the innermost `stand_alone()` block, if any.
_held: contextvars.ContextVar[PoolProxiedConnection | None] = contextvars.ContextVar(
    "stand_alone_connection", default=None
)


def runs_directly() -> bool:
    """Whether `DirectStatement`s run on the driver (PostgreSQL) rather than the session."""
    return on_postgresql()


@contextmanager
def stand_alone() -> Iterator[None]:
    """On PostgreSQL, one pooled connection for the `DirectStatement`s run inside.

    Each statement is committed as it runs (autocommit). The connection goes back to the pool
    in its usual transactional state, or is discarded if it was lost. Elsewhere it does
    nothing, and the statements go through the session.
    """
    if not runs_directly() or _held.get() is not None:
        yield
        return
    pooled = db.engine.raw_connection()
    token = _held.set(pooled)
    try:
        _driver(pooled).autocommit = True
        yield
    finally:
        _held.reset(token)
        _give_back(pooled)


def _driver(pooled: PoolProxiedConnection) -> Any:
    return pooled.driver_connection


def _give_back(pooled: PoolProxiedConnection) -> None:
    if pooled.is_valid:  # not when it was lost, and invalidated, in the block
        try:
            _driver(pooled).autocommit = False
        except db.engine.dialect.loaded_dbapi.Error as error:
            pooled.invalidate(error)  # closed under us: not to be handed out again
    pooled.close()


Processor = Callable[[Any], Any]


@dataclass(frozen=True, slots=True)
class _Compiled:
    """A statement as PostgreSQL's driver is given it, with its columns' conversions."""

    sql: str
    defaults: dict[str, Any]  # every parameter, with the values written into the statement
    binders: Mapping[str, Processor]  # by parameter: its type's conversion, where it has one
    readers: Sequence[Processor | None]  # by result column


def _compile(statement: sa.Select[Any], dialect: sa.Dialect) -> _Compiled:
    compiled = statement.compile(dialect=dialect)
    computed = [*compiled.insert_prefetch, *compiled.update_prefetch]  # type: ignore[attr-defined]
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
        for column in statement.selected_columns
    ]
    return _Compiled(str(compiled), dict(compiled.params), binders, readers)


class DirectStatement:
    """A Core statement run on PostgreSQL straight through psycopg, elsewhere by the session."""

    def __init__(self, statement: sa.Select[Any]) -> None:
        self.statement = statement
        self._compiled: _Compiled | None = None  # on first use, for the engine's dialect

    def rows(self, params: Mapping[str, Any]) -> list[tuple[Any, ...]]:
        """The statement's rows, run with `params`."""
        if not runs_directly():
            return [tuple(row) for row in db.session.execute(self.statement, params)]
        pooled = _held.get()
        if pooled is not None:
            return self._run(pooled, params)
        with stand_alone():
            return self.rows(params)

    def _run(
        self, pooled: PoolProxiedConnection, params: Mapping[str, Any]
    ) -> list[tuple[Any, ...]]:
        dialect = db.engine.dialect
        if self._compiled is None:
            self._compiled = _compile(self.statement, dialect)
        compiled = self._compiled
        bound = compiled.defaults | dict(params)
        for name, binder in compiled.binders.items():
            bound[name] = binder(bound[name])
        if not pooled.is_valid:
            raise sa.exc.ResourceClosedError("the connection was lost earlier in this block")
        driver = _driver(pooled)
        try:
            fetched = driver.execute(compiled.sql, bound, prepare=True).fetchall()
        except dialect.loaded_dbapi.Error as error:
            # As the session would raise it: IntegrityError for a unique key taken, and a lost
            # connection invalidated so that the pool never hands it out again.
            lost = dialect.is_disconnect(error, driver, None)
            if lost:
                pooled.invalidate(error)
            raise sa.exc.DBAPIError.instance(
                compiled.sql,
                bound,
                error,
                dialect.loaded_dbapi.Error,
                connection_invalidated=lost,
                dialect=dialect,
            ) from error
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
