"""A draft strategy put out for comment as an ordinary consultation (unit, CLI, web, db)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from flask.testing import FlaskClient, FlaskCliRunner

from assembly.cli import DEMO_DATA
from assembly.core.comment_consultation import CommentError, comment_definition, sections
from assembly.core.strategy import parse_strategy
from assembly.data import built_drafts, strategies
from common.database import db
from survey.core.definitions import DefinitionErrors, definition_to_dict, parse_definition
from survey.core.question_types import check_response
from survey.data.consultations import by_slug, spec_of
from survey.data.models import Channel, Status
from survey.data.recording import record_response
from tests.support import error_summary, page, sign_in

STRATEGY = "community-safety-strategy-2027-30"
CONSULTATION = f"{STRATEGY}-draft-1"
DEMO_SPEC = parse_strategy(json.loads((DEMO_DATA / "strategy.json").read_text(encoding="utf-8")))
OPENS, CLOSES = dt.date(2027, 3, 1), dt.date(2027, 4, 30)
FAKE_PDF = b"%PDF-1.4 a draft for comment\n"


# Unit: the definition.


def test_each_priority_and_the_vision_get_an_agreement_and_a_comments_question() -> None:
    raw = comment_definition(DEMO_SPEC, 3, OPENS, CLOSES, [])
    keys = [q["key"] for q in raw["questions"]]  # type: ignore[index]
    expected = ["vision_agree", "vision_comments"]
    for number in range(1, len(DEMO_SPEC.priorities) + 1):
        expected += [f"priority_{number}_agree", f"priority_{number}_comments"]
    assert keys == [*expected, "missing"]
    assert raw["slug"] == f"{DEMO_SPEC.slug}-draft-3"
    spec = parse_definition(raw)  # what `flask consultations load` accepts
    by_key = {q.key: q for q in spec.questions}
    assert by_key["priority_2_agree"].type == "agreement"
    assert by_key["priority_2_comments"].text.startswith("Comments on this priority")
    assert by_key["missing"].text == "Is anything missing from this strategy?"
    assert not by_key["priority_2_comments"].required


def test_each_question_shows_its_sections_aim_objectives_and_lead() -> None:
    spec = parse_definition(comment_definition(DEMO_SPEC, 1, OPENS, CLOSES, []))
    question = next(q for q in spec.questions if q.key == "priority_6_agree")
    drugs = DEMO_SPEC.priorities[5]
    assert question.context.splitlines()[0] == f"Priority 6: {drugs.name}"
    assert drugs.aim in question.context
    assert all(f"- {objective}" in question.context for objective in drugs.objectives)
    assert f"Led by: {drugs.lead}" in question.context
    assert next(q for q in spec.questions if q.key == "vision_agree").context.endswith(
        DEMO_SPEC.vision
    )


def test_a_closing_date_before_the_opening_date_is_refused() -> None:
    with pytest.raises(CommentError, match="before the opening date"):
        comment_definition(DEMO_SPEC, 1, CLOSES, OPENS, [])


def test_sections_are_the_vision_then_the_priorities_in_order() -> None:
    headings = [s.heading for s in sections(DEMO_SPEC)]
    assert headings[0] == "The vision"
    assert headings[1:] == [
        f"Priority {n}: {p.name}" for n, p in enumerate(DEMO_SPEC.priorities, 1)
    ]


def test_documents_and_context_survive_export_and_load() -> None:
    documents = [{"title": "Read the draft", "href": "/strategies/x/drafts/1"}]
    raw = comment_definition(DEMO_SPEC, 1, OPENS, CLOSES, documents)
    assert definition_to_dict(parse_definition(raw)) == raw


@pytest.mark.parametrize(
    "href", ["//evil.example/x", "javascript:alert(1)", "http://plain.example/", "/a b", ""]
)
def test_a_document_address_off_the_service_or_not_https_is_refused(href: str) -> None:
    raw = comment_definition(DEMO_SPEC, 1, OPENS, CLOSES, [{"title": "Draft", "href": href}])
    with pytest.raises(DefinitionErrors, match="href must be a path on this service"):
        parse_definition(raw)


# The command, the pages, and the consultation as any other.


@pytest.fixture
def demo(runner: FlaskCliRunner, tmp_path: Path) -> FlaskCliRunner:
    loaded = runner.invoke(args=["demo"])
    assert loaded.exit_code == 0, loaded.output
    return runner


def build(runner: FlaskCliRunner, tmp_path: Path, *, pdf: bool = True) -> int:
    """Build the next draft; 'with a PDF' is the PDF LibreOffice would make, without running it."""
    built = runner.invoke(
        args=["draft", "build", "--strategy", STRATEGY, "--out", str(tmp_path / "d.docx")]
    )
    assert built.exit_code == 0, built.output
    strategy = strategies.by_strategy_slug(STRATEGY)
    assert strategy is not None
    draft = built_drafts.drafts_of(strategy)[0]
    if pdf:
        draft.pdf = FAKE_PDF
        db.session.commit()
    return draft.version


def consult(runner: FlaskCliRunner, slug: str = STRATEGY, opens: str = "2027-03-01",
            closes: str = "2027-04-30"):  # fmt: skip
    return runner.invoke(args=["strategy", "consult", slug, "--opens", opens, "--closes", closes])


@pytest.mark.db
def test_consult_prints_the_new_consultations_slug(demo: FlaskCliRunner, tmp_path: Path) -> None:
    build(demo, tmp_path)
    done = consult(demo)
    assert done.exit_code == 0, done.output
    assert done.output.strip() == CONSULTATION
    consultation = by_slug(CONSULTATION)
    assert consultation is not None and consultation.status == Status.DRAFT
    assert len(consultation.questions) == 2 * (len(DEMO_SPEC.priorities) + 1) + 1
    assert [d["href"] for d in consultation.documents or []] == [
        f"/strategies/{STRATEGY}/drafts/1",
        f"/strategies/{STRATEGY}/drafts/1.pdf",
    ]


@pytest.mark.db
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("nope",), "no strategy with the slug 'nope'"),
        ((STRATEGY, "2027-04-30", "2027-03-01"), "is before the opening date"),
        ((STRATEGY, "2027-02-30"), "'2027-02-30' is not a date"),
    ],
)
def test_consult_refuses_with_a_clear_message(
    demo: FlaskCliRunner, tmp_path: Path, args: tuple[str, ...], message: str
) -> None:
    build(demo, tmp_path)
    done = consult(demo, *args)
    assert done.exit_code != 0
    assert message in done.output
    assert by_slug(CONSULTATION) is None


@pytest.mark.db
def test_consult_refuses_without_a_draft_without_its_pdf_and_twice(
    demo: FlaskCliRunner, tmp_path: Path
) -> None:
    assert "has no draft yet" in consult(demo).output
    build(demo, tmp_path, pdf=False)
    assert "was built without a PDF" in consult(demo).output
    assert by_slug(CONSULTATION) is None
    build(demo, tmp_path)
    assert consult(demo).exit_code == 0
    again = consult(demo)
    assert again.exit_code != 0
    assert "draft 2 of 'community-safety-strategy-2027-30' is already out for comment" in (
        again.output
    )


@pytest.mark.db
def test_a_taken_consultation_slug_is_refused_with_nothing_saved(
    demo: FlaskCliRunner, tmp_path: Path
) -> None:
    build(demo, tmp_path)
    raw = comment_definition(DEMO_SPEC, 1, OPENS, CLOSES, [])
    from survey.data.consultations import save_definition

    save_definition(parse_definition(raw))
    db.session.commit()
    done = consult(demo)
    assert "already exists" in done.output
    strategy = strategies.by_strategy_slug(STRATEGY)
    from assembly.data.comment_rounds import rounds_of

    assert strategy is not None and rounds_of(strategy) == []


@pytest.mark.db
def test_residents_are_offered_the_draft_and_read_each_section_beside_its_question(
    demo: FlaskCliRunner, client: FlaskClient, tmp_path: Path
) -> None:
    build(demo, tmp_path)
    assert consult(demo).exit_code == 0
    consultation = by_slug(CONSULTATION)
    assert consultation is not None
    consultation.status = Status.OPEN.value
    consultation.opens, consultation.closes = dt.date.today(), dt.date.today()
    db.session.commit()
    start = page(client.get(f"/consultations/{CONSULTATION}"))
    links = {a.get_text(strip=True): a["href"] for a in start.select("main a")}
    web, pdf = (
        links["Read draft 1 of the strategy (web page)"],
        links["Download draft 1 of the strategy (PDF)"],
    )
    assert client.get(pdf).data == FAKE_PDF
    draft_page = page(client.get(web))
    assert draft_page.h1.get_text(strip=True) == DEMO_SPEC.title
    assert f"Priority 6: {DEMO_SPEC.priorities[5].name}" in draft_page.get_text()
    question = page(client.get(f"/consultations/{CONSULTATION}/questions/priority_6_agree"))
    assert question.h1.get_text(strip=True) == f"Priority 6: {DEMO_SPEC.priorities[5].name}"
    assert DEMO_SPEC.priorities[5].aim in question.get_text()
    assert "Do you agree with this priority (Drug misuse)?" in question.legend.get_text()


@pytest.mark.db
def test_a_draft_not_out_for_comment_is_not_public(
    demo: FlaskCliRunner, client: FlaskClient, tmp_path: Path
) -> None:
    build(demo, tmp_path)
    assert client.get(f"/strategies/{STRATEGY}/drafts/1").status_code == 404
    assert client.get(f"/strategies/{STRATEGY}/drafts/1.pdf").status_code == 404
    assert consult(demo).exit_code == 0
    build(demo, tmp_path)
    assert client.get(f"/strategies/{STRATEGY}/drafts/1").status_code == 200
    assert client.get(f"/strategies/{STRATEGY}/drafts/2").status_code == 404


@pytest.mark.db
def test_its_answers_are_recorded_and_counted_as_any_consultations(
    demo: FlaskCliRunner, tmp_path: Path
) -> None:
    build(demo, tmp_path)
    assert consult(demo).exit_code == 0
    consultation = by_slug(CONSULTATION)
    assert consultation is not None
    specs = spec_of(consultation).questions
    raw = {"priority_1_agree": "Yes", "priority_1_comments": "More patrols near the park"}
    for _ in range(6):  # through the one write path paper, online and imported answers take
        values, problems = check_response(specs, raw, enforce_required=False)
        assert problems == {}
        record_response(consultation, values, Channel.PAPER)
    db.session.commit()
    shown = demo.invoke(args=["results", "show", CONSULTATION, "--json"])
    assert shown.exit_code == 0, shown.output
    results = json.loads(shown.output)
    assert results["responses"] == 6
    exported = demo.invoke(
        args=["responses", "export", CONSULTATION, "--out", str(tmp_path / "r.csv")]
    )
    assert exported.exit_code == 0, exported.output
    assert "More patrols near the park" in (tmp_path / "r.csv").read_text(encoding="utf-8-sig")


@pytest.mark.db
def test_the_button_on_the_strategy_page_puts_the_draft_out_for_comment(
    demo: FlaskCliRunner, client: FlaskClient, tmp_path: Path
) -> None:
    build(demo, tmp_path)
    sign_in(client, "officer", "strategy.officer@example.org")  # the demo has officer@
    url = f"/officers/strategies/{STRATEGY}"
    form = page(client.get(url)).find("form", action=f"{url}/consult")
    assert form is not None and "Put draft 1 out for comment" in form.get_text()
    token = form.find("input", attrs={"name": "csrf_token"})["value"]
    dates = {"opens-day": "1", "opens-month": "3", "opens-year": "2027"}
    refused = client.post(
        f"{url}/consult",
        data={
            **dates,
            "closes-day": "28",
            "closes-month": "2",
            "closes-year": "2027",
            "csrf_token": token,
        },  # fmt: skip
    )
    assert refused.status_code == 400
    assert error_summary(refused) == ["The date it closes must be on or after the date it opens"]
    missing = client.post(f"{url}/consult", data={**dates, "csrf_token": token})
    assert error_summary(missing) == ["Enter the date it closes"]
    done = client.post(
        f"{url}/consult",
        data={
            **dates,
            "closes-day": "30",
            "closes-month": "4",
            "closes-year": "2027",
            "csrf_token": token,
        },  # fmt: skip
    )
    assert done.status_code == 302
    assert done.headers["Location"].endswith(f"/officers/consultations/{CONSULTATION}")
    assert by_slug(CONSULTATION) is not None
    again = client.post(
        f"{url}/consult",
        data={
            **dates,
            "closes-day": "30",
            "closes-month": "4",
            "closes-year": "2027",
            "csrf_token": token,
        },  # fmt: skip
    )
    assert "is already out for comment" in error_summary(again)[0]
