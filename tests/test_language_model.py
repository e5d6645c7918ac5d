"""The council's language model as a theme coder, against a small local server the test starts
(tests/llm_server.py): its suggestions join the review queue and are never codes; every way it
can fail says so plainly and saves nothing; it is off unless configured (db, web, CLI)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from werkzeug.test import TestResponse

import survey.cli.suggestions  # noqa: F401  (adds `flask themes suggest`, as app.py does)
from common.database import db
from common.jobs import Job
from common.models import AuditEvent
from survey.core.llm_coder import FILTERED, Endpoint
from survey.core.suggesting import LANGUAGE_MODEL, LEARNT, ThemeBrief
from survey.data import suggestions, themes
from survey.data.models import (
    Answer,
    Coding,
    Consultation,
    Response,
    Theme,
    ThemeSuggestion,
)
from survey.jobs import language_model
from survey.jobs.language_model import LanguageModelCoder
from survey.jobs.suggestions import SENT_TO_MODEL
from tests.llm_server import (
    LanguageModelServer,
    Reply,
    Seen,
    coding_by,
    completion,
    language_model_server,
)
from tests.support import csrf_token, heading, make_consultation, page, sign_in
from tests.test_suggestions import snapshot_codes
from tests.test_themes import answered, officer

pytestmark = pytest.mark.db

SLUG = "safer-streets"
THEMES = f"/officers/consultations/{SLUG}/themes/worries"
SUGGESTIONS = f"{THEMES}/suggestions"
ASK_MODEL = f"{THEMES}/suggest-with-language-model"
KEY = "sk-test-key"

PARKED = "Someone parked on the pavement again today"
RUBBISH = "Rubbish bins overflowing by the flats"
WEATHER = "Lovely weather"
BOTH = "Vans parked by the overflowing bins"
REVIEWED = ["Cars parked on the double yellow lines", "Nothing really"]


def pick(text: str) -> list[str]:
    """What the pretend model answers: Parking for parking, Bins for bins or rubbish."""
    words = text.lower()
    found = ["Parking"] if "park" in words else []
    return found + (["Bins"] if "bin" in words or "rubbish" in words else [])


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[LanguageModelServer]:
    monkeypatch.setattr(language_model, "PAUSE_SECONDS", 0)  # tried again at once
    with language_model_server(coding_by(pick)) as running:
        yield running


@pytest.fixture
def configured(app: Flask, server: LanguageModelServer) -> LanguageModelServer:
    """The app set up with the local server as the council's language model."""
    app.config.update(
        LLM_BASE_URL=server.base_url,
        LLM_MODEL="test-model",
        LLM_API_KEY=KEY,
        LLM_API_KEY_HEADER="",
        LLM_TIMEOUT_SECONDS=5,
    )
    return server


def answers_to_code(consultation: Consultation) -> dict[str, Answer]:
    """Four answers no officer has reviewed (one auto-coded), and two an officer reviewed.

    "Parking" and "Bins" are themes officers added, with no phrases, so only a suggestion
    ever ticks them."""
    themes.ensure_themes(consultation)
    parking = themes.add_theme(
        consultation, "community-safety", "Parking", "Cars and vans parked badly"
    )
    themes.add_theme(consultation, "community-safety", "Bins", "Rubbish and bins")
    db.session.commit()
    reviewed = answered(consultation, *REVIEWED)
    coder = officer()
    themes.record_coding(reviewed[0], [parking.id], coder.id)
    themes.record_coding(reviewed[1], [], coder.id)
    waiting = answered(consultation, PARKED, RUBBISH, WEATHER, BOTH)
    themes.record_coding(waiting[2], [], None, source=Coding.AUTO)  # auto-coded: not reviewed
    db.session.commit()
    return {answer.text or "": answer for answer in (*reviewed, *waiting)}


def model_suggestions() -> dict[str, set[str]]:
    """Each answer's words: the themes the language model suggested for it."""
    found: dict[str, set[str]] = {}
    for text, name, confidence in db.session.execute(
        sa.select(Answer.text, Theme.name, ThemeSuggestion.confidence)
        .join(Answer, Answer.id == ThemeSuggestion.answer_id)
        .join(Theme, Theme.id == ThemeSuggestion.theme_id)
        .where(ThemeSuggestion.source == LANGUAGE_MODEL)
    ):
        assert confidence is None  # a model's own confidence is not claimed
        found.setdefault(text, set()).add(name)
    return found


def coded_state(consultation: Consultation) -> tuple[object, ...]:
    """Every code, and the counts officers and results read from them."""
    question = themes.coded_question(consultation, "worries")
    summaries = [(t.name, t.answers) for t in themes.theme_summaries(question)]
    return snapshot_codes(), themes.coding_counts(question), summaries


def sent_to_model() -> list[AuditEvent]:
    return list(db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == SENT_TO_MODEL)))


def press_send(client: FlaskClient) -> TestResponse:
    """Press the language model's button on the suggestions page, as an officer would."""
    shown = client.get(SUGGESTIONS)
    form = page(shown).find("form", action=ASK_MODEL)
    assert form is not None, "no language model button"
    return client.post(ASK_MODEL, data={"csrf_token": csrf_token(shown)}, follow_redirects=True)


def ticked(client: FlaskClient, answer: Answer) -> list[str]:
    form = page(client.get(f"{THEMES}/review?show=all")).find("form", id=f"answer-{answer.id}")
    return [
        " ".join(form.find("label", attrs={"for": box["id"]}).get_text(" ", strip=True).split())
        for box in form.select("input[type=checkbox][checked]")
    ]


def test_good_replies_join_the_review_queue_and_are_never_codes(
    client: FlaskClient, configured: LanguageModelServer
) -> None:
    consultation = make_consultation()
    answers = answers_to_code(consultation)
    before = coded_state(consultation)
    sign_in(client, "officer")
    shown = page(client.get(SUGGESTIONS)).get_text(" ", strip=True)
    assert (
        "This sends residents' words outside this service, to the language model the council "
        "set up at 127.0.0.1 (model test-model)." in shown
    )
    assert "It sends the words of the 4 answers to this question that no officer has" in shown
    done = press_send(client)
    assert heading(done).endswith(
        "Suggest themes with the language model for the answers to "
        "'What are you most worried about?'"
    )
    assert (
        page(done)
        .select_one(".govuk-panel")
        .get_text(" ", strip=True)
        .endswith(
            "worries: the language model was asked about 4 answers not yet reviewed, "
            "3 given a theme"
        )
    )
    assert model_suggestions() == {
        PARKED: {"Parking"},
        RUBBISH: {"Bins"},
        BOTH: {"Parking", "Bins"},
    }
    assert coded_state(consultation) == before  # suggestions are not codes
    assert "Parking ( suggested by the language model )" in ticked(client, answers[PARKED])
    # Officers' own codes stay as they are, with no suggestion made for them.
    assert ticked(client, answers[REVIEWED[0]]) == ["Parking"]
    (request,) = configured.seen
    assert request.path == "/v1/chat/completions" and request.body["model"] == "test-model"
    assert request.headers["authorization"] == f"Bearer {KEY}"
    assert sorted(a["text"] for a in request.answers) == sorted([PARKED, RUBBISH, WEATHER, BOTH])
    references = db.session.scalars(sa.select(Response.reference)).all()
    assert not any(reference in str(request.body) for reference in references)


def test_the_model_alone_does_not_order_the_queue_by_learnt_sureness(
    client: FlaskClient, configured: LanguageModelServer
) -> None:
    consultation = make_consultation()
    answers_to_code(consultation)
    sign_in(client, "officer")
    press_send(client)
    queue = page(client.get(f"{THEMES}/review?show=uncoded"))
    assert queue.find("select", id="order") is None  # a model's suggestions have no sureness
    assert queue.find(id="trust") is None  # nor a cross-validated agreement


def test_each_run_is_in_the_action_log_without_the_words_sent(
    client: FlaskClient, configured: LanguageModelServer
) -> None:
    consultation = make_consultation()
    answers_to_code(consultation)
    sign_in(client, "officer")
    press_send(client)
    (entry,) = sent_to_model()
    assert entry.actor == "officer@example.org" and entry.subject == "worries"
    assert entry.consultation_id == consultation.id
    assert entry.detail == (
        "4 answers sent to 127.0.0.1 (model test-model) in 1 request: 3 given a theme, "
        "0 with no usable reply"
    )
    every_entry = " ".join(e.detail + e.subject for e in db.session.scalars(sa.select(AuditEvent)))
    assert not any(text.lower() in every_entry.lower() for text in (PARKED, RUBBISH, BOTH))


def test_an_azure_style_key_header_is_sent_by_the_command_line(
    app: Flask, runner: FlaskCliRunner, configured: LanguageModelServer
) -> None:
    app.config["LLM_API_KEY_HEADER"] = "api-key"
    consultation = make_consultation()
    answers_to_code(consultation)
    result = runner.invoke(args=["themes", "suggest", SLUG, "--source", "llm"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1] == (
        "worries: the language model was asked about 4 answers not yet reviewed, 3 given a theme"
    )
    (request,) = configured.seen
    assert request.headers["api-key"] == KEY and "authorization" not in request.headers
    assert len(model_suggestions()) == 3
    (entry,) = sent_to_model()
    assert entry.actor == "command line"


def test_a_reply_that_is_not_json_saves_nothing_and_says_why(
    runner: FlaskCliRunner, configured: LanguageModelServer
) -> None:
    consultation = make_consultation()
    answers_to_code(consultation)
    before = coded_state(consultation)
    configured.reply = lambda seen: (200, completion("Parking, Bins and Bins."))
    result = runner.invoke(args=["themes", "suggest", SLUG, "--source", "llm"])
    assert result.exit_code == 1
    assert result.output.splitlines()[-1] == (
        "Error: No themes suggested: none of the language model's replies could be used "
        "(4 answers: the language model's reply was not valid JSON). Nothing was saved."
    )
    assert model_suggestions() == {}
    assert coded_state(consultation) == before
    (entry,) = sent_to_model()  # the answers went all the same: the log says so
    assert entry.detail.startswith("4 answers sent to 127.0.0.1 (model test-model) in 1 request")
    assert "no reply could be used" in entry.detail


def test_an_unknown_theme_leaves_only_that_answer_without_a_suggestion(
    client: FlaskClient, configured: LanguageModelServer
) -> None:
    consultation = make_consultation()
    answers_to_code(consultation)
    before = coded_state(consultation)
    configured.reply = coding_by(lambda text: ["Noise"] if text == RUBBISH else pick(text))
    sign_in(client, "officer")
    done = page(press_send(client)).select_one(".govuk-panel").get_text(" ", strip=True)
    assert done.endswith(
        "worries: the language model was asked about 4 answers not yet reviewed, 2 given a "
        "theme; 1 answer with no suggestion (1: the language model named a theme not in the "
        "codebook)"
    )
    assert model_suggestions() == {PARKED: {"Parking"}, BOTH: {"Parking", "Bins"}}
    assert coded_state(consultation) == before


def test_a_server_error_is_tried_three_times_then_fails_keeping_earlier_suggestions(
    client: FlaskClient, configured: LanguageModelServer
) -> None:
    consultation = make_consultation()
    answers_to_code(consultation)
    sign_in(client, "officer")
    press_send(client)
    earlier = model_suggestions()
    before = coded_state(consultation)
    configured.seen.clear()
    configured.reply = lambda seen: (500, b'{"error": {"message": "overloaded"}}')
    text = page(press_send(client)).get_text(" ", strip=True)
    assert (
        "No themes suggested: the language model at 127.0.0.1 answered HTTP 500 (tried 3 "
        "times). Nothing was saved: try again later." in text
    )
    assert len(configured.seen) == 3
    assert model_suggestions() == earlier  # nothing half-saved: the last good run stays
    assert coded_state(consultation) == before
    job = db.session.scalars(sa.select(Job).order_by(Job.id.desc())).first()
    assert job is not None and job.state == "failed"
    last = sent_to_model()[-1]
    assert last.detail.endswith(
        "stopped: the language model at 127.0.0.1 answered HTTP 500 (tried 3 times)"
    )


def test_a_server_that_does_not_answer_in_time_fails_with_the_reason(
    app: Flask, runner: FlaskCliRunner, configured: LanguageModelServer
) -> None:
    app.config["LLM_TIMEOUT_SECONDS"] = 0.2
    configured.delay_seconds = 3
    consultation = make_consultation()
    answers_to_code(consultation)
    before = coded_state(consultation)
    result = runner.invoke(args=["themes", "suggest", SLUG, "--source", "llm"])
    assert result.exit_code == 1
    assert result.output.splitlines()[-1] == (
        "Error: No themes suggested: the language model at 127.0.0.1 did not answer within "
        "0.2 seconds (tried 3 times). Nothing was saved: try again later."
    )
    assert len(configured.seen) == 3
    assert model_suggestions() == {} and coded_state(consultation) == before


def content_filter(seen: Seen) -> Reply:
    """Azure OpenAI's answer to a prompt its content filter stops: HTTP 400, content_filter."""
    if any("knife" in answer["text"] for answer in seen.answers):
        error = {"error": {"code": "content_filter", "message": "The prompt was filtered"}}
        return 400, json.dumps(error).encode()
    return coding_by(pick)(seen)


def test_a_batch_a_content_filter_refuses_gets_no_suggestions_and_the_rest_go_on(
    configured: LanguageModelServer,
) -> None:
    configured.reply = content_filter
    coder = LanguageModelCoder(Endpoint(configured.base_url, "test-model", batch_size=2))
    texts = [PARKED, "A knife fight by the bins", RUBBISH, BOTH]
    found = coder.suggest_themes(texts, [ThemeBrief("Parking"), ThemeBrief("Bins")])
    assert [s.problem for s in found] == [FILTERED, FILTERED, None, None]
    assert [set(s.themes) for s in found[2:]] == [{"Bins"}, {"Parking", "Bins"}]
    assert len(configured.seen) == 2  # refused once, not tried again


def test_a_busy_endpoint_is_tried_again_after_its_retry_after(
    monkeypatch: pytest.MonkeyPatch, configured: LanguageModelServer
) -> None:
    waits: list[float] = []
    monkeypatch.setattr(language_model.time, "sleep", waits.append)
    busy = iter([(429, b'{"error": "rate limited"}')] * 2)
    configured.reply = lambda seen: next(busy, None) or coding_by(pick)(seen)
    configured.headers["Retry-After"] = "7"
    coder = LanguageModelCoder(Endpoint(configured.base_url, "test-model"))
    found = coder.suggest_themes([PARKED], [ThemeBrief("Parking")])
    assert found[0].themes == {"Parking": None}
    assert waits == [7, 14] and coder.requests == 3


def test_a_refused_key_is_not_tried_again_and_says_what_to_check(
    runner: FlaskCliRunner, configured: LanguageModelServer
) -> None:
    consultation = make_consultation()
    answers_to_code(consultation)
    configured.reply = lambda seen: (401, b'{"error": {"message": "Incorrect API key"}}')
    result = runner.invoke(args=["themes", "suggest", SLUG, "--source", "llm"])
    assert result.exit_code == 1
    assert result.output.splitlines()[-1] == (
        "Error: No themes suggested: the language model at 127.0.0.1 refused the request "
        "(HTTP 401): check LLM_API_KEY and LLM_API_KEY_HEADER. Nothing was saved: try again "
        "later."
    )
    assert len(configured.seen) == 1
    assert model_suggestions() == {}


def test_a_redirect_is_refused_so_the_key_goes_nowhere_else(
    runner: FlaskCliRunner, configured: LanguageModelServer
) -> None:
    consultation = make_consultation()
    answers_to_code(consultation)
    configured.reply = lambda seen: (302, b"")
    configured.headers["Location"] = configured.base_url + "/elsewhere"
    result = runner.invoke(args=["themes", "suggest", SLUG, "--source", "llm"])
    assert result.exit_code == 1
    assert result.output.splitlines()[-1] == (
        "Error: No themes suggested: the language model at 127.0.0.1 refused the request "
        "(HTTP 302): check LLM_BASE_URL and LLM_MODEL. Nothing was saved: try again later."
    )
    assert [seen.path for seen in configured.seen] == ["/v1/chat/completions"]
    assert model_suggestions() == {}


def test_an_endpoint_no_one_listens_on_fails_with_the_reason(
    app: Flask, runner: FlaskCliRunner, configured: LanguageModelServer
) -> None:
    consultation = make_consultation()
    answers_to_code(consultation)
    app.config["LLM_BASE_URL"] = "http://127.0.0.1:9/v1"  # the discard port: nothing listens
    result = runner.invoke(args=["themes", "suggest", SLUG, "--source", "llm"])
    assert result.exit_code == 1
    assert re.fullmatch(
        r"Error: No themes suggested: the language model at 127\.0\.0\.1 could not be reached "
        r"\(.+\) \(tried 3 times\)\. Nothing was saved: try again later\.",
        result.output.splitlines()[-1],
    )
    assert sent_to_model()[-1].detail.startswith("4 answers sent to 127.0.0.1")


def test_learnt_and_model_suggestions_each_replace_only_their_own(
    app: Flask, configured: LanguageModelServer
) -> None:
    consultation = make_consultation()
    answers = answers_to_code(consultation)
    question = themes.coded_question(consultation, "worries")
    bins = next(t for t in themes.question_themes(question) if t.name == "Bins")
    db.session.add(
        ThemeSuggestion(
            answer_id=answers[RUBBISH].id, theme_id=bins.id, source=LEARNT, confidence=0.9
        )
    )
    db.session.commit()
    coder = LanguageModelCoder(Endpoint(configured.base_url, "test-model"))
    suggestions.suggest(consultation, question, coder)
    db.session.commit()
    assert suggestions.suggestion_count(question, LEARNT) == 1
    assert suggestions.suggestion_count(question, LANGUAGE_MODEL) == 3  # Bins too: both kept
    suggestions.suggest(consultation, question)  # too few reviewed: learnt ones removed
    db.session.commit()
    assert suggestions.suggestion_count(question, LEARNT) == 0
    assert model_suggestions()[RUBBISH] == {"Bins"}


def test_the_coder_sends_answers_in_batches_and_keeps_their_order(
    configured: LanguageModelServer,
) -> None:
    endpoint = Endpoint(configured.base_url, "test-model", batch_size=2)
    sent: list[int] = []
    coder = LanguageModelCoder(endpoint, on_batch=sent.append)
    texts = [PARKED, RUBBISH, WEATHER, BOTH, "park", "nothing"]
    found = coder.suggest_themes(texts, [ThemeBrief("Parking"), ThemeBrief("Bins")])
    assert [set(s.themes) for s in found] == [set(pick(text)) for text in texts]
    assert [len(seen.answers) for seen in configured.seen] == [2, 2, 2]
    assert [seen.answers[0]["id"] for seen in configured.seen] == ["1", "1", "1"]
    assert sent == [2, 4, 6] and (coder.sent, coder.requests) == (6, 3)


def test_off_by_default_no_button_and_nothing_sent(
    client: FlaskClient, runner: FlaskCliRunner, server: LanguageModelServer
) -> None:
    consultation = make_consultation()
    answers_to_code(consultation)
    sign_in(client, "officer")
    shown = client.get(SUGGESTIONS)
    assert page(shown).find("form", action=ASK_MODEL) is None
    assert "language model" not in page(shown).get_text(" ", strip=True)
    pressed = client.post(ASK_MODEL, data={"csrf_token": csrf_token(shown)}, follow_redirects=True)
    assert pressed.request.path == SUGGESTIONS
    assert "The language model is not configured" in page(pressed).get_text(" ", strip=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Job)) == 0
    result = runner.invoke(args=["themes", "suggest", SLUG, "--source", "llm"])
    assert result.exit_code == 1
    assert result.output.strip() == (
        "Error: The language model is not configured: the council sets LLM_BASE_URL and "
        "LLM_MODEL to use one (see docs/language-model.md)"
    )
    assert server.seen == [] and sent_to_model() == []
    assert model_suggestions() == {}


def test_councillors_cannot_send_answers_to_the_model(
    client: FlaskClient, configured: LanguageModelServer
) -> None:
    make_consultation()
    sign_in(client, "councillor")
    assert client.post(ASK_MODEL).status_code in (400, 403)
    assert configured.seen == []
