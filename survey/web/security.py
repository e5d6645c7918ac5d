"""Security headers on every response: a Content-Security-Policy without inline scripts,
`Cache-Control: no-store` unless a route chose its own caching, HSTS over HTTPS.

The one inline script GOV.UK's page template has (it marks the body as JavaScript-enabled)
carries a fresh nonce per response; everything else comes from the service's own origin.
SVG charts get a policy of their own: they are images, with inline styles and no scripts.
"""

from __future__ import annotations

import secrets

from flask import Flask, Response, g, request

PAGE_POLICY = (
    "default-src 'self'; script-src 'self' 'nonce-{nonce}'; style-src 'self'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
SVG_POLICY = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'"
HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Permissions-Policy": "camera=(), geolocation=(), microphone=(), payment=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}
# Sent over HTTPS only (behind a proxy, as TRUSTED_PROXIES lets the app see): browsers then
# refuse plain HTTP to the service for a year. Without includeSubDomains, so a council's
# other sites under the same domain are not bound by it.
HSTS = "max-age=31536000"


def csp_nonce() -> str:
    """This response's nonce for inline scripts, made on first use."""
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(18)
    return str(g.csp_nonce)


def register_security_headers(app: Flask) -> None:
    """Give templates the nonce, and every response the headers."""

    @app.context_processor
    def nonce_for_templates() -> dict[str, str]:
        return {"cspNonce": csp_nonce()}

    @app.after_request
    def security_headers(response: Response) -> Response:
        if response.mimetype == "image/svg+xml":
            policy = SVG_POLICY
        else:
            policy = PAGE_POLICY.format(nonce=csp_nonce())
        response.headers["Content-Security-Policy"] = policy
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        # Pages show residents' free text and officers' work: kept by no browser or proxy
        # cache. Responses that set their own caching (assets, chart images) keep it.
        response.headers.setdefault("Cache-Control", "no-store")
        if request.is_secure:
            response.headers.setdefault("Strict-Transport-Security", HSTS)
        return response
