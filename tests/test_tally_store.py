"""Kept tallies stay exactly the answers' counts through every change, on SQLite and PostgreSQL.

Each test changes a consultation the ways officers and residents do (new responses after
results were read, an officer's codes, auto-coding, a theme merge, a deleted response) and then
compares the kept results with results counted afresh from the answers, for everyone, for each
area and for the breakdown by area; and `check` must find no difference.
"""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from flask.testing import FlaskCliRunner

from survey import tally_store, themes
from survey.answers import AnswerValue, Choice, Matrix, Multi, Text
from survey.database import db
from survey.models import Answer, AnswerTheme, Channel, Consultation, Question, Response, Tally
from survey.personal_data import delete_response
from survey.recording import record_response
from survey.results import ConsultationResults, TextResult
from survey.tallies import breakdown, consultation_results
from tests.conftest import POSTGRESQL_ONLY
from tests.support import make_consultation

NORTH, SOUTH = 0, 1
MONDAY = dt.datetime(2026, 11, 2, 12, 0, tzinfo=dt.UTC)
WORRIES = [
    "Drunk people shouting in the street at night",
    "Burglary and cars broken into",
    "Speeding traffic outside the school",
    "Nothing really",
    "Drug dealing in the park and burglaries",
    "Youths hanging around the shops",
]


def _add(consultation: Consultation, n: int, start: int = 0, days: int = 0) -> None:
    for i in range(start, start + n):
        values: dict[str, AnswerValue] = {
            "agree": Choice(i % 3),
            "safe": Choice(i % 6),
            "support": Matrix(((0, i % 5), (1, (i + 2) % 5))),
            "area": Choice(NORTH if i % 4 else SOUTH),
            "hear": Multi((0,) if i % 2 else (0, 1)),
            "worries": Text(WORRIES[i % len(WORRIES)]),
        }
        channel = Channel.PAPER if i % 5 == 0 else Channel.ONLINE
        at = MONDAY + dt.timedelta(days=days + i % 9, hours=i % 7)
        record_response(consultation, values, channel, submitted_at=at)
    db.session.commit()


def _everything(consultation: Consultation) -> tuple[object, ...]:
    """Every result a page or draft shows: everyone, each area, and agreement by area."""
    return (
        consultation_results(consultation, minimum=1),
        consultation_results(consultation, ("area", "North"), minimum=1),
        consultation_results(consultation, ("area", "South"), minimum=1),
        breakdown(consultation, "area", "agree", minimum=1),
        breakdown(consultation, "area", "support", statement=1, minimum=1),
    )


def _counted_afresh(consultation: Consultation) -> tuple[object, ...]:
    tally_store.forget(consultation.id)
    db.session.commit()
    return _everything(consultation)


def _assert_kept_counts_are_the_answers(consultation: Consultation) -> tuple[object, ...]:
    kept = _everything(consultation)
    assert tally_store.check(consultation.id) == []
    assert kept == _counted_afresh(consultation)
    return kept


def _responses(results: object) -> int | None:
    assert isinstance(results, ConsultationResults)
    return results.responses


def _worries(results: object) -> TextResult:
    assert isinstance(results, ConsultationResults)
    worries = results.question("worries")
    assert isinstance(worries, TextResult)
    return worries


def test_responses_after_a_read_are_counted_at_the_next(app: object) -> None:
    consultation = make_consultation()
    _add(consultation, 20)
    first = _everything(consultation)
    assert _responses(first[0]) == 20
    _add(consultation, 13, start=20, days=10)
    after = _assert_kept_counts_are_the_answers(consultation)
    assert _responses(after[0]) == 33
    assert _responses(after[1]) + _responses(after[2]) == 33  # type: ignore[operator]


def test_a_read_only_counts_what_is_new(app: object) -> None:
    consultation = make_consultation()
    _add(consultation, 12)
    assert tally_store.fold(consultation.id) == 12
    db.session.commit()
    _add(consultation, 3, start=12)
    tally_store.take_turn(consultation.id)
    assert tally_store.fold(consultation.id) == 3
    assert tally_store.fold(consultation.id) == 0
    db.session.commit()
    states = db.session.scalars(sa.select(Response.tally_state).distinct()).all()
    assert states == [tally_store.COUNTED]


def test_officer_codes_auto_coding_and_merges_keep_theme_counts_right(app: object) -> None:
    consultation = make_consultation()
    _add(consultation, 24)
    themes.autocode(consultation)
    before = _assert_kept_counts_are_the_answers(consultation)
    worries = _worries(before[0])
    assert worries.coded == 24

    question = db.session.scalars(sa.select(Question).where(Question.key == "worries")).one()
    by_name = {t.name: t for t in themes.question_themes(question)}
    answers = db.session.scalars(
        sa.select(Answer).where(Answer.question_id == question.id).order_by(Answer.id)
    ).all()
    themes.record_coding(answers[3], [by_name["Road safety"].id, by_name["Victims"].id], None)
    themes.record_coding(answers[0], [], None)  # "no theme" is a decision too
    db.session.commit()
    coded = _assert_kept_counts_are_the_answers(consultation)
    victims = {t.theme: t.share.count for t in _worries(coded[0]).themes}["Victims"]
    assert victims is not None and victims >= 1

    themes.merge_themes(by_name["Drug misuse"], by_name["Volume crime"])
    db.session.commit()
    merged = _assert_kept_counts_are_the_answers(consultation)
    assert "Drug misuse" not in {t.theme for t in _worries(merged[0]).themes}

    _add(consultation, 6, start=24, days=3)
    themes.autocode(consultation)  # new answers coded; the officers' two decisions stay
    _assert_kept_counts_are_the_answers(consultation)


def test_a_deleted_response_leaves_the_counts(app: object) -> None:
    consultation = make_consultation()
    _add(consultation, 15)
    themes.autocode(consultation)
    assert _responses(_everything(consultation)[0]) == 15
    gone = db.session.scalars(sa.select(Response).order_by(Response.id)).first()
    assert gone is not None
    delete_response(gone)
    db.session.commit()
    after = _assert_kept_counts_are_the_answers(consultation)
    assert _responses(after[0]) == 14


def test_check_finds_a_change_made_behind_the_tallies_back(app: object) -> None:
    """The check is not a formality: a code removed without withdrawing is a difference."""
    consultation = make_consultation()
    _add(consultation, 10)
    themes.autocode(consultation)
    _everything(consultation)
    coded = db.session.scalars(sa.select(AnswerTheme).limit(1)).one()
    db.session.execute(
        sa.delete(AnswerTheme).where(
            AnswerTheme.answer_id == coded.answer_id, AnswerTheme.theme_id == coded.theme_id
        )
    )
    db.session.commit()
    differences = tally_store.check(consultation.id)
    kinds = {d.key[2] for d in differences}
    assert tally_store.THEME in kinds
    theme_differences = [d for d in differences if d.key[2] == tally_store.THEME]
    assert all(d.kept == d.counted + 1 for d in theme_differences)
    area = db.session.scalars(sa.select(Question).where(Question.key == "area")).one()
    response_id = db.session.scalar(
        sa.select(Answer.response_id).where(Answer.id == coded.answer_id)
    )
    lives_in = db.session.scalar(
        sa.select(Answer.option).where(
            Answer.question_id == area.id, Answer.response_id == response_id
        )
    )
    assert {d.key[:2] for d in theme_differences} == {tally_store.EVERYONE, (area.id, lives_in)}


def test_tallies_do_not_grow_with_responses(app: object) -> None:
    """Once every combination of answers has turned up (180 responses here), more responses
    add to the kept counts but not to how many there are to read."""
    consultation = make_consultation()
    _add(consultation, 180)
    _everything(consultation)
    rows_at_180 = db.session.scalar(sa.select(sa.func.count()).select_from(Tally))
    _add(consultation, 360, start=180)
    assert _responses(_everything(consultation)[0]) == 540
    rows_at_540 = db.session.scalar(sa.select(sa.func.count()).select_from(Tally))
    assert rows_at_180 == rows_at_540


def test_results_check_command(app: object, runner: FlaskCliRunner) -> None:
    consultation = make_consultation()
    _add(consultation, 8)
    result = runner.invoke(args=["results", "check", consultation.slug])
    assert result.exit_code == 0, result.output
    assert "8 responses" in result.output and "agree with the answers" in result.output
    db.session.execute(sa.update(Tally).where(Tally.kind == tally_store.ARRIVAL).values(n=99))
    db.session.commit()
    result = runner.invoke(args=["results", "check", consultation.slug])
    assert result.exit_code == 1
    assert "differ" in result.output and "arrival" in result.output
    result = runner.invoke(args=["results", "check", consultation.slug, "--repair"])
    assert result.exit_code == 0, result.output
    assert tally_store.check(consultation.id) == []
    assert runner.invoke(args=["results", "check", "no-such"]).exit_code != 0


def test_counting_all_responses_at_once_matches_counting_them_by_state(
    app: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A first count of many responses (after an import) takes a quicker path on SQLite."""
    consultation = make_consultation()
    _add(consultation, 40)
    themes.autocode(consultation)
    monkeypatch.setattr(tally_store, "BULK", 1)
    at_once = _everything(consultation)
    assert tally_store.check(consultation.id) == []
    monkeypatch.setattr(tally_store, "BULK", 10**9)
    assert _counted_afresh(consultation) == at_once


@POSTGRESQL_ONLY
def test_a_response_committed_while_results_are_counted_is_counted_once(app: object) -> None:
    """PostgreSQL: a submission still in flight when results are read is not lost or doubled;
    the next read counts it. (SQLite's writers take turns, so there it cannot happen.)"""
    consultation = make_consultation()
    _add(consultation, 5)
    agree = db.session.scalar(sa.select(Question.id).where(Question.key == "agree"))
    with db.engine.connect() as other:
        in_flight = other.begin()
        response_id = other.execute(
            sa.insert(Response.__table__)
            .values(
                consultation_id=consultation.id,
                reference="LATE0001",
                submitted_at=MONDAY,
                channel=Channel.ONLINE.value,
            )
            .returning(Response.__table__.c.id)
        ).scalar_one()
        other.execute(
            sa.insert(Answer.__table__).values(
                response_id=response_id, question_id=agree, row=None, option=0
            )
        )
        assert _responses(consultation_results(consultation, minimum=1)) == 5
        in_flight.commit()
    assert _responses(consultation_results(consultation, minimum=1)) == 6
    assert tally_store.check(consultation.id) == []
