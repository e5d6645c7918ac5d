"""SQLite: writers wait their turn in a queue the kernel keeps, not in SQLite's busy handler.

SQLite lets one connection write at a time. A connection that finds the database locked
sleeps and tries again, after 1, 2, 5, 10, 15, 20, 25 ms and on, whether or not the lock was
freed meanwhile. Under a steady stream of submissions from several web workers, the write
lock is busy most of the time, and a submission could sleep 30 to 300 ms for a lock that was
free for most of it. Here a write transaction first takes an exclusive lock (flock) on a file
beside the database: the kernel keeps the writers waiting for it asleep and wakes them the
moment it is released, and one of them goes in (not necessarily the first to come). Writers
that do not take it (the session's, on other pages) still meet SQLite's own lock, which the
queue's writer takes only once at the front.

The lock file is `<database file>-writers.lock`; it holds nothing and may be deleted while
the service is stopped. A database in memory has no other process to queue with, and none.

A writer leaves the queue before the WAL is checkpointed. SQLite's automatic checkpoint runs
inside the COMMIT that fills the write-ahead log past 1,000 pages, and it waits for the disk
(fdatasync of the log and of the database file); inside the queue, every writer behind it
waited too, and on a shared machine whose disk stalls for a moment that was every submission
in flight at once. So the queue's writers turn the automatic checkpoint off for their own
transaction and, once out of the queue, run a PASSIVE checkpoint (which holds no lock that
writers need) when the log has that many pages not yet copied back, read from the log's
index (`pending_frames`).
"""

from __future__ import annotations

import fcntl
import os
import struct
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

SUFFIX = "-writers.lock"


@dataclass
class _Queue:
    """This process's place in one database's queue."""

    fd: int  # an open file description of this process's own: flock locks belong to it
    threads: threading.Lock = field(default_factory=threading.Lock)  # one thread of ours at a time


_queues: dict[str, _Queue] = {}
_opening = threading.Lock()
_indexes: dict[str, int] = {}  # WAL-index (-shm) files open for reading, by path


def _beside(database: str | None, suffix: str) -> str | None:
    """The file named `suffix` beside an SQLite database file, or None for one in memory."""
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return os.path.abspath(database) + suffix


def lock_file(database: str | None) -> str | None:
    """The queue's lock file for an SQLite database file, or None for one in memory."""
    return _beside(database, SUFFIX)


@contextmanager
def one_writer(database: str | None) -> Iterator[None]:
    """The block runs when no other writer of the queue (another thread or process) is in its
    own; the others wait, and one of them goes in as soon as it ends."""
    path = lock_file(database)
    if path is None:
        yield
        return
    queue = _queue(path)
    # flock excludes other open file descriptions, not other threads sharing this one.
    with queue.threads:
        fcntl.flock(queue.fd, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(queue.fd, fcntl.LOCK_UN)


def _queue(path: str) -> _Queue:
    queue = _queues.get(path)
    if queue is None:
        with _opening:
            queue = _queues.get(path)
            if queue is None:
                fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
                queue = _queues[path] = _Queue(fd)
    return queue


# The WAL-index header (https://www.sqlite.org/walformat.html, "The WAL-Index Format"): in
# the first copy of the header, the version, whether it is initialised, and mxFrame (the
# last valid frame of the log); in the checkpoint information after the two copies,
# nBackfill (the frames already copied back into the database). Native byte order.
_INDEX_VERSION = 3007000
_HEADER = struct.Struct("=I8xB3xI")  # iVersion, (unused, iChange), isInit, (..., szPage), mxFrame
_BACKFILL = struct.Struct("=I")
_BACKFILL_AT = 96


def pending_frames(database: str | None) -> int | None:
    """Pages in an SQLite database's write-ahead log not yet copied back into it, or None when
    that cannot be read (not in WAL mode, in memory, not yet opened).

    Read without a lock, so it may be a moment out of date: it decides only when to
    checkpoint, as SQLite's own automatic checkpoint would.
    """
    path = _beside(database, "-shm")
    if path is None:
        return None
    try:
        head = os.pread(_index(path), _BACKFILL_AT + _BACKFILL.size, 0)
    except OSError:
        return None
    if len(head) < _BACKFILL_AT + _BACKFILL.size:
        return None
    version, initialised, last = _HEADER.unpack_from(head)
    (copied,) = _BACKFILL.unpack_from(head, _BACKFILL_AT)
    if version != _INDEX_VERSION or not initialised:
        return None
    return max(0, int(last) - int(copied))


def _index(path: str) -> int:
    """This process's descriptor of a WAL-index file, opened again if the file was replaced
    (SQLite deletes it when the database's last connection closes, and the next creates it)."""
    with _opening:
        fd = _indexes.get(path)
        if fd is not None and os.fstat(fd).st_nlink == 0:
            os.close(fd)
            fd = None
        if fd is None:
            fd = _indexes[path] = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
        return fd


def _forget_after_fork() -> None:
    """A forked process (a gunicorn worker) opens its own: an inherited descriptor shares its
    lock with the parent and every sibling, so it would queue with none of them."""
    for queue in _queues.values():
        os.close(queue.fd)
    _queues.clear()
    for fd in _indexes.values():
        os.close(fd)
    _indexes.clear()
    global _opening
    _opening = threading.Lock()


os.register_at_fork(after_in_child=_forget_after_fork)
