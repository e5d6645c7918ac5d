"""The annual report to the crime and disorder scrutiny committee (CLI, the Word file, its
comments for the officer, LibreOffice)."""

from __future__ import annotations

import re
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from flask.testing import FlaskCliRunner

from assembly.core.annual_report import DUTIES, NOT_WRITTEN
from assembly.core.pdf import docx_to_pdf
from tests.test_drafts import _office_or_skip
from tests.test_progress_report import cells, reported  # noqa: F401 (a fixture)
from tests.test_strategy_consultation import STRATEGY

pytestmark = pytest.mark.db

SECTIONS = [
    "Executive summary", "Equalities impact assessment", "Budget", "Risk assessment",
    "Climate implications", "Recommendations", "Reason for recommendations",
]  # fmt: skip


def write(runner: FlaskCliRunner, out: Path, year: str = "2027", slug: str = STRATEGY):
    return runner.invoke(args=["report", "annual", "--strategy", slug, "--year", year,
                               "--out", str(out)])  # fmt: skip


def comments(path: Path) -> list[str]:
    """The Word comments' words, in the file's order."""
    with zipfile.ZipFile(path) as package:
        xml = package.read("word/comments.xml").decode()
    return [" ".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", c))
            for c in re.findall(r"<w:comment .*?</w:comment>", xml, re.S)]  # fmt: skip


def test_the_annual_report_has_the_scrutiny_sections_and_the_duties_table(
    reported: FlaskCliRunner,  # noqa: F811
    tmp_path: Path,
) -> None:
    out = tmp_path / "annual.docx"
    done = write(reported, out)
    assert done.exit_code == 0, done.output
    document = docx.Document(str(out))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings[: len(SECTIONS)] == SECTIONS
    for later in ("Statutory duties", "General progress", "Partners' actions",
                  "Plans for 2028", "Appendix: crime trend information"):  # fmt: skip
        assert later in headings, later
    assert headings.index("Statutory duties") < headings.index("General progress")
    tables = [cells(t) for t in document.tables]
    duties = next(t for t in tables if t[0] == ["Duty", "Implementation"])
    assert [row[0] for row in duties[1:]] == list(DUTIES)
    met = dict(duties[1:])
    assert met["Strategy or plan"].startswith("The Community Safety Strategy 2027-30")
    assert "adopted by Full Council on 12 May 2027" in met["Strategy or plan"]
    assert met["Domestic homicide reviews"] == NOT_WRITTEN
    asked = comments(out)
    assert any(c.startswith("Say how many domestic homicide reviews") for c in asked)
    assert any(c.startswith("Write the risk assessment") for c in asked)


def test_the_summary_and_progress_count_the_same_statuses_as_the_actions_list(
    reported: FlaskCliRunner,  # noqa: F811
    tmp_path: Path,
) -> None:
    listed = reported.invoke(args=["actions", "list", "--strategy", STRATEGY])
    counts = dict(part.split(": ") for part in listed.output.splitlines()[-1].split("; "))
    out = tmp_path / "annual.docx"
    assert write(reported, out).exit_code == 0
    document = docx.Document(str(out))
    progress = next(cells(t) for t in document.tables if cells(t)[0][0] == "Priority")
    total = progress[-1]
    assert total[0] == "All priorities"
    assert total[1:] == [counts[s] for s in ("not started", "on track", "at risk", "overdue",
                                               "done")]  # fmt: skip
    summary = " ".join(p.text for p in document.paragraphs)
    assert f"{counts['overdue']} overdue" in summary and f"{counts['done']} done" in summary
    assert "Police and Justice Act 2006" in summary


@pytest.mark.parametrize(
    ("year", "slug", "message"),
    [
        ("2026", STRATEGY, "2026 is outside"),
        ("2028", STRATEGY, "choose a year from 2027 to 2027"),
        ("2027", "nowhere", "no strategy with the slug 'nowhere'"),
    ],  # fmt: skip
)
def test_an_annual_report_needs_a_year_of_delivery(
    reported: FlaskCliRunner,  # noqa: F811
    tmp_path: Path,
    year: str,
    slug: str,
    message: str,
) -> None:
    out = tmp_path / "x.docx"
    done = write(reported, out, year, slug)
    assert done.exit_code != 0 and message in done.output
    assert not out.exists()


@pytest.mark.slow
def test_libreoffice_opens_the_annual_report(
    reported: FlaskCliRunner,  # noqa: F811
    tmp_path: Path,
) -> None:
    _office_or_skip()
    out = tmp_path / "annual.docx"
    assert write(reported, out).exit_code == 0
    pdf = tmp_path / "annual.pdf"
    pdf.write_bytes(docx_to_pdf(out.read_bytes()))
    words = " ".join(
        subprocess.run(
            ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout.split()  # fmt: skip
    )
    for seen in ("Community Safety Annual Report", "Statutory duties", "Partners' actions",
                 "Appendix: crime trend information", "Crime and disorder trends"):  # fmt: skip
        assert seen in words, seen
