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
"""

from __future__ import annotations

import fcntl
import os
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


def lock_file(database: str | None) -> str | None:
    """The queue's lock file for an SQLite database file, or None for one in memory."""
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return os.path.abspath(database) + SUFFIX


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


def _forget_after_fork() -> None:
    """A forked process (a gunicorn worker) opens its own: an inherited descriptor shares its
    lock with the parent and every sibling, so it would queue with none of them."""
    for queue in _queues.values():
        os.close(queue.fd)
    _queues.clear()
    global _opening
    _opening = threading.Lock()


os.register_at_fork(after_in_child=_forget_after_fork)
