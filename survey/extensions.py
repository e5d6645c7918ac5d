"""Flask extensions other than the database handle, created unbound and bound in create_app."""

from flask_migrate import Migrate
from flask_wtf.csrf import CSRFProtect

csrf = CSRFProtect()
migrate = Migrate(compare_type=True, render_as_batch=True)
