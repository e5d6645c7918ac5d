"""The in-memory rate-limit storage counts as the library's does, without a thread per hit."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from limits import parse
from limits.storage import storage_from_string
from limits.strategies import (
    FixedWindowRateLimiter,
    MovingWindowRateLimiter,
    SlidingWindowCounterRateLimiter,
)

from common.rate_limits import ProcessMemoryStorage


@pytest.fixture
def thread_starts(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[threading.Thread]]:
    started: list[threading.Thread] = []
    original = threading.Thread.start

    def start(self: threading.Thread) -> None:
        started.append(self)
        original(self)

    monkeypatch.setattr(threading.Thread, "start", start)
    yield started


def test_memory_scheme_uses_the_storage_without_timer_threads(
    thread_starts: list[threading.Thread],
) -> None:
    storage = storage_from_string("memory://")
    assert isinstance(storage, ProcessMemoryStorage)
    thread_starts.clear()  # the base class starts one timer when it is created
    limit = parse("3 per minute")
    for strategy in (
        FixedWindowRateLimiter,
        MovingWindowRateLimiter,
        SlidingWindowCounterRateLimiter,
    ):
        limiter = strategy(storage)
        hits = [limiter.hit(limit, strategy.__name__, "127.0.0.2") for _ in range(5)]
        assert hits == [True, True, True, False, False]
        assert limiter.hit(limit, strategy.__name__, "127.0.0.3")  # another address
    assert thread_starts == []


def test_the_sweep_forgets_expired_counts() -> None:
    storage = ProcessMemoryStorage("memory://")
    storage.incr("gone", expiry=-1)  # already expired
    storage.acquire_entry("gone-window", limit=5, expiry=0)
    assert "gone" in storage.storage and storage.events["gone-window"]
    storage._next_sweep = 0.0  # due now
    storage.incr("kept", expiry=60)
    assert "gone" not in storage.storage
    assert not storage.events.get("gone-window")
    assert storage.get("kept") == 1
