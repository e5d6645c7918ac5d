"""Friendly error pages in the GOV.UK style, including a missing or forged CSRF token."""

from __future__ import annotations

from flask import Flask, render_template
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

PAGES = {
    400: (_("Sorry, there is a problem with what was sent"), "errors/400.html"),
    403: (_("You do not have permission to see this page"), "errors/403.html"),
    404: (_("Page not found"), "errors/404.html"),
    405: (_("Sorry, there is a problem with what was sent"), "errors/400.html"),
    413: (_("The file is too large"), "errors/413.html"),
    429: (_("Too many attempts from your connection"), "errors/429.html"),
    500: (_("Sorry, there is a problem with the service"), "errors/500.html"),
}


def register_error_pages(app: Flask) -> None:
    """Show each HTTP error, and a failed CSRF check, as a page a person can act on."""

    @app.errorhandler(CSRFError)
    def csrf_failed(error: CSRFError) -> ResponseReturnValue:
        return render_template("errors/csrf.html", reason=error.description), 400

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> ResponseReturnValue:
        code = error.code or 500
        title, template = PAGES.get(code, PAGES[400] if code < 500 else PAGES[500])
        # The error's own headers stay: Retry-After on a 429, Allow on a 405.
        headers = [(k, v) for k, v in error.get_headers() if k.lower() != "content-type"]
        return render_template(template, title=title, error=error), code, headers

    @app.errorhandler(Exception)
    def unexpected(error: Exception) -> ResponseReturnValue:
        if app.debug or app.testing:
            raise error
        app.logger.exception("Unhandled error")
        return render_template("errors/500.html", title=PAGES[500][0]), 500
