"""The quarterly progress report in the 2004 layout (CLI, the Word file, LibreOffice)."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

import docx
import pytest
from flask.testing import FlaskCliRunner

from assembly.core.pdf import docx_to_pdf
from assembly.data import delivery
from tests.test_delivery import PLAN, adopt_demo, update
from tests.test_drafts import _office_or_skip
from tests.test_strategy_consultation import STRATEGY

pytestmark = pytest.mark.db

COLUMNS = ["Action", "Progress made", "Issues to be addressed", "Who", "By when"]


@pytest.fixture
def reported(runner: FlaskCliRunner, on_day) -> FlaskCliRunner:
    """Adopted in 2027-Q2; updates in Q2 and Q3; an action added in Q3."""
    adopt_demo(runner)
    assert update(runner, period="2027-Q2", progress="Data sharing agreed").exit_code == 0
    assert update(runner, action="3", period="2027-Q2", status="done",
                  progress="IDVA service commissioned").exit_code == 0  # fmt: skip
    assert update(runner, "--issues", "Housing data late", "--who", "CS team",
                  "--by-when", "November 2027", status="at risk",
                  progress="Draft map made").exit_code == 0  # fmt: skip
    delivery.add_item(
        delivery.delivered(STRATEGY), priority="Anti-social behaviour",
        action="Youth diversion at the skate park", owner_name="", organisation="YOS",
        owner_email="", due=None, user=None, today=dt.date(2027, 8, 1),
    )  # fmt: skip
    from common.database import db

    db.session.commit()
    return runner


def write(runner: FlaskCliRunner, out: Path, period: str = "2027-Q3", slug: str = STRATEGY):
    return runner.invoke(args=["report", "progress", "--strategy", slug, "--period", period,
                               "--out", str(out), "--lead", "Jane Ashman, Director"])  # fmt: skip


def cells(table) -> list[list[str]]:  # type: ignore[no-untyped-def]
    return [[c.text for c in row.cells] for row in table.rows]


def test_each_priority_has_previous_and_new_items_under_the_four_headings(
    reported: FlaskCliRunner, tmp_path: Path
) -> None:
    out = tmp_path / "progress.docx"
    done = write(reported, out)
    assert done.exit_code == 0, done.output
    document = docx.Document(str(out))
    text = [p.text for p in document.paragraphs]
    assert "Reporting area: Community safety" in text and "Lead: Jane Ashman, Director" in text
    assert "2027-Q3 (July to September 2027)" in text
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings[:4] == ["Summary", "Measures against targets", "Scope of the reporting area",
                            "Glossary"]  # fmt: skip
    assert headings[4:7] == ["Anti-social behaviour", "Updates on previous report", "New items"]
    tables = [cells(t) for t in document.tables]
    summary = tables[0]
    assert summary[0] == ["Priority", "Not started (amber)", "On track (green)",
                          "At risk (amber)", "Overdue (red)", "Done (green)"]  # fmt: skip
    # Action 1, reported at risk, was due in June: by the end of September it is overdue.
    assert summary[1] == ["Anti-social behaviour", "2", "0", "0", "1", "0"]
    assert summary[-1] == ["All priorities", str(len(PLAN) - 1), "0", "0", "1", "1"]
    previous, new = tables[2], tables[3]
    assert previous[0] == COLUMNS and new[0] == COLUMNS
    assert previous[1] == [
        "1. Map ASB hotspots from police and council reports (overdue)",
        "Draft map made",
        "Housing data late",
        "CS team",
        "November 2027",
    ]
    assert previous[2][1] == "No update for this period"
    assert [row[0] for row in new[1:]] == [
        f"{len(PLAN) + 1}. Youth diversion at the skate park (not started)"
    ]


def test_the_first_report_after_adoption_has_every_action_new(
    reported: FlaskCliRunner, tmp_path: Path
) -> None:
    out = tmp_path / "q2.docx"
    assert write(reported, out, "2027-Q2").exit_code == 0
    tables = [cells(t) for t in docx.Document(str(out)).tables]
    texts = [row[0] for table in tables[2:] for row in table[1:]]
    assert len(texts) == len(PLAN), "the action added in Q3 is not in Q2's report"
    assert texts[0] == "1. Map ASB hotspots from police and council reports (on track)"
    assert "Youth diversion" not in " ".join(texts)


def test_the_measures_against_targets_come_at_the_front_with_their_charts(
    reported: FlaskCliRunner, tmp_path: Path
) -> None:
    assert reported.invoke(args=["measures", "record", "--strategy", STRATEGY, "--target", "3",
                                 "--period", "2026/27", "--value", "5"]).exit_code == 0  # fmt: skip
    out = tmp_path / "progress.docx"
    assert write(reported, out).exit_code == 0
    document = docx.Document(str(out))
    measures = cells(document.tables[1])
    assert measures[0] == ["No.", "Target", "Baseline", "Target value", "Latest",
                           "Where it stands"]  # fmt: skip
    assert measures[3][2:] == ["4 (2025/26)", "6 a year by March 2028", "5 (2026/27)",
                               "Moving the right way"]  # fmt: skip
    assert measures[1][4:] == ["No figure yet", "No figures yet"]
    assert len(document.inline_shapes) == 1, "a chart for the one target with a figure"
    text = [p.text for p in document.paragraphs]
    assert any(t.startswith("Figure 1: Six domestic abuse training events") for t in text)


@pytest.mark.parametrize(
    ("period", "slug", "message"),
    [
        ("2027 Q3", STRATEGY, "'2027 Q3' is not a reporting period"),
        ("2027-Q3", "nowhere", "no strategy with the slug 'nowhere'"),
    ],
)
def test_a_report_needs_a_period_and_an_adopted_strategy(
    reported: FlaskCliRunner, tmp_path: Path, period: str, slug: str, message: str
) -> None:
    out = tmp_path / "x.docx"
    done = write(reported, out, period, slug)
    assert done.exit_code != 0 and message in done.output
    assert not out.exists()


@pytest.mark.slow
def test_libreoffice_opens_the_progress_report(reported: FlaskCliRunner, tmp_path: Path) -> None:
    _office_or_skip()
    out = tmp_path / "progress.docx"
    assert write(reported, out).exit_code == 0
    pdf = tmp_path / "progress.pdf"
    pdf.write_bytes(docx_to_pdf(out.read_bytes()))
    words = " ".join(
        subprocess.run(
            ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout.split()  # fmt: skip
    )
    for seen in ("Progress report: Community Safety Strategy 2027-30", "Updates on previous report",
                 "New items", "Lead: Jane Ashman, Director"):  # fmt: skip
        assert seen in words, seen
