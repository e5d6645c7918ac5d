"""Emailing a saved response's code and link: offered only where the council has a mail server,
sent through it (a real SMTP server on loopback, started here), the address kept nowhere, and
a server that cannot be reached or a bad address said plainly, with the code still shown."""

from __future__ import annotations

import logging
import re
import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import pytest
import sqlalchemy as sa
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from flask import Flask
from flask.testing import FlaskClient

from app import create_app
from common import mail
from common.database import db
from tests.servers import listening_socket
from tests.support import error_summary, make_consultation, page, post_form
from tests.test_residents_welsh import make_welsh_consultation
from tests.test_save_and_return import BASE, answer, enter_code, save_on, shown_code

ADDRESS = "resident@example.org"


@dataclass
class Inbox:
    """What the test's SMTP server received."""

    messages: list[EmailMessage] = field(default_factory=list)
    logins: list[tuple[str, str]] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        parsed = message_from_bytes(envelope.original_content, policy=policy.default)
        self.messages.append(parsed)  # type: ignore[arg-type]
        return "250 OK"

    def authenticate(
        self, server: Any, session: Any, envelope: Any, method: str, data: Any
    ) -> AuthResult:
        assert isinstance(data, LoginPassword)
        self.logins.append((data.login.decode(), data.password.decode()))
        return AuthResult(success=data.password == b"p@ss:word")


class LoopbackController(Controller):
    """aiosmtpd on a socket bound before it starts, so no other process can take its port."""

    def __init__(self, handler: Any, sock: socket.socket, **kwargs: Any) -> None:
        self._sock = sock
        super().__init__(handler, hostname="127.0.0.1", port=sock.getsockname()[1], **kwargs)

    def _create_server(self) -> Any:
        return self.loop.create_server(self._factory_invoker, sock=self._sock)


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    """A real SMTP server on loopback (with AUTH allowed without TLS, for the login test)."""
    inbox = Inbox()
    sock = listening_socket()
    controller = LoopbackController(
        inbox, sock, authenticator=inbox.authenticate, auth_require_tls=False
    )
    controller.start()
    try:
        yield inbox, sock.getsockname()[1]
    finally:
        controller.stop()
        sock.close()


def _configure(app: Flask, port: int) -> None:
    app.config.update(
        MAIL_SMTP_URL=f"smtp://127.0.0.1:{port}", MAIL_FROM="consultations@council.example"
    )


def _saved(client: FlaskClient) -> str:
    answer(client, "agree", {"answer": "Yes"})
    save_on(client, "safe")
    return shown_code(client)


def test_with_no_mail_server_no_email_is_offered_and_nothing_breaks(client: FlaskClient) -> None:
    make_consultation()
    _saved(client)
    saved = page(client.get(f"{BASE}/saved"))
    assert saved.find("input", id="email") is None
    assert "Email me a link" not in saved.get_text()
    token = saved.find("input", attrs={"name": "csrf_token"})
    assert token is None  # no form at all
    form = page(client.get(f"{BASE}/questions/agree"))
    token = form.find("input", attrs={"name": "csrf_token"})["value"]
    assert client.post(
        f"{BASE}/saved", data={"email": ADDRESS, "csrf_token": token}
    ).status_code == (404)


def test_the_code_and_a_link_are_emailed_and_the_address_kept_nowhere(
    app: Flask, client: FlaskClient, smtp: tuple[Inbox, int]
) -> None:
    inbox, port = smtp
    _configure(app, port)
    make_consultation()
    code = _saved(client)
    sent = post_form(client, f"{BASE}/saved", {"email": f"  {ADDRESS} "})
    assert sent.headers["Location"] == f"{BASE}/saved?sent=1"
    shown = page(client.get(sent.headers["Location"])).get_text(" ")
    assert "We have sent your code and a link to come back." in shown
    (message,) = inbox.messages
    assert message["To"] == ADDRESS
    assert message["From"] == "consultations@council.example"
    assert message["Subject"] == "Your saved answers: Safer streets"
    body = message.get_content()
    assert f"Your code is: {code}" in body
    link = re.search(r"http://localhost\S+", body)
    assert link is not None
    assert link.group() == f"http://localhost{BASE}/continue?code={code}&lang=en"
    # The link fills in the code on another browser; Continue carries on.
    other = app.test_client()
    form = page(other.get(link.group()))
    assert form.find("input", id="code")["value"] == code
    assert enter_code(other, code).headers["Location"] == f"{BASE}/questions/safe"
    for table in db.metadata.sorted_tables:
        for row in db.session.execute(sa.select(table)):
            assert ADDRESS not in str(tuple(row)), f"the address is kept in {table.name}"


def test_the_email_is_in_welsh_for_a_resident_answering_in_welsh(
    app: Flask, client: FlaskClient, smtp: tuple[Inbox, int]
) -> None:
    inbox, port = smtp
    _configure(app, port)
    make_welsh_consultation()
    client.get(f"{BASE}?lang=cy")
    answer(client, "agree", {"answer": "Ydw"})
    save_on(client, "safe", label="Cadw a dod yn ôl yn nes ymlaen")
    assert post_form(client, f"{BASE}/saved", {"email": ADDRESS}).status_code == 302
    (message,) = inbox.messages
    assert message["Subject"] == "Eich atebion a gadwyd: Strydoedd mwy diogel"
    body = message.get_content()
    assert "Eich cod yw: " in body
    assert "&lang=cy" in body


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        ("", "Enter your email address"),
        (
            "resident.example.org",
            "Enter an email address in the correct format, like name@example.com",
        ),  # fmt: skip
        (
            "a@b\r\nBcc: everyone@example.org",
            "Enter an email address in the correct format, like name@example.com",
        ),  # fmt: skip
    ],
)
def test_a_bad_address_is_refused_naming_the_problem_and_nothing_is_sent(
    app: Flask, client: FlaskClient, smtp: tuple[Inbox, int], typed: str, problem: str
) -> None:
    inbox, port = smtp
    _configure(app, port)
    make_consultation()
    code = _saved(client)
    refused = post_form(client, f"{BASE}/saved", {"email": typed})
    assert refused.status_code == 200
    assert error_summary(refused) == [problem]
    assert page(refused).select_one("#email-error") is not None
    assert page(refused).select_one(".app-return-code").get_text(strip=True) == code
    assert inbox.messages == []


def test_a_mail_server_that_cannot_be_reached_is_said_and_the_code_still_shown(
    app: Flask, client: FlaskClient, caplog: pytest.LogCaptureFixture
) -> None:
    with listening_socket() as sock:
        port = sock.getsockname()[1]
    _configure(app, port)  # nothing listens there now
    make_consultation()
    code = _saved(client)
    with caplog.at_level(logging.WARNING):
        refused = post_form(client, f"{BASE}/saved", {"email": ADDRESS})
    assert error_summary(refused) == [
        "Your email could not be sent just now. Write down your code, or try again later"
    ]
    assert page(refused).select_one(".app-return-code").get_text(strip=True) == code
    assert f"127.0.0.1:{port}" in caplog.text and ADDRESS not in caplog.text


def test_emailing_is_limited_per_address(
    app: Flask, client: FlaskClient, smtp: tuple[Inbox, int]
) -> None:
    inbox, port = smtp
    _configure(app, port)
    app.config.update(RATELIMIT_ENABLED=True, RETURN_CODE_RATE_LIMIT="2 per minute")
    make_consultation()
    _saved(client)
    tries = [post_form(client, f"{BASE}/saved", {"email": ADDRESS}).status_code for _ in range(3)]
    assert tries == [302, 302, 429]
    assert len(inbox.messages) == 2


def test_the_server_address_gives_its_account_and_insists_on_starttls(
    smtp: tuple[Inbox, int],
) -> None:
    inbox, port = smtp
    server = mail.mail_server(f"smtp://council%40relay:p%40ss%3Aword@127.0.0.1:{port}", "a@b.c")
    assert server is not None
    mail.send(server, ADDRESS, "Subject", "Body")
    assert inbox.logins == [("council@relay", "p@ss:word")]
    # This server offers no STARTTLS: an address that requires it sends nothing.
    insisting = mail.mail_server(f"smtp+starttls://127.0.0.1:{port}", "a@b.c")
    assert insisting is not None
    with pytest.raises(mail.MailError):
        mail.send(insisting, ADDRESS, "Subject", "Body")
    assert len(inbox.messages) == 1


@pytest.mark.parametrize(
    ("url", "sender", "problem"),
    [
        ("smtp://relay:25", "", "MAIL_SMTP_URL is set but MAIL_FROM is not"),
        ("", "a@b.c", "MAIL_FROM is set but MAIL_SMTP_URL is not"),
        ("http://relay", "a@b.c", "MAIL_SMTP_URL must be like smtp://host:25"),
        ("smtp://relay:port", "a@b.c", "MAIL_SMTP_URL has a port that is not a number"),
        ("smtp://relay", "consultations", "MAIL_FROM must be an email address"),
    ],
)
def test_a_mail_setting_that_cannot_work_stops_the_start_naming_it(
    monkeypatch: pytest.MonkeyPatch, url: str, sender: str, problem: str
) -> None:
    monkeypatch.setenv("MAIL_SMTP_URL", url)
    monkeypatch.setenv("MAIL_FROM", sender)
    with pytest.raises(SystemExit) as stopped:
        create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert problem in str(stopped.value)


def test_no_mail_settings_means_no_mail_server() -> None:
    assert mail.mail_server("", " ") is None
    server = mail.mail_server("smtps://relay.council.example", "Consultations <c@council.example>")
    assert server is not None and (server.port, server.scheme) == (465, "smtps")
