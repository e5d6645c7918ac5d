"""SQLite's writers queue for the write lock (survey.writer_queue): one at a time, across
threads and forked processes, the next let in as soon as the lock is free."""

from __future__ import annotations

import fcntl
import multiprocessing
import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask

from survey import direct_statements
from survey.database import db
from survey.direct_statements import DirectStatement, stand_alone, transaction
from survey.models import Draft
from survey.writer_queue import SUFFIX, lock_file, one_writer, pending_frames
from tests.support import driver_of_the_block, make_consultation

# Long enough for a writer that was not kept waiting to have got in; the tests never wait
# this long when the queue works, only when it would have let a second writer in.
WOULD_HAVE_GOT_IN = 1.0
SURELY = 30.0


def _hold(database: str, held: Any, release: Any) -> None:
    """In a forked process: be the writer, until told to stop."""
    with one_writer(database):
        held.set()
        release.wait(SURELY)


@contextmanager
def _writer_in_another_process(database: str) -> Iterator[None]:
    fork = multiprocessing.get_context("fork")
    held, release = fork.Event(), fork.Event()
    child = fork.Process(target=_hold, args=(database, held, release))
    child.start()
    try:
        assert held.wait(SURELY)
        yield
    finally:
        release.set()
        child.join(SURELY)
    assert child.exitcode == 0


def _waiting_writer(database: str) -> tuple[threading.Thread, threading.Event]:
    entered = threading.Event()

    def write() -> None:
        with one_writer(database):
            entered.set()

    thread = threading.Thread(target=write)
    thread.start()
    return thread, entered


def test_a_writer_in_another_process_keeps_the_next_waiting_until_it_is_done(
    tmp_path: Path,
) -> None:
    database = str(tmp_path / "survey.sqlite3")
    with one_writer(database):
        pass  # this process has its lock file open before the fork, as a gunicorn master may
    with _writer_in_another_process(database):
        thread, entered = _waiting_writer(database)
        # Had the worker kept the descriptor it inherited, it would share this process's lock
        # and queue with nobody.
        assert not entered.wait(WOULD_HAVE_GOT_IN)
    assert entered.wait(SURELY)  # let in once the other is done
    thread.join(SURELY)


def test_threads_of_one_process_queue_too(tmp_path: Path) -> None:
    database = str(tmp_path / "survey.sqlite3")
    release = threading.Event()
    holding = threading.Event()

    def hold() -> None:
        with one_writer(database):
            holding.set()
            release.wait(SURELY)

    first = threading.Thread(target=hold)
    first.start()
    assert holding.wait(SURELY)
    second, entered = _waiting_writer(database)
    assert not entered.wait(WOULD_HAVE_GOT_IN)
    release.set()
    assert entered.wait(SURELY)
    first.join(SURELY)
    second.join(SURELY)


def test_a_writer_that_fails_leaves_the_queue(tmp_path: Path) -> None:
    database = str(tmp_path / "survey.sqlite3")
    with pytest.raises(RuntimeError), one_writer(database):
        raise RuntimeError("the write failed")
    thread, entered = _waiting_writer(database)
    assert entered.wait(SURELY)
    thread.join(SURELY)


def test_the_lock_file_is_beside_the_database_and_none_for_one_in_memory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert lock_file("csp.sqlite3") == str(tmp_path / "csp.sqlite3") + SUFFIX
    assert lock_file(None) is None
    assert lock_file("") is None
    assert lock_file(":memory:") is None
    assert lock_file("file:shared?mode=memory&cache=shared") is None


@pytest.mark.parametrize("app", ["sqlite"], indirect=True)
def test_a_direct_write_on_sqlite_holds_its_place_in_the_queue(app: Flask) -> None:
    consultation_id = make_consultation().id
    path = lock_file(db.engine.url.database)
    assert path is not None
    add_draft = DirectStatement(
        sa.insert(Draft).values(
            token="queued",
            consultation_id=consultation_id,
            answers={},
            created_at=sa.func.now(),
            updated_at=sa.func.now(),
        )
    )
    other = os.open(path, os.O_RDWR | os.O_CREAT)  # as another process would open it
    try:
        with transaction():
            add_draft.rows({})
            with pytest.raises(BlockingIOError):
                fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)
        fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)  # free again once committed
        fcntl.flock(other, fcntl.LOCK_UN)
    finally:
        os.close(other)
    assert db.session.scalar(sa.select(Draft.token)) == "queued"


def test_the_pages_waiting_for_a_checkpoint_are_read_from_the_log_index(tmp_path: Path) -> None:
    database = str(tmp_path / "survey.sqlite3")
    assert pending_frames(database) is None  # no database yet
    assert pending_frames(":memory:") is None
    connection = sqlite3.connect(database, isolation_level=None)
    try:
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA wal_autocheckpoint=0")
        connection.execute("CREATE TABLE said (words TEXT)")
        for _ in range(40):
            connection.execute("INSERT INTO said VALUES (?)", ("a long answer " * 300,))
        waiting = pending_frames(database)
        # SQLite's own count: (busy, pages in the log, pages copied back into the database).
        busy, in_log, copied = connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        assert (busy, copied) == (0, in_log)
        assert waiting == in_log > 40
        assert pending_frames(database) == 0
        connection.execute("INSERT INTO said VALUES ('more')")
        assert pending_frames(database) == 1  # the log has begun again from its start
    finally:
        connection.close()  # the last connection: SQLite deletes the log and its index
    assert not Path(database + "-shm").exists()
    connection = sqlite3.connect(database, isolation_level=None)
    try:
        connection.execute("PRAGMA wal_autocheckpoint=0")
        connection.execute("INSERT INTO said VALUES ('after a restart')")
        assert pending_frames(database) == 1  # read from the new index, not the one deleted
    finally:
        connection.close()


@pytest.mark.parametrize("app", ["sqlite"], indirect=True)
def test_a_direct_write_checkpoints_once_out_of_the_queue(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    consultation_id = make_consultation().id
    database = db.engine.url.database
    add_draft = DirectStatement(
        sa.insert(Draft).values(
            token=sa.bindparam("token"),
            consultation_id=consultation_id,
            answers={},
            created_at=sa.func.now(),
            updated_at=sa.func.now(),
        )
    )
    # Every page counts: SQLite's own checkpoint would run at each COMMIT, inside the queue.
    monkeypatch.setattr(direct_statements, "SQLITE_CHECKPOINT_PAGES", 1)
    seen_leaving_the_queue: list[int | None] = []

    @contextmanager
    def queue_noting_the_log(database: str | None) -> Iterator[None]:
        with one_writer(database):
            yield
            seen_leaving_the_queue.append(pending_frames(database))

    monkeypatch.setattr(direct_statements, "one_writer", queue_noting_the_log)
    with stand_alone():
        driver_of_the_block().execute("PRAGMA wal_autocheckpoint=1")
        with transaction():
            add_draft.rows({"token": "first"})
        after = pending_frames(database)
        # SQLite's own setting is back for the session's writes on this pooled connection.
        assert driver_of_the_block().execute("PRAGMA wal_autocheckpoint").fetchone() == (1,)
    (left_waiting,) = seen_leaving_the_queue
    assert left_waiting is not None and left_waiting > 0  # committed, not yet copied back
    assert after == 0  # copied back after the writer left the queue
    assert db.session.scalar(sa.select(Draft.token)) == "first"
