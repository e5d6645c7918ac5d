"""Officers' pages for audits, strategies, Word drafts and the house template (web, db)."""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

import docx
import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from assembly.cli import DEMO_DATA
from assembly.core.audit_files import read_audit
from assembly.core.house_template import house_template_problem
from assembly.core.pdf import PdfError
from assembly.core.trends import trend_table_rows, trends
from assembly.data import crime_audits, strategies
from assembly.data.models import CrimeAudit, HouseTemplate, Strategy, StrategyDraft
from assembly.jobs import draft_builds as draft_jobs
from common.database import db
from common.models import AuditEvent
from common.spreadsheets import ImportRefused
from survey.core.answers import Choice, Text
from survey.data import themes
from survey.data.models import Channel
from survey.data.recording import record_response
from tests.support import (
    csrf_token,
    error_summary,
    heading,
    make_consultation,
    page,
    post_form,
    sign_in,
)
from tests.test_readiness import COMPLETE

pytestmark = pytest.mark.db

AUDITS = "/officers/audits"
STRATEGIES = "/officers/strategies"
AUDIT_NAME = "2017-18 audit"
SLUG = "community-safety-strategy-2027-30"
STRATEGY = f"{STRATEGIES}/{SLUG}"
GOOD_AUDIT = (DEMO_DATA / "audit.csv").read_bytes()
BAD_AUDIT = b"category,2015/16,2016/17\nBurglary,801,lots\n,12,13\nTheft,1e999,\nBurglary,1,2\n"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def definition(**changes: Any) -> dict[str, Any]:
    """The demo strategy, answering the test consultation and the audit imported here."""
    raw = json.loads((DEMO_DATA / "strategy.json").read_text(encoding="utf-8"))
    raw.update(consultation="safer-streets", audit=AUDIT_NAME)
    raw.update(changes)
    return raw


def json_file(raw: object, name: str = "strategy.json") -> tuple[io.BytesIO, str]:
    return io.BytesIO(json.dumps(raw).encode("utf-8")), name


def import_audit(client: FlaskClient, data: bytes, name: str = AUDIT_NAME, **more: str):
    fields: dict[str, Any] = {"name": name, "file": (io.BytesIO(data), "audit.csv"), **more}
    return post_form(client, AUDITS, fields)


def load_strategy(client: FlaskClient, raw: object) -> TestResponse:
    return post_form(client, STRATEGIES, {"definition": json_file(raw)})


def actions() -> list[str]:
    """What officers did, in order (their signing in and downloads, logged too, left out)."""
    rows = sa.select(AuditEvent.action).where(
        AuditEvent.action.not_in(["signed in", "file downloaded"])
    )
    return list(db.session.scalars(rows.order_by(AuditEvent.id)))


def count(model: type) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model)) or 0


@pytest.fixture
def officer(client: FlaskClient) -> FlaskClient:
    """An officer signed in, with a consultation of six responses whose worries are coded."""
    consultation = make_consultation()
    worries = ["Burglary on our road", "Drunk people at night", "Speeding cars", "", "Drugs", ""]
    for number, worry in enumerate(worries):
        values: dict[str, Any] = {"agree": Choice(number % 3), "area": Choice(number % 2)}
        if worry:
            values["worries"] = Text(worry)
        record_response(consultation, values, Channel.PAPER)
    db.session.commit()
    sign_in(client, "officer")
    return client


@pytest.fixture
def loaded(officer: FlaskClient) -> FlaskClient:
    """The officer has imported the audit and loaded the strategy through the pages."""
    assert import_audit(officer, GOOD_AUDIT).status_code == 303
    assert load_strategy(officer, definition()).status_code == 302
    return officer


# Audits


def test_the_officers_home_links_to_audits_and_strategies(officer: FlaskClient) -> None:
    links = [a["href"] for a in page(officer.get("/officers/")).select("a")]
    assert AUDITS in links and STRATEGIES in links


def test_an_imported_audit_shows_its_trends(officer: FlaskClient) -> None:
    response = import_audit(officer, GOOD_AUDIT)
    assert response.status_code == 303
    audit = crime_audits.audit_by_name(AUDIT_NAME)
    assert audit is not None
    job = officer.get(response.headers["Location"])
    assert heading(job) == f"Job 1 Import the audit '{AUDIT_NAME}' from audit.csv"
    assert (
        f"Imported audit '{AUDIT_NAME}': 11 categories over 3 periods (2023/24, 2024/25, 2025/26)"
        in page(job).select_one(".govuk-panel").get_text()
    )
    made = page(job).select_one("a#made")
    assert made.get_text() == f"See the audit '{AUDIT_NAME}'"
    assert made["href"] == f"{AUDITS}/{audit.id}"
    shown = officer.get(made["href"])
    assert heading(shown) == f"Crime and disorder audit {AUDIT_NAME}"
    rows = [
        [cell.get_text(strip=True) for cell in row.select("th, td")]
        for row in page(shown).select("tbody tr")
    ]
    expected = trends(read_audit(GOOD_AUDIT, "audit.csv"))
    assert rows == [list(row) for row in trend_table_rows(expected)]
    assert ["Burglary", "872", "1,070", "+198", "+22.7%"] in rows
    assert ["Arson", "63", "53", "-10", "-15.9%"] in rows
    headers = [th.get_text(strip=True) for th in page(shown).select("thead th")]
    assert headers == ["Category", "2024/25", "2025/26", "Change", "% change"]
    sentences = [li.get_text(strip=True) for li in page(shown).select("#sentences li")]
    assert (
        "Burglary rose by 22.7% (198 more offences), from 872 in 2024/25 to 1,070 in 2025/26."
        in sentences
    )
    assert len(sentences) == 11
    listed = officer.get(AUDITS).get_data(as_text=True)
    assert AUDIT_NAME in listed and "2023/24, 2024/25, 2025/26" in listed
    assert "officer@example.org" in listed
    assert actions() == ["audit imported"]


def test_a_bad_audit_file_lists_every_problem_and_stores_nothing(officer: FlaskClient) -> None:
    with pytest.raises(ImportRefused) as refused:
        read_audit(BAD_AUDIT, "audit.csv")
    expected = [str(problem) for problem in refused.value.problems]
    assert len(expected) == 4
    started = import_audit(officer, BAD_AUDIT)
    assert started.status_code == 303
    response = officer.get(started.headers["Location"])
    assert error_summary(response) == expected
    assert "audit.csv: nothing imported: 4 problems" in page(response).get_text(" ")
    assert page(response).select_one("a#again")["href"] == AUDITS
    table = [
        [cell.get_text(strip=True) for cell in row.select("td")]
        for row in page(response).select("#problems ~ div tbody tr")
    ]
    assert table[1] == ["3", "A (category)", "the category is blank"]
    assert len(table) == 4
    assert count(CrimeAudit) == 0 and actions() == []


def test_a_taken_name_is_refused_unless_replacing_and_keeps_the_findings(
    officer: FlaskClient,
) -> None:
    import_audit(officer, GOOD_AUDIT)
    audit = crime_audits.audit_by_name(AUDIT_NAME)
    assert audit is not None
    crime_audits.set_finding(audit, "Arson", "Arson fell after the schools project.")
    db.session.commit()
    again = import_audit(officer, b"category,2018/19\nArson,40\n", name="2017-18 AUDIT")
    assert error_summary(again) == [
        f"There is already an audit called '{AUDIT_NAME}': choose another name, "
        "or replace its figures"
    ]
    replaced = import_audit(officer, b"category,2018/19\nArson,40\n", replace="y")
    assert replaced.status_code == 303
    db.session.expire_all()
    audit = crime_audits.audit_by_name(AUDIT_NAME)
    assert audit is not None and audit.periods == ["2018/19"]
    assert crime_audits.findings_of(audit) == {"Arson": "Arson fell after the schools project."}


def test_a_refused_name_and_a_bad_file_are_reported_together(officer: FlaskClient) -> None:
    response = import_audit(officer, BAD_AUDIT, name="   ")
    summary = error_summary(response)
    assert summary[0] == "Enter a name for the audit, for example '2017-18 audit'"
    assert len(summary) == 5
    assert count(CrimeAudit) == 0


def test_key_findings_are_saved_together_and_a_blank_one_removed(officer: FlaskClient) -> None:
    import_audit(officer, GOOD_AUDIT)
    audit = crime_audits.audit_by_name(AUDIT_NAME)
    assert audit is not None
    url = f"{AUDITS}/{audit.id}"
    form = page(officer.get(url)).find("form", action=url)
    fields = {i["name"]: i.get("value", "") for i in form.select("input")}
    labels = {
        t["name"]: form.find("label", attrs={"for": t["id"]}).get_text(strip=True)
        for t in form.select("textarea")
    }
    by_label = {label: name for name, label in labels.items()}
    fields[by_label["Burglary"]] = "Burglary rose in the city centre."
    fields[by_label["Arson"]] = "  Arson fell.  "
    assert officer.post(url, data=fields).status_code == 302
    db.session.expire_all()
    assert crime_audits.findings_of(audit) == {
        "Burglary": "Burglary rose in the city centre.",
        "Arson": "Arson fell.",
    }
    shown = page(officer.get(url))
    assert shown.find("textarea", id=by_label["Arson"]).get_text() == "Arson fell."
    fields[by_label["Burglary"]] = ""
    fields[by_label["Arson"]] = "x" * 5001
    refused = officer.post(url, data=fields)
    assert error_summary(refused) == ["Arson: A key finding must be 5,000 characters or fewer"]
    db.session.expire_all()
    assert set(crime_audits.findings_of(audit)) == {"Burglary", "Arson"}  # nothing saved
    fields[by_label["Arson"]] = "Arson fell."
    assert officer.post(url, data=fields).status_code == 302
    db.session.expire_all()
    assert crime_audits.findings_of(audit) == {"Arson": "Arson fell."}
    assert actions() == ["audit imported", "audit findings saved", "audit findings saved"]


def test_an_audit_that_does_not_exist_is_not_found(officer: FlaskClient) -> None:
    assert officer.get(f"{AUDITS}/99").status_code == 404


# Strategies


def test_a_loaded_strategy_shows_its_priorities(loaded: FlaskClient) -> None:
    listed = page(loaded.get(STRATEGIES))
    row = [c.get_text(strip=True) for c in listed.select("tbody tr")[0].select("td")]
    assert row == [
        "Community Safety Strategy 2027-30",
        "April 2027 to March 2030",
        str(len(definition()["priorities"])),
        "Not built yet",
    ]
    shown = loaded.get(STRATEGY)
    assert heading(shown) == "Strategy Community Safety Strategy 2027-30"
    priorities = [
        [c.get_text(strip=True) for c in row.select("th, td")]
        for row in page(shown).select("tbody tr")
    ]
    raw = definition()["priorities"][0]
    assert priorities[0] == [
        raw["name"],
        raw["kind"].capitalize(),
        raw["lead"],
        "; ".join(raw["themes"]),
        "; ".join(raw["audit_categories"]),
        f"Change: {raw['name']}",
    ]
    assert len(priorities) == len(definition()["priorities"])
    assert actions() == ["audit imported", "strategy loaded"]


def test_a_bad_definition_lists_every_problem_and_saves_nothing(officer: FlaskClient) -> None:
    import_audit(officer, GOOD_AUDIT)
    raw = definition(leed="x")
    raw["priorities"][0]["kind"] = "regional"
    raw["priorities"][1]["objectives"] = ["Support survivors", ""]
    del raw["priorities"][2]["aim"]
    response = load_strategy(officer, raw)
    assert response.status_code == 200
    assert error_summary(response) == [
        "Unknown field 'leed'",
        "Priority 1 'Anti-social behaviour': 'kind' must be 'national' or 'local'",
        f"Priority 2 '{raw['priorities'][1]['name']}': objective 2 is empty",
        f"Priority 3 '{raw['priorities'][2]['name']}': aim is missing",
    ]
    assert "Nothing was saved: the definition has 4 problems" in page(response).get_text(" ")
    assert count(Strategy) == 0 and actions() == ["audit imported"]


def test_themes_and_categories_not_found_are_each_named(officer: FlaskClient) -> None:
    import_audit(officer, GOOD_AUDIT)
    raw = definition()
    raw["priorities"][1]["themes"] = ["Domestic violance"]
    raw["priorities"][2]["audit_categories"] = ["Hate crimes"]
    summary = error_summary(load_strategy(officer, raw))
    assert len(summary) == 2
    assert "theme 'Domestic violance' is not in the consultation's codebook" in summary[0]
    assert "(did you mean 'Domestic violence'?)" in summary[0]
    assert "audit category 'Hate crimes' is not in audit '2017-18 audit'" in summary[1]
    assert count(Strategy) == 0


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            b'{"slug": ',
            "The file is not valid JSON (line 1, column 10: a value is missing, or is not JSON "
            "(text goes in double quotes))",
        ),
        (
            b'{"slug": "x", "title": 1e999}',
            "The file is not usable: it has the number '1e999', too large to use or not a number",
        ),
        (b"caf\xe9", "The file is not UTF-8 text: save it as UTF-8 and try again"),
        (b"[1, 2]", "The definition must be a JSON object"),
        (
            b'{"slug": ' + b"9" * 5000 + b"}",
            "The file is not usable: it has a number 5,000 digits long (at most 100)",
        ),
        (b"[" * 100_000, "The file is not usable: its lists and objects nest too deeply"),
    ],
)
def test_a_file_that_is_not_a_definition_says_why(
    officer: FlaskClient, data: bytes, message: str
) -> None:
    response = post_form(officer, STRATEGIES, {"definition": (io.BytesIO(data), "s.json")})
    assert error_summary(response) == [message]
    assert count(Strategy) == 0


def test_a_definition_with_a_missing_audit_says_so(officer: FlaskClient) -> None:
    response = load_strategy(officer, definition())
    assert error_summary(response) == [
        "Audit '2017-18 audit' does not exist: import it with 'flask audit import'"
    ]


def test_the_example_and_the_definition_can_be_downloaded(loaded: FlaskClient) -> None:
    example = loaded.get(f"{STRATEGIES}/example.json")
    assert example.status_code == 200 and "attachment" in example.headers["Content-Disposition"]
    assert json.loads(example.data) == json.loads((DEMO_DATA / "strategy.json").read_bytes())
    own = loaded.get(f"{STRATEGY}/definition.json")
    assert own.headers["Content-Disposition"] == f'attachment; filename="{SLUG}.json"'
    strategy = strategies.by_strategy_slug(SLUG)
    assert strategy is not None
    assert json.loads(own.data) == strategies.definition_of(strategy)
    assert json.loads(own.data)["consultation"] == "safer-streets"
    logged = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "file downloaded"))
    assert [(e.subject, e.detail) for e in logged] == [(f"{SLUG}.json", "a strategy's definition")]


def test_the_definition_is_edited_on_the_page(loaded: FlaskClient) -> None:
    edit = loaded.get(f"{STRATEGY}/edit")
    text = page(edit).find("textarea", id="definition").get_text()
    raw = json.loads(text)
    strategy = strategies.by_strategy_slug(SLUG)
    assert strategy is not None and raw == strategies.definition_of(strategy)
    assert text.startswith('{\n  "slug": "community-safety-strategy-2027-30",\n')
    raw["title"] = "Safer together 2027-30"
    saved = post_form(loaded, f"{STRATEGY}/edit", {"definition": json.dumps(raw, indent=2)})
    assert saved.status_code == 302 and saved.headers["Location"] == STRATEGY
    assert heading(loaded.get(STRATEGY)) == "Strategy Safer together 2027-30"
    assert actions()[-1] == "strategy changed"


def test_an_edit_that_changes_the_slug_or_breaks_the_json_saves_nothing(
    loaded: FlaskClient,
) -> None:
    raw = definition(slug="another-strategy", title="Renamed")
    raw["priorities"][0]["kind"] = "regional"
    moved = post_form(loaded, f"{STRATEGY}/edit", {"definition": json.dumps(raw)})
    assert error_summary(moved) == [
        f"The slug must stay '{SLUG}': it is how this strategy is found. To make a new "
        "strategy, give a definition file another slug and upload it on the strategies page",
        "Priority 1 'Anti-social behaviour': 'kind' must be 'national' or 'local'",
    ]
    assert page(moved).find("textarea", id="definition").get_text().startswith('{"slug": "ano')
    broken = post_form(loaded, f"{STRATEGY}/edit", {"definition": '{"slug": "x",}'})
    assert error_summary(broken) == [
        "The definition is not valid JSON (line 1, column 14: "
        "a name must be in double quotes, and a list or object cannot end with a comma)"
    ]
    db.session.expire_all()
    assert [s.title for s in strategies.all_strategies()] == ["Community Safety Strategy 2027-30"]


# Drafts


def press_build(client: FlaskClient) -> TestResponse:
    shown = client.get(STRATEGY)
    form = page(shown).find("form", action=f"{STRATEGY}/drafts")
    assert form is not None, "no Build Word draft button"
    assert form.find("button").get_text(strip=True) == "Build Word draft"
    started = client.post(form["action"], data={"csrf_token": csrf_token(shown)})
    assert started.status_code == 303 and started.headers["Location"].startswith("/officers/jobs/")
    return client.get(started.headers["Location"])


def made(job_page: TestResponse) -> str:
    """Where the link to what a finished job made goes."""
    link = page(job_page).select_one("a#made")
    assert link is not None, page(job_page).select_one("main").get_text(" ", strip=True)
    return str(link["href"])


def draft_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def test_an_officer_chooses_to_build_the_draft_in_welsh(loaded: FlaskClient) -> None:
    shown = loaded.get(STRATEGY)
    form = page(shown).find("form", action=f"{STRATEGY}/drafts")
    radios = [(r["value"], r.has_attr("checked")) for r in form.select("input[name=language]")]
    assert radios == [("en", True), ("cy", False)]  # English unless Welsh is chosen
    assert form.select_one("legend").get_text(strip=True) == "Language of the draft"
    started = loaded.post(form["action"], data={"csrf_token": csrf_token(shown), "language": "cy"})
    assert started.status_code == 303
    built = loaded.get(started.headers["Location"])
    assert "Welsh Word draft" in page(built).get_text(" ", strip=True)
    welsh = loaded.get(made(built))
    assert welsh.headers["Content-Disposition"] == f'attachment; filename="{SLUG}-draft-1-cy.docx"'
    document = docx.Document(io.BytesIO(welsh.data))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert "Crynodeb gweithredol" in headings and "Executive summary" not in headings
    row = page(loaded.get(STRATEGY)).select("table")[0].select("tbody tr")[0]
    assert row.select("td")[0].get_text(" ", strip=True) == "1 (Cymraeg)"
    refused = loaded.post(form["action"], data={"csrf_token": csrf_token(shown), "language": "fr"})
    assert refused.status_code == 400
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(StrategyDraft)) == 1


def test_no_language_is_offered_without_the_welsh_catalogue(
    loaded: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    from assembly.web import strategies as strategy_pages

    monkeypatch.setattr(strategy_pages, "available_languages", lambda: ("en",))
    shown = loaded.get(STRATEGY)
    form = page(shown).find("form", action=f"{STRATEGY}/drafts")
    assert form.select("input[name=language]") == []
    welsh = loaded.post(form["action"], data={"csrf_token": csrf_token(shown), "language": "cy"})
    assert welsh.status_code == 400


def test_a_built_draft_downloads_and_earlier_versions_stay(loaded: FlaskClient) -> None:
    built = press_build(loaded)
    assert "Built draft 1 of" in page(built).select_one(".govuk-panel").get_text()
    assert made(built) == f"{STRATEGY}/drafts/1.docx"
    back = page(built).select_one("a#back")  # the job page leads back to the strategy
    assert back is not None and back["href"] == STRATEGY
    assert back.get_text(strip=True) == "Back to 'Community Safety Strategy 2027-30' and its drafts"
    first = loaded.get(made(built))
    assert first.status_code == 200
    assert first.headers["Content-Type"] == DOCX
    assert first.headers["Content-Disposition"] == f'attachment; filename="{SLUG}-draft-1.docx"'
    assert "Community Safety Strategy 2027-30" in draft_text(first.data)
    raw = definition(title="Safer together 2027-30")
    assert load_strategy(loaded, raw).status_code == 302
    second = loaded.get(made(press_build(loaded)))
    assert "Safer together 2027-30" in draft_text(second.data)
    again = loaded.get(f"{STRATEGY}/drafts/1.docx")
    assert again.data == first.data  # the earlier build, exactly as it was
    rows = [
        [c.get_text(" ", strip=True) for c in row.select("td")]
        for row in page(loaded.get(STRATEGY)).select("table")[0].select("tbody tr")
    ]
    assert [row[0] for row in rows] == ["2", "1"]
    assert all(row[2] == "officer@example.org" for row in rows)
    links = [a["href"] for a in page(loaded.get(STRATEGY)).select("a[download]")]
    assert f"{STRATEGY}/drafts/1.docx" in links and f"{STRATEGY}/drafts/2.docx" in links
    latest = page(loaded.get(STRATEGIES)).select("tbody tr")[0].select("td")[3]
    assert latest.get_text(strip=True).startswith("Version 2,")
    assert actions().count("draft built") == 2
    assert loaded.get(f"{STRATEGY}/drafts/3.docx").status_code == 404
    downloads = db.session.scalars(
        sa.select(AuditEvent.subject).where(AuditEvent.action == "file downloaded")
    ).all()
    assert downloads == [f"{SLUG}-draft-1.docx", f"{SLUG}-draft-2.docx", f"{SLUG}-draft-1.docx"]
    assert first.headers["Cache-Control"] == "no-store"


def test_a_draft_that_cannot_be_built_says_why(loaded: FlaskClient) -> None:
    db.session.execute(sa.delete(CrimeAudit))
    db.session.commit()
    response = press_build(loaded)
    assert page(response).title.get_text().startswith("Error: ")
    assert (
        "The draft could not be built: the strategy's audit '2017-18 audit' no longer exists"
        in page(response).select_one(".govuk-error-summary").get_text()
    )
    assert count(StrategyDraft) == 0


def test_a_pdf_asked_for_comes_with_the_draft_from_the_job_page(
    loaded: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(draft_jobs, "docx_to_pdf", lambda data: b"%PDF-1.7 made from the draft")
    shown = loaded.get(STRATEGY)
    started = loaded.post(
        f"{STRATEGY}/drafts", data={"csrf_token": csrf_token(shown), "pdf": "yes"}
    )
    job = loaded.get(started.headers["Location"])
    assert heading(job).endswith(
        "Build the Word draft and PDF of Community Safety Strategy 2027-30"
    )
    output = page(job).select_one("a#output")
    assert output.get_text(strip=True) == f"Download {SLUG}-draft-1.pdf"
    pdf = loaded.get(output["href"])
    assert pdf.data == b"%PDF-1.7 made from the draft"
    assert pdf.headers["Content-Type"] == "application/pdf"
    assert made(job) == f"{STRATEGY}/drafts/1.docx"


def test_the_drafts_table_offers_the_pdf_of_each_draft_built_with_one(
    loaded: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(draft_jobs, "docx_to_pdf", lambda data: b"%PDF-1.7 made from the draft")
    shown = loaded.get(STRATEGY)
    loaded.post(f"{STRATEGY}/drafts", data={"csrf_token": csrf_token(shown), "pdf": "yes"})
    press_build(loaded)  # draft 2, without a PDF
    rows = page(loaded.get(STRATEGY)).select("table")[0].select("tbody tr")
    files = {
        row.select_one("td").get_text(strip=True): [
            (a.get_text(" ", strip=True), a["href"]) for a in row.select("a[download]")
        ]
        for row in rows
    }
    assert files == {
        "2": [("Download version 2 (.docx)", f"{STRATEGY}/drafts/2.docx")],
        "1": [
            ("Download version 1 (.docx)", f"{STRATEGY}/drafts/1.docx"),
            ("Download version 1 (PDF)", f"{STRATEGY}/drafts/1.pdf"),
        ],
    }
    pdf = loaded.get(f"{STRATEGY}/drafts/1.pdf")
    assert (pdf.data, pdf.headers["Content-Type"]) == (
        b"%PDF-1.7 made from the draft",
        "application/pdf",
    )
    assert pdf.headers["Content-Disposition"] == f'attachment; filename="{SLUG}-draft-1.pdf"'
    assert loaded.get(f"{STRATEGY}/drafts/2.pdf").status_code == 404


def test_a_pdf_that_cannot_be_made_keeps_no_draft(
    loaded: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_office(data: bytes) -> bytes:
        raise PdfError("LibreOffice is not installed with its Python API")

    monkeypatch.setattr(draft_jobs, "docx_to_pdf", no_office)
    shown = loaded.get(STRATEGY)
    started = loaded.post(
        f"{STRATEGY}/drafts", data={"csrf_token": csrf_token(shown), "pdf": "yes"}
    )
    job = loaded.get(started.headers["Location"])
    assert page(job).select_one("#outcome").get_text(strip=True) == (
        "The PDF could not be made, so the draft was not kept: LibreOffice is not installed "
        "with its Python API"
    )
    assert count(StrategyDraft) == 0


# Before the board sees it (a definition built here, not the demo).

READY = f"{STRATEGIES}/ready-strategy"


@pytest.fixture
def board(client: FlaskClient) -> FlaskClient:
    """An officer, residents who raised road safety and drugs, a 2025/26 audit and an older
    one, and a strategy with everything a board asks for."""
    consultation = make_consultation()
    for worry in ["Speeding cars"] * 5 + ["Drug dealing"] * 5:
        record_response(consultation, {"worries": Text(worry)}, Channel.PAPER)
    themes.autocode(consultation)
    figures = b"Burglary,120,100\nDrug offences,40,55\n"
    crime_audits.import_audit(
        "2025-26 audit", "a.csv", b"category,2024/25,2025/26\n" + figures, None
    )
    crime_audits.import_audit(
        "2017-18 audit", "b.csv", b"category,2016/17,2017/18\n" + figures, None
    )
    strategies.save_strategy(ready_definition())
    db.session.commit()
    sign_in(client, "officer")
    return client


def ready_definition() -> dict[str, Any]:
    return json.loads(json.dumps(COMPLETE)) | {"slug": "ready-strategy", "audit": "2025-26 audit"}


def readiness_links(response: TestResponse) -> list[tuple[str, str]]:
    """The "Before the board sees it" list: each gap's words and link."""
    listed = page(response).find(id="readiness").find_next_sibling("ul")
    if listed is None:
        return []
    return [(" ".join(a.get_text(" ", strip=True).split()), a["href"]) for a in listed.select("a")]


def test_a_strategy_ready_for_the_board_says_so(board: FlaskClient) -> None:
    response = board.get(READY)
    assert readiness_links(response) == []
    said = page(response).find(id="readiness").find_next_sibling("p").get_text()
    assert said.startswith("Nothing was found that a partnership board or scrutiny committee")


def test_each_gap_links_to_the_field_that_fixes_it_and_the_page_only_reads(
    board: FlaskClient,
) -> None:
    raw = ready_definition() | {"audit": "2017-18 audit"}
    for name in ("foreword", "equality_impact", "other_agencies"):
        del raw[name]
    del raw["priorities"][0]["why"]
    del raw["priorities"][1]["targets"][0]["by"]
    strategies.save_strategy(raw)
    db.session.commit()
    before = (strategies.definition_of(strategies.by_strategy_slug("ready-strategy")), actions())
    agencies = page(board.get(f"{READY}/other-agencies"))
    road = agencies.find("input", attrs={"value": "Road safety"})["name"].removesuffix("-theme")
    response = board.get(READY)
    links = readiness_links(response)
    assert links == [
        (
            "There is no foreword: a board expects the strategy introduced by its chairs",
            f"{READY}/sections#foreword",
        ),
        (
            "The audit's latest figures are for 2017/18, which ended on 31 March 2018: more "
            "than a year before the strategy starts on 1 April 2027. A board will ask for more "
            "recent figures",
            f"{READY}/details#audit",
        ),
        (
            "Residents raised 'Road safety', but no priority answers it and no other agency is "
            "named for it",
            f"{READY}/other-agencies#{road}-agency",
        ),
        (
            "Priority 1 'Drug misuse' does not say why its evidence makes it a priority",
            f"{READY}/priorities/1#why",
        ),
        (
            "Priority 2 'Burglary': target 1 'Fewer burglaries' has no date to be met by",
            f"{READY}/priorities/2#targets-0-by",
        ),
        ("There is no equality impact statement", f"{READY}/sections#equality_impact"),
    ]
    for _, href in links:  # each opens its page at a field there
        url, field = href.split("#")
        opened = board.get(url)
        assert opened.status_code == 200, href
        control = page(opened).find(id=field)
        assert control is not None and control.name in ("input", "textarea", "select"), href
    db.session.expire_all()
    after = (strategies.definition_of(strategies.by_strategy_slug("ready-strategy")), actions())
    assert after == before


# The house template


def word_file(header: str = "Partnership letterhead") -> bytes:
    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = header
    document.add_paragraph("Body text that drafts do not use")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def repacked(data: bytes, change: dict[str, bytes | None]) -> bytes:
    """The zip package `data` with parts replaced, added or (None) removed."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for name in source.namelist():
            if name not in change:
                target.writestr(name, source.read(name))
        for name, content in change.items():
            if content is not None:
                target.writestr(name, content)
    return out.getvalue()


def part(data: bytes, name: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return package.read(name)


def macro_enabled() -> bytes:
    good = word_file()
    types = part(good, "[Content_Types].xml").replace(
        b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
        b"application/vnd.ms-word.document.macroEnabled.main+xml",
    )
    return repacked(good, {"[Content_Types].xml": types})


def with_vba_part() -> bytes:
    return repacked(word_file(), {"word/vbaProject.bin": b"\xd0\xcf\x11\xe0 not really"})


def with_external_link() -> bytes:
    good = word_file()
    name = "word/_rels/document.xml.rels"
    link = (
        b'<Relationship Id="rId99" TargetMode="External" Target="http://evil.example/t.dotm" '
        b'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        b'attachedTemplate"/></Relationships>'
    )
    return repacked(good, {name: part(good, name).replace(b"</Relationships>", link)})


def not_word() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        package.writestr("notes.txt", "a zip, but no Word document in it")
    return out.getvalue()


def upload_template(client: FlaskClient, data: bytes, name: str = "house.docx") -> TestResponse:
    shown = client.get(STRATEGIES)
    payload = {"csrf_token": csrf_token(shown), "template": (io.BytesIO(data), name)}
    return client.post(f"{STRATEGIES}/template", data=payload)


def test_a_house_template_is_used_for_drafts_until_stopped(loaded: FlaskClient) -> None:
    uploaded = upload_template(loaded, word_file(), "Council house style.docx")
    assert uploaded.status_code == 302
    shown = page(loaded.get(STRATEGIES))
    assert "Council house style.docx" in shown.find(id="house-template").find_next("dl").get_text()
    draft = loaded.get(made(press_build(loaded))).data
    header = docx.Document(io.BytesIO(draft)).sections[0].header
    assert "Partnership letterhead" in [p.text for p in header.paragraphs]
    assert "Body text that drafts do not use" not in draft_text(draft)
    stop = shown.find("form", action=f"{STRATEGIES}/template/remove")
    assert stop.get_text(strip=True) == "Stop using it"
    upload_template(loaded, word_file("Second letterhead"), "second.docx")
    assert count(HouseTemplate) == 2
    assert "second.docx" in page(loaded.get(STRATEGIES)).find("dl").get_text()
    removed = loaded.post(stop["action"], data={"csrf_token": csrf_token(loaded.get(STRATEGIES))})
    assert removed.status_code == 302
    assert count(HouseTemplate) == 0
    assert page(loaded.get(STRATEGIES)).find("form", action=stop["action"]) is None
    assert actions()[-4:] == [
        "house template uploaded",
        "draft built",
        "house template uploaded",
        "house template removed",
    ]


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (
            not_word,
            "house.docx: the file is a zip file, not a Word document: it has no word/document.xml",
        ),
        (
            lambda: b"%PDF-1.7 not a zip at all",
            "house.docx: the file is not a Word document (.docx): it is not a Word package at all",
        ),
        (
            macro_enabled,
            "house.docx: the file contains macros (it is a macro-enabled .docm document): save "
            "it in Word as a Word Document (.docx) and upload that",
        ),
        (
            with_vba_part,
            "house.docx: the file contains macros (it is a macro-enabled .docm document): save "
            "it in Word as a Word Document (.docx) and upload that",
        ),
        (
            with_external_link,
            "house.docx: the file loads something from outside it (http://evil.example/t.dotm, "
            "in word/_rels/document.xml.rels): remove linked pictures, attached templates and "
            "linked files, then upload it again",
        ),
        (
            lambda: repacked(word_file(), {"word/document.xml": b"<not-word/>"}),
            "house.docx: the file cannot be opened as a Word document",
        ),
    ],
    ids=["zip-not-docx", "not-zip", "docm", "vba-part", "external-link", "not-openable"],
)
def test_an_unsafe_or_unreadable_house_template_is_refused(
    officer: FlaskClient, make: Any, message: str
) -> None:
    response = upload_template(officer, make())
    assert response.status_code == 200
    summary = error_summary(response)
    assert len(summary) == 1 and summary[0].startswith(message)
    assert (
        page(response)
        .select_one(".govuk-error-message")
        .get_text(" ", strip=True)
        .endswith(summary[0])
    )
    assert count(HouseTemplate) == 0
    assert "house template uploaded" not in actions()


def test_a_house_template_larger_than_the_limit_is_refused() -> None:
    good = word_file()
    assert house_template_problem(good, len(good)) is None
    kilobytes = (len(good) - 1) // 1024  # python-docx's blank document is about 36 KB
    assert house_template_problem(good, len(good) - 1) == f"the file is larger than {kilobytes} KB"


# Who may use these pages


def routes(client: FlaskClient) -> list[tuple[str, str]]:
    """(method, url) of every page and action here, for a strategy and audit that exist."""
    audit = crime_audits.audit_by_name(AUDIT_NAME)
    assert audit is not None
    return [
        ("GET", AUDITS),
        ("POST", AUDITS),
        ("GET", f"{AUDITS}/{audit.id}"),
        ("POST", f"{AUDITS}/{audit.id}"),
        ("GET", STRATEGIES),
        ("POST", STRATEGIES),
        ("GET", f"{STRATEGIES}/example.json"),
        ("GET", STRATEGY),
        ("POST", f"{STRATEGY}/drafts"),
        ("POST", f"{STRATEGY}/consult"),
        ("GET", f"{STRATEGY}/drafts/1.docx"),
        ("GET", f"{STRATEGY}/drafts/1.pdf"),
        ("GET", f"{STRATEGY}/edit"),
        ("POST", f"{STRATEGY}/edit"),
        ("GET", f"{STRATEGY}/definition.json"),
        ("POST", f"{STRATEGIES}/template"),
        ("POST", f"{STRATEGIES}/template/remove"),
    ]


def test_every_route_is_covered_by_the_access_checks(loaded: FlaskClient) -> None:
    from flask import current_app

    ours = {
        (method, rule.rule)
        for rule in current_app.url_map.iter_rules()
        if rule.endpoint.startswith("strategies.")
        for method in rule.methods or ()
        if method in ("GET", "POST")
    }
    assert len(ours) == len(routes(loaded))


@pytest.mark.parametrize("role", ["councillor", None])
def test_councillors_are_refused_and_visitors_sent_to_sign_in(
    loaded: FlaskClient, role: str | None
) -> None:
    press_build(loaded)
    listed = routes(loaded)
    loaded.post("/sign-out", data={"csrf_token": csrf_token(loaded.get(STRATEGIES))})
    if role:
        sign_in(loaded, role)
    token = csrf_token(loaded.get("/sign-in" if role is None else "/results/"))
    for method, url in listed:
        if method == "GET":
            response = loaded.get(url)
        else:
            response = loaded.post(url, data={"csrf_token": token})
        if role:
            assert response.status_code == 403, f"{method} {url}"
        else:
            assert response.status_code == 302, f"{method} {url}"
            assert response.headers["Location"].startswith("/sign-in"), f"{method} {url}"
    assert count(HouseTemplate) == 0 and count(StrategyDraft) == 1


def test_officers_reach_every_page(loaded: FlaskClient) -> None:
    press_build(loaded)
    draft = db.session.scalars(sa.select(StrategyDraft)).one()
    draft.pdf = b"%PDF-1.7 as if built with one"  # for its PDF's page
    db.session.commit()
    for method, url in routes(loaded):
        if method == "GET":
            assert loaded.get(url).status_code == 200, url
