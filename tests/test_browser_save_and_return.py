"""Browser test of "Save and come back later": Debian's Chromium, driven by Playwright, against a
real gunicorn server whose council has a mail server (aiosmtpd on loopback, started here).

A resident answers two questions, saves, notes the code (and has it emailed); that browser
is closed. A new browser enters the code, carries on at the third question, finishes and
sends. axe-core (WCAG 2.2 A and AA) checks every page of saving and coming back, in English
and in Welsh, at 320 px, where none may scroll sideways.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser_support import chromium, tools_or_skip
from tests.servers import listening_socket, running_gunicorn
from tests.test_browser import NARROW, SCREENSHOTS, AxeRun
from tests.test_follow_ups import follow_up_definition
from tests.test_residents_welsh import welsh_definition
from tests.test_save_and_return_email import Inbox, LoopbackController

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("browser-save-and-return")]

SLUG = "safer-streets"
CLOSED_SLUG = "closed-streets"
FOLLOW_UPS_SLUG = "feeling-safe"  # tests/test_follow_ups.py's questions
ADDRESS = "resident@example.org"

# `flask db upgrade`, then the test's consultations (with their Welsh text), opened or closed.
SETUP = """
import json, sys
from flask.cli import cli

cli.main(["--app", "app", "db", "upgrade"], prog_name="flask", standalone_mode=False)

from app import create_app
from common.database import db
from survey.core.definitions import parse_definition
from survey.data import consultations as store
from survey.data.models import Status

with create_app().app_context():
    for definition, status in json.loads(open(sys.argv[1]).read()):
        consultation, _ = store.save_definition(parse_definition(definition))
        store.set_status(consultation, Status(status))
    db.session.commit()
"""


@pytest.fixture(scope="module")
def smtp() -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    sock = listening_socket()
    controller = LoopbackController(inbox, sock)
    controller.start()
    try:
        yield inbox, sock.getsockname()[1]
    finally:
        controller.stop()
        sock.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, smtp: tuple[Inbox, int]) -> Iterator[Any]:
    """gunicorn in production mode on a fresh SQLite database holding an open consultation and
    a closed one, both in Welsh and English, with a mail server configured."""
    tools_or_skip()
    work = tmp_path_factory.mktemp("save-and-return")
    database = work / "server.sqlite3"
    closed = welsh_definition()
    closed.update(slug=CLOSED_SLUG, title="Closed streets", title_cy="Strydoedd ar gau")
    follow_ups = follow_up_definition(slug=FOLLOW_UPS_SLUG, title="Feeling safe")
    (work / "consultations.json").write_text(
        json.dumps([[welsh_definition(), "open"], [closed, "closed"], [follow_ups, "open"]])
    )
    env = {k: v for k, v in os.environ.items() if k != "FLASK_DEBUG"}
    env.update(
        DATABASE_URL=f"sqlite:///{database}",
        SECRET_KEY="browser-test-secret-key-long-enough",
        INSECURE_COOKIES="1",  # plain http on loopback
        MAIL_SMTP_URL=f"smtp://127.0.0.1:{smtp[1]}",
        MAIL_FROM="consultations@council.example",
    )
    done = subprocess.run(
        [sys.executable, "-c", SETUP, str(work / "consultations.json")],
        cwd=Path(__file__).resolve().parent.parent,
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, f"setting up failed:\n{done.stdout}{done.stderr}"
    with running_gunicorn(env, work / "gunicorn.log", workers=2) as (base, _):
        yield base, database


@pytest.fixture(scope="module")
def browser(server: Any) -> Iterator[Any]:
    with chromium(SCREENSHOTS, empty=False) as running:  # tests/test_browser.py's folder
        yield running


def _context(browser: Any, base: str) -> Any:
    # bypass_csp so that axe-core can be injected (as tests/test_browser.py's axe runs do).
    return browser.new_context(bypass_csp=True, viewport=NARROW, base_url=base)


def _press(page: Any, button: str) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name=button, exact=True).click()


def _heading(page: Any) -> str:
    return " ".join(page.locator("h1").inner_text().split())


def test_save_leave_and_send_from_a_new_browser_with_the_code(
    browser: Any, server: Any, smtp: tuple[Inbox, int]
) -> None:
    base, database = server
    inbox, _ = smtp
    start = f"{base}/consultations/{SLUG}"

    # The first browser: two answers, then save.
    first = _context(browser, base)
    page = first.new_page()
    run = AxeRun(page, "save-first-browser", NARROW["width"])
    page.goto(start)
    with page.expect_navigation():
        page.get_by_role("button", name="Start now").click()
    page.check("#answer")
    _press(page, "Continue")
    page.check("#answer")
    _press(page, "Continue")
    assert page.url.endswith("/questions/support"), page.url
    run.check("question-with-save-en")
    _press(page, "Save and come back later")
    assert _heading(page) == "Your answers have been saved"
    code = page.locator(".app-return-code").inner_text().strip()
    run.check("saved-en")
    _press(page, "Send me the email")
    run.check("saved-email-error-en")
    assert page.locator(".govuk-error-summary").inner_text().count("Enter your email address")
    page.fill("#email", ADDRESS)
    _press(page, "Send me the email")
    assert "We have sent your code" in page.locator("main").inner_text()
    run.check("saved-emailed-en")
    run.check("saved-cy", f"/consultations/{SLUG}/saved?lang=cy")
    assert _heading(page) == "Mae eich atebion wedi’u cadw"
    run.check("question-with-save-cy", f"/consultations/{SLUG}/questions/support")
    first.close()
    run.assert_none()
    (message,) = inbox.messages
    assert f": {code}" in message.get_content()

    # A new browser, with nothing of the first: the code brings the answers back.
    second = _context(browser, base)
    page = second.new_page()
    run = AxeRun(page, "save-new-browser", NARROW["width"])
    run.check("continue-cy", f"/consultations/{SLUG}/continue?lang=cy")
    page.fill("#code", "K7QP")
    _press(page, "Parhau")
    assert "Rhowch eich cod fel y cafodd ei roi i chi" in page.locator("#code-error").inner_text()
    run.check("continue-error-cy")
    run.check("closed-cy", f"/consultations/{CLOSED_SLUG}/continue")
    run.check("closed-en", f"/consultations/{CLOSED_SLUG}/continue?lang=en")
    run.check("continue-en", f"/consultations/{SLUG}/continue")
    page.fill("#code", "K7QP-M3XD-9RWT")
    _press(page, "Continue")
    run.check("continue-error-en")
    page.fill("#code", code.lower().replace("-", " "))
    _press(page, "Continue")
    assert page.url.endswith(f"/consultations/{SLUG}/questions/support"), page.url
    page.check("#row-0")
    page.check("#row-1")
    _press(page, "Continue")
    page.check("#answer")
    _press(page, "Continue")
    _press(page, "Continue")  # how they hear about us: optional, left blank
    _press(page, "Continue")  # what worries them: optional, left blank
    assert _heading(page) == "Check your answers before sending your response"
    run.check("check-with-save-en")
    _press(page, "Send response")
    assert _heading(page).startswith("Response sent")
    run.check("confirmation-en")
    second.close()
    run.assert_none()

    with sqlite3.connect(database) as db:
        responses = db.execute("SELECT count(*) FROM response").fetchone()[0]
        drafts = db.execute("SELECT count(*) FROM draft").fetchone()[0]
    assert (responses, drafts) == (1, 0)


def _answers_checked(page: Any) -> list[str]:
    """The questions listed on "Check your answers", in order."""
    return [" ".join(t.split()) for t in page.locator("dt").all_inner_texts()]


def test_follow_up_questions_are_asked_only_when_an_answer_calls_for_them(
    browser: Any, server: Any
) -> None:
    base, _ = server
    questions = f"{base}/consultations/{FOLLOW_UPS_SLUG}/questions"
    context = _context(browser, base)
    page = context.new_page()
    run = AxeRun(page, "follow-ups", NARROW["width"])
    page.goto(f"{questions}/feel_safe")
    page.get_by_label("Yes", exact=True).check()
    _press(page, "Continue")
    assert page.url == f"{questions}/area", "feeling safe skips every follow-up"
    with page.expect_navigation():
        page.get_by_role("link", name="Back").click()
    assert page.url == f"{questions}/feel_safe", "and the back link skips them too"

    page.get_by_label("No", exact=True).check()
    _press(page, "Continue")
    assert page.url == f"{questions}/why_unsafe"
    run.check("why-unsafe")
    page.fill("#answer", "Poor street lighting")
    _press(page, "Continue")
    assert page.url == f"{questions}/where_unsafe"
    page.get_by_label("Home", exact=True).check()
    _press(page, "Continue")
    assert page.url == f"{questions}/home_help", "a follow-up of a follow-up"
    run.check("home-help")
    page.get_by_label("Yes please", exact=True).check()
    _press(page, "Continue")
    page.get_by_label("North", exact=True).check()
    _press(page, "Continue")
    assert page.url.endswith("/check"), page.url
    run.check("check-with-follow-ups")
    assert _answers_checked(page) == [
        "Do you feel safe where you live?", "What makes you feel unsafe?",
        "Where do you feel unsafe?", "Would you like a home safety visit?", "Where?",
    ]  # fmt: skip

    # Feeling safe after all: the follow-ups' answers go, and the check lists none of them.
    page.goto(f"{questions}/feel_safe?change=1")
    page.get_by_label("Yes", exact=True).check()
    _press(page, "Continue")
    assert page.url.endswith("/check"), page.url
    assert _answers_checked(page) == ["Do you feel safe where you live?", "Where?"]
    _press(page, "Send response")
    assert "Response sent" in _heading(page)
    context.close()
    run.assert_none()
