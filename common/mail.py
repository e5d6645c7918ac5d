"""Sending one plain-text email through the council's own mail server, when it has one.

Configured by `MAIL_SMTP_URL` and `MAIL_FROM`; with neither set the service sends no email
and offers none. The address is written like a database's:

- `smtp://host:25`: plain SMTP, as to a relay inside the council's network;
- `smtp+starttls://user:password@host:587`: STARTTLS required before anything is sent;
- `smtps://user:password@host:465`: TLS from the start.

Nothing here keeps the recipient's address: it is used for the one message and forgotten.
"""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import parseaddr
from urllib.parse import unquote, urlsplit

SCHEMES = {"smtp": 25, "smtp+starttls": 587, "smtps": 465}
TIMEOUT_SECONDS = 10.0


class MailError(Exception):
    """The message could not be handed to the mail server (it refused, or did not answer)."""


@dataclass(frozen=True)
class MailServer:
    """Where and how to send: the server, its security, its account and the sender."""

    scheme: str
    host: str
    port: int
    username: str
    password: str
    sender: str


def mail_server(url: str, sender: str) -> MailServer | None:
    """The mail server `MAIL_SMTP_URL` and `MAIL_FROM` name, None when neither is set.

    ValueError naming the setting when one is set without the other, or is not usable.
    """
    url, sender = url.strip(), sender.strip()
    if not url and not sender:
        return None
    if not url:
        raise ValueError("MAIL_FROM is set but MAIL_SMTP_URL is not: set both, or neither")
    if not sender:
        raise ValueError("MAIL_SMTP_URL is set but MAIL_FROM is not: set both, or neither")
    parts = urlsplit(url)
    if parts.scheme not in SCHEMES or not parts.hostname:
        raise ValueError(
            "MAIL_SMTP_URL must be like smtp://host:25, smtp+starttls://user:password@host:587 "
            f"or smtps://user:password@host:465, not {url!r}"
        )
    try:
        port = parts.port or SCHEMES[parts.scheme]
    except ValueError:
        raise ValueError(f"MAIL_SMTP_URL has a port that is not a number: {url!r}") from None
    if "@" not in parseaddr(sender)[1]:
        raise ValueError(f"MAIL_FROM must be an email address, not {sender!r}")
    return MailServer(
        parts.scheme,
        parts.hostname,
        port,
        unquote(parts.username or ""),
        unquote(parts.password or ""),
        sender,
    )


def send(server: MailServer, to: str, subject: str, body: str) -> None:
    """Send one plain-text message; MailError when the server cannot be reached or refuses."""
    message = EmailMessage()
    message["From"] = server.sender
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    try:
        with _connect(server) as smtp:
            if server.scheme == "smtp+starttls":
                smtp.starttls(context=ssl.create_default_context())
            if server.username:
                smtp.login(server.username, server.password)
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as exc:
        raise MailError(f"{server.host}:{server.port}: {exc}") from exc


def _connect(server: MailServer) -> smtplib.SMTP:
    if server.scheme == "smtps":
        return smtplib.SMTP_SSL(
            server.host,
            server.port,
            timeout=TIMEOUT_SECONDS,
            context=ssl.create_default_context(),
        )
    return smtplib.SMTP(server.host, server.port, timeout=TIMEOUT_SECONDS)
