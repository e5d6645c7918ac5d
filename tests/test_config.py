"""Configuration from the environment: refused with a message when it cannot work."""

from __future__ import annotations

from pathlib import Path

import pytest

from app import create_app


@pytest.fixture
def environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> pytest.MonkeyPatch:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'config.sqlite3'}")
    monkeypatch.setenv("SECRET_KEY", "a-long-enough-secret-for-this-test")
    monkeypatch.delenv("FLASK_DEBUG", raising=False)
    monkeypatch.delenv("SUPPRESSION_THRESHOLD", raising=False)
    return monkeypatch


def test_production_refuses_to_start_without_a_secret_key(environment: pytest.MonkeyPatch) -> None:
    environment.delenv("SECRET_KEY")
    with pytest.raises(SystemExit, match="SECRET_KEY is not set"):
        create_app()


def test_suppression_threshold_defaults_to_five(environment: pytest.MonkeyPatch) -> None:
    assert create_app().config["SUPPRESSION_THRESHOLD"] == 5


def test_suppression_threshold_is_read_from_the_environment(
    environment: pytest.MonkeyPatch,
) -> None:
    environment.setenv("SUPPRESSION_THRESHOLD", "10")
    assert create_app().config["SUPPRESSION_THRESHOLD"] == 10


@pytest.mark.parametrize("value", ["five", "0", "-3", "2.5"])
def test_a_bad_suppression_threshold_is_refused_by_name(
    environment: pytest.MonkeyPatch, value: str
) -> None:
    environment.setenv("SUPPRESSION_THRESHOLD", value)
    with pytest.raises(SystemExit, match="SUPPRESSION_THRESHOLD must be a whole number"):
        create_app()


def test_a_statutory_wording_file_that_is_not_there_is_refused_at_start(
    environment: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    environment.setenv("STATUTORY_WORDING", str(tmp_path / "missing.md"))
    with pytest.raises(SystemExit, match="STATUTORY_WORDING names"):
        create_app()
    wording = tmp_path / "wording.md"
    wording.write_text("# section-17\nOur own words.\n", encoding="utf-8")
    environment.setenv("STATUTORY_WORDING", str(wording))
    assert create_app().config["STATUTORY_WORDING"] == str(wording)


def test_contents_numbering_by_libreoffice_is_on_unless_turned_off(
    environment: pytest.MonkeyPatch,
) -> None:
    environment.delenv("FILL_DRAFT_CONTENTS", raising=False)
    assert create_app().config["FILL_DRAFT_CONTENTS"] is True
    environment.setenv("FILL_DRAFT_CONTENTS", "0")
    assert create_app().config["FILL_DRAFT_CONTENTS"] is False


@pytest.fixture
def no_language_model(environment: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for name in ("LLM_BASE_URL", "LLM_MODEL", "LLM_API_KEY", "LLM_API_KEY_HEADER"):
        environment.delenv(name, raising=False)
    environment.delenv("LLM_TIMEOUT_SECONDS", raising=False)
    return environment


def test_the_language_model_is_off_unless_its_address_is_set(
    no_language_model: pytest.MonkeyPatch,
) -> None:
    from survey.core.llm_coder import endpoint_from

    assert endpoint_from(create_app().config) is None
    no_language_model.setenv("LLM_BASE_URL", "https://council.openai.azure.com/openai/v1")
    no_language_model.setenv("LLM_MODEL", "gpt-4o-mini")
    no_language_model.setenv("LLM_API_KEY", "key")
    no_language_model.setenv("LLM_API_KEY_HEADER", "api-key")
    no_language_model.setenv("LLM_TIMEOUT_SECONDS", "30")
    endpoint = endpoint_from(create_app().config)
    assert endpoint is not None
    assert (endpoint.host, endpoint.model, endpoint.timeout_seconds) == (
        "council.openai.azure.com",
        "gpt-4o-mini",
        30,
    )
    assert endpoint.headers()["api-key"] == "key"


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"LLM_BASE_URL": "council-llm:8000/v1", "LLM_MODEL": "m"}, "LLM_BASE_URL must be"),
        ({"LLM_BASE_URL": "https://llm.council.gov.uk/v1"}, "LLM_MODEL must name the model"),
        (
            {"LLM_BASE_URL": "https://h/v1", "LLM_MODEL": "m", "LLM_TIMEOUT_SECONDS": "soon"},
            "LLM_TIMEOUT_SECONDS must be a whole number of seconds",
        ),
    ],
)
def test_language_model_settings_that_cannot_work_stop_the_start(
    no_language_model: pytest.MonkeyPatch, settings: dict[str, str], message: str
) -> None:
    for name, value in settings.items():
        no_language_model.setenv(name, value)
    with pytest.raises(SystemExit, match=message):
        create_app()
