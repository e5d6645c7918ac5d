"""Browser test: an officer codes several answers at once and undoes it, in Debian's Chromium.

The journey: show the answers not yet coded, select three by keyboard, apply a theme to them,
see the success banner, undo. axe-core (WCAG 2.2 A and AA) checks each page on the way, with
the error page for a press of Apply with nothing selected; at 320 px no page may scroll
sideways. It runs at 1280 and 320 px, and at 320 px without JavaScript too (where axe-core,
which needs it, cannot run: the pages are the same but for GOV.UK Frontend's enhancements).
Screenshots go to /tmp/coding-screenshots/ (outside the repository), to look at.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser_support import (
    OFFICER,
    ROOT,
    SLUG,
    Checked,
    Server,
    chromium,
    demo_server,
    focused,
    sign_in,
    tab_until,
    tools_or_skip,
)

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("browser-coding")]

SCREENSHOTS = Path("/tmp/coding-screenshots")
REVIEW = f"/officers/consultations/{SLUG}/themes/worries/review"
THEME = "Community confidence"
NEW_WORRIES = [
    "Nobody answers the phone when we call about it.",
    "The lane by the church floods every winter.",
    "Our parish meetings never hear back from anyone.",
    "There is nowhere to report things online.",
]

# Four responses whose worries no one has coded yet, imported into the demo (which auto-codes
# all of its own): the answers the officer selects. Run in one Python process, as the demo is.
ADD_UNCODED = """
import csv, sys
from pathlib import Path
from flask.cli import cli

work, slug, worries = Path(sys.argv[1]), sys.argv[2], sys.argv[3:]

def flask(*args):
    cli.main(["--app", "app", *args], prog_name="flask", standalone_mode=False)

every, new = work / "every.csv", work / "uncoded.csv"
flask("responses", "export", slug, "--out", str(every))
with every.open(newline="", encoding="utf-8-sig") as file:
    header, *rows = list(csv.reader(file))
text, themes = header.index("worries"), header.index("worries_themes")
with new.open("w", newline="", encoding="utf-8") as file:
    out = csv.writer(file)
    out.writerow(header[1:])  # without the reference column: new responses
    for row, words in zip(rows, worries):
        row[text], row[themes] = words, ""
        out.writerow(row[1:])
flask("responses", "import", slug, str(new))
"""


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """gunicorn on the demo, with four answers not yet coded added."""
    tools_or_skip()
    work = tmp_path_factory.mktemp("coding-browser")
    with demo_server(work) as running:
        env = {"DATABASE_URL": f"sqlite:///{running.database}", "SECRET_KEY": "x" * 32}
        done = subprocess.run(
            [sys.executable, "-c", ADD_UNCODED, str(work), SLUG, *NEW_WORRIES],
            cwd=ROOT,
            env={**{k: v for k, v in os.environ.items() if k != "FLASK_DEBUG"}, **env},
            capture_output=True,
            text=True,
        )
        assert done.returncode == 0, f"adding uncoded answers failed:\n{done.stdout}{done.stderr}"
        yield running


@pytest.fixture(scope="module")
def browser(server: Server) -> Iterator[Any]:
    with chromium(SCREENSHOTS) as running:
        yield running


def _coded(database: Path, references: list[str]) -> dict[str, tuple[str | None, list[str]]]:
    """Each response's worries answer: who coded it (None: not coded) and its themes."""
    with sqlite3.connect(database) as connection:
        rows = connection.execute(
            f"""SELECT r.reference, c.source, group_concat(t.name)
                FROM response r JOIN answer a ON a.response_id = r.id
                JOIN question q ON q.id = a.question_id AND q.key = 'worries'
                LEFT JOIN answer_coding c ON c.answer_id = a.id
                LEFT JOIN answer_theme at ON at.answer_id = a.id
                LEFT JOIN theme t ON t.id = at.theme_id
                WHERE r.reference IN ({",".join("?" * len(references))})
                GROUP BY r.reference, c.source""",
            references,
        ).fetchall()
    return {ref: (source, sorted(names.split(",")) if names else []) for ref, source, names in rows}


def _words(page: Any, selector: str) -> str:
    return " ".join(page.inner_text(selector).split())


RUNS = [(1280, True), (320, True), (320, False)]


@pytest.mark.parametrize(
    ("width", "javascript"), RUNS, ids=[f"{w}-{'js' if js else 'nojs'}" for w, js in RUNS]
)
def test_officer_applies_a_theme_to_three_answers_and_undoes_it(
    browser: Any, server: Server, width: int, javascript: bool
) -> None:
    # bypass_csp for axe-core only (the service's CSP allows scripts from its own origin).
    context = browser.new_context(
        bypass_csp=True,
        java_script_enabled=javascript,
        viewport={"width": width, "height": 900},
        base_url=server.base,
    )
    page = context.new_page()
    run = Checked(page, f"{width}-{'js' if javascript else 'nojs'}", width, javascript, SCREENSHOTS)
    sign_in(page, server, OFFICER)
    page.goto(REVIEW)
    page.select_option("#show", label="Not yet coded")
    with page.expect_navigation():
        page.click("button:has-text('Show answers')")
    assert _words(page, "#queue") == "Not yet coded: 4 answers"
    run.check("1-not-yet-coded")

    answers = page.eval_on_selector_all(
        "form.app-coding-answer", "forms => forms.map(f => f.id.replace('answer-', ''))"
    )
    references = [_words(page, f"#answer-{a} h3").removeprefix("Response ") for a in answers[:3]]
    assert all(source is None for source, _ in _coded(server.database, references).values())

    # Apply with nothing selected: the error leads to the first answer's box.
    page.select_option("#selection-theme", label=THEME)
    with page.expect_navigation():
        page.click("button:has-text('Apply theme to selected answers')")
    assert _words(page, ".govuk-error-summary__list") == "Select at least one answer"
    run.check("2-nothing-selected")
    page.click(".govuk-error-summary__list a")
    assert focused(page)["id"] == f"select-{answers[0]}"

    # By keyboard: Change themes opens an answer's every theme; the skip link passes an answer
    # by; Space selects three.
    page.focus(f"#answer-{answers[0]}")
    tab_until(page, lambda f: f["text"].startswith("Change themes"), "Change themes")
    page.keyboard.press("Enter")
    assert page.is_visible(f"#answer-{answers[0]} input[name=theme] >> nth=13")
    run.check("2b-change-themes")
    page.keyboard.press("Enter")  # and closes them again
    page.focus(f"#answer-{answers[0]}")
    tab_until(page, lambda f: f["text"] == "Skip to the next answer", "the skip link")
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert focused(page)["href"] == f"#answer-{answers[2]}", (
        "the skip link did not lead to the next answer"
    )
    for answer in answers[:3]:
        page.focus(f"#answer-{answer}")
        tab_until(page, lambda f, a=answer: f["id"] == f"select-{a}", f"answer {answer}'s box")
        page.keyboard.press("Space")
    assert page.eval_on_selector_all("input[name=answer]:checked", "boxes => boxes.length") == 3
    tab_until(page, lambda f: f["id"] == "selection-theme", "the theme list", back=True)
    assert page.input_value("#selection-theme") != "", "the chosen theme was not kept"
    with page.expect_navigation():
        page.click("button:has-text('Apply theme to selected answers')")
    assert _words(page, "#undo-banner .govuk-notification-banner__heading") == (
        f"Theme '{THEME}' applied to 3 answers"
    )
    assert _words(page, "#queue") == "Not yet coded: 1 answer"
    if javascript:  # GOV.UK Frontend moves focus to the banner after a change of several
        assert focused(page)["id"] == "undo-banner"
    run.check("3-applied")
    coded = _coded(server.database, references)
    assert coded == {ref: ("officer", [THEME]) for ref in references}

    with page.expect_navigation():
        page.click("#undo-banner button")
    assert _words(page, ".govuk-notification-banner__content") == (
        f"Undone: theme '{THEME}' applied to 3 answers"
    )
    assert _words(page, "#queue") == "Not yet coded: 4 answers"
    run.check("4-undone")
    assert _coded(server.database, references) == {ref: (None, []) for ref in references}
    context.close()
    run.assert_none()
