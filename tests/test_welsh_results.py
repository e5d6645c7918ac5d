"""Answers given in Welsh count in the same results as English ones, and leave through the
responses export (and come back through its import) in the same columns: the options' English
names, and free text exactly as the resident wrote it. A survey tool's export of a Welsh
version of the survey imports into the same options."""

from __future__ import annotations

import csv
from pathlib import Path

import sqlalchemy as sa
from flask.testing import FlaskClient, FlaskCliRunner

from common.database import db
from common.spreadsheets import read_csv
from survey.core.answers import Choice, Multi
from survey.core.definitions import parse_definition
from survey.core.tool_import import parse_tool_file
from survey.core.tool_layouts import detect, read_tool_file
from survey.data.counting import Asked, count, in_group
from survey.data.models import Answer, Question, QuestionType, Response
from tests.support import error_summary, heading, post_form
from tests.test_residents_welsh import BASE, make_welsh_consultation, welsh_definition
from tests.test_tool_layouts import CONDENSED

Steps = list[tuple[str, dict[str, object]]]
IN_WELSH: Steps = [
    ("agree", {"answer": "Ydw"}),
    ("safe", {"answer": "Cytuno"}),
    ("support", {"row-0": "Cytuno’n gryf", "row-1": "Anghytuno"}),
    ("area", {"answer": "Gogledd"}),
    ("hear", {"answer": ["Gwefan", "Other"], "other": "Papur bro"}),
    ("worries", {"answer": "Goryrru ar y ffordd fawr ger yr ysgol"}),
]
IN_ENGLISH: Steps = [
    ("agree", {"answer": "Yes"}),
    ("safe", {"answer": "Agree"}),
    ("support", {"row-0": "Strongly agree", "row-1": "Agree"}),
    ("area", {"answer": "North"}),
    ("hear", {"answer": ["Website"]}),
    ("worries", {"answer": "Speeding outside the school"}),
]


def answer_all(client: FlaskClient, language: str, steps: Steps) -> None:
    """One resident's whole response, in `language`, sent."""
    client.get(f"{BASE}?lang={language}")
    for key, data in steps:
        sent = post_form(client, f"{BASE}/questions/{key}", data)
        assert sent.status_code == 302, (language, key, error_summary(sent))
    done = post_form(client, f"{BASE}/check", follow_redirects=True)
    assert heading(done) in ("Response sent", "Ymateb wedi’i anfon"), heading(done)


def two_responses(client: FlaskClient) -> None:
    """One response given in Welsh and one in English, by two residents."""
    make_welsh_consultation()
    answer_all(client, "cy", IN_WELSH)
    answer_all(client.application.test_client(), "en", IN_ENGLISH)
    assert db.session.scalar(sa.select(sa.func.count(Response.id))) == 2


def test_answers_given_in_welsh_count_with_the_english_ones(client: FlaskClient) -> None:
    two_responses(client)
    questions = {q.key: q for q in db.session.scalars(sa.select(Question))}
    asked = [Asked(q.id, QuestionType(q.type)) for q in questions.values()]
    counts = count(questions["agree"].consultation_id, asked)
    assert counts.options[questions["agree"].id] == {(None, 0): 2}  # Ydw and Yes
    assert counts.options[questions["safe"].id] == {(None, 1): 2}  # Cytuno and Agree
    assert counts.options[questions["support"].id] == {(0, 0): 2, (1, 3): 1, (1, 1): 1}
    assert counts.options[questions["area"].id] == {(None, 0): 2}  # Gogledd and North
    assert counts.options[questions["hear"].id] == {(None, 1): 2, (None, -1): 1}
    assert counts.respondents[questions["hear"].id] == 2
    assert counts.answered[questions["worries"].id] == 2
    # Both are in the North's group when results are broken down by area.
    north = count(questions["area"].consultation_id, asked, in_group(questions["area"].id, 0))
    assert sum(north.arrivals.values()) == 2


def test_answers_given_in_welsh_export_and_import_in_the_same_columns(
    client: FlaskClient, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    two_responses(client)
    out = tmp_path / "responses.csv"
    exported = runner.invoke(args=["responses", "export", "safer-streets", "--out", str(out)])
    assert exported.exit_code == 0, exported.output
    with out.open(newline="", encoding="utf-8-sig") as file:
        rows = list(csv.DictReader(file))
    assert [row["agree"] for row in rows] == ["Yes", "Yes"]
    assert [row["area"] for row in rows] == ["North", "North"]
    assert sorted(row["worries"] for row in rows) == [
        "Goryrru ar y ffordd fawr ger yr ysgol",  # kept in Welsh, as written
        "Speeding outside the school",
    ]
    assert "Papur bro" in [row["hear/other"] for row in rows]
    before = stored_answers()
    db.session.execute(sa.delete(Response))
    db.session.commit()
    imported = runner.invoke(args=["responses", "import", "safer-streets", str(out)])
    assert imported.exit_code == 0, imported.output
    assert stored_answers() == before


def stored_answers() -> set[tuple[object, ...]]:
    """Every answer: (response reference, question key, statement, option, text)."""
    query = (
        sa.select(Response.reference, Question.key, Answer.row, Answer.option, Answer.text)
        .join(Answer, Answer.response_id == Response.id)
        .join(Question, Question.id == Answer.question_id)
    )
    return {tuple(row) for row in db.session.execute(query)}


def test_a_survey_tools_export_of_the_welsh_version_imports_as_the_same_options() -> None:
    specs = parse_definition(welsh_definition()).questions
    text = CONDENSED.read_text(encoding="utf-8")
    text = text.replace('North,"Newsletter, Website"', 'Gogledd,"Cylchlythyr, Gwefan"')
    text = text.replace("south,Website", "de,gwefan")
    table = read_csv(text.encode())
    file = read_tool_file(table, detect(table))
    result = parse_tool_file(specs, file, None, channels=("online",), default_channel="online")
    assert result.parsed.problems == ()
    first, second = result.parsed.rows
    assert (first.values["area"], second.values["area"]) == (Choice(0), Choice(1))
    assert (first.values["hear"], second.values["hear"]) == (Multi((0, 1), None), Multi((1,)))
    # A Welsh word that is no option is still refused, not guessed.
    wrong = read_csv(text.replace("Gogledd", "Dwyrain").encode())
    refused = parse_tool_file(
        specs,
        read_tool_file(wrong, detect(wrong)),
        None,
        channels=("online",),
        default_channel="online",
    )
    assert [p.column for p in refused.parsed.problems] == ["Where do you live? (L)"]
