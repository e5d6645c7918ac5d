"""Officers browse a consultation's responses, open one, correct a typed-in one, withdraw one."""

from __future__ import annotations

import datetime as dt
import json

import sqlalchemy as sa
from flask.testing import FlaskClient

from common.database import db, utcnow
from common.models import AuditEvent
from survey.core.answers import RawAnswer, RawMulti
from survey.core.question_types import check_response
from survey.data.models import (
    Answer,
    AnswerTheme,
    Channel,
    Consultation,
    Question,
    Response,
    Theme,
)
from survey.data.recording import record_response
from survey.data.themes import ensure_themes
from tests.support import (
    csrf_token,
    error_summary,
    heading,
    make_consultation,
    page,
    post_form,
    sign_in,
)
from tests.test_officers import PAGE

LIST = f"{PAGE}/responses"


def record(
    consultation: Consultation,
    channel: Channel = Channel.ONLINE,
    minutes_ago: int = 0,
    **raw: RawAnswer,
) -> Response:
    specs = [q.spec() for q in consultation.questions]
    values, problems = check_response(specs, raw, enforce_required=False)
    assert not problems, problems
    response = record_response(
        consultation,
        values,
        channel,
        submitted_at=utcnow() - dt.timedelta(minutes=minutes_ago),
    )
    db.session.commit()
    return response


def listed(client: FlaskClient, url: str = LIST) -> list[str]:
    """The references on a page of the list, in order."""
    return [a.get_text(strip=True) for a in page(client.get(url)).select("tbody td:first-child a")]


def test_the_list_pages_newest_first_by_keyset_and_counts_matches(client: FlaskClient) -> None:
    consultation = make_consultation()
    made = [record(consultation, minutes_ago=200 - i, agree="Yes") for i in range(120)]
    newest_first = [r.reference for r in reversed(made)]
    sign_in(client, "officer")
    first = client.get(LIST)
    assert first.headers["Cache-Control"] == "no-store"
    assert "120 responses, newest first" in page(first).get_text()
    assert listed(client) == newest_first[:50]
    older = page(first).select_one("a[rel=next]")["href"]
    assert listed(client, older) == newest_first[50:100]
    last = page(client.get(older)).select_one("a[rel=next]")["href"]
    last_page = client.get(last)
    assert [a.get_text(strip=True) for a in page(last_page).select("tbody td:first-child a")] == (
        newest_first[100:]
    )
    assert page(last_page).select_one("a[rel=next]") is None
    assert page(last_page).select_one("a[rel=prev]") is not None


def test_filters_combine_and_the_count_is_of_the_matches(client: FlaskClient) -> None:
    consultation = make_consultation()
    north_paper = record(consultation, Channel.PAPER, area="North", worries="Speeding cars")
    record(consultation, Channel.ONLINE, area="North", worries="Dogs fouling")
    record(consultation, Channel.PAPER, area="South", worries="speeding on the A4")
    record(consultation, Channel.PAPER, agree="No")
    area = db.session.scalar(sa.select(Question.id).where(Question.key == "area"))
    sign_in(client, "officer")
    assert listed(client, f"{LIST}?channel=paper&q{area}=0") == [north_paper.reference]
    both = client.get(f"{LIST}?channel=paper&q{area}=0")
    assert "1 of 4 responses match" in " ".join(page(both).get_text().split())
    row = page(both).select_one("tbody tr").get_text(" ", strip=True)
    assert "Paper form" in row and "North" in row
    assert len(listed(client, f"{LIST}?search=SPEEDING")) == 2, "any case, any free text"
    assert listed(client, f"{LIST}?search={north_paper.reference.lower()}") == [
        north_paper.reference
    ]
    assert listed(client, f"{LIST}?search=50%25") == [], "% is a character, not a wildcard"
    nothing = client.get(f"{LIST}?search=tractors")
    assert "No response matches these filters" in page(nothing).get_text()
    # Values that are not choices are ignored rather than failing.
    assert len(listed(client, f"{LIST}?channel=pigeon&q{area}=9&after=x")) == 4


def test_a_response_shows_every_answer_with_its_theme_codes(client: FlaskClient) -> None:
    consultation = make_consultation()
    response = record(
        consultation, hear=RawMulti(("Website", "Other"), "Leaflet"), worries="Burglaries at night"
    )
    ensure_themes(consultation)
    themes = db.session.scalars(sa.select(Theme).order_by(Theme.position)).all()
    answer = db.session.scalar(sa.select(Answer).where(Answer.text == "Burglaries at night"))
    db.session.add(AnswerTheme(answer_id=answer.id, theme_id=themes[0].id))
    db.session.commit()
    sign_in(client, "officer")
    shown = client.get(f"{LIST}/{response.reference}")
    assert heading(shown) == f"Response {response.reference}"
    assert shown.headers["Cache-Control"] == "no-store"
    text = " ".join(page(shown).get_text().split())
    assert "Burglaries at night" in text and f"Themes: {themes[0].name}" in text
    assert "Other: Leaflet" in text
    assert "Correct the answers" not in text, "a resident's online answers are their own"
    assert client.get(f"{LIST}/{response.reference}/correct").status_code == 404
    assert client.get(f"{LIST}/ZZZZZZZZ").status_code == 404


def test_subject_access_download_is_the_record_and_is_logged(client: FlaskClient) -> None:
    consultation = make_consultation()
    response = record(consultation, agree="Yes", worries="Noise")
    sign_in(client, "officer")
    token = csrf_token(client.get(f"{LIST}/{response.reference}"))
    done = client.post(f"{LIST}/{response.reference}/export", data={"csrf_token": token})
    assert done.headers["Content-Disposition"] == (
        f'attachment; filename="response-{response.reference}.json"'
    )
    data = json.loads(done.data)
    assert data["reference"] == response.reference
    assert {
        "key": "worries",
        "question": "What are you most worried about?",
        "answer": ["Noise"],
    } in (data["answers"])
    logged = db.session.scalar(sa.select(AuditEvent).order_by(AuditEvent.id.desc()))
    assert (logged.action, logged.subject) == ("respondent's answers exported", response.reference)


def test_withdrawing_needs_a_reason_then_deletes_and_logs_it(client: FlaskClient) -> None:
    consultation = make_consultation()
    response = record(consultation, agree="Yes")
    kept = record(consultation, agree="No")
    sign_in(client, "officer")
    url = f"{LIST}/{response.reference}/withdraw"
    refused = post_form(client, url, {"reason": "  "})
    assert error_summary(refused) == ["Enter why"]
    assert db.session.get(Response, response.id) is not None
    done = post_form(client, url, {"reason": "The resident asked on 3 May"}, follow_redirects=True)
    assert f"Response {response.reference} withdrawn" in page(done).get_text()
    assert db.session.scalars(sa.select(Response.reference)).all() == [kept.reference]
    logged = db.session.scalar(sa.select(AuditEvent).order_by(AuditEvent.id.desc()))
    assert (logged.action, logged.subject, logged.detail) == (
        "response withdrawn",
        response.reference,
        "The resident asked on 3 May",
    )


def test_correcting_a_paper_response_rewrites_only_what_changed(client: FlaskClient) -> None:
    consultation = make_consultation()
    response = record(
        consultation, Channel.PAPER, agree="Yes", area="North", worries="Burglaries at night"
    )
    ensure_themes(consultation)
    themes = db.session.scalars(sa.select(Theme).order_by(Theme.position)).all()
    words = db.session.scalar(sa.select(Answer).where(Answer.text == "Burglaries at night"))
    db.session.add(AnswerTheme(answer_id=words.id, theme_id=themes[0].id))
    db.session.commit()
    sign_in(client, "officer")
    url = f"{LIST}/{response.reference}/correct"
    form = page(client.get(url))
    assert form.find("input", attrs={"name": "agree-answer", "value": "Yes"}).has_attr("checked")
    assert form.find("input", attrs={"name": "area-answer", "value": "North"}).has_attr("checked")
    fields = {
        "agree-answer": "Yes",
        "area-answer": "South",
        "worries-answer": "Burglaries at night",
    }
    refused = post_form(client, url, {**fields, "area-answer": "East"})
    assert error_summary(refused) == [
        "'East' is not one of the options (North, South)",
        "Enter why",
    ]
    done = post_form(
        client, url, {**fields, "reason": "Area misread from the form"}, follow_redirects=True
    )
    assert f"Response {response.reference} corrected: Where do you live?" in page(done).get_text()
    area = db.session.scalar(
        sa.select(Answer.option)
        .join(Question, Question.id == Answer.question_id)
        .where(Question.key == "area", Answer.response_id == response.id)
    )
    assert area == 1
    assert db.session.get(Answer, words.id) is not None, "unchanged free text keeps its row"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AnswerTheme)) == 1
    # The response's page it returns to logs that its words were viewed; the change before.
    changes = sa.select(AuditEvent).where(AuditEvent.action != "residents' words viewed")
    logged = db.session.scalar(changes.order_by(AuditEvent.id.desc()))
    assert (logged.action, logged.detail) == (
        "response corrected",
        "Area misread from the form (changed: area)",
    )
    same = post_form(client, url, {**fields, "area-answer": "South", "reason": "again"})
    assert same.status_code == 302
    assert (
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.action == "response corrected")
        )
        == 1
    )


def test_the_results_follow_a_correction(client: FlaskClient) -> None:
    from survey.data import tallies

    consultation = make_consultation()
    response = record(consultation, Channel.EMAIL, agree="Yes")
    record(consultation, agree="Yes")
    before = tallies.consultation_results(consultation, minimum=1)
    sign_in(client, "officer")
    post_form(
        client, f"{LIST}/{response.reference}/correct", {"agree-answer": "No", "reason": "typo"}
    )
    after = tallies.consultation_results(consultation, minimum=1)
    assert before != after
