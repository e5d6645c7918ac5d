"""The KEY_themes column of responses files: parsing (unit) and the round trip (db)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient, FlaskCliRunner

from common.database import db
from common.models import User
from common.spreadsheets import read_csv
from survey.core.questions import QuestionSpec, QuestionType
from survey.core.responses_io import ExportResponse, columns_for, export_rows, parse_table
from survey.data import themes
from survey.data.models import Answer, AnswerCoding, Response
from tests.support import make_consultation, sign_in
from tests.test_themes import answered, names_of, officer, theme_named
from tests.test_transfers import upload

SPECS = [
    QuestionSpec(key="agree", type=QuestionType.AGREEMENT, text="Agree?"),
    QuestionSpec(
        key="worries", type=QuestionType.FREE_TEXT, text="Worries?", codebook="community-safety"
    ),
    QuestionSpec(key="notes", type=QuestionType.FREE_TEXT, text="Anything else?"),
]
NAMES = {"worries": ["Drug misuse", "Young people", "Victims"]}


def parse(text: str) -> object:
    return parse_table(
        SPECS,
        read_csv(text.encode()),
        channels=("paper",),
        default_channel="paper",
        theme_names=NAMES,
    )


def test_only_free_text_questions_with_a_codebook_have_a_themes_column() -> None:
    assert [c.name for c in columns_for(SPECS)][3:] == [
        "agree",
        "worries",
        "worries_themes",
        "notes",
    ]


def test_themes_are_read_as_the_question_spells_them_each_once() -> None:
    parsed = parse("worries,worries_themes\nDealers,young PEOPLE ; drug misuse;;Drug misuse\n")
    assert parsed.problems == ()
    assert parsed.rows[0].themes == {"worries": ("Young people", "Drug misuse")}


def test_a_blank_themes_cell_codes_nothing() -> None:
    parsed = parse("worries,worries_themes\nDealers,\n")
    assert parsed.problems == () and parsed.rows[0].themes == {}


def test_an_unknown_theme_is_a_problem_in_its_row_and_column() -> None:
    parsed = parse("agree,worries,Worries_Themes\nYes,Dealers,Drug misuse; Burglary\n")
    assert [str(p) for p in parsed.problems] == [
        "row 2, column 'Worries_Themes': 'Burglary' is not a theme of question 'worries' "
        "(its themes are: Drug misuse; Young people; Victims)"
    ]
    assert parsed.rows == ()


def test_themes_without_an_answer_are_a_problem() -> None:
    parsed = parse("agree,worries,worries_themes\nYes,,Victims\n")
    assert [str(p) for p in parsed.problems] == [
        "row 2, column 'worries_themes': themes are given but 'worries' is blank"
    ]


def test_a_themes_column_for_a_question_without_a_codebook_is_refused() -> None:
    parsed = parse("notes,notes_themes\nHello,Victims\n")
    assert [str(p) for p in parsed.problems] == [
        "row 1, column 'notes_themes': question 'notes' is not a free-text question coded "
        "with themes, so it has no 'notes_themes' column"
    ]


def test_export_writes_themes_separated_by_semicolon_and_space() -> None:
    response = ExportResponse(
        "HJKM2346",
        dt.datetime(2026, 1, 5, tzinfo=dt.UTC),
        "paper",
        {},
        {"worries": ["Drug misuse", "Victims"]},
    )
    _, row = export_rows(SPECS, [response])
    assert row[5] == "Drug misuse; Victims"


# Database: the round trip through a file, from the command line.


@pytest.mark.db
def test_themes_round_trip_through_an_export_as_officer_codes(
    runner: FlaskCliRunner, tmp_path: Path
) -> None:
    consultation = make_consultation()
    coder = officer()
    multi, _, _ = answered(consultation, "Drug dealers and kids", "Burglary", "Nothing")
    themes.autocode(consultation)
    victims = theme_named(consultation, "Victims")
    themes.record_coding(multi, [victims.id, theme_named(consultation, "Drug misuse").id], coder.id)
    db.session.commit()
    out = tmp_path / "responses.csv"
    assert (
        runner.invoke(args=["responses", "export", "safer-streets", "--out", str(out)]).exit_code
        == 0
    )
    assert "Drug misuse; Victims" in out.read_text("utf-8-sig")
    db.session.execute(sa.delete(Response))
    db.session.commit()
    imported = runner.invoke(args=["responses", "import", "safer-streets", str(out)])
    assert imported.exit_code == 0, imported.output
    by_text = {
        a.text: a for a in db.session.scalars(sa.select(Answer).where(Answer.text.is_not(None)))
    }
    assert names_of(by_text["Drug dealers and kids"]) == ["Drug misuse", "Victims"]
    assert names_of(by_text["Burglary"]) == ["Volume crime"]
    assert names_of(by_text["Nothing"]) == []
    coding = db.session.get(AnswerCoding, by_text["Burglary"].id)
    assert coding.source == "officer"
    assert db.session.get(AnswerCoding, by_text["Nothing"].id) is None  # blank: not yet coded
    (result,) = themes.autocode(consultation)  # imported codes are officers': kept
    assert (result.coded, result.kept) == (1, 2)


@pytest.mark.db
def test_a_file_naming_an_unknown_theme_imports_nothing(
    runner: FlaskCliRunner, tmp_path: Path
) -> None:
    make_consultation()
    bad = tmp_path / "coded.csv"
    bad.write_text(
        "worries,worries_themes\nDealers,Drug misuse\nSpeeding,Road safty\n", encoding="utf-8"
    )
    result = runner.invoke(args=["responses", "import", "safer-streets", str(bad)])
    assert result.exit_code == 1
    assert "row 3, column 'worries_themes': 'Road safty' is not a theme" in result.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Response)) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AnswerCoding)) == 0


@pytest.mark.db
def test_imported_codes_record_the_officer_who_imported_them(client: FlaskClient) -> None:
    make_consultation()
    sign_in(client, "officer")
    response = upload(client, b"worries,worries_themes\nDealers,Drug misuse\n", "coded.csv")
    assert response.status_code == 303
    coding = db.session.scalar(sa.select(AnswerCoding))
    user = db.session.scalar(sa.select(User).where(User.email == "officer@example.org"))
    assert coding.source == "officer" and coding.coded_by_id == user.id
