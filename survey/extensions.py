"""Flask extensions other than the database handle, created unbound and bound in create_app."""

from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_migrate import Migrate
from flask_wtf.csrf import CSRFProtect

csrf = CSRFProtect()
# Limits are per client address; storage is memory:// unless RATELIMIT_STORAGE_URI says
# otherwise (redis://... shares the counts between gunicorn workers and servers).
limiter = Limiter(key_func=get_remote_address)
migrate = Migrate(compare_type=True, render_as_batch=True)
