"""Per-address limits on the routes that take sign-ins and residents' submissions.

A decorator over the `limits` library (fixed windows, the strategy Flask-Limiter used here
before): `@rate_limits.limit("SUBMISSION_RATE_LIMIT")` counts each request to the view
against the limits the setting names ("30 per minute; 300 per hour"), per client address,
and refuses one over any of them with 429 and a `Retry-After`. Counts live in
`RATELIMIT_STORAGE_URI` (`memory://`, one count per process; `redis://...`, one count shared
by every worker and server), under `RATELIMIT_KEY_PREFIX`. `RATELIMIT_ENABLED = False`
switches the checks off (the tests do, except those that test a limit).

Why not Flask-Limiter, which this replaced: it checks every request for default and meta
limits and adds `X-RateLimit-*` headers to each limited response: 12% of the instructions of
a residents' submission and of /health alike (docs/performance.md). Two counted routes need
a lookup per window each, nothing more.

If the storage cannot be reached (Redis down), the request goes ahead and the failure is
logged (after REDIS_TIMEOUT_MS, default 50 ms, for one that does not answer): a
resident's answers matter more than a count, and sign-in keeps its growing waits
after failures (common.accounts) whatever the storage does.
"""

from __future__ import annotations

import functools
import threading
import time
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Any, TypeVar, cast

from flask import Flask, current_app, request
from limits import RateLimitItem, parse_many
from limits.storage import MemoryStorage, storage_from_string
from limits.strategies import FixedWindowRateLimiter
from werkzeug.exceptions import TooManyRequests

from common.settings import redis_timeout

View = TypeVar("View", bound=Callable[..., Any])


class ProcessMemoryStorage(MemoryStorage):
    """`memory://` rate-limit counts, swept for expired entries in the request itself.

    The library's in-memory storage starts a `threading.Timer` (a new OS thread) whenever its
    previous sweep, a few milliseconds apart, has finished, which under steady traffic is on
    almost every counted request: on the residents' submission that was the costliest single
    step (thread start and hand-over, worst on a busy machine). Counts are already expired when
    read (`get`) and the moving window compares timestamps, so the sweep only frees memory for
    addresses not seen again: here it runs in the request that counts, at most every
    `SWEEP_EVERY` seconds.

    Registering the `memory` scheme makes `RATELIMIT_STORAGE_URI=memory://` (the default)
    use this class; other schemes (redis://...) are untouched.
    """

    STORAGE_SCHEME = ["memory"]
    SWEEP_EVERY = 10.0  # seconds
    _next_sweep = 0.0  # monotonic time of the next sweep
    _sweeping = threading.Lock()  # one sweep at a time (threaded workers)

    def _MemoryStorage__schedule_expiry(self) -> None:  # noqa: N802 - the base's private hook
        now = time.monotonic()
        if now < self._next_sweep or not self._sweeping.acquire(blocking=False):
            return
        try:
            self._next_sweep = now + self.SWEEP_EVERY
            self._MemoryStorage__expire_events()  # type: ignore[attr-defined]
        finally:
            self._sweeping.release()


def parse_limits(setting: str, text: str) -> tuple[RateLimitItem, ...]:
    """The limits a setting's text names, shortest window first; ValueError naming the setting
    when the text is not limits like "30 per minute; 300 per hour"."""
    try:
        found = parse_many(text)
    except ValueError:
        found = []
    if not found:
        raise ValueError(
            f'{setting} must be limits like "30 per minute; 300 per hour", not {text!r}'
        )
    return tuple(sorted(found))


@dataclass(frozen=True)
class _Counter:
    """One app's counting: its storage, strategy and key prefix."""

    limiter: FixedWindowRateLimiter
    prefix: str

    def refusal(self, scope: str, limits: tuple[RateLimitItem, ...]) -> int | None:
        """Count this request; seconds to wait when it is over a limit, else None.

        Shortest window first, stopping at the first limit exceeded (as Flask-Limiter did):
        a refused request is not counted against the longer windows.
        """
        address = request.remote_addr or "127.0.0.1"
        for limit in limits:
            if not self.limiter.hit(limit, self.prefix, address, scope):
                reset = self.limiter.get_window_stats(limit, self.prefix, address, scope).reset_time
                return max(1, int(reset - time.time()) + 1)
        return None


class RateLimits:
    """The app's rate limits: bind with `init_app`, apply with the `limit` decorator."""

    def init_app(self, app: Flask) -> None:
        """Open the storage `RATELIMIT_STORAGE_URI` names (again, on a second call)."""
        uri = str(app.config.get("RATELIMIT_STORAGE_URI", "memory://"))
        options: dict[str, float] = {}
        if uri.split("://", 1)[0] in ("redis", "rediss", "redis+unix"):
            # A Redis that has stopped answering costs a request REDIS_TIMEOUT_MS, not the
            # OS's minutes; options in the address itself (?socket_timeout=...) still win.
            timeout = redis_timeout(app)
            options = {"socket_connect_timeout": timeout, "socket_timeout": timeout}
        storage = storage_from_string(uri, **options)
        prefix = str(app.config.get("RATELIMIT_KEY_PREFIX", ""))
        app.extensions["rate_limits"] = _Counter(FixedWindowRateLimiter(storage), prefix)

    def limit(self, setting: str, methods: Collection[str] | None = None) -> Callable[[View], View]:
        """Limit a view, per client address, by the limits in config `setting`; only requests
        with one of `methods` count when given (sign-in counts its POSTs, not its page)."""

        def decorate(view: View) -> View:
            @functools.wraps(view)
            def limited(*args: Any, **kwargs: Any) -> Any:
                config = current_app.config
                if config.get("RATELIMIT_ENABLED", True) and (
                    methods is None or request.method in methods
                ):
                    wait = _refusal(setting, config[setting])
                    if wait is not None:
                        raise TooManyRequests(retry_after=wait)
                return view(*args, **kwargs)

            return cast(View, limited)

        return decorate


def _refusal(setting: str, text: str) -> int | None:
    counter: _Counter = current_app.extensions["rate_limits"]
    limits = _parsed(setting, text)
    try:
        return counter.refusal(request.endpoint or "", limits)
    except Exception:  # the storage: Redis down, a timeout, ...
        current_app.logger.exception("Rate-limit storage failed: %s not counted", setting)
        return None


@functools.lru_cache(maxsize=16)
def _parsed(setting: str, text: str) -> tuple[RateLimitItem, ...]:
    return parse_limits(setting, text)
