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
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser_support import (
    DELIVERED,
    OFFICER,
    ROOT,
    SLUG,
    STRATEGY,
    Checked,
    Server,
    chromium,
    demo_server,
    sign_in,
    tools_or_skip,
)
from tests.servers import stop

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("browser-builds")]

SCREENSHOTS = Path("/tmp/builds-screenshots")
BUILDER = f"/officers/consultations/{SLUG}/new-question"
JOB_TIMEOUT = 180_000  # ms: LibreOffice numbers the draft's contents, then makes its PDF
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
    """gunicorn on the demo, with a job worker (`flask jobs worker`) on the same queue."""
    tools_or_skip()
    work = tmp_path_factory.mktemp("builds-browser")
    with demo_server(work) as running:
        env = {k: v for k, v in os.environ.items() if k != "FLASK_DEBUG"}
        env.update(DATABASE_URL=f"sqlite:///{running.database}", SECRET_KEY="x" * 32)
        worker = subprocess.Popen(
            [sys.executable, "-m", "flask", "--app", "app", "jobs", "worker"],
            cwd=ROOT,
            env=env,
            stdout=(work / "worker.log").open("wb"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            yield running
        finally:
            stop(worker)


@pytest.fixture(scope="module")
def browser(server: Server) -> Iterator[Any]:
    with chromium(SCREENSHOTS) as running:
        yield running


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
    run = Checked(page, f"builder-{width}", width, True, SCREENSHOTS)
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
    run = Checked(page, "builder-320-nojs", 320, False, SCREENSHOTS)
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


def _finished_job(page: Any) -> str:
    """Wait on the job page (it refreshes itself) until the job is done; its summary."""
    page.locator(".govuk-panel, #outcome").first.wait_for(timeout=JOB_TIMEOUT)
    failed = page.locator("#outcome")
    assert failed.count() == 0, f"the job failed: {failed.inner_text()}"
    return " ".join(page.inner_text(".govuk-panel").split())


def _download_names(page: Any, selector: str) -> list[str]:
    """The file names the links download, by fetching each in the page's session."""
    names = []
    for href in page.eval_on_selector_all(selector, "links => links.map(a => a.href)"):
        answer = page.request.get(href)
        assert answer.status == 200, href
        names.append(answer.headers["content-disposition"].split('filename="')[1].rstrip('"'))
    return names


@pytest.mark.parametrize("width", [1280, 320])
def test_a_draft_and_a_report_build_as_jobs_then_their_pages_list_both_files(
    browser: Any, server: Server, width: int
) -> None:
    context = _context(browser, server, width)
    context.set_default_timeout(60_000)
    page = context.new_page()
    run = Checked(page, f"jobs-{width}", width, True, SCREENSHOTS)
    sign_in(page, server, OFFICER)

    page.goto(f"/officers/strategies/{STRATEGY}")
    drafts_built = "table:has(caption:has-text('Drafts built')) tbody tr"
    drafts_before = page.locator(drafts_built).count()
    page.check("input[name=pdf]")
    with page.expect_navigation():
        page.click("button:has-text('Build Word draft')")
    assert "/officers/jobs/" in page.url
    assert page.locator("#progress").count() == 1, "the job page should show progress first"
    run.check("1-draft-job-running")
    assert _finished_job(page).startswith("Done Built draft")
    version = drafts_before + 1
    made = [f"{STRATEGY}-draft-{version}.docx", f"{STRATEGY}-draft-{version}.pdf"]
    assert _download_names(page, "a#made, a#output") == made
    run.check("2-draft-job-done")
    page.goto(f"/officers/strategies/{STRATEGY}")
    assert page.locator(drafts_built).count() == version
    newest = page.locator(drafts_built).first
    assert newest.locator("td").first.inner_text() == str(version)
    assert _download_names(page, f"{drafts_built}:first-child a[download]") == made
    run.check("3-drafts-built")

    page.goto(f"/officers/strategies/{DELIVERED}/actions")
    reports_before = page.locator("#built-reports li").count()
    quarter = page.input_value("#report-period")
    with page.expect_navigation():
        page.click("button:has-text('Build the progress report')")
    assert "/officers/jobs/" in page.url
    assert _finished_job(page).startswith("Done Built the progress report")
    report = f"{DELIVERED}-progress-report-{quarter}"
    assert _download_names(page, "a#output, a#output-pdf") == [f"{report}.docx", f"{report}.pdf"]
    run.check("4-report-job-done")
    page.goto(f"/officers/strategies/{DELIVERED}/actions")
    assert page.locator("#built-reports li").count() == reports_before + 1
    assert _download_names(page, "#built-reports li:first-child a") == [
        f"{report}.docx",
        f"{report}.pdf",
    ]
    run.check("5-reports-built")
    context.close()
    run.assert_none()
