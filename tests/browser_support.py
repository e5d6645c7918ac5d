"""What the browser tests share: a real server on the demo data, Chromium, axe-core, keyboard.

The server is gunicorn in production mode on a fresh SQLite file with `flask db upgrade` and
`flask demo` run first. Chromium is Debian's (/usr/bin/chromium): Playwright never downloads
a browser here. axe-core is the npm package pinned in package.json.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import IN_CI
from tests.servers import running_gunicorn

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
SLUG = "community-safety-strategy"
PUBLISHED_SLUG = "community-safety-results"
STRATEGY = "community-safety-strategy-2027-30"
OFFICER = ("officer@example.org", "demo-officer-password")
COUNCILLOR = ("councillor@example.org", "demo-councillor-password")
ADMIN = ("admin@example.org", "demo-admin-password")
PARTNER = ("partner@example.org", "demo-partner-password")
DELIVERED = "community-safety-strategy-2024-27"  # the demo's adopted strategy


def tools_or_skip() -> None:
    """Debian's Chromium, Playwright and axe-core, or skip with the reason; never in CI."""
    missing = []
    if not CHROMIUM.exists():
        missing.append(f"{CHROMIUM} (apt-get install chromium, or: make browser)")
    if importlib.util.find_spec("playwright") is None:
        missing.append("the playwright Python package (pip install -e '.[dev]')")
    if not AXE.exists():
        missing.append(f"{AXE.relative_to(ROOT)} (npm ci)")
    if missing:
        reason = "browser tests need " + " and ".join(missing)
        if IN_CI:
            pytest.fail(f"{reason} (CI=true: the browser tests must run)", pytrace=False)
        pytest.skip(reason)


# Run in one Python process, so the app's imports are paid for once: `flask db upgrade`,
# `flask demo`, then a second copy of the demo consultation with its 64 responses (new
# references), closed and published, so that residents' 'You said' page has something to show.
SETUP = """
import csv, json, sys
from pathlib import Path
from flask.cli import cli

work, slug, copy, strategy = Path(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
out_for_comment = sys.argv[5] == "yes"

def flask(*args):
    print("flask", *args, flush=True)
    cli.main(["--app", "app", *args], prog_name="flask", standalone_mode=False)

flask("db", "upgrade")
flask("demo")
flask("demo-delivery")
flask("themes", "find-new", slug, "--question", "worries")  # groups for the new-themes page
definition, answers = work / "definition.json", work / "responses.csv"
flask("consultations", "export", slug, "--out", str(definition))
data = json.loads(definition.read_text())
data.update(slug=copy, title="Community safety: what you told us")
definition.write_text(json.dumps(data))
flask("consultations", "load", str(definition))
flask("responses", "export", slug, "--out", str(answers))
with answers.open(newline="", encoding="utf-8-sig") as file:
    rows = list(csv.reader(file))
with answers.open("w", newline="", encoding="utf-8") as file:
    csv.writer(file).writerows(row[1:] for row in rows)  # without the reference column
flask("responses", "import", copy, str(answers))

from app import create_app
from survey.data import consultations as store
from common.database import db
from survey.data.models import Status

with create_app().app_context():
    consultation = store.by_slug(copy)
    store.set_status(consultation, Status.CLOSED)
    store.set_results_published(consultation, True)
    db.session.commit()

if not out_for_comment:
    sys.exit(0)

# The demo's strategy: draft 1 out for comment, 8 residents' comments coded, a response to each
# point, published: the public draft's page and "You said, we did" have something to show.
import os
os.environ["FILL_DRAFT_CONTENTS"] = "0"  # the contents are Word's to number: no LibreOffice
flask("draft", "build", "--strategy", strategy, "--out", str(work / "draft.docx"))
with create_app().app_context():
    from assembly.data import built_drafts, strategies

    # Residents are offered the PDF too; its bytes are not what these tests look at.
    draft = built_drafts.drafts_of(strategies.by_strategy_slug(strategy))[0]
    draft.pdf = b"%PDF-1.4 a draft for comment"
    db.session.commit()
flask("strategy", "consult", strategy, "--opens", "2027-03-01", "--closes", "2027-04-30")
with create_app().app_context():
    from assembly.data import comment_rounds, strategies, you_said
    from tests.support import comment_on_priority_6

    made = comment_rounds.round_of(strategies.by_strategy_slug(strategy), 1)
    comment_on_priority_6(store.by_slug(made.consultation_slug))
    for point in you_said.points_of(made, minimum=5):
        you_said.respond(
            made, point.subject, "changed", "Added a target", "", minimum=5, user=None
        )
    made.you_said_published = True
    db.session.commit()
"""


def _load_demo(env: dict[str, str], work: Path, out_for_comment: bool) -> None:
    flag = "yes" if out_for_comment else "no"
    done = subprocess.run(
        [sys.executable, "-c", SETUP, str(work), SLUG, PUBLISHED_SLUG, STRATEGY, flag],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, f"loading the demo failed:\n{done.stdout}{done.stderr}"


@dataclass(frozen=True)
class Server:
    """A running server: its base URL and its SQLite database file."""

    base: str
    database: Path

    def url(self, path: str) -> str:
        return self.base + path


@contextmanager
def demo_server(work: Path, *, out_for_comment: bool = False) -> Iterator[Server]:
    """gunicorn (production mode, 2 workers) on a fresh SQLite database holding the demo;
    `out_for_comment`: with its strategy's draft 1 out for comment and "You said, we did"."""
    database = work / "browser.sqlite3"
    env = {k: v for k, v in os.environ.items() if k != "FLASK_DEBUG"}
    env.update(
        DATABASE_URL=f"sqlite:///{database}",
        SECRET_KEY="browser-test-secret-key-long-enough",
        INSECURE_COOKIES="1",  # plain http on loopback
    )
    _load_demo(env, work, out_for_comment)
    with running_gunicorn(env, work / "gunicorn.log", workers=2) as (base, _):
        yield Server(base, database)


def launch(playwright: Any) -> Any:
    """Debian's Chromium, headless; Playwright's own browser builds are never used."""
    return playwright.chromium.launch(
        executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
    )


@contextmanager
def chromium(screenshots: Path, *, empty: bool = True) -> Iterator[Any]:
    """Chromium for a module's tests (`launch`), its screenshots folder emptied first unless
    it is another module's (`empty=False`), so that it holds only this run's pictures."""
    from playwright.sync_api import sync_playwright

    screenshots.mkdir(exist_ok=True)
    for old in screenshots.glob("*.png") if empty else ():
        old.unlink()
    with sync_playwright() as playwright:
        browser = launch(playwright)
        yield browser
        browser.close()


class Checked:
    """axe-core (and, at 320 px, sideways scrolling) on each page a test checks, with a
    screenshot of it in `screenshots`; and no error from the page's own scripts, ever."""

    def __init__(
        self, page: Any, label: str, width: int, javascript: bool, screenshots: Path
    ) -> None:
        self.page, self.label, self.width, self.javascript = page, label, width, javascript
        self.screenshots = screenshots
        self.problems: list[str] = []
        page.on("pageerror", lambda error: self.problems.append(f"script error: {error}"))

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
        path = self.screenshots / f"{self.label}-{name}.png"
        self.page.screenshot(path=str(path), full_page=True)

    def assert_none(self) -> None:
        assert not self.problems, "\n\n".join(self.problems)


def sign_in(page: Any, server: Server, account: tuple[str, str]) -> None:
    """Sign a staff member in through the sign-in form."""
    page.goto(server.url("/sign-in"))
    page.fill("#email", account[0])
    page.fill("#password", account[1])
    page.click("button[type=submit]")
    page.wait_for_load_state()
    assert "/sign-in" not in page.url, f"signing in as {account[0]} failed: {page.url}"


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """axe-core's WCAG 2.2 A and AA violations on the page as it is now."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        """async (tags) => {
            const r = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
            return r.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
                nodes: v.nodes.map(n => ({target: n.target.join(' '), summary: n.failureSummary,
                                          html: n.html.slice(0, 200)})),
            }));
        }""",
        WCAG_TAGS,
    )
    return list(result)


def sideways_scroll(page: Any) -> tuple[int, list[str]]:
    """How wide the page is (document.documentElement.scrollWidth, in CSS px) and, when wider
    than the viewport, up to 5 of the elements that reach past its right edge. Elements inside
    a box that scrolls sideways on its own (a table in `.app-table-wrap`) do not widen the page
    and are not listed."""
    found = page.evaluate(
        """() => {
            const width = document.documentElement.clientWidth;
            const scrolls = (e) => {
                for (let p = e.parentElement; p && p !== document.body; p = p.parentElement) {
                    const x = getComputedStyle(p).overflowX;
                    if (x === 'auto' || x === 'scroll' || x === 'hidden') return true;
                }
                return false;
            };
            const wide = [];
            for (const e of document.body.querySelectorAll('*')) {
                if (e.getBoundingClientRect().right > width + 1 && !scrolls(e)
                    && ![...e.children].some(c => c.getBoundingClientRect().right > width + 1)) {
                    const name = e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
                        + (e.className && typeof e.className === 'string'
                           ? '.' + e.className.trim().split(/\\s+/).join('.') : '');
                    wide.push(name + ': ' + (e.textContent || '').trim().slice(0, 60));
                }
                if (wide.length >= 5) break;
            }
            return [document.documentElement.scrollWidth, wide];
        }"""
    )
    return int(found[0]), list(found[1])


def describe_violations(where: str, violations: list[dict[str, Any]]) -> str:
    """The violations as lines a stranger can act on: rule, impact, what to do, which element."""
    lines = [f"{where}:"]
    for v in violations:
        lines.append(f"  [{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']})")
        for node in v["nodes"]:
            lines.append(f"      at {node['target']}")
            lines.append(f"         {node['html']}")
            for reason in (node["summary"] or "").splitlines():
                lines.append(f"         {reason}")
    return "\n".join(lines)


def focused(page: Any) -> dict[str, Any]:
    """What has keyboard focus: tag, id, name, value, type, role, checked and its text."""
    return dict(
        page.evaluate(
            """() => {
                const e = document.activeElement;
                if (!e) return {tag: ''};
                return {tag: e.tagName.toLowerCase(), id: e.id, name: e.name || '',
                        value: e.value === undefined ? '' : String(e.value), type: e.type || '',
                        checked: !!e.checked, text: (e.innerText || '').trim(),
                        href: e.getAttribute('href') || ''};
            }"""
        )
    )


def describe_focus(state: dict[str, Any]) -> str:
    bits = [state.get("tag", "")]
    for key in ("id", "name", "value", "text", "href"):
        if state.get(key):
            bits.append(f"{key}={str(state[key])[:40]!r}")
    return " ".join(bits)


def tab_until(page: Any, wanted: Any, what: str, *, limit: int = 80, back: bool = False) -> None:
    """Press Tab (or Shift+Tab) until the focused element satisfies `wanted`."""
    seen = []
    for _ in range(limit):
        page.keyboard.press("Shift+Tab" if back else "Tab")
        state = focused(page)
        if wanted(state):
            return
        seen.append(describe_focus(state))
    raise AssertionError(
        f"{what} never took focus after {limit} presses of "
        f"{'Shift+Tab' if back else 'Tab'}; focus went to: " + " -> ".join(seen[:40])
    )
