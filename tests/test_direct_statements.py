"""Statements run straight on psycopg: the same rows as the session, each committed on its own.

The residents' submission runs its statements this way on PostgreSQL (survey.direct_statements);
SQLite runs them through the session, so the comparisons here hold on both backends.
"""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from flask import Flask

from survey import database, drafts
from survey.database import db
from survey.direct_statements import DirectStatement, stand_alone
from survey.models import Consultation, Draft
from tests.conftest import POSTGRESQL_ONLY
from tests.support import make_consultation

BACKEND_PID = DirectStatement(sa.select(sa.func.pg_backend_pid()))


def _outside_the_app(statement: str) -> list[tuple[object, ...]]:
    """Run SQL on a connection of its own, as another request or process would."""
    other = sa.create_engine(db.engine.url, poolclass=sa.pool.NullPool)
    try:
        with other.begin() as conn:
            return [tuple(row) for row in conn.execute(sa.text(statement))]
    finally:
        other.dispose()


def _adding_a_draft(consultation_id: int, *, leave_out: str = "") -> DirectStatement:
    """A draft with the token given when run, its timestamps from the database's clock."""
    values = {"created_at": sa.func.now(), "updated_at": sa.func.now()}
    values.pop(leave_out, None)
    added = (
        sa.insert(Draft)
        .values(token=sa.bindparam("token"), consultation_id=consultation_id, answers={})
        .values(values)
        .returning(Draft.token)
        .cte("added")
    )
    return DirectStatement(sa.select(added.c.token))


def test_rows_are_those_the_session_reads(app: Flask) -> None:
    consultation = make_consultation()
    answers = {"worries": "Speeding outside the school 😀", "support": {"0": "Agree"}}
    db.session.add(Draft(token="draft-token", consultation_id=consultation.id, answers=answers))
    db.session.commit()
    with stand_alone():
        found = drafts.submitting(consultation.slug, "draft-token")
        none_left = drafts.submitting(consultation.slug, "no-such-token")
        no_such = drafts.submitting("no-such-consultation", "draft-token")
    db.session.expire_all()
    stored = db.session.get(Consultation, consultation.id)
    assert found is not None and stored is not None
    assert (found.id, found.slug, found.status) == (stored.id, stored.slug, stored.status)
    assert (found.opens, found.closes) == (stored.opens, stored.closes)
    assert isinstance(found.opens, dt.date)
    # Read back through the column's own type: timezone-aware, in UTC, as the session gives it.
    assert found.updated_at == stored.updated_at
    assert found.updated_at.tzinfo == dt.UTC
    assert found.draft_answers == answers
    assert none_left is not None and none_left.draft_answers is None
    assert no_such is None


@POSTGRESQL_ONLY
def test_statements_in_one_block_share_a_connection_each_committed_at_once(app: Flask) -> None:
    consultation = make_consultation()
    insert_draft = _adding_a_draft(consultation.id)
    checked_out = db.engine.pool.checkedout()  # the session's own, if it holds one
    with stand_alone():
        first = BACKEND_PID.rows({})
        assert insert_draft.rows({"token": "in-the-block"}) == [("in-the-block",)]
        # Committed already: another connection sees it before the block ends.
        assert _outside_the_app("SELECT token FROM draft") == [("in-the-block",)]
        assert BACKEND_PID.rows({}) == first
        assert db.engine.pool.checkedout() == checked_out + 1
    assert db.engine.pool.checkedout() == checked_out  # given back to the pool
    pooled = db.engine.raw_connection()
    try:
        assert pooled.driver_connection.autocommit is False  # in its usual transactional state
    finally:
        pooled.close()


@POSTGRESQL_ONLY
def test_a_taken_key_is_an_integrity_error_and_the_block_goes_on(app: Flask) -> None:
    consultation = make_consultation()
    db.session.add(Draft(token="taken", consultation_id=consultation.id, answers={}))
    db.session.commit()
    insert_draft = _adding_a_draft(consultation.id)
    with stand_alone():
        with pytest.raises(sa.exc.IntegrityError) as refused:
            insert_draft.rows({"token": "taken"})
        assert "pk_draft" in str(refused.value)
        # No transaction was left aborted: the next statement on the connection runs.
        assert insert_draft.rows({"token": "free"}) == [("free",)]
    assert sorted(db.session.scalars(sa.select(Draft.token))) == ["free", "taken"]


@POSTGRESQL_ONLY
def test_a_connection_lost_is_an_operational_error_and_never_used_again(app: Flask) -> None:
    checked_out = db.engine.pool.checkedout()
    with stand_alone():
        (lost_pid,) = BACKEND_PID.rows({})[0]
        _outside_the_app(f"SELECT pg_terminate_backend({int(lost_pid)})")
        with pytest.raises(sa.exc.OperationalError) as lost:
            BACKEND_PID.rows({})
        assert lost.value.connection_invalidated
        with pytest.raises(sa.exc.ResourceClosedError, match="lost earlier in this block"):
            BACKEND_PID.rows({})
    assert db.engine.pool.checkedout() == checked_out
    with stand_alone():
        (fresh_pid,) = BACKEND_PID.rows({})[0]
    assert fresh_pid != lost_pid


@POSTGRESQL_ONLY
def test_an_idle_connection_is_tried_before_a_statement_uses_it(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The pool's own check (survey.database) applies to these connections too.
    db.session.remove()
    db.engine.dispose()
    (pid,) = BACKEND_PID.rows({})[0]  # one connection in the pool, now idle
    _outside_the_app(f"SELECT pg_terminate_backend({int(pid)})")
    monkeypatch.setattr(database, "IDLE_BEFORE_PING", -1.0)  # as if idle for long enough
    (replaced,) = BACKEND_PID.rows({})[0]
    assert replaced != pid


@POSTGRESQL_ONLY
def test_a_statement_that_needs_python_side_defaults_is_refused(app: Flask) -> None:
    # The session computes a column's Python-side default (Draft.created_at's utcnow) before
    # sending an INSERT; a direct statement would send NULL, so it is refused at first use.
    without_timestamps = _adding_a_draft(make_consultation().id, leave_out="created_at")
    with pytest.raises(ValueError, match="give created_at in the statement"):
        without_timestamps.rows({"token": "never-sent"})
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Draft)) == 0
