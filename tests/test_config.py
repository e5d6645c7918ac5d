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
