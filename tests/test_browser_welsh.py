"""Browser tests of the residents' journey in Welsh: Debian's Chromium, driven by Playwright,
against a real gunicorn server holding the demo (whose consultation is in Welsh and English).

- The whole demo consultation in Welsh at 320 px, with JavaScript off, by keyboard alone (Tab,
  Shift+Tab, Space, Enter, arrows), from the list of consultations to the confirmation; the
  answers are stored as the same options an English resident's would be.
- axe-core (WCAG 2.2 A and AA) on every page of that journey, as the resident saw it: axe needs
  JavaScript to run, so each page's HTML (its scripts removed) is opened again in a second
  browser where it can, with the server's own styles.
- Switching language mid-journey with the language link keeps every earlier answer.
- axe-core on the published results ('You said'), the public page of the demo's earlier
  strategy, its new strategy's draft out for comment and "You said, we did" about it, in Welsh
  (and the last three in English too), the privacy notice, the accessibility statement and
  the page of results still to come (in both), at 320 px and at 1280 px.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser_support import (
    DELIVERED,
    PUBLISHED_SLUG,
    SLUG,
    STRATEGY,
    Server,
    chromium,
    demo_server,
    focused,
    tools_or_skip,
)
from tests.test_browser import (
    DESKTOP,
    NARROW,
    SCREENSHOTS,
    AxeRun,
    Journey,
    Resident,
    _axe_context,
)

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("browser-welsh")]

WORRIES_CY = "Sbwriel a fandaliaeth ger yr orsaf fysiau."
SCRIPT = re.compile(r"<script\b.*?</script>", re.IGNORECASE | re.DOTALL)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """gunicorn on a fresh SQLite database with the demo loaded."""
    tools_or_skip()
    with demo_server(tmp_path_factory.mktemp("browser-welsh"), out_for_comment=True) as running:
        yield running


@pytest.fixture(scope="module")
def browser(server: Server) -> Iterator[Any]:
    with chromium(SCREENSHOTS, empty=False) as running:  # tests/test_browser.py's folder
        yield running


class AsSeen:
    """axe-core on the pages a resident without JavaScript saw: each page's HTML, scripts
    removed, served again at its own address to a page where axe-core can run."""

    def __init__(self, browser: Any, label: str) -> None:
        # bypass_csp so that axe-core can be injected (as tests/test_browser.py's runs do).
        self.context = browser.new_context(bypass_csp=True, viewport=NARROW)
        self.run = AxeRun(self.context.new_page(), label, NARROW["width"])

    def check(self, name: str, seen: Any) -> None:
        html = SCRIPT.sub("", seen.content())
        address = seen.url.split("#")[0]

        def serve(route: Any) -> None:
            route.fulfill(status=200, content_type="text/html; charset=utf-8", body=html)

        self.run.page.route(address, serve)
        self.run.check(name, address)
        self.run.page.unroute(address, serve)

    def finish(self) -> None:
        self.context.close()
        self.run.assert_none()


def _stored(database: Path, reference: str) -> dict[str, list[tuple[Any, ...]]]:
    """A response's answers by question key: (statement, option, text)."""
    with sqlite3.connect(database) as conn:
        rows = conn.execute(
            "SELECT q.key, a.row, a.option, a.text FROM answer a"
            " JOIN response r ON r.id = a.response_id JOIN question q ON q.id = a.question_id"
            " WHERE r.reference = ? ORDER BY q.key, a.row, a.option",
            (reference,),
        ).fetchall()
    stored: dict[str, list[tuple[Any, ...]]] = {}
    for key, *rest in rows:
        stored.setdefault(key, []).append(tuple(rest))
    return stored


def _on(page: Any, path: str) -> bool:
    return re.split(r"[?#]", page.url)[0].endswith(f"/consultations/{SLUG}{path}")


def test_whole_journey_in_welsh_at_320px_by_keyboard_without_javascript(
    browser: Any, server: Server
) -> None:
    journey = Journey("welsh-nojs-320", False, NARROW, 0, WORRIES_CY, 0, "Caerfaddon")
    context = browser.new_context(java_script_enabled=False, viewport=NARROW)
    page = context.new_page()
    resident = Resident(page, journey)
    axe = AsSeen(browser, "welsh-nojs-320")
    try:
        page.goto(server.url("/"))
        assert page.locator("html").get_attribute("lang") == "en"
        axe.check("list-en", page)
        resident.tab_to(lambda f: f["text"] == "Cymraeg", "the language link")
        resident.go("Enter")
        assert page.locator("html").get_attribute("lang") == "cy"
        assert resident.heading() == "Dweud eich dweud am ddiogelwch cymunedol"
        axe.check("list", page)
        resident.tab_to(lambda f: f["href"] == f"/consultations/{SLUG}", "the consultation")
        resident.go("Enter")
        assert resident.heading() == "Strategaeth diogelwch cymunedol: y blaenoriaethau arfaethedig"
        assert "Bydd swyddogion yn darllen pob ymateb." in page.locator("main").inner_text()
        axe.check("start", page)
        resident.tab_to(lambda f: f["text"] == "Dechrau nawr", "the Dechrau nawr button")
        resident.go("Enter")

        assert _on(page, "/questions/agree_priorities"), page.url
        assert "Ydych chi’n cytuno â’r blaenoriaethau strategol arfaethedig?" in resident.heading()
        axe.check("q1", page)
        resident.tab_to_button("Parhau")  # without an answer: the error, in Welsh
        resident.go("Enter")
        assert page.title().startswith("Gwall:"), page.title()
        axe.check("q1-error", page)
        resident.choose("answer", 0, "Ydw")
        resident.tab_to_button("Parhau")
        resident.go("Enter")

        assert _on(page, "/questions/priority_support"), page.url
        assert "Ymddygiad gwrthgymdeithasol" in page.locator("main").inner_text()
        axe.check("q2-matrix", page)
        resident.choose("row-0", 0, "Cytuno’n gryf")
        resident.choose("row-1", 1, "Cytuno")
        resident.tab_to_button("Parhau")
        resident.go("Enter")

        assert _on(page, "/questions/worries"), page.url
        axe.check("q3-free-text", page)
        resident.type_into("answer", WORRIES_CY)
        resident.tab_to_button("Parhau")
        resident.go("Enter")

        assert _on(page, "/questions/feel_safe"), page.url
        axe.check("q4-likert", page)
        resident.choose("answer", 3, "Anghytuno")
        resident.tab_to_button("Parhau")
        resident.go("Enter")

        assert _on(page, "/questions/hear_about"), page.url
        axe.check("q5-checkboxes", page)
        resident.tick("Gwefan")
        resident.tick("Other")  # its label is "Arall"; its value is the same in both languages
        resident.type_into("other", "Papur bro")
        resident.tab_to_button("Parhau")
        resident.go("Enter")

        assert _on(page, "/questions/area"), page.url
        axe.check("q6-area", page)
        resident.choose("answer", 0, "Caerfaddon")
        resident.tab_to_button("Parhau")
        resident.go("Enter")

        assert _on(page, "/questions/age_band"), page.url
        axe.check("q7-age", page)
        resident.choose("answer", 2, "45 i 64")
        resident.tab_to_button("Parhau")
        resident.go("Enter")

        assert _on(page, "/check"), page.url
        assert resident.heading() == "Gwiriwch eich atebion cyn anfon eich ymateb"
        summary = page.locator(".govuk-summary-list").inner_text()
        for shown in ("Ydw", "Cytuno’n gryf", WORRIES_CY, "Anghytuno", "Gwefan", "Papur bro"):
            assert shown in summary, f"{shown!r} missing from the check page:\n{summary}"
        for shown in ("Caerfaddon", "45 i 64"):
            assert shown in summary, f"{shown!r} missing from the check page:\n{summary}"
        axe.check("check", page)
        resident.tab_to_button("Anfon ymateb")
        resident.go("Enter")

        assert _on(page, "/confirmation"), page.url
        assert resident.heading().startswith("Ymateb wedi’i anfon")
        axe.check("confirmation", page)
        reference = page.locator(".app-reference").inner_text().strip()
    finally:
        context.close()
    axe.finish()
    assert not resident.problems, "problems on the way:\n" + "\n".join(resident.problems)
    # Stored as the English options' positions: counted with English residents' answers.
    stored = _stored(server.database, reference)
    assert stored["agree_priorities"] == [(None, 0, None)]
    assert stored["priority_support"] == [(0, 0, None), (1, 1, None)]
    assert stored["worries"] == [(None, None, WORRIES_CY)]
    assert stored["feel_safe"] == [(None, 3, None)]
    assert stored["hear_about"] == [(None, -1, "Papur bro"), (None, 2, None)]
    assert stored["area"] == [(None, 0, None)]
    assert stored["age_band"] == [(None, 2, None)]


def test_switching_language_mid_journey_keeps_the_answers(browser: Any, server: Server) -> None:
    context = browser.new_context(java_script_enabled=False, viewport=NARROW)
    page = context.new_page()
    resident = Resident(page, Journey("switch-nojs-320", False, NARROW, 0, "", 0, "Bath"))
    try:
        page.goto(server.url(f"/consultations/{SLUG}/questions/agree_priorities?lang=cy"))
        resident.choose("answer", 1, "Nac ydw")
        resident.tab_to_button("Parhau")
        resident.go("Enter")
        resident.choose("row-0", 2, "Ddim yn cytuno nac yn anghytuno")
        resident.tab_to_button("Parhau")
        resident.go("Enter")
        resident.type_into("answer", "Goryrru ar y ffordd fawr.")
        resident.tab_to_button("Parhau")
        resident.go("Enter")
        # Into English with the language link, on the fourth question.
        assert _on(page, "/questions/feel_safe"), page.url
        resident.tab_to(lambda f: f["text"] == "English", "the language link")
        resident.go("Enter")
        assert page.locator("html").get_attribute("lang") == "en"
        assert "I feel safe walking alone in my area after dark" in resident.heading()
        # Back to the first question: the Welsh answer is ticked, in English words.
        page.goto(server.url(f"/consultations/{SLUG}/questions/agree_priorities"))
        resident.tab_to(lambda f: f["name"] == "answer", "the first question's radios")
        assert (focused(page)["value"], focused(page)["checked"]) == ("No", True)
        page.goto(server.url(f"/consultations/{SLUG}/questions/feel_safe"))
        resident.choose("answer", 1, "Agree")
        resident.tab_to_button("Continue")
        resident.go("Enter")
        resident.tick("Website")
        resident.tab_to_button("Continue")
        resident.go("Enter")
        resident.choose("answer", 1, "Keynsham")
        resident.tab_to_button("Continue")
        resident.go("Enter")
        resident.choose("answer", 0, "Under 25")
        resident.tab_to_button("Continue")
        resident.go("Enter")
        assert _on(page, "/check"), page.url
        english = page.locator(".govuk-summary-list").inner_text()
        for shown in ("No", "Neither agree nor disagree", "Goryrru ar y ffordd fawr.", "Agree"):
            assert shown in english, f"{shown!r} missing from the check page:\n{english}"
        # And back into Welsh on the check page: every answer still there, in Welsh words.
        resident.tab_to(lambda f: f["text"] == "Cymraeg", "the language link")
        resident.go("Enter")
        welsh = page.locator(".govuk-summary-list").inner_text()
        for shown in ("Nac ydw", "Ddim yn cytuno nac yn anghytuno", "Cytuno", "Gwefan"):
            assert shown in welsh, f"{shown!r} missing from the Welsh check page:\n{welsh}"
        assert "Goryrru ar y ffordd fawr." in welsh and "Dan 25" in welsh
    finally:
        context.close()
    assert not resident.problems, "problems on the way:\n" + "\n".join(resident.problems)


@pytest.mark.parametrize("viewport", [NARROW, DESKTOP], ids=["320", "1280"])
def test_welsh_results_and_strategy_pages_meet_wcag_22_aa(
    browser: Any, server: Server, viewport: dict[str, int]
) -> None:
    context = _axe_context(browser, viewport, server.base)
    page = context.new_page()
    run = AxeRun(page, f"welsh-public-{viewport['width']}", viewport["width"])
    try:
        run.check("results", f"/consultations/{PUBLISHED_SLUG}/results?lang=cy")
        assert page.locator("html").get_attribute("lang") == "cy"
        assert page.locator(".govuk-caption-l").inner_text() == "Dywedoch chi"
        assert "Sut i ddarllen y siart hon" in page.locator("main").inner_text()
        run.check("strategy", f"/strategies/{DELIVERED}")  # Welsh kept from the choice above
        assert page.locator("html").get_attribute("lang") == "cy"
        status = page.locator("#status").inner_text()
        assert status.startswith(("Mabwysiadwyd gan ", "Nid yw’r strategaeth hon")), status
        assert page.locator("h1").get_attribute("lang") == "en"  # its title, in English only
        run.check("draft", f"/strategies/{STRATEGY}/drafts/1")
        assert page.locator("html").get_attribute("lang") == "cy"
        run.check("you said, we did", f"/consultations/{STRATEGY}-draft-1/you-said-we-did")
        assert page.locator("h1").inner_text() == "Dywedoch chi, gwnaethom ni"
        assert "Newidiwyd: Added a target" in page.locator("main").inner_text()
        run.check("privacy", "/privacy?lang=cy")
        assert page.locator("html").get_attribute("lang") == "cy"
        run.check("accessibility", "/accessibility")
        # Results not yet published: a 404 that says when they will come.
        run.check("results to come", f"/consultations/{SLUG}/results", status=404)
        assert page.locator("html").get_attribute("lang") == "cy"
        run.check(
            "you said, we did in English",
            f"/consultations/{STRATEGY}-draft-1/you-said-we-did?lang=en",
        )
        assert "Changed: Added a target" in page.locator("main").inner_text()
        run.check("draft in English", f"/strategies/{STRATEGY}/drafts/1")
        run.check("results to come in English", f"/consultations/{SLUG}/results", status=404)
        run.check("strategy in English", f"/strategies/{DELIVERED}")
        assert page.locator("html").get_attribute("lang") == "en"
    finally:
        context.close()
    run.assert_none()
