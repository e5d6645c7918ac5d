"""Flask extensions other than the database handle, created unbound and bound in create_app."""

from __future__ import annotations

import threading
import time

from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_migrate import Migrate
from flask_wtf.csrf import CSRFProtect
from limits.storage import MemoryStorage


class ProcessMemoryStorage(MemoryStorage):
    """`memory://` rate-limit counts, swept for expired entries in the request itself.

    The library's in-memory storage starts a `threading.Timer` (a new OS thread) whenever its
    previous 10 ms sweep has finished, which under steady traffic is on almost every counted
    request: on the residents' submission that was the costliest single step (thread start and
    hand-over, worst on a busy machine). Counts are already expired when read (`get`) and the
    moving window compares timestamps, so the sweep only frees memory for addresses not seen
    again: here it runs in the request that counts, at most every `SWEEP_EVERY` seconds.
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


csrf = CSRFProtect()
# Limits are per client address; storage is memory:// unless RATELIMIT_STORAGE_URI says
# otherwise (redis://... shares the counts between gunicorn workers and servers).
limiter = Limiter(key_func=get_remote_address)
migrate = Migrate(compare_type=True, render_as_batch=True)
