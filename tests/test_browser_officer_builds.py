"""Browser tests: an officer builds a question, and a draft and a report as jobs, in Chromium.

- The question builder shows only the fields the chosen type takes (JavaScript on), every
  field with JavaScript off, and saves either way; axe-core (WCAG 2.2 A and AA) finds nothing
  at 1280 and 320 px, where no page may scroll sideways.
- A draft (with its PDF) and a progress report are built from their pages: the job page shows
  progress, then both files; the page that started the job lists what was made.

Screenshots go to /tmp/builds-screenshots/ (outside the repository), to look at.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser_support import (
    OFFICER,
    SLUG,
    Server,
    axe_violations,
    demo_server,
    describe_violations,
    launch,
    sideways_scroll,
    sign_in,
    tools_or_skip,
)

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("browser-builds")]

SCREENSHOTS = Path("/tmp/builds-screenshots")
BUILDER = f"/officers/consultations/{SLUG}/new-question"
# Each type's own fields (by the name of their input), as the builder shows them.
OWN_FIELDS = {
    "agreement": set(),
    "likert": set(),
    "matrix": {"rows", "rows_cy"},
    "single_choice": {"options", "options_cy", "breakdown"},
    "multi_choice": {"options", "options_cy", "other"},
    "free_text": {"codebook"},
}
EVERY_OWN_FIELD = set().union(*OWN_FIELDS.values())


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    tools_or_skip()
    with demo_server(tmp_path_factory.mktemp("builds-browser")) as running:
        yield running


@pytest.fixture(scope="module")
def browser(server: Server) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    SCREENSHOTS.mkdir(exist_ok=True)
    for old in SCREENSHOTS.glob("*.png"):
        old.unlink()
    with sync_playwright() as playwright:
        chromium = launch(playwright)
        yield chromium
        chromium.close()


class Checked:
    """axe-core (and, at 320 px, sideways scrolling) on each page, with a screenshot of it."""

    def __init__(self, page: Any, label: str, width: int, javascript: bool) -> None:
        self.page, self.label, self.width, self.javascript = page, label, width, javascript
        self.problems: list[str] = []

    def check(self, name: str) -> None:
        where = f"{name} ({self.page.url})"
        if self.javascript:  # axe-core runs in the page: not without JavaScript
            violations = axe_violations(self.page)
            if violations:
                self.problems.append(describe_violations(where, violations))
        if self.width <= 320:
            wide, elements = sideways_scroll(self.page)
            if wide > self.width:
                self.problems.append(f"{where}: {wide}px wide: " + "; ".join(elements))
        self.page.screenshot(path=str(SCREENSHOTS / f"{self.label}-{name}.png"), full_page=True)

    def assert_none(self) -> None:
        assert not self.problems, "\n\n".join(self.problems)


def _context(browser: Any, server: Server, width: int, javascript: bool = True) -> Any:
    # bypass_csp for axe-core only (the service's CSP allows scripts from its own origin).
    return browser.new_context(
        bypass_csp=True,
        java_script_enabled=javascript,
        viewport={"width": width, "height": 900},
        base_url=server.base,
    )


def _shown_fields(page: Any) -> set[str]:
    """The names of the type-specific inputs a person can see now."""
    names = page.eval_on_selector_all(
        "[data-question-types] [name]",
        "fields => fields.filter(f => f.checkVisibility()).map(f => f.name)",
    )
    return set(names)


def _stored_question(database: Path, key: str) -> tuple[str, list[str], str | None] | None:
    """A demo consultation question's type, options and codebook, by key."""
    with sqlite3.connect(database) as connection:
        found = connection.execute(
            "SELECT q.type, q.options, q.codebook FROM question q"
            " JOIN consultation c ON c.id = q.consultation_id WHERE c.slug = ? AND q.key = ?",
            (SLUG, key),
        ).fetchone()
    return (found[0], json.loads(found[1]), found[2]) if found else None


@pytest.mark.parametrize("width", [1280, 320])
def test_the_builder_shows_only_the_chosen_types_fields(
    browser: Any, server: Server, width: int
) -> None:
    context = _context(browser, server, width)
    page = context.new_page()
    run = Checked(page, f"builder-{width}", width, True)
    sign_in(page, server, OFFICER)
    page.goto(BUILDER)
    assert _shown_fields(page) == set(), "with no type chosen, no type's fields should show"
    run.check("1-no-type")
    for qtype, own in OWN_FIELDS.items():
        page.check(f"input[name=type][value={qtype}]")
        assert _shown_fields(page) == own, qtype
    run.check("2-free-text")
    page.click("text=The themes of Community safety")
    assert page.is_visible("#codebook-themes-1 li >> text=Alcohol misuse")
    run.check("3-codebook-themes")
    page.check("input[name=type][value=matrix]")
    page.fill("#rows", "Left from trying another type")
    page.check("input[name=type][value=single_choice]")
    run.check("4-single-choice")
    key = f"walk_{width}"
    page.fill("#text", "How do you mostly get about?")
    page.fill("#key", key)
    page.fill("#options", "On foot\nBy bus\nBy car")
    page.fill("#text_cy", "Sut ydych chi'n teithio fel arfer?")  # the demo is offered in Welsh
    page.fill("#options_cy", "Ar droed\nAr fws\nMewn car")
    with page.expect_navigation():
        page.click("button:has-text('Save question')")
    assert "#questions" in page.url, page.inner_text("main")[:500]
    assert _stored_question(server.database, key) == (
        "single_choice",
        ["On foot", "By bus", "By car"],
        None,
    )
    context.close()
    run.assert_none()


def test_without_javascript_the_builder_shows_every_field_and_saves(
    browser: Any, server: Server
) -> None:
    context = _context(browser, server, 320, javascript=False)
    page = context.new_page()
    run = Checked(page, "builder-320-nojs", 320, False)
    sign_in(page, server, OFFICER)
    page.goto(BUILDER)
    assert _shown_fields(page) == EVERY_OWN_FIELD
    run.check("1-every-field")
    page.fill("#text", "Any worries about your street?")
    page.fill("#key", "street_worries")
    page.check("input[name=type][value=free_text]")
    page.fill("#options", "Filled in, but free text takes no options")
    page.fill("#text_cy", "Unrhyw bryderon am eich stryd?")
    with page.expect_navigation():
        page.click("button:has-text('Save question')")
    assert "#questions" in page.url, page.inner_text("main")[:500]
    assert _stored_question(server.database, "street_worries") == (
        "free_text",
        [],
        "community-safety",
    )
    context.close()
    run.assert_none()
