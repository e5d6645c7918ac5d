"""The language-model coder's pure core: the request it sends and the strict reading of replies
(unit: no app, no network; tests/test_language_model.py runs it against a local server)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from survey.core import learning
from survey.core.learning import Example
from survey.core.llm_coder import (
    FILTERED,
    LEFT_OUT,
    NOT_JSON,
    TWICE,
    UNKNOWN_THEME,
    WRONG_SHAPE,
    Endpoint,
    endpoint_from,
    read_reply,
    request_body,
    settings_problem,
)
from survey.core.suggesting import LANGUAGE_MODEL, LEARNT, Suggestion, ThemeBrief, ThemeSuggester

THEMES = [
    ThemeBrief("Parking", "Cars and vans parked where they should not be"),
    ThemeBrief("Bins", "Rubbish, bins and fly-tipping"),
]


def completion(content: str) -> bytes:
    """A chat completions reply whose message is `content`."""
    reply = {"choices": [{"index": 0, "message": {"role": "assistant", "content": content}}]}
    return json.dumps(reply).encode()


def coded(*entries: Any) -> bytes:
    return completion(json.dumps({"answers": list(entries)}))


def test_the_address_is_the_base_with_chat_completions_and_keeps_its_query() -> None:
    assert Endpoint("http://127.0.0.1:8080/v1/", "m").url == (
        "http://127.0.0.1:8080/v1/chat/completions"
    )
    azure = Endpoint(
        "https://council.openai.azure.com/openai/deployments/gpt?api-version=2024-10-21", "gpt"
    )
    assert azure.url == (
        "https://council.openai.azure.com/openai/deployments/gpt/chat/completions"
        "?api-version=2024-10-21"
    )
    assert azure.host == "council.openai.azure.com"


def test_the_key_goes_as_a_bearer_token_or_as_is_in_the_named_header() -> None:
    assert Endpoint("http://h/v1", "m", api_key="sk-1").headers()["Authorization"] == (
        "Bearer sk-1"
    )
    azure = Endpoint("http://h/v1", "m", api_key="sk-1", key_header="api-key").headers()
    assert azure["api-key"] == "sk-1" and "Authorization" not in azure
    assert "Authorization" not in Endpoint("http://h/v1", "m").headers()


def test_the_key_is_never_in_the_endpoints_repr() -> None:
    assert "sk-secret" not in repr(Endpoint("http://h/v1", "m", api_key="sk-secret"))


def test_off_unless_the_base_url_is_set() -> None:
    assert endpoint_from({}) is None
    assert endpoint_from({"LLM_BASE_URL": "  ", "LLM_MODEL": "m"}) is None
    endpoint = endpoint_from(
        {
            "LLM_BASE_URL": "http://10.1.2.3:8000/v1",
            "LLM_MODEL": "local",
            "LLM_API_KEY": "k",
            "LLM_API_KEY_HEADER": "",
            "LLM_TIMEOUT_SECONDS": 30,
        }
    )
    assert endpoint == Endpoint("http://10.1.2.3:8000/v1", "local", "k", "Authorization", 30)


@pytest.mark.parametrize(
    ("settings", "problem"),
    [
        ({"LLM_BASE_URL": "council-llm:8000", "LLM_MODEL": "m"}, "LLM_BASE_URL must be an http"),
        ({"LLM_BASE_URL": "ftp://h/v1", "LLM_MODEL": "m"}, "LLM_BASE_URL must be an http"),
        ({"LLM_BASE_URL": "https://h/v1"}, "LLM_MODEL must name the model"),
        (
            {"LLM_BASE_URL": "https://h/v1", "LLM_MODEL": "m", "LLM_API_KEY_HEADER": "api key:"},
            "LLM_API_KEY_HEADER must be a header name",
        ),
    ],
)
def test_settings_that_cannot_work_are_named(settings: dict[str, str], problem: str) -> None:
    found = settings_problem(settings)
    assert found is not None and found.startswith(problem)


def test_settings_that_can_work_or_are_off_have_no_problem() -> None:
    assert settings_problem({}) is None
    assert settings_problem({"LLM_BASE_URL": "https://h/v1", "LLM_MODEL": "m"}) is None


def test_the_request_holds_the_codebook_and_the_answers_with_batch_ids_only() -> None:
    body = json.loads(request_body("gpt-x", ["Cars on the pavement", "Nothing"], THEMES))
    assert body["model"] == "gpt-x" and body["temperature"] == 0
    system, user = body["messages"]
    assert system["role"] == "system" and "JSON" in system["content"]
    assert json.loads(user["content"]) == {
        "themes": [
            {"name": "Parking", "description": "Cars and vans parked where they should not be"},
            {"name": "Bins", "description": "Rubbish, bins and fly-tipping"},
        ],
        "answers": [{"id": "1", "text": "Cars on the pavement"}, {"id": "2", "text": "Nothing"}],
    }


def test_a_good_reply_names_each_answers_themes() -> None:
    reply = coded(
        {"id": "1", "themes": ["Parking"]},
        {"id": 2, "themes": []},
        {"id": "3", "themes": [" bins ", "PARKING"]},
    )
    assert read_reply(reply, 3, THEMES) == [
        Suggestion({"Parking": None}),
        Suggestion({}),
        Suggestion({"Bins": None, "Parking": None}),
    ]


def test_a_reply_in_a_code_fence_is_read() -> None:
    fenced = '```json\n{"answers": [{"id": "1", "themes": ["Bins"]}]}\n```'
    assert read_reply(completion(fenced), 1, THEMES) == [Suggestion({"Bins": None})]


def test_an_unknown_theme_leaves_that_answer_without_a_suggestion() -> None:
    reply = coded({"id": "1", "themes": ["Parking", "Noise"]}, {"id": "2", "themes": ["Bins"]})
    assert read_reply(reply, 2, THEMES) == [
        Suggestion(problem=UNKNOWN_THEME),
        Suggestion({"Bins": None}),
    ]


def test_left_out_repeated_and_stray_ids_are_each_counted() -> None:
    reply = coded(
        {"id": "1", "themes": ["Parking"]},
        {"id": "1", "themes": ["Bins"]},
        {"id": "7", "themes": ["Bins"]},  # not in the batch
        {"id": "x", "themes": ["Bins"]},
        "not an entry",
    )
    assert read_reply(reply, 2, THEMES) == [
        Suggestion(problem=TWICE),
        Suggestion(problem=LEFT_OUT),
    ]


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        (completion("Sure! Parking for the first one."), NOT_JSON),
        (completion('{"answers": [{"id": "1", "themes": ["Parking"]}'), NOT_JSON),
        (completion('["Parking"]'), WRONG_SHAPE),
        (completion('{"answers": {"1": ["Parking"]}}'), WRONG_SHAPE),
        (b"<html>Bad gateway</html>", WRONG_SHAPE),
        (b'{"choices": []}', WRONG_SHAPE),
        (b'{"choices": [{"message": {"content": null}}]}', WRONG_SHAPE),
    ],
)
def test_a_reply_not_in_the_form_asked_for_gives_each_answer_the_reason(
    body: bytes, problem: str
) -> None:
    assert read_reply(body, 2, THEMES) == [Suggestion(problem=problem)] * 2


def test_a_reply_stopped_by_a_content_filter_says_so() -> None:
    reply = {"choices": [{"finish_reason": "content_filter", "message": {"content": None}}]}
    assert read_reply(json.dumps(reply).encode(), 2, THEMES) == [Suggestion(problem=FILTERED)] * 2


def test_themes_that_are_not_a_list_of_names_leave_that_answer_without_one() -> None:
    reply = coded({"id": "1", "themes": "Parking"}, {"id": "2", "themes": [["Bins"]]})
    assert read_reply(reply, 3, THEMES) == [
        Suggestion(problem=WRONG_SHAPE),
        Suggestion(problem=WRONG_SHAPE),
        Suggestion(problem=LEFT_OUT),
    ]


def test_the_learnt_suggester_fits_the_same_interface() -> None:
    examples = [Example(f"car parked on pavement {i}", frozenset({"Parking"})) for i in range(6)]
    examples += [Example(f"bins overflowing rubbish {i}", frozenset({"Bins"})) for i in range(6)]
    suggester: ThemeSuggester = learning.train(examples, ["Parking", "Bins"])
    assert suggester.source == LEARNT != LANGUAGE_MODEL
    (found,) = suggester.suggest_themes(["a car parked on the pavement"], THEMES[:1])
    assert set(found.themes) == {"Parking"} and found.problem is None
    confidence = found.themes["Parking"]
    assert confidence is not None and confidence > 0.5
