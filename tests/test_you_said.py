"""Partners' and committees' comments, the partnership's responses, the next draft's appendix
and the public "You said, we did" page (web, CLI, db)."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from flask.testing import FlaskClient, FlaskCliRunner

from assembly.data import comment_rounds, strategies, you_said
from common.database import db
from survey.core.question_types import check_response
from survey.data import themes
from survey.data.consultations import by_slug, spec_of
from survey.data.models import Channel
from survey.data.recording import record_response
from tests.support import comment_on_priority_6, csrf_token, error_summary, page, sign_in
from tests.test_strategy_consultation import CONSULTATION, STRATEGY, build, consult

pytestmark = pytest.mark.db

COMMENTS = f"/officers/strategies/{STRATEGY}/comments/1"
SCRUTINY = "Environment & Community Safety Overview & Scrutiny Committee"


@pytest.fixture
def out_for_comment(runner: FlaskCliRunner, client: FlaskClient, tmp_path: Path) -> FlaskClient:
    """Draft 1 out for comment; 6 residents mention drugs, 2 mention alcohol (coded)."""
    assert runner.invoke(args=["demo"]).exit_code == 0
    build(runner, tmp_path)
    assert consult(runner).exit_code == 0
    consultation = by_slug(CONSULTATION)
    assert consultation is not None
    comment_on_priority_6(consultation)
    sign_in(client, "officer", "strategy.officer@example.org")
    return client


def record(client: FlaskClient, **changes: str):
    fields = {
        "section": "Priority 6: Drug misuse",
        "organisation": SCRUTINY,
        "kind": "scrutiny committee",
        "made_by": "the Chair",
        "made_on-day": "6",
        "made_on-month": "6",
        "made_on-year": "2027",
        "text": "Include information on the lead bodies on each priority area",
        "recommendation": "yes",
    }
    fields.update(changes)
    fields["csrf_token"] = csrf_token(client.get(COMMENTS))
    return client.post(COMMENTS, data={k: v for k, v in fields.items() if v is not None})


def points():
    strategy = strategies.by_strategy_slug(STRATEGY)
    assert strategy is not None
    made = comment_rounds.round_of(strategy, 1)
    assert made is not None
    return you_said.points_of(made, minimum=5)


def respond(client: FlaskClient, subject: str, **fields: str):
    url = f"{COMMENTS}/respond?subject={subject}"
    token = csrf_token(client.get(url))
    return client.post(url, data={"csrf_token": token, "subject": subject, **fields})


def test_residents_themes_are_points_with_counts_suppressed_as_results_are(
    out_for_comment: FlaskClient,
) -> None:
    said = {p.said: p for p in points()}
    assert "Drug misuse (mentioned by 6 residents)" in said
    assert "Alcohol misuse (mentioned by fewer than 5 residents)" in said
    assert all(p.section == "Priority 6: Drug misuse" for p in said.values())


def test_too_few_comments_on_a_section_make_one_point_not_every_theme(
    out_for_comment: FlaskClient,
) -> None:
    consultation = by_slug(CONSULTATION)
    assert consultation is not None
    values, _ = check_response(
        spec_of(consultation).questions, {"vision_comments": "Drugs"}, enforce_required=False
    )
    record_response(consultation, values, Channel.PAPER)
    db.session.commit()
    themes.autocode(consultation)
    db.session.commit()
    on_vision = [p.said for p in points() if p.section == "The vision"]
    assert on_vision == ["Comments from fewer than 5 residents (too few to show their themes)"]


def test_a_committees_recommendation_is_recorded_against_its_section(
    out_for_comment: FlaskClient,
) -> None:
    done = record(out_for_comment)
    assert done.status_code == 303
    recorded = [p for p in points() if p.subject.startswith("comment:")]
    assert len(recorded) == 1
    assert recorded[0].recommendation
    assert recorded[0].section == "Priority 6: Drug misuse"
    assert recorded[0].by == f"{SCRUTINY} (the Chair), 6 June 2027"
    shown = page(out_for_comment.get(COMMENTS)).get_text()
    assert "Recommendation" in shown and "No response yet" in shown


def test_a_comment_with_problems_is_refused_whole_naming_each(
    out_for_comment: FlaskClient,
) -> None:
    refused = record(
        out_for_comment,
        section="Priority 99",
        organisation="",
        kind="partner agency",
        **{"made_on-day": "31", "made_on-month": "2"},
        text="",
    )
    assert refused.status_code == 400
    assert error_summary(refused) == [
        "Choose the section of the draft the comment is about",
        "Enter the organisation or committee that made the comment",
        "The date it was made must be a real date, like 31 3 2027",
        "Enter the comment",
        "Only a committee makes recommendations",
    ]
    assert [p for p in points() if p.subject.startswith("comment:")] == []


def test_every_point_gets_a_response_and_the_next_draft_lists_them(
    out_for_comment: FlaskClient, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    record(out_for_comment)
    found = points()
    refused = respond(out_for_comment, found[0].subject, outcome="passed on", detail="")
    assert error_summary(refused) == [
        "Say what the other body was asked to do",
        "Enter the body it was passed to",
    ]
    answers = {
        "changed": {"detail": "Named the lead body for each priority"},
        "not changed": {"detail": "Treatment is commissioned nationally"},
        "passed on": {"detail": "Asked to review licensing", "passed_to": "Licensing Committee"},
    }
    outcomes = list(answers)
    for number, point in enumerate(found):
        outcome = outcomes[number % 3]
        done = respond(out_for_comment, point.subject, outcome=outcome, **answers[outcome])
        assert done.status_code == 303, error_summary(done)
    assert all(p.answer is not None for p in points())
    out = tmp_path / "draft2.docx"
    built = runner.invoke(args=["draft", "build", "--strategy", STRATEGY, "--out", str(out)])
    assert built.exit_code == 0, built.output
    document = docx.Document(str(out))
    headings = [p.text for p in document.paragraphs]
    assert "Appendix: How the consultation on the draft changed this strategy" in headings
    table = next(
        t for t in document.tables if [c.text for c in t.rows[0].cells][2:3] == ["You said"]
    )
    rows = [[c.text for c in row.cells] for row in table.rows[1:]]
    assert len(rows) == len(found)
    assert ["Priority 6: Drug misuse", "Residents", "Drug misuse (mentioned by 6 residents)"] in [
        r[:3] for r in rows
    ]
    assert any(r[2].startswith("Recommendation: Include information") for r in rows)
    assert any(r[3].startswith("Passed to Licensing Committee: ") for r in rows)


def test_the_public_page_shows_only_published_responses(
    out_for_comment: FlaskClient, client: FlaskClient
) -> None:
    public = f"/consultations/{CONSULTATION}/you-said-we-did"
    found = points()
    respond(out_for_comment, found[0].subject, outcome="changed", detail="Added a target")
    assert client.get(public).status_code == 404  # not yet published
    token = csrf_token(out_for_comment.get(COMMENTS))
    out_for_comment.post(f"{COMMENTS}/publish", data={"csrf_token": token, "publish": "yes"})
    out_for_comment.get("/sign-out")
    shown = page(client.get(public))
    text = shown.get_text()
    assert "Changed: Added a target" in text
    assert found[0].said in text
    unanswered = [p.said for p in found[1:]]
    assert unanswered and not any(said in text for said in unanswered)
    assert "fewer than 5" in text or "Any number from 1 to 4" in text
    strategy_page = page(client.get(f"/strategies/{STRATEGY}")).get_text()
    assert "what people said about it and what we did" in strategy_page


@pytest.mark.parametrize("role", ["councillor", None])
def test_only_officers_record_comments_and_respond(
    out_for_comment: FlaskClient, role: str | None
) -> None:
    subject = points()[0].subject
    token = csrf_token(out_for_comment.get(COMMENTS))
    out_for_comment.post("/sign-out", data={"csrf_token": token})
    if role:
        sign_in(out_for_comment, role, "a.councillor@example.org")
    token = csrf_token(out_for_comment.get("/sign-in" if role is None else "/results/"))
    for method, url in (
        ("GET", COMMENTS),
        ("POST", COMMENTS),
        ("GET", f"{COMMENTS}/respond?subject={subject}"),
        ("POST", f"{COMMENTS}/respond?subject={subject}"),
        ("POST", f"{COMMENTS}/publish"),
    ):
        done = out_for_comment.open(url, method=method, data={"csrf_token": token})
        assert done.status_code == (403 if role else 302), (method, url)
    assert all(p.answer is None for p in points())
