"""One respondent's data found, exported and deleted by reference; free text purged on time."""

from __future__ import annotations

import datetime as dt
import json

import sqlalchemy as sa
from flask.testing import FlaskCliRunner

from common.database import db, utcnow
from survey.core.answers import Choice, Multi, Text
from survey.core.questions import OTHER_OPTION
from survey.core.results import TextResult
from survey.data.models import Answer, AnswerCoding, AnswerTheme, Channel, Response, Theme
from survey.data.recording import record_response
from survey.data.tallies import consultation_results
from tests.support import make_consultation

LONG_AGO = utcnow() - dt.timedelta(days=800)


def _respond(at: dt.datetime, words: str, reference: str) -> Response:
    consultation = make_consultation() if not _consultations() else _consultations()[0]
    return record_response(
        consultation,
        {
            "agree": Choice(0),
            "hear": Multi((0, OTHER_OPTION), f"Other {words}"),
            "worries": Text(words),
        },
        Channel.ONLINE,
        reference=reference,
        submitted_at=at,
    )


def _consultations() -> list[object]:
    from survey.data.models import Consultation

    return list(db.session.scalars(sa.select(Consultation)))


def test_export_gives_every_answer_of_one_reference(runner: FlaskCliRunner) -> None:
    _respond(utcnow(), "Speeding on Station Road", "CDFGHJKM")
    _respond(utcnow(), "Someone else's words", "NPQRTWXY")
    db.session.commit()
    result = runner.invoke(args=["personal-data", "export", "cdfg hjkm"])
    assert result.exit_code == 0, result.output
    record = json.loads(result.output)
    assert record["reference"] == "CDFGHJKM"
    answers = {a["key"]: a["answer"] for a in record["answers"]}
    assert answers["worries"] == ["Speeding on Station Road"]
    assert answers["hear"] == ["Newsletter", "Other: Other Speeding on Station Road"]
    assert answers["safe"] == ["Not answered"]
    assert "Someone else" not in result.output


def test_delete_removes_the_response_its_answers_and_codes(runner: FlaskCliRunner) -> None:
    response = _respond(utcnow(), "Burglary", "CDFGHJKM")
    _respond(utcnow(), "Drugs", "NPQRTWXY")
    db.session.flush()
    theme = Theme(consultation_id=response.consultation_id, codebook="community-safety", name="X")
    db.session.add(theme)
    db.session.flush()
    text_answer = next(a for a in response.answers if a.text == "Burglary")
    db.session.add(AnswerCoding(answer_id=text_answer.id, source="officer"))
    db.session.add(AnswerTheme(answer_id=text_answer.id, theme_id=theme.id))
    db.session.commit()
    result = runner.invoke(args=["personal-data", "delete", "CDFGHJKM", "--yes"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    assert db.session.scalars(sa.select(Response.reference)).all() == ["NPQRTWXY"]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AnswerTheme)) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AnswerCoding)) == 0
    remaining = db.session.scalars(sa.select(Answer.text).where(Answer.text.is_not(None))).all()
    assert sorted(remaining) == ["Drugs", "Other Drugs"]


def test_purge_clears_old_free_text_but_keeps_results(runner: FlaskCliRunner) -> None:
    for n in range(5):
        _respond(LONG_AGO, f"old worry {n}", f"CDFGHJK{'MNPQR'[n]}")
    _respond(utcnow(), "recent worry", "TWXYZ234")
    db.session.commit()
    consultation = _consultations()[0]
    before = consultation_results(consultation, minimum=5).question("worries")
    result = runner.invoke(args=["personal-data", "purge-text", "--older-than", "730"])
    assert result.exit_code == 0, result.output
    assert "Cleared the text of 10 answers" in result.output  # 5 free text + 5 "Other"
    db.session.expire_all()
    texts = db.session.scalars(sa.select(Answer.text).where(Answer.text.is_not(None))).all()
    assert sorted(texts) == ["Other recent worry", "recent worry"]
    after = consultation_results(consultation, minimum=5).question("worries")
    assert isinstance(after, TextResult) and after == before
    assert after.answered == 6


def test_personal_data_commands_refuse_unknown_input_in_one_line(runner: FlaskCliRunner) -> None:
    make_consultation()
    for args, message in [
        (["personal-data", "export", "ZZZZZZZZ"], "No response with the reference 'ZZZZZZZZ'"),
        (["personal-data", "delete", "ZZZZZZZZ", "--yes"], "No response with the reference"),
        (["personal-data", "purge-text", "--consultation", "nope"], "No consultation"),
        (["personal-data", "purge-text", "--older-than", "0"], "0 is not in the range x>=1"),
    ]:
        result = runner.invoke(args=args)
        assert result.exit_code != 0, args
        assert message in result.output, result.output
        assert "Traceback" not in result.output
