"""The command line: accounts, consultation definitions and the demo, as operators use them."""

from __future__ import annotations

import json
from pathlib import Path

import sqlalchemy as sa
from flask.testing import FlaskCliRunner

from common.database import db
from common.models import User
from survey.data import consultations as store
from survey.data.models import Answer, Channel, Question, Response
from tests.support import PASSWORD, open_definition


def write_json(path: Path, data: object) -> Path:
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_users_create_reads_the_password_from_stdin(runner: FlaskCliRunner) -> None:
    result = runner.invoke(
        args=["users", "create", "Officer@Example.org", "--role", "officer", "--password-stdin"],
        input=PASSWORD + "\n",
    )
    assert result.exit_code == 0, result.output
    assert "Created officer account for officer@example.org" in result.output
    user = db.session.scalar(sa.select(User))
    assert user.role == "officer" and user.password_hash.startswith("scrypt:")


def test_users_create_refuses_a_short_password_in_one_line(runner: FlaskCliRunner) -> None:
    result = runner.invoke(
        args=["users", "create", "a@example.org", "--role", "admin", "--password-stdin"],
        input="short\n",
    )
    assert result.exit_code == 1
    assert result.output.strip() == "Error: Password must be at least 12 characters"
    assert db.session.scalar(sa.select(sa.func.count(User.id))) == 0


def test_users_create_refuses_an_unknown_role(runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["users", "create", "a@example.org", "--role", "mayor"])
    assert result.exit_code == 2
    assert "'mayor' is not one of 'partner', 'councillor', 'officer', 'admin'" in result.output


def test_load_then_export_gives_the_same_definition(runner: FlaskCliRunner, tmp_path: Path) -> None:
    definition = open_definition()
    source = write_json(tmp_path / "in.json", definition)
    loaded = runner.invoke(args=["consultations", "load", str(source)])
    assert loaded.exit_code == 0, loaded.output
    assert "Created consultation 'safer-streets' with 6 questions (status: draft)" in loaded.output
    out = tmp_path / "out.json"
    exported = runner.invoke(args=["consultations", "export", "safer-streets", "--out", str(out)])
    assert exported.exit_code == 0, exported.output
    assert json.loads(out.read_text(encoding="utf-8")) == definition


def test_loading_again_updates_by_slug(runner: FlaskCliRunner, tmp_path: Path) -> None:
    runner.invoke(
        args=["consultations", "load", str(write_json(tmp_path / "a.json", open_definition()))]
    )
    changed = open_definition(title="Safer streets 2027")
    result = runner.invoke(
        args=["consultations", "load", str(write_json(tmp_path / "b.json", changed))]
    )
    assert "Updated consultation 'safer-streets'" in result.output
    assert store.by_slug("safer-streets").title == "Safer streets 2027"


def test_a_bad_definition_is_refused_whole_with_every_problem(
    runner: FlaskCliRunner, tmp_path: Path
) -> None:
    definition = open_definition()
    definition["questions"][3]["options"] = []
    definition["questions"][0]["type"] = "stars"
    result = runner.invoke(
        args=["consultations", "load", str(write_json(tmp_path / "x.json", definition))]
    )
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: x.json: nothing saved: ")
    assert "question 'agree': unknown type 'stars'" in lines[0]
    assert "question 'area': a single_choice question needs at least two options" in lines[0]
    assert store.by_slug("safer-streets") is None


def test_invalid_json_and_missing_files_are_one_line_errors(
    runner: FlaskCliRunner, tmp_path: Path
) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('{"slug": ', encoding="utf-8")
    result = runner.invoke(args=["consultations", "load", str(broken)])
    assert result.exit_code == 1
    assert result.output.startswith("Error: broken.json: not valid JSON (line 1")
    huge = tmp_path / "huge.json"
    huge.write_text('{"slug": ' + "7" * 4400 + "}", encoding="utf-8")
    result = runner.invoke(args=["consultations", "load", str(huge)])
    assert result.exit_code == 1
    assert result.output == (
        "Error: huge.json: not usable: it has a number 4,400 digits long (at most 100)\n"
    )
    missing = runner.invoke(args=["consultations", "load", str(tmp_path / "nope.json")])
    assert missing.exit_code == 1 and "no such file" in missing.output
    unknown = runner.invoke(args=["consultations", "export", "nope", "--out", str(broken)])
    assert unknown.output.strip() == "Error: No consultation with the slug 'nope'"


def test_changing_options_after_responses_is_refused(
    runner: FlaskCliRunner, tmp_path: Path
) -> None:
    runner.invoke(args=["demo"])
    exported = tmp_path / "demo.json"
    runner.invoke(
        args=["consultations", "export", "community-safety-strategy", "--out", str(exported)]
    )
    data = json.loads(exported.read_text(encoding="utf-8"))
    area = next(q for q in data["questions"] if q["key"] == "area")
    area["options"].append("Frome")
    area["options_cy"].append("Frome")  # the Welsh matches, so only the change is refused
    data["questions"][0]["text"] = "Do you support the proposed priorities?"
    result = runner.invoke(args=["consultations", "load", str(write_json(exported, data))])
    assert result.exit_code == 1
    assert "question 'area': cannot change its options" in result.output
    consultation = store.by_slug("community-safety-strategy")
    assert consultation.questions[0].text == "Do you agree with the proposed strategic priorities?"


def test_demo_loads_64_responses_with_82_percent_agreeing_once(runner: FlaskCliRunner) -> None:
    first = runner.invoke(args=["demo"])
    assert first.exit_code == 0, first.output
    assert "officer@example.org" in first.output and "councillor@example.org" in first.output
    runner.invoke(args=["demo"])
    assert db.session.scalar(sa.select(sa.func.count(Response.id))) == 64
    channels = dict(
        db.session.execute(
            sa.select(Response.channel, sa.func.count()).group_by(Response.channel)
        ).all()
    )
    assert set(channels) == {c.value for c in Channel}
    agreement = dict(
        db.session.execute(
            sa.select(Answer.option, sa.func.count())
            .join(Question)
            .where(Question.key == "agree_priorities")
            .group_by(Answer.option)
        ).all()
    )
    assert agreement == {0: 50, 1: 7, 2: 4}  # 50 of 61 who answered = 82%


def test_every_command_has_help(runner: FlaskCliRunner) -> None:
    for args in (
        ["users", "create"],
        ["consultations", "load"],
        ["consultations", "export"],
        ["demo"],
    ):
        result = runner.invoke(args=[*args, "--help"])
        assert result.exit_code == 0 and "Usage:" in result.output, args
