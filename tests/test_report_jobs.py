"""Building the progress and annual reports from the actions page, as jobs; councillors
download what was built, partners cannot."""

from __future__ import annotations

import io

import docx
import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient, FlaskCliRunner

from assembly.core.pdf import PdfError
from assembly.jobs import report_builds as report_jobs
from common.database import db
from common.jobs import Job
from common.models import AuditEvent
from tests.support import page, sign_in
from tests.test_delivery import PARTNER, adopt_demo
from tests.test_strategy_consultation import STRATEGY

pytestmark = pytest.mark.db

ACTIONS = f"/officers/strategies/{STRATEGY}/actions"


@pytest.fixture
def adopted(runner: FlaskCliRunner, on_day) -> FlaskCliRunner:
    adopt_demo(runner)
    return runner


def build(client: FlaskClient, kind: str, **fields: str):  # type: ignore[no-untyped-def]
    form = page(client.get(ACTIONS)).select_one(f"form input[name=kind][value={kind}]")
    assert form is not None, f"no {kind} report button"
    token = page(client.get(ACTIONS)).select_one("input[name=csrf_token]")["value"]
    return client.post(f"/officers/strategies/{STRATEGY}/reports",
                       data={"csrf_token": token, "kind": kind, **fields})  # fmt: skip


@pytest.mark.parametrize(
    ("kind", "fields", "heading"),
    [
        ("progress", {"period": "2027-Q3"}, "Summary"),
        ("annual", {"year": "2027"}, "Executive summary"),
    ],  # fmt: skip
)
def test_an_officer_builds_a_report_and_a_councillor_downloads_it(
    adopted: FlaskCliRunner, client: FlaskClient, app, kind: str, fields: dict[str, str],
    heading: str,
) -> None:  # fmt: skip
    sign_in(client, "officer", "builder@example.org")
    started = build(client, kind, **fields)
    assert started.status_code == 303 and "/officers/jobs/" in started.headers["Location"]
    job_page = client.get(started.headers["Location"])
    link = page(job_page).select_one("#output")
    assert link is not None, page(job_page).get_text(" ", strip=True)[:600]
    assert link is not None and link.get_text(strip=True).endswith(
        f"{STRATEGY}-{kind}-report-{list(fields.values())[0]}.docx"
    )
    reader = app.test_client()
    sign_in(reader, "councillor", "reader@example.org")
    listed = page(reader.get(ACTIONS)).select("#built-reports a:not([href$='.pdf'])")
    assert len(listed) == 1
    assert page(reader.get(ACTIONS)).select("form input[name=kind]") == [], "councillors build none"
    got = reader.get(listed[0]["href"])
    assert got.status_code == 200
    assert got.headers["Cache-Control"] == "no-store"
    logged = db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.action == "file downloaded")
    ).all()
    assert [(e.actor, e.subject) for e in logged] == [
        ("reader@example.org", link.get_text(strip=True).removeprefix("Download "))
    ]
    document = docx.Document(io.BytesIO(got.data))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings[0] == heading
    partner = app.test_client()
    sign_in(partner, "partner", PARTNER)
    assert partner.get(listed[0]["href"]).status_code == 403


def test_a_report_for_a_period_that_is_not_one_builds_nothing(
    adopted: FlaskCliRunner, client: FlaskClient
) -> None:
    sign_in(client, "officer", "builder@example.org")
    refused = build(client, "progress", period="autumn")
    assert refused.status_code == 303 and refused.headers["Location"].endswith("#reports")
    shown = client.get(refused.headers["Location"]).get_data(as_text=True)
    assert "The report was not built: &#39;autumn&#39; is not a reporting period" in shown
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Job)) == 0


def test_a_report_comes_with_its_pdf_on_the_job_page_and_the_actions_page(
    adopted: FlaskCliRunner, client: FlaskClient, app, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(report_jobs, "docx_to_pdf", lambda data: b"%PDF-1.7 the report")
    sign_in(client, "officer", "builder@example.org")
    started = build(client, "progress", period="2027-Q3")
    job_page = page(client.get(started.headers["Location"]))
    name = f"{STRATEGY}-progress-report-2027-Q3"
    files = [a.get_text(strip=True) for a in job_page.select("a#output, a#output-pdf")]
    assert files == [f"Download {name}.docx", f"Download {name}.pdf"]
    from_job = client.get(job_page.select_one("a#output-pdf")["href"])
    assert (from_job.data, from_job.headers["Content-Type"]) == (
        b"%PDF-1.7 the report",
        "application/pdf",
    )
    reader = app.test_client()
    sign_in(reader, "councillor", "reader@example.org")
    listed = page(reader.get(ACTIONS)).select("#built-reports a")
    assert [a.get_text(" ", strip=True) for a in listed] == [
        f"{name}.docx",
        f"its PDF ({name}.pdf)",
    ]
    got = reader.get(listed[1]["href"])
    assert got.data == b"%PDF-1.7 the report"
    assert got.headers["Content-Disposition"] == f'attachment; filename="{name}.pdf"'


def test_without_libreoffice_a_report_keeps_its_word_file_and_says_why_there_is_no_pdf(
    adopted: FlaskCliRunner, client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_office(data: bytes) -> bytes:
        raise PdfError("LibreOffice is not installed with its Python API")

    monkeypatch.setattr(report_jobs, "docx_to_pdf", no_office)
    sign_in(client, "officer", "builder@example.org")
    started = build(client, "annual", year="2027")
    job_page = page(client.get(started.headers["Location"]))
    assert (
        job_page.select_one(".govuk-panel")
        .get_text(" ", strip=True)
        .endswith("(no PDF: LibreOffice is not installed with its Python API)")
    )
    assert job_page.select_one("a#output") is not None
    assert job_page.select_one("a#output-pdf") is None
    assert len(page(client.get(ACTIONS)).select("#built-reports a")) == 1
