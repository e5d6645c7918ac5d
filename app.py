"""The application factory: configuration, extensions, blueprints and command groups."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import click
from flask import Flask, abort, current_app, send_from_directory
from flask.typing import ResponseReturnValue
from govuk_frontend_wtf.main import WTFormsHelpers
from jinja2 import ChoiceLoader, FileSystemLoader, PackageLoader, PrefixLoader
from werkzeug.middleware.proxy_fix import ProxyFix

from common import staff_sessions
from common.accounts import login_manager
from common.database import db
from common.extensions import csrf, migrate, rate_limits
from common.mail import mail_server
from common.rate_limits import parse_limits
from survey.data.result_cache import cache as result_cache

ROOT = Path(__file__).resolve().parent
GOVUK_DIST = ROOT / "node_modules" / "govuk-frontend" / "dist" / "govuk"
DEV_SECRET_KEY = "development-only-not-secret"  # noqa: S105 - used only with FLASK_DEBUG or tests


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the Flask application from the environment (or `test_config` in tests)."""
    app = Flask(__name__, instance_relative_config=True, template_folder="templates")
    _configure(app, test_config)
    trust_proxies(app, int(app.config["TRUSTED_PROXIES"]))
    _init_templates(app)
    from survey.web import languages

    languages.init_app(app)
    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"))
    csrf.init_app(app)
    rate_limits.init_app(app)
    result_cache.init_app(app)
    login_manager.init_app(app)
    staff_sessions.init_app(app)
    WTFormsHelpers(app)
    from common.health import bp as health_bp
    from survey.web.addresses import AddressText

    # Before any route is added: every `<name>` in an address refuses control characters.
    app.url_map.converters.update(default=AddressText, string=AddressText)
    _init_jobs(app)
    app.register_blueprint(health_bp)
    _register_blueprints(app)
    _register_commands(app)
    _serve_govuk_frontend(app)

    return app


def database_url(app: Flask) -> str:
    """`DATABASE_URL`, or by default an SQLite file in the instance folder."""
    url = os.environ.get("DATABASE_URL", "").strip()
    if not url:
        Path(app.instance_path).mkdir(parents=True, exist_ok=True)
        return "sqlite:///" + str(Path(app.instance_path) / "csp.sqlite3")
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _configure(app: Flask, test_config: dict[str, Any] | None) -> None:
    app.config.from_mapping(
        MAX_CONTENT_LENGTH=10 * 1024 * 1024,
        WTF_CSRF_TIME_LIMIT=None,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        PARTNERSHIP_NAME=os.environ.get("PARTNERSHIP_NAME", "Community Safety Partnership"),
        # Its name on residents' pages in Welsh; the standard name's Welsh unless a council
        # names its own partnership (which then shows as named until this is set too).
        PARTNERSHIP_NAME_CY=os.environ.get(
            "PARTNERSHIP_NAME_CY",
            "" if os.environ.get("PARTNERSHIP_NAME") else "Partneriaeth Diogelwch Cymunedol",
        ),
        SERVICE_NAME="Have your say on community safety",
        STAFF_SERVICE_NAME="Community safety workspace",
        # Per client address. Storage: memory unless RATELIMIT_STORAGE_URI (redis://...).
        RATELIMIT_STORAGE_URI=os.environ.get("RATELIMIT_STORAGE_URI", "memory://"),
        # Keeps this service's counts apart from others that share the Redis server.
        RATELIMIT_KEY_PREFIX=os.environ.get("RATELIMIT_KEY_PREFIX", "csp"),
        SIGN_IN_RATE_LIMIT=_rate_limit("SIGN_IN_RATE_LIMIT", "10 per minute"),
        # Generous: a library, a community centre or a mobile network shares one address.
        SUBMISSION_RATE_LIMIT=_rate_limit("SUBMISSION_RATE_LIMIT", "30 per minute; 300 per hour"),
        # Entering a code to come back to saved answers, and emailing one: each counted apart.
        RETURN_CODE_RATE_LIMIT=_rate_limit("RETURN_CODE_RATE_LIMIT", "10 per minute; 100 per hour"),
        # Saved answers not sent are deleted this many days after their consultation closes.
        SAVED_ANSWERS_RETENTION_DAYS=_count("SAVED_ANSWERS_RETENTION_DAYS", 30),
        # The council's mail server, if any, for "Email me a link" (common.mail); both or neither.
        **_mail_settings(),
        # How long to wait for any Redis to connect or answer before going on without it.
        REDIS_TIMEOUT_MS=_milliseconds("REDIS_TIMEOUT_MS", 50),
        **_results_cache(os.environ.get("RESULTS_CACHE_URL", "").strip()),
        # Where the job queue is kept (common.job_queue): redis://... in production; by default
        # an SQLite file in the instance folder. Empty here: read when the queue is made.
        JOBS_URL=os.environ.get("JOBS_URL", "").strip(),
        # The queue's name in that store: two services sharing one Redis need different names.
        JOBS_QUEUE_NAME=os.environ.get("JOBS_QUEUE_NAME", "").strip() or "csp-jobs",
        # Words of free-text answers are cleared this many days after submission, by the
        # retention run (`flask personal-data retention`), a job on RETENTION_SCHEDULE
        # (crontab, UTC; default daily at 02:30).
        TEXT_RETENTION_DAYS=_days("TEXT_RETENTION_DAYS", 730),
        RETENTION_SCHEDULE=os.environ.get("RETENTION_SCHEDULE", "").strip() or "30 2 * * *",
        # A running job whose worker has not written for this long is taken to have died.
        JOBS_LEASE_SECONDS=_seconds("JOBS_LEASE_SECONDS", 600),
        # How many proxies (a load balancer, nginx) stand between clients and this app, each
        # adding to X-Forwarded-For and X-Forwarded-Proto. 0: the app faces clients itself.
        TRUSTED_PROXIES=_count("TRUSTED_PROXIES", 0),
        # A staff session ends after this long without a request, and this long after
        # signing in whatever its use (common.staff_sessions).
        SESSION_IDLE_SECONDS=_seconds("SESSION_IDLE_SECONDS", 2 * 3600),
        SESSION_ABSOLUTE_SECONDS=_seconds("SESSION_ABSOLUTE_SECONDS", 12 * 3600),
    )
    if test_config is not None:
        app.config.from_mapping(test_config)
    else:
        app.config["SQLALCHEMY_DATABASE_URI"] = database_url(app)
        secret = os.environ.get("SECRET_KEY", "").strip()
        if secret:
            app.config["SECRET_KEY"] = secret
        elif app.debug:
            app.config["SECRET_KEY"] = DEV_SECRET_KEY
        else:
            raise SystemExit(
                "SECRET_KEY is not set: set it to a long random value "
                "(or set FLASK_DEBUG=1 for local development only)"
            )
        if not app.debug:
            app.config["SESSION_COOKIE_SECURE"] = os.environ.get("INSECURE_COOKIES") != "1"
        app.config["SUPPRESSION_THRESHOLD"] = _threshold(os.environ.get("SUPPRESSION_THRESHOLD"))
        app.config["STATUTORY_WORDING"] = _wording_file(os.environ.get("STATUTORY_WORDING"))
        # "0" keeps LibreOffice out of draft builds (Word then numbers the contents on opening).
        app.config["FILL_DRAFT_CONTENTS"] = os.environ.get("FILL_DRAFT_CONTENTS", "1") != "0"
        app.config.update(_language_model())
    # A pooled connection the server or a proxy has closed is replaced before use.
    app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {"pool_pre_ping": True})


def _language_model() -> dict[str, Any]:
    """LLM_*: the council's own language model for theme suggestions, off unless LLM_BASE_URL
    is set; settings that cannot work stop the start, naming the setting."""
    from survey.core.llm_coder import DEFAULT_TIMEOUT_SECONDS, settings_problem

    settings: dict[str, Any] = {
        name: os.environ.get(name, "").strip()
        for name in ("LLM_BASE_URL", "LLM_MODEL", "LLM_API_KEY", "LLM_API_KEY_HEADER")
    }
    settings["LLM_TIMEOUT_SECONDS"] = _seconds("LLM_TIMEOUT_SECONDS", DEFAULT_TIMEOUT_SECONDS)
    problem = settings_problem(settings)
    if problem:
        raise SystemExit(problem)
    return settings


def _wording_file(value: str | None) -> str | None:
    """STATUTORY_WORDING: a council's own copy of the strategy's statutory wording, checked at
    start-up so a wrong path is not found only when a draft is built."""
    path = (value or "").strip()
    if path and not os.path.isfile(path):
        raise SystemExit(f"STATUTORY_WORDING names '{path}', which is not a readable file")
    return path or None


def _rate_limit(name: str, default: str) -> str:
    """A rate-limit setting from the environment, refused at start-up when it is not limits."""
    value = os.environ.get(name, "").strip() or default
    try:
        parse_limits(name, value)
    except ValueError as exc:
        raise SystemExit(str(exc)) from None
    return value


def _mail_settings() -> dict[str, str]:
    """MAIL_SMTP_URL and MAIL_FROM from the environment, refused at start-up when unusable."""
    url, sender = os.environ.get("MAIL_SMTP_URL", ""), os.environ.get("MAIL_FROM", "")
    try:
        mail_server(url, sender)
    except ValueError as exc:
        raise SystemExit(str(exc)) from None
    return {"MAIL_SMTP_URL": url.strip(), "MAIL_FROM": sender.strip()}


def _results_cache(url: str) -> dict[str, Any]:
    """Where counted results are kept (survey.data.result_cache): each process's memory, or the
    Redis at RESULTS_CACHE_URL, shared by every worker and server."""
    if not url:
        return {"CACHE_TYPE": "SimpleCache", "CACHE_DEFAULT_TIMEOUT": 0}
    if not url.startswith(("redis://", "rediss://")):
        raise SystemExit(f"RESULTS_CACHE_URL must be a redis:// address, not {url!r}")
    return {
        "CACHE_TYPE": "RedisCache",
        "CACHE_REDIS_URL": _with_timeouts(url, _milliseconds("REDIS_TIMEOUT_MS", 50) / 1000),
        "CACHE_KEY_PREFIX": os.environ.get("RATELIMIT_KEY_PREFIX", "csp") + ":",
        "CACHE_DEFAULT_TIMEOUT": 7 * 24 * 3600,  # versions no longer read expire
    }


def _with_timeouts(url: str, seconds: float) -> str:
    """A Redis address with connect and answer time-outs, unless it sets its own: Flask-Caching
    makes its client from the address alone."""
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query))
    query.setdefault("socket_timeout", str(seconds))
    query.setdefault("socket_connect_timeout", str(seconds))
    return urlunsplit(parts._replace(query=urlencode(query)))


def _milliseconds(name: str, default: int) -> int:
    """A whole number of milliseconds from the environment, refused at start-up when not."""
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    if not value.isdigit() or int(value) < 1:
        raise SystemExit(f"{name} must be a whole number of milliseconds, 1 or more, not {value!r}")
    return int(value)


def _seconds(name: str, default: int) -> int:
    """A whole number of seconds from the environment, refused at start-up when it is not."""
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    if not value.isdigit() or int(value) < 1:
        raise SystemExit(f"{name} must be a whole number of seconds, 1 or more, not {value!r}")
    return int(value)


def _days(name: str, default: int) -> int:
    """A whole number of days from the environment, refused at start-up when it is not."""
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    if not value.isdigit() or int(value) < 1:
        raise SystemExit(f"{name} must be a whole number of days, 1 or more, not {value!r}")
    return int(value)


def _count(name: str, default: int) -> int:
    """A whole number, 0 or more, from the environment, refused at start-up when it is not."""
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    if not value.isdigit():
        raise SystemExit(f"{name} must be a whole number, 0 or more, not {value!r}")
    return int(value)


def trust_proxies(app: Flask, hops: int) -> None:
    """Behind `hops` proxies, take the client's address and scheme from the headers they add
    (the rate limits then count each client, not the proxy; HSTS sees HTTPS). Only the last
    `hops` values are believed: any a client sends itself stand further left and are ignored.
    """
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]


def _threshold(value: str | None) -> int:
    """SUPPRESSION_THRESHOLD: counts below it are shown as "fewer than N" (default 5)."""
    if value is None or not value.strip():
        return 5
    if not value.strip().isdigit() or int(value) < 1:
        raise SystemExit(
            f"SUPPRESSION_THRESHOLD must be a whole number of 1 or more, not {value!r}"
        )
    return int(value)


def _init_templates(app: Flask) -> None:
    app.jinja_loader = ChoiceLoader(
        [
            FileSystemLoader(ROOT / "templates"),
            PrefixLoader(
                {
                    "govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja"),
                    "govuk_frontend_wtf": PackageLoader("govuk_frontend_wtf"),
                }
            ),
        ]
    )
    # GOV.UK Frontend 5.14's template asks whether to use the 2025 GOV.UK brand; this is a
    # partnership's service, not GOV.UK, so it keeps the plain Design System look.
    app.jinja_env.globals["govukRebrand"] = False
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    from common.display import register_filters

    register_filters(app)
    app.context_processor(_staff_service)


STAFF_PATHS = ("/officers", "/results", "/admin")
HOMES = {
    "officer": "officers.index",
    "councillor": "councillors.index",
    "partner": "delivery.index",
}


def _staff_service() -> dict[str, str]:
    """Staff pages carry the staff service's name, linking to the person's own home."""
    from flask import current_app, request
    from flask_login import current_user

    if not request.path.startswith(STAFF_PATHS) or not current_user.is_authenticated:
        return {}
    return {
        "service_label": current_app.config["STAFF_SERVICE_NAME"],
        "home_endpoint": next(
            endpoint for role, endpoint in HOMES.items() if current_user.can(role)
        ),
    }


def _init_jobs(app: Flask) -> None:
    """The job queue, and every kind of job a worker may be given."""
    import assembly.jobs.audit_imports  # noqa: F401  (each module registers its kinds of job)
    import assembly.jobs.draft_builds  # noqa: F401
    import assembly.jobs.report_builds  # noqa: F401
    import survey.jobs.imports  # noqa: F401
    import survey.jobs.new_themes  # noqa: F401
    import survey.jobs.retention  # noqa: F401
    import survey.jobs.suggestions  # noqa: F401
    from common.job_queue import every_minute, init_app, schedule_job
    from common.settings import retention_days, suppression_threshold
    from survey.core.llm_coder import endpoint_from
    from survey.jobs.recount import RECOUNT, recount_changed
    from survey.jobs.retention import RETENTION, TITLE
    from survey.jobs.suggestions import use_language_model

    init_app(app)
    # Read when a suggestions job runs, from the app running it (a worker's own settings).
    use_language_model(lambda: endpoint_from(current_app.config))
    schedule_job(
        app,
        RETENTION,
        app.config["RETENTION_SCHEDULE"],
        TITLE,
        retention_days,
        setting="RETENTION_SCHEDULE",
    )
    if app.config["CACHE_TYPE"] == "RedisCache":  # a worker's counts reach the web servers
        every_minute(app, RECOUNT, lambda: recount_changed(minimum=suppression_threshold()))


def _register_blueprints(app: Flask) -> None:
    from survey.web.accounts import bp as accounts_bp
    from survey.web.admin import bp as admin_bp
    from survey.web.coding import bp as coding_bp
    from survey.web.errors import register_error_pages
    from survey.web.flagged import bp as flagged_bp
    from survey.web.jobs import bp as jobs_bp
    from survey.web.new_themes import bp as new_themes_bp
    from survey.web.officers import bp as officers_bp
    from survey.web.quotes import bp as quotes_bp
    from survey.web.residents import bp as residents_bp
    from survey.web.responses import bp as responses_bp
    from survey.web.suggestions import bp as suggestions_bp
    from survey.web.transfers import bp as transfers_bp

    app.register_blueprint(residents_bp)
    app.register_blueprint(accounts_bp)
    app.register_blueprint(officers_bp, url_prefix="/officers")
    app.register_blueprint(transfers_bp, url_prefix="/officers")
    app.register_blueprint(coding_bp, url_prefix="/officers")
    app.register_blueprint(flagged_bp, url_prefix="/officers")
    app.register_blueprint(responses_bp, url_prefix="/officers")
    app.register_blueprint(suggestions_bp, url_prefix="/officers")
    app.register_blueprint(new_themes_bp, url_prefix="/officers")
    app.register_blueprint(quotes_bp, url_prefix="/officers")
    app.register_blueprint(jobs_bp, url_prefix="/officers")
    from assembly.web.strategies import bp as strategies_bp

    app.register_blueprint(strategies_bp, url_prefix="/officers")
    from assembly.web.strategy_editor import bp as strategy_editor_bp

    app.register_blueprint(strategy_editor_bp, url_prefix="/officers")
    from assembly.web.published import bp as published_bp

    app.register_blueprint(published_bp)
    from assembly.web.strategy_comments import bp as strategy_comments_bp

    app.register_blueprint(strategy_comments_bp, url_prefix="/officers")
    from assembly.web.delivery import bp as delivery_bp

    app.register_blueprint(delivery_bp, url_prefix="/officers")
    from assembly.web.delivery_reports import bp as delivery_reports_bp

    app.register_blueprint(delivery_reports_bp, url_prefix="/officers")
    app.register_blueprint(admin_bp, url_prefix="/admin")
    from survey.web.councillors import bp as councillors_bp

    app.register_blueprint(councillors_bp, url_prefix="/results")
    from assembly.web.delivery import delivery_waiting
    from assembly.web.strategies import strategies_waiting
    from common.staff_home import register
    from survey.web.officers import things_waiting

    register(app, things_waiting)
    register(app, strategies_waiting)
    register(app, delivery_waiting)
    register_error_pages(app)
    from survey.web.security import register_security_headers

    register_security_headers(app)


def _register_commands(app: Flask) -> None:
    import survey.cli.new_themes  # noqa: F401  (adds `flask themes find-new` to the themes group)
    import survey.cli.suggestions  # noqa: F401  (adds `flask themes suggest` to the themes group)
    from survey.cli.consultations import consultations_cli, responses_cli, themes_cli, users_cli

    app.cli.add_command(users_cli)
    app.cli.add_command(consultations_cli)
    app.cli.add_command(responses_cli)
    app.cli.add_command(themes_cli)
    from common.jobs_cli import jobs_cli

    app.cli.add_command(jobs_cli)

    from survey.cli.results import results_cli

    app.cli.add_command(results_cli)

    from survey.cli.personal_data import personal_data_cli

    app.cli.add_command(personal_data_cli)

    from assembly.cli import audit_cli, demo_strategy_command, draft_cli, strategy_cli
    from survey.cli.consultations import demo_command

    @app.cli.command("demo")
    @click.pass_context
    def demo(context: click.Context) -> None:
        """Load the demo consultation and accounts, a demo audit and strategy (safe to rerun)."""
        context.invoke(demo_command)
        context.invoke(demo_strategy_command)

    app.cli.add_command(audit_cli)
    app.cli.add_command(strategy_cli)
    from assembly.cli.delivery import actions_cli, measures_cli, report_cli
    from assembly.cli.demo_delivery import demo_delivery_command

    app.cli.add_command(actions_cli)
    app.cli.add_command(measures_cli)
    app.cli.add_command(demo_delivery_command)
    app.cli.add_command(report_cli)
    app.cli.add_command(draft_cli)


def _serve_govuk_frontend(app: Flask) -> None:
    """Serve GOV.UK Frontend's CSS, JavaScript, fonts and images from the npm package."""

    @app.get("/assets/<path:filename>")
    def govuk_assets(filename: str) -> ResponseReturnValue:
        return send_from_directory(GOVUK_DIST / "assets", filename, max_age=86400)

    @app.get("/govuk/<any('govuk-frontend.min.css', 'govuk-frontend.min.js'):filename>")
    def govuk_bundle(filename: str) -> ResponseReturnValue:
        if not (GOVUK_DIST / filename).exists():
            abort(404)
        return send_from_directory(GOVUK_DIST, filename, max_age=86400)
