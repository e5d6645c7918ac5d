"""Statements run straight on the driver: the same rows as the session, each committed on its own.

The residents' submission runs its statements this way (survey.direct_statements), on psycopg
for PostgreSQL and on sqlite3 for SQLite; what they must do holds on both backends.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask

from survey import database, drafts
from survey.database import db
from survey.direct_statements import DirectStatement, stand_alone, transaction
from survey.models import Consultation, Draft
from tests.conftest import POSTGRESQL_ONLY
from tests.support import driver_of_the_block, make_consultation

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
    return DirectStatement(
        sa.insert(Draft)
        .values(token=sa.bindparam("token"), consultation_id=consultation_id, answers={})
        .values(values)
        .returning(Draft.token)
    )


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


def _in_autocommit_mode(driver_connection: Any) -> bool:
    return bool(db.engine.dialect.detect_autocommit_setting(driver_connection))


def test_each_statement_is_committed_as_it_runs_and_the_connection_goes_back(app: Flask) -> None:
    consultation = make_consultation()
    insert_draft = _adding_a_draft(consultation.id)
    checked_out = db.engine.pool.checkedout()  # the session's own, if it holds one
    with stand_alone():
        assert insert_draft.rows({"token": "in-the-block"}) == [("in-the-block",)]
        # Committed already: another connection sees it before the block ends.
        assert _outside_the_app("SELECT token FROM draft") == [("in-the-block",)]
        assert db.engine.pool.checkedout() == checked_out + 1
    assert db.engine.pool.checkedout() == checked_out  # given back to the pool
    pooled = db.engine.raw_connection()
    try:
        assert not _in_autocommit_mode(pooled.driver_connection)  # transactional, as usual
    finally:
        pooled.close()


def test_a_transaction_is_committed_whole_or_not_at_all(app: Flask) -> None:
    consultation = make_consultation()
    insert_draft = _adding_a_draft(consultation.id)
    delete_draft = DirectStatement(sa.delete(Draft).where(Draft.token == sa.bindparam("token")))
    with stand_alone():
        with transaction():
            insert_draft.rows({"token": "first"})
            insert_draft.rows({"token": "second"})
            # Not seen by anyone else until the transaction ends.
            assert _outside_the_app("SELECT token FROM draft") == []
        assert sorted(_outside_the_app("SELECT token FROM draft")) == [("first",), ("second",)]
        with pytest.raises(sa.exc.IntegrityError), transaction():
            delete_draft.rows({"token": "first"})
            insert_draft.rows({"token": "third"})
            insert_draft.rows({"token": "second"})  # taken: the whole transaction is undone
        # The connection is usable again, outside any transaction.
        insert_draft.rows({"token": "fourth"})
    stored = sorted(token for (token,) in _outside_the_app("SELECT token FROM draft"))
    assert stored == ["first", "fourth", "second"]


def _a_commit_that_will_fail() -> None:
    """Inside a transaction: a write whose constraint is checked only at COMMIT, and fails."""
    driver = driver_of_the_block()
    if db.engine.dialect.name == "sqlite":
        driver.execute("PRAGMA defer_foreign_keys = ON")  # until this transaction ends
        driver.execute(
            "INSERT INTO draft (token, consultation_id, answers, created_at, updated_at)"
            " VALUES ('orphan', -1, '{}', '2026-01-01', '2026-01-01')"
        )
    else:
        driver.execute("INSERT INTO once_only VALUES (1), (1)")


def test_a_failed_commit_leaves_no_transaction_open(app: Flask) -> None:
    insert_draft = _adding_a_draft(make_consultation().id)
    with stand_alone():
        if db.engine.dialect.name != "sqlite":
            driver_of_the_block().execute(
                "CREATE TEMPORARY TABLE once_only (k integer UNIQUE DEFERRABLE INITIALLY DEFERRED)"
            )
        with pytest.raises(sa.exc.IntegrityError), transaction():
            insert_draft.rows({"token": "in-the-failed-one"})
            _a_commit_that_will_fail()
        # Committed as it runs, not held in what is left of the failed transaction (SQLite
        # keeps a transaction open after its COMMIT fails).
        insert_draft.rows({"token": "after"})
        assert _outside_the_app("SELECT token FROM draft") == [("after",)]
        with transaction():
            insert_draft.rows({"token": "next"})
    stored = sorted(token for (token,) in _outside_the_app("SELECT token FROM draft"))
    assert stored == ["after", "next"]


def test_transactions_do_not_nest(app: Flask) -> None:
    insert_draft = _adding_a_draft(make_consultation().id)
    with stand_alone():
        with pytest.raises(RuntimeError, match="do not nest"), transaction():
            insert_draft.rows({"token": "outer"})
            with transaction():
                insert_draft.rows({"token": "inner"})
        # The outer one was rolled back, and a new one can begin.
        with transaction():
            insert_draft.rows({"token": "next"})
    assert _outside_the_app("SELECT token FROM draft") == [("next",)]


def test_many_rows_are_written_with_one_statement_run_for_each(app: Flask) -> None:
    consultation_id = make_consultation().id
    insert_draft = DirectStatement(
        sa.insert(Draft).values(
            token=sa.bindparam("token"),
            consultation_id=consultation_id,
            answers=sa.bindparam("answers", type_=Draft.__table__.c.answers.type),
            created_at=sa.func.now(),
            updated_at=sa.func.now(),
        )
    )
    answers = [{"worries": "Speeding 😀"}, {}, {"support": {"0": "Agree"}}]
    with transaction():
        insert_draft.run_many(
            [{"token": f"t{i}", "answers": each} for i, each in enumerate(answers)]
        )
    stored = db.session.execute(sa.select(Draft.token, Draft.answers).order_by(Draft.token))
    assert [tuple(row) for row in stored] == [(f"t{i}", a) for i, a in enumerate(answers)]


def test_a_parameter_left_out_is_refused_not_sent_as_null(app: Flask) -> None:
    consultation = make_consultation()
    with pytest.raises(sa.exc.InvalidRequestError, match="required for bind parameter 'token'"):
        _adding_a_draft(consultation.id).rows({})
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Draft)) == 0


@POSTGRESQL_ONLY
def test_statements_in_one_block_share_a_connection(app: Flask) -> None:
    with stand_alone():
        first = BACKEND_PID.rows({})
        assert BACKEND_PID.rows({}) == first
    with stand_alone():
        assert BACKEND_PID.rows({}) == first  # the same connection, back from the pool


def test_a_taken_key_is_an_integrity_error_and_the_block_goes_on(app: Flask) -> None:
    consultation = make_consultation()
    db.session.add(Draft(token="taken", consultation_id=consultation.id, answers={}))
    db.session.commit()
    insert_draft = _adding_a_draft(consultation.id)
    with stand_alone():
        with pytest.raises(sa.exc.IntegrityError) as refused:
            insert_draft.rows({"token": "taken"})
        assert "draft" in str(refused.value)  # pk_draft, or SQLite's "UNIQUE ... draft.token"
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


def test_a_statement_that_needs_python_side_defaults_is_refused(app: Flask) -> None:
    # The session computes a column's Python-side default (Draft.created_at's utcnow) before
    # sending an INSERT; a direct statement would send NULL, so it is refused at first use.
    without_timestamps = _adding_a_draft(make_consultation().id, leave_out="created_at")
    with pytest.raises(ValueError, match="give created_at in the statement"):
        without_timestamps.rows({"token": "never-sent"})
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Draft)) == 0
