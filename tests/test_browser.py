"""Browser tests: Debian's Chromium, driven by Playwright, against a real gunicorn server.

- A resident's whole journey by keyboard alone (Tab, Shift+Tab, Space, Enter, arrow keys and
  typing; no mouse, no clicks), with JavaScript on and off, at 320 px and desktop widths, under
  the service's real Content-Security-Policy, with no console errors.
- axe-core (WCAG 2.2 A and AA rules) on every public page and on officers', councillors' and
  admins' pages, at 320 px and desktop widths: every violation is listed, rule, element and
  what to do, and the test wants none. At 320 px no page may scroll sideways (WCAG 1.4.10
  Reflow); a wide table scrolls in its own focusable wrapper.
- Screenshots of every page visited, in tests/screenshots/ (ignored by git).

Without /usr/bin/chromium, Playwright or axe-core these tests skip with the reason, except
under CI=true, where they fail. `make browser` installs Chromium; `npm ci` brings axe-core.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.browser_support import (
    ADMIN,
    COUNCILLOR,
    DELIVERED,
    OFFICER,
    PARTNER,
    PUBLISHED_SLUG,
    SLUG,
    STRATEGY,
    Server,
    axe_violations,
    chromium,
    demo_server,
    describe_violations,
    focused,
    sideways_scroll,
    sign_in,
    tab_until,
    tools_or_skip,
)

# All on one xdist worker: they share one server with the demo loaded and one Chromium (set up
# once per worker that runs any of them), and each run's screenshots replace the last run's in
# one folder, which a second worker's browser fixture would empty under the first.
pytestmark = pytest.mark.xdist_group("browser")

SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
DESKTOP = {"width": 1280, "height": 900}
NARROW = {"width": 320, "height": 640}
REFERENCE = re.compile(r"^[0-9A-Z]{8}$")
QUESTION_KEYS = [
    "agree_priorities", "priority_support", "worries", "feel_safe", "hear_about", "area", "age_band"
]  # fmt: skip
Focus = dict[str, Any]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """gunicorn on a fresh SQLite database with the demo loaded, for this module's tests.

    Module-scoped, not session-scoped: Playwright's sync API cannot be started twice in one
    process, so this module's Chromium must close before another browser test file's opens."""
    tools_or_skip()
    with demo_server(tmp_path_factory.mktemp("browser")) as running:
        yield running


@pytest.fixture(scope="module")
def browser(server: Server) -> Iterator[Any]:
    """One headless Chromium for this module (the server fixture has checked the tools)."""
    with chromium(SCREENSHOTS) as running:
        yield running


def _shoot(page: Any, name: str) -> None:
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


# --- the resident's journey, by keyboard alone ---------------------------------------------


@dataclass(frozen=True)
class Journey:
    """One run of the journey: how the browser is set up and what this resident answers."""

    name: str
    javascript: bool
    viewport: dict[str, int]
    agree: int  # index in Yes / No / Don't know
    worries: str
    area: int  # index in the demo's areas
    area_name: str


JOURNEYS = [
    Journey("js-320", True, NARROW, 0, "Broken street lights near home.", 2, "Midsomer Norton"),
    Journey("js-1280", True, DESKTOP, 1, "Cars speeding past the school.", 0, "Bath"),
    Journey("nojs-320", False, NARROW, 0, "Shoplifting in the high street.", 1, "Keynsham"),
    Journey("nojs-1280", False, DESKTOP, 2, "Noise from parties late at night.", 3, "Radstock"),
]  # fmt: skip


class Resident:
    """A keyboard-only resident: every action is a key press; elements are only looked at."""

    def __init__(self, page: Any, journey: Journey) -> None:
        self.page = page
        self.journey = journey
        self.shots = 0
        self.problems: list[str] = []

    def go(self, key: str) -> None:
        """Press a key that should load another page, and wait for it."""
        with self.page.expect_navigation():
            self.page.keyboard.press(key)
        # Each new page opens at its top, where its heading (and any error summary) is; noted,
        # not asserted at once, so the rest of the journey is still checked.
        scrolled = self.page.evaluate("window.scrollY")
        if scrolled:
            self.problems.append(f"{self.page.url} opened {scrolled}px down, past its heading")
        # WCAG 1.4.10 Reflow: at 320 px nothing needs scrolling sideways.
        wide = self.page.evaluate("document.documentElement.scrollWidth")
        if wide > self.journey.viewport["width"]:
            self.problems.append(f"{self.page.url} is {wide}px wide: it scrolls sideways")

    def shoot(self, what: str) -> None:
        self.shots += 1
        _shoot(self.page, f"journey-{self.journey.name}-{self.shots:02d}-{what}")

    def tab_to(self, wanted: Callable[[Focus], bool], what: str, *, back: bool = False) -> None:
        tab_until(self.page, wanted, what, back=back)

    def tab_to_button(self, text: str) -> None:
        self.tab_to(lambda f: f["tag"] == "button" and f["text"] == text, f"the {text!r} button")

    def continue_(self) -> None:
        self.tab_to_button("Continue")
        self.go("Enter")

    def choose(self, name: str, index: int, value: str) -> None:
        """Tab into a radio group, then pick the option with Space or the arrow keys."""
        self.tab_to(lambda f: f["type"] == "radio" and f["name"] == name, f"radios {name!r}")
        if index == 0:
            self.page.keyboard.press("Space")
        for _ in range(index):
            self.page.keyboard.press("ArrowDown")
        now = focused(self.page)
        assert (now["value"], now["checked"]) == (value, True), (
            f"choosing {value!r} in {name!r} by keyboard left focus on {now}"
        )

    def arrow_to(self, value: str) -> None:
        """Move through a radio group with the Down arrow (which ticks) to an option."""
        for _ in range(8):
            self.page.keyboard.press("ArrowDown")
            now = focused(self.page)
            if now["value"] == value:
                assert now["checked"], f"the Down arrow moved to {value!r} without ticking it"
                return
        raise AssertionError(f"the Down arrow never reached {value!r}")

    def tick(self, value: str) -> None:
        """Tab to a checkbox and tick it with Space."""
        self.tab_to(
            lambda f: f["type"] == "checkbox" and f["value"] == value, f"checkbox {value!r}"
        )
        self.page.keyboard.press("Space")
        assert focused(self.page)["checked"], f"Space did not tick {value!r}"

    def type_into(self, field_id: str, text: str) -> None:
        self.tab_to(lambda f: f["id"] == field_id, f"the field #{field_id}")
        self.page.keyboard.type(text)

    def heading(self) -> str:
        return str(self.page.locator("h1").first.inner_text())


def _question(path_key: str) -> Callable[[str], bool]:
    # Without JavaScript, following the error summary's link leaves "#answer" on the URL, and
    # browsers keep a fragment across the redirect to the next question.
    path = f"/consultations/{SLUG}/questions/{path_key}"
    return lambda url: re.split(r"[?#]", url)[0].endswith(path)


def _error_path(resident: Resident) -> None:
    """Continue without answering the first (required) question, then follow the error
    summary's link to the field by keyboard."""
    page = resident.page
    resident.continue_()
    assert page.title().startswith("Error: "), page.title()
    summary_link: Callable[[Focus], bool] = lambda f: f["href"] == "#answer"  # noqa: E731
    if resident.journey.javascript:
        # GOV.UK Frontend moves focus to the error summary, so it is read out first ...
        now = focused(page)
        assert "There is a problem" in now["text"], f"the error summary is not focused: {now}"
        page.keyboard.press("Tab")
        assert summary_link(focused(page)), f"Tab from the summary went to {focused(page)}"
    else:
        # ... without JavaScript nothing moves focus: the summary's link is the first thing
        # Tab reaches after the page's header, before any field.
        passed: list[Focus] = []
        for _ in range(10):
            page.keyboard.press("Tab")
            if summary_link(focused(page)):
                break
            passed.append(focused(page))
        assert summary_link(focused(page)), f"no error summary link in: {passed}"
        fields = [f for f in passed if f["tag"] in ("input", "textarea", "select")]
        assert not fields, f"Tab reached fields before the error summary: {fields}"
    resident.shoot("error")
    page.keyboard.press("Enter")  # follow the link: focus moves to the first radio
    page.wait_for_function("document.activeElement && document.activeElement.id === 'answer'")


def _walk(resident: Resident, server: Server) -> str:
    """The whole journey from the list of consultations; returns the reference shown."""
    page, journey = resident.page, resident.journey
    page.goto(server.url("/"))
    resident.shoot("list")
    resident.tab_to(lambda f: f["href"] == f"/consultations/{SLUG}", "the consultation's link")
    resident.go("Enter")
    resident.shoot("start")

    resident.tab_to(lambda f: f["text"] == "Start now", "the Start now button")
    # A link styled as a button: with JavaScript, GOV.UK Frontend makes Space press it too.
    resident.go("Space" if journey.javascript else "Enter")
    assert _question("agree_priorities")(page.url), page.url
    resident.shoot("q1-agree")
    _error_path(resident)
    agree = ("Yes", "No", "Don't know")[journey.agree]
    if journey.agree:
        for _ in range(journey.agree):  # focus is on the first radio, unticked
            page.keyboard.press("ArrowDown")
    else:
        page.keyboard.press("Space")
    assert (focused(page)["value"], focused(page)["checked"]) == (agree, True)
    resident.continue_()

    assert _question("priority_support")(page.url), page.url
    resident.shoot("q2-matrix")
    resident.choose("row-0", 0, "Strongly agree")
    resident.choose("row-1", 1, "Agree")
    resident.tab_to_button("Continue")
    # Back up to the last statement with Shift+Tab and answer it too.
    resident.tab_to(lambda f: f["name"] == "row-7", "the last statement's radios", back=True)
    resident.arrow_to("Agree")
    resident.continue_()

    assert _question("worries")(page.url), page.url
    resident.type_into("answer", journey.worries)
    resident.shoot("q3-worries")
    resident.continue_()

    assert _question("feel_safe")(page.url), page.url
    resident.choose("answer", 3, "Disagree")
    resident.shoot("q4-likert")
    resident.continue_()

    assert _question("hear_about")(page.url), page.url
    resident.tick("Website")
    resident.tick("Other")
    # With JavaScript the "Other" box reveals its text field; without, it is always there.
    resident.type_into("other", "Parish magazine")
    resident.shoot("q5-checkboxes")
    resident.continue_()

    assert _question("area")(page.url), page.url
    resident.choose("answer", journey.area, journey.area_name)
    resident.continue_()
    assert _question("age_band")(page.url), page.url
    resident.choose("answer", 1, "25 to 44")
    resident.shoot("q7-age")
    resident.continue_()

    assert re.split("#", page.url)[0].endswith(f"/consultations/{SLUG}/check"), page.url
    resident.shoot("check")
    summary = page.locator(".govuk-summary-list").inner_text()
    for shown in (agree, journey.worries, "Disagree", "Website", "Parish magazine"):
        assert shown in summary, f"{shown!r} missing from check your answers:\n{summary}"
    # Change an answer from the summary, by keyboard, and come back to it.
    resident.tab_to(
        lambda f: f["tag"] == "a" and "/questions/area?" in f["href"],
        "the Change link for the area",
    )
    resident.go("Enter")
    assert _question("area")(page.url), page.url
    resident.tab_to(lambda f: f["name"] == "answer", "the area radios")
    assert focused(page)["value"] == journey.area_name, "Tab should land on the chosen radio"
    page.keyboard.press("ArrowUp" if journey.area else "ArrowDown")
    new_area = str(focused(page)["value"])
    resident.continue_()
    assert page.url.endswith(f"/consultations/{SLUG}/check"), page.url
    assert new_area in page.locator(".govuk-summary-list").inner_text()

    resident.tab_to_button("Send response")
    resident.go("Enter")
    assert page.url.endswith(f"/consultations/{SLUG}/confirmation"), page.url
    resident.shoot("confirmation")
    assert resident.heading().startswith("Response sent")
    reference = str(page.locator(".app-reference").inner_text()).strip()
    assert REFERENCE.match(reference), f"not a reference: {reference!r}"

    # The browser's back button fetches the check page again: it shows the same
    # confirmation, not an empty first question that would have the resident start over.
    page.go_back()
    assert page.url.endswith(f"/consultations/{SLUG}/confirmation"), page.url
    assert str(page.locator(".app-reference").inner_text()).strip() == reference
    return reference


def _stored_answers(database: Path, reference: str) -> dict[str, list[tuple[Any, ...]]]:
    """The answers stored for a response, by question key, read from the server's database."""
    with sqlite3.connect(database) as conn:
        found = conn.execute(
            "SELECT c.slug, r.channel FROM response r JOIN consultation c"
            " ON c.id = r.consultation_id WHERE r.reference = ?",
            (reference,),
        ).fetchone()
        assert found == (SLUG, "online"), f"response {reference} stored as {found}"
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


def _listen_for_errors(page: Any, problems: list[str]) -> None:
    """Note console errors (where Chromium reports what the CSP blocked) and script errors."""

    def console(message: Any) -> None:
        if message.type == "error":
            problems.append(f"console error on {page.url}: {message.text}")

    page.on("console", console)
    page.on("pageerror", lambda error: problems.append(f"script error on {page.url}: {error}"))


@pytest.mark.parametrize("journey", JOURNEYS, ids=[j.name for j in JOURNEYS])
def test_resident_answers_a_consultation_by_keyboard_alone(
    browser: Any, server: Server, journey: Journey
) -> None:
    # The real Content-Security-Policy applies (no bypass_csp): a blocked script or style
    # shows up as a console error.
    context = browser.new_context(java_script_enabled=journey.javascript, viewport=journey.viewport)
    page = context.new_page()
    problems: list[str] = []
    _listen_for_errors(page, problems)
    resident = Resident(page, journey)
    try:
        reference = _walk(resident, server)
    finally:
        context.close()
    stored = _stored_answers(server.database, reference)
    assert stored["agree_priorities"] == [(None, journey.agree, None)]
    assert stored["priority_support"] == [(0, 0, None), (1, 1, None), (7, 1, None)]
    assert stored["worries"] == [(None, None, journey.worries)]
    assert stored["feel_safe"] == [(None, 3, None)]
    assert [text for _, _, text in stored["hear_about"]].count("Parish magazine") == 1
    assert stored["age_band"] == [(None, 1, None)]
    changed_area = journey.area - 1 if journey.area else 1
    assert stored["area"] == [(None, changed_area, None)]
    problems += resident.problems
    assert not problems, "problems on the way:\n" + "\n".join(problems)


# --- axe-core on every page ----------------------------------------------------------------


def _axe_context(browser: Any, viewport: dict[str, int], base_url: str | None = None) -> Any:
    # bypass_csp for the axe runs only: the service's CSP (survey/web/security.py) allows
    # scripts from its own origin alone, which would block injecting axe-core into the page.
    # The keyboard journeys above run under the real policy.
    return browser.new_context(bypass_csp=True, viewport=viewport, base_url=base_url)


class AxeRun:
    """axe-core run on page after page; every violation kept, by page, for one assertion.

    At 320 px each page is also checked for WCAG 1.4.10 Reflow: the page itself must not
    scroll sideways (a wide table may, inside its own `.app-table-wrap`).
    """

    def __init__(self, page: Any, label: str, width: int) -> None:
        self.page = page
        self.label = label
        self.width = width
        self.found: dict[str, list[dict[str, Any]]] = {}
        self.sideways: dict[str, str] = {}
        self.pages = 0

    def check(self, name: str, path: str | None = None, status: int = 200) -> None:
        """Open path (or stay on the page as it is), run axe-core and take a screenshot."""
        if path is not None:
            response = self.page.goto(path)
            assert response.status == status, f"{path} answered {response.status}"
        self.pages += 1
        where = f"{name} ({self.page.url})"
        violations = axe_violations(self.page)
        if violations:
            self.found[where] = violations
        if self.width <= NARROW["width"]:
            wide, elements = sideways_scroll(self.page)
            if wide > self.width:
                self.sideways[where] = f"{wide}px wide; reaching past the edge: " + (
                    "; ".join(elements) or "(none found)"
                )
        _shoot(self.page, f"axe-{self.label}-{name}")

    def assert_none(self) -> None:
        report = "\n\n".join(describe_violations(where, v) for where, v in self.found.items())
        reflow = "\n".join(f"{where}: {what}" for where, what in self.sideways.items())
        print(
            f"axe-core checked {self.pages} pages ({self.label}): {len(self.found)} with "
            f"violations, {len(self.sideways)} scrolling sideways"
        )
        print(report)
        print(reflow)
        assert not self.found, (
            f"axe-core found WCAG 2.2 A/AA violations on {len(self.found)} of {self.pages}"
            f" pages ({self.label}):\n\n{report}"
        )
        assert not self.sideways, (
            f"{len(self.sideways)} of {self.pages} pages ({self.label}) scroll sideways at"
            f" {self.width}px (WCAG 1.4.10 Reflow):\n{reflow}"
        )


def test_axe_reports_violations_it_is_shown(browser: Any) -> None:
    """The harness itself: a page with known faults gives their rules, so a pass means something."""
    context = _axe_context(browser, DESKTOP)
    page = context.new_page()
    page.set_content("<html><body><img src='x.png'><a href='/'></a></body></html>")
    found = {v["id"] for v in axe_violations(page)}
    context.close()
    assert {"image-alt", "html-has-lang", "link-name"} <= found, found


def _answer_and_continue(page: Any, key: str) -> None:
    """Answer one question in the simplest way (mouse and fill are fine here), and move on."""
    if key in ("agree_priorities", "feel_safe", "area", "age_band"):
        page.check("#answer")
    elif key == "worries":
        page.fill("#answer", "Nothing much.")
    with page.expect_navigation():
        page.click("button:has-text('Continue')")


@pytest.mark.parametrize("viewport", [NARROW, DESKTOP], ids=["320", "1280"])
def test_public_pages_meet_wcag_22_aa(
    browser: Any, server: Server, viewport: dict[str, int]
) -> None:
    context = _axe_context(browser, viewport, server.base)
    page = context.new_page()
    label = f"public-{viewport['width']}"
    run = AxeRun(page, label, viewport["width"])
    run.check("list", "/")
    run.check("start", f"/consultations/{SLUG}")
    run.check("privacy", "/privacy")
    run.check("accessibility", "/accessibility")
    run.check("sign-in", "/sign-in")
    run.check("not-found", "/no-such-page", status=404)
    run.check("published-results", f"/consultations/{PUBLISHED_SLUG}/results")
    for number, key in enumerate(QUESTION_KEYS, start=1):
        run.check(f"q{number}-{key}", f"/consultations/{SLUG}/questions/{key}")
    page.goto(server.url(f"/consultations/{SLUG}/questions/agree_priorities"))
    with page.expect_navigation():
        page.click("button:has-text('Continue')")
    run.check("q1-error")
    page.check("#answer")
    with page.expect_navigation():
        page.click("button:has-text('Continue')")
    for key in QUESTION_KEYS[1:]:
        if key == "hear_about":
            page.check("input[value=Other]")  # reveals the "Please specify" field
            run.check("q5-other-revealed")
            with page.expect_navigation():
                page.click("button:has-text('Continue')")
            run.check("q5-other-error")  # "Other" ticked, nothing specified
            page.fill("#other", "Parish magazine")
        _answer_and_continue(page, key)
    assert page.url.endswith("/check"), page.url
    run.check("check")
    with page.expect_navigation():
        page.click("button:has-text('Send response')")
    run.check("confirmation")
    context.close()
    run.assert_none()


EDITOR = f"/officers/strategies/{STRATEGY}"
DELIVERY = f"/officers/strategies/{DELIVERED}"
STAFF_PAGES = {
    "officer": [
        ("consultations", "/officers/"),
        ("consultation", f"/officers/consultations/{SLUG}"),
        ("consultation-details", f"/officers/consultations/{SLUG}/details"),
        ("question-builder-new", f"/officers/consultations/{SLUG}/new-question"),
        ("question-builder-edit", f"/officers/consultations/{SLUG}/questions/priority_support"),
        ("preview", f"/officers/consultations/{SLUG}/preview"),
        ("paper-entry", f"/officers/consultations/{SLUG}/paper-response"),
        ("import", f"/officers/consultations/{SLUG}/import"),
        ("export", f"/officers/consultations/{SLUG}/export"),
        ("themes", f"/officers/consultations/{SLUG}/themes"),
        ("themes-review", f"/officers/consultations/{SLUG}/themes/worries/review"),
        ("themes-edit", f"/officers/consultations/{SLUG}/themes/worries/themes"),
        ("audits", "/officers/audits"),
        ("audit", "/officers/audits/1"),
        ("strategies", "/officers/strategies"),
        ("strategy", f"/officers/strategies/{STRATEGY}"),
        ("strategy-edit", f"/officers/strategies/{STRATEGY}/edit"),
        ("strategy-new", "/officers/strategies/new"),
        ("strategy-details", f"{EDITOR}/details"),
        ("strategy-priorities", f"{EDITOR}/priorities"),
        ("strategy-priority", f"{EDITOR}/priorities/1"),
        ("strategy-priority-new", f"{EDITOR}/priorities/new"),
        ("strategy-priority-remove", f"{EDITOR}/priorities/1/remove"),
        ("strategy-other-agencies", f"{EDITOR}/other-agencies"),
        ("strategy-glossary", f"{EDITOR}/glossary"),
        ("strategy-sections", f"{EDITOR}/sections"),
        ("themes-suggestions", f"/officers/consultations/{SLUG}/themes/worries/suggestions"),
        ("themes-new", f"/officers/consultations/{SLUG}/themes/worries/new-themes"),
        ("themes-quotes", f"/officers/consultations/{SLUG}/themes/worries/quotes"),
        ("themes-quote-change", f"/officers/consultations/{SLUG}/themes/worries/quotes/1/change"),
        ("flagged", f"/officers/consultations/{SLUG}/flagged"),
        ("responses", f"/officers/consultations/{SLUG}/responses"),
        ("confirm-close", f"/officers/consultations/{SLUG}/status/closed"),
        ("responses-filtered", f"/officers/consultations/{SLUG}/responses?channel=paper&search=e"),
        ("published-consultation", f"/officers/consultations/{PUBLISHED_SLUG}"),
        ("delivery", "/officers/delivery"),
        ("delivery-actions", f"{DELIVERY}/actions"),
        ("delivery-action", f"{DELIVERY}/actions/2"),
        ("delivery-action-new", f"{DELIVERY}/actions/new"),
        ("delivery-measure-record", f"{DELIVERY}/measures/record"),
        ("delivery-position", f"{DELIVERY}/delivery"),
    ],
    "councillor": [
        ("results", "/results/"),
        ("results-consultation", f"/results/{SLUG}"),
        ("results-published", f"/results/{PUBLISHED_SLUG}"),
        ("results-one-group", f"/results/{SLUG}?area=Bath"),
        ("results-combined", f"/results/{SLUG}?area=Bath&age_band=25+to+44&channel=online"),
        ("delivery", "/officers/delivery"),
        ("delivery-position", f"{DELIVERY}/delivery"),
        ("delivery-actions", f"{DELIVERY}/actions"),
    ],
    "partner": [
        ("delivery", "/officers/delivery"),
        ("delivery-actions", f"{DELIVERY}/actions"),
        ("delivery-action", f"{DELIVERY}/actions/7"),
    ],
    "admin": [
        ("users", "/admin/users"),
        ("user-new", "/admin/users/new"),
        ("user", "/admin/users/1"),
        ("audit-log", "/admin/audit"),
        ("retention", "/admin/retention"),
    ],
}
ACCOUNTS = {"officer": OFFICER, "councillor": COUNCILLOR, "admin": ADMIN, "partner": PARTNER}

# Every staff page at desktop width and at 320 px: councillors may well read results on a
# phone, and officers and admins check things on one too.
STAFF_RUNS = [
    ("officer", DESKTOP),
    ("officer", NARROW),
    ("councillor", DESKTOP),
    ("councillor", NARROW),
    ("admin", DESKTOP),
    ("admin", NARROW),
    ("partner", DESKTOP),
    ("partner", NARROW),
]


@pytest.mark.parametrize(
    ("role", "viewport"), STAFF_RUNS, ids=[f"{r}-{v['width']}" for r, v in STAFF_RUNS]
)
def test_staff_pages_meet_wcag_22_aa(
    browser: Any, server: Server, role: str, viewport: dict[str, int]
) -> None:
    context = _axe_context(browser, viewport, server.base)
    page = context.new_page()
    sign_in(page, server, ACCOUNTS[role])
    run = AxeRun(page, f"{role}-{viewport['width']}", viewport["width"])
    for name, path in STAFF_PAGES[role]:
        run.check(name, path)
    if role == "officer":  # a paper response's page, its correction and withdrawal forms
        page.goto(f"/officers/consultations/{SLUG}/responses?channel=paper")
        with page.expect_navigation():
            page.click("tbody a >> nth=0")
        run.check("response")
        with page.expect_navigation():
            page.click("text=Correct the answers")
        run.check("response-correct")
        with page.expect_navigation():
            page.click("button:has-text('Save the corrections')")
        run.check("response-correct-errors")
        page.go_back()
        page.go_back()
        with page.expect_navigation():
            page.click("text=Withdraw this response")
        run.check("response-withdraw")
        # Words not the resident's, with a phone number: the error summary and the field's messages.
        page.goto(f"/officers/consultations/{SLUG}/themes/worries/quotes/1/change")
        page.fill("textarea#text", "Ring 01225 477000 about the dealing")
        with page.expect_navigation():
            page.click("button:has-text('Save the quote')")
        run.check("themes-quote-change-errors")
        # A theme's page, then what its words as typed would do (nothing is saved).
        page.goto(f"/officers/consultations/{SLUG}/themes/worries/themes")
        with page.expect_navigation():
            page.click("text=Change or merge >> nth=0")
        run.check("themes-theme")
        page.fill("textarea#phrases", "drunk\nstreet drinking")
        with page.expect_navigation():
            page.click("button:has-text('Try these words')")
        assert page.locator("#trial").count() == 1
        run.check("themes-theme-try")
        # A group of answers no theme matches, added to a theme with none chosen: the error.
        page.goto(f"/officers/consultations/{SLUG}/themes/worries/new-themes")
        assert page.locator(".govuk-summary-card").count() >= 1
        with page.expect_navigation():
            page.click("button:has-text('Add the words to this theme') >> nth=0")
        assert page.locator(".govuk-error-summary").count() == 1
        run.check("themes-new-add-errors")
    if role == "admin":  # the create form sent blank: its error summary and messages
        page.goto("/admin/users/new")
        with page.expect_navigation():
            page.click("form button[type=submit]")
        run.check("user-new-errors")
    context.close()
    run.assert_none()


# --- a councillor reads the results: contents, filters combined, the whole report ----------


def _summary(page: Any) -> dict[str, str]:
    """The summary list at the top of the results page: key -> value."""
    rows = page.locator("#summary + .govuk-summary-list .govuk-summary-list__row")
    return {
        rows.nth(i).locator("dt").inner_text().strip(): rows.nth(i)
        .locator("dd")
        .inner_text()
        .strip()
        for i in range(rows.count())
    }


@pytest.mark.slow
@pytest.mark.parametrize("viewport", [DESKTOP, NARROW], ids=["1280", "320"])
def test_a_councillor_uses_the_contents_combines_filters_and_downloads_the_report(
    browser: Any, server: Server, viewport: dict[str, int], tmp_path: Path
) -> None:
    from openpyxl import load_workbook

    context = _axe_context(browser, viewport, server.base)
    context.set_default_timeout(60_000)
    page = context.new_page()
    sign_in(page, server, COUNCILLOR)
    run = AxeRun(page, f"results-journey-{viewport['width']}", viewport["width"])
    run.check("results-everyone", f"/results/{SLUG}")
    everyone = _summary(page)
    with sqlite3.connect(server.database) as conn:  # the demo's 64 and the journeys' own
        (stored,) = conn.execute(
            "SELECT count(*) FROM response r JOIN consultation c ON c.id = r.consultation_id"
            " WHERE c.slug = ?",
            (SLUG,),
        ).fetchone()
    assert stored >= 64 and everyone["Responses"] == f"{stored:,}"

    contents = page.locator("nav[aria-labelledby=contents-heading] a")
    assert contents.count() >= 8
    target = contents.nth(3)
    wanted = target.get_attribute("href")
    heading = target.inner_text()
    target.click()
    assert page.url.endswith(wanted)
    landed = page.locator(wanted)
    assert landed.inner_text() == heading and landed.is_visible()
    box = landed.bounding_box()
    assert box is not None and -1 <= box["y"] < viewport["height"], "the link did not scroll there"
    run.check("results-contents-followed")

    page.select_option("#area", "Bath")
    page.select_option("#age_band", "25 to 44")
    with page.expect_navigation():
        page.get_by_role("button", name="Show results").click()
    assert "area=Bath" in page.url and "age_band=25+to+44" in page.url
    combined = _summary(page)
    assert combined["Responses"] != everyone["Responses"]
    caption = page.locator(".govuk-caption-l").inner_text()
    assert "Which area do you live in: Bath; What is your age: 25 to 44" in caption
    run.check("results-two-filters")

    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile("spreadsheet \\(XLSX\\)")).click()
    path = tmp_path / "report.xlsx"
    download_info.value.save_as(path)
    book = load_workbook(path)
    summary = {row[0]: row[1] for row in book["Summary"].iter_rows(values_only=True) if row[0]}
    written = summary["Responses"]
    assert (f"{written:,}" if isinstance(written, int) else written) == combined["Responses"]
    contents_sheet = [row[0] for row in book["Contents"].iter_rows(values_only=True)]
    assert page.locator(".govuk-caption-l").inner_text() in contents_sheet
    context.close()
    run.assert_none()
