"""Flask extensions other than the database handle, created unbound and bound in create_app."""

from __future__ import annotations

from flask_migrate import Migrate
from flask_wtf.csrf import CSRFProtect

from common.rate_limits import RateLimits

csrf = CSRFProtect()
# Limits are per client address; storage is memory:// unless RATELIMIT_STORAGE_URI says
# otherwise (redis://... shares the counts between gunicorn workers and servers).
rate_limits = RateLimits()
migrate = Migrate(compare_type=True, render_as_batch=True)
