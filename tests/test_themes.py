"""Theme coding data access and the `flask themes` commands, on SQLite and PostgreSQL (db)."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskCliRunner

from common.accounts import create_user
from common.database import db
from common.models import User
from survey.core.answers import Text
from survey.data import themes
from survey.data.models import Answer, AnswerCoding, AnswerTheme, Channel, Consultation, Theme
from survey.data.recording import record_response
from survey.data.themes import Show, ThemeError
from tests.support import PASSWORD, make_consultation

pytestmark = pytest.mark.db


def answered(consultation: Consultation, *worries: str) -> list[Answer]:
    """Record one response per text to the 'worries' question; returns the answers."""
    answers = []
    for text in worries:
        response = record_response(consultation, {"worries": Text(text)}, Channel.PAPER)
        db.session.flush()
        answers.append(
            db.session.scalar(sa.select(Answer).where(Answer.response_id == response.id))
        )
    db.session.commit()
    return answers


def officer() -> User:
    user = create_user("coder@example.org", PASSWORD, "officer")
    db.session.commit()
    return user


def names_of(answer: Answer) -> list[str]:
    return list(
        db.session.scalars(
            sa.select(Theme.name)
            .join(AnswerTheme, AnswerTheme.theme_id == Theme.id)
            .where(AnswerTheme.answer_id == answer.id)
            .order_by(Theme.position)
        )
    )


def theme_named(consultation: Consultation, name: str) -> Theme:
    return db.session.scalar(
        sa.select(Theme).where(Theme.consultation_id == consultation.id, Theme.name == name)
    )


def test_a_consultation_gets_its_own_copy_of_the_codebook_on_first_use(app: Flask) -> None:
    consultation = make_consultation()
    other = make_consultation(slug="other")
    themes.ensure_themes(consultation)
    themes.ensure_themes(consultation)  # a second use adds nothing
    db.session.commit()
    names = [t.name for t in themes.themes_of(consultation.id, "community-safety")]
    assert len(names) == 14 and names[0] == "Alcohol misuse" and names[-1] == "Victims"
    assert themes.themes_of(other.id, "community-safety") == []


def test_autocode_gives_each_answer_every_theme_it_mentions_or_none(app: Flask) -> None:
    consultation = make_consultation()
    multi, burgled, nothing = answered(
        consultation,
        "Drunk teenagers smashing the bus shelter",
        "We were burgled twice",
        "Nothing, it is lovely here",
    )
    (result,) = themes.autocode(consultation)
    assert (result.question_key, result.coded, result.themed, result.kept) == ("worries", 3, 2, 0)
    assert names_of(multi) == ["Alcohol misuse", "Anti-social behaviour", "Young people"]
    assert names_of(burgled) == ["Volume crime"]
    assert names_of(nothing) == []
    coding = db.session.get(AnswerCoding, nothing.id)
    assert coding.source == "auto" and coding.coded_by_id is None  # coded: no theme


def test_officer_codes_survive_a_new_auto_coding_run(app: Flask) -> None:
    consultation = make_consultation()
    coder = officer()
    reviewed, cleared, auto = answered(
        consultation, "Burglaries", "Speeding cars outside the school", "Drug dealing"
    )
    themes.autocode(consultation)
    hate = theme_named(consultation, "Hate crime")
    themes.record_coding(reviewed, [hate.id], coder.id)
    themes.record_coding(cleared, [], coder.id)  # an officer's "no theme"
    db.session.commit()
    (result,) = themes.autocode(consultation)
    assert (result.coded, result.kept) == (1, 2)
    assert names_of(reviewed) == ["Hate crime"]
    assert names_of(cleared) == []
    assert names_of(auto) == ["Drug misuse"]
    coding = db.session.get(AnswerCoding, reviewed.id)
    assert (coding.source, coding.coded_by_id) == ("officer", coder.id)


def test_running_autocode_again_replaces_only_auto_codes(app: Flask) -> None:
    consultation = make_consultation()
    (answer,) = answered(consultation, "Graffiti on the walls")
    themes.autocode(consultation)
    asb = theme_named(consultation, "Anti-social behaviour")
    themes.describe_theme(asb, asb.description, ["vandalism"])  # graffiti no longer listed
    db.session.commit()
    themes.autocode(consultation)
    assert names_of(answer) == []
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AnswerCoding)) == 1


def test_a_rerun_rewrites_only_the_answers_it_codes_differently(app: Flask) -> None:
    consultation = make_consultation()
    graffiti, burglary, nothing = answered(
        consultation, "Graffiti on the walls", "Burglary", "Nothing"
    )
    themes.autocode(consultation)
    db.session.commit()
    was = {a.id: db.session.get(AnswerCoding, a.id).coded_at for a in (graffiti, burglary)}
    asb = theme_named(consultation, "Anti-social behaviour")
    themes.describe_theme(asb, asb.description, ["vandalism"])
    (stray,) = answered(consultation, "Dog mess")  # themes with no coding: not kept
    db.session.add(AnswerTheme(answer_id=stray.id, theme_id=asb.id))
    db.session.commit()
    (result,) = themes.autocode(consultation)
    db.session.commit()
    db.session.expire_all()
    assert (result.coded, result.themed, result.kept, result.changed) == (4, 1, 0, 2)
    assert [names_of(a) for a in (graffiti, burglary, nothing, stray)] == [
        [],
        ["Volume crime"],
        [],
        [],
    ]
    assert db.session.get(AnswerCoding, burglary.id).coded_at == was[burglary.id]  # untouched
    assert db.session.get(AnswerCoding, graffiti.id).coded_at > was[graffiti.id]
    assert db.session.get(AnswerCoding, stray.id).source == "auto"


def test_auto_codes_are_stored_with_their_time_as_every_other_timestamp(app: Flask) -> None:
    # Written by the driver, not the ORM (see themes._Codes): the time must still compare in
    # SQL with times the ORM writes (on SQLite, text in the ORM's form) and read back in UTC.
    consultation = make_consultation()
    (answer,) = answered(consultation, "Burglary")
    before = dt.datetime.now(dt.UTC)
    themes.autocode(consultation)
    db.session.commit()
    after = dt.datetime.now(dt.UTC)
    db.session.expire_all()
    coded_at = db.session.get(AnswerCoding, answer.id).coded_at
    assert before <= coded_at <= after and coded_at.utcoffset() == dt.timedelta(0)
    between = sa.select(AnswerCoding.answer_id).where(
        AnswerCoding.coded_at >= before, AnswerCoding.coded_at <= after
    )
    assert db.session.scalars(between).all() == [answer.id]
    raw = db.session.execute(sa.text("SELECT coded_at FROM answer_coding")).scalar_one()
    dialect = db.session.get_bind().dialect
    column = AnswerCoding.__table__.c.coded_at
    as_orm = column.type.dialect_impl(dialect).bind_processor(dialect)
    assert raw == (as_orm(coded_at) if as_orm else coded_at)


def test_an_autocode_run_that_fails_part_way_leaves_the_codes_as_they_were(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    # On PostgreSQL the deletes and inserts are pipelined: their error comes later than the
    # statement, and must still undo the whole run.
    consultation = make_consultation()
    graffiti, burglary = answered(consultation, "Graffiti on the walls", "Burglary")
    themes.autocode(consultation)
    asb = theme_named(consultation, "Anti-social behaviour")
    themes.describe_theme(asb, asb.description, ["vandalism"])  # the run has graffiti to change
    db.session.commit()
    before = names_of(graffiti), names_of(burglary)
    assert before == (["Anti-social behaviour"], ["Volume crime"])
    real_add = themes._Codes.add

    def add_a_theme_that_is_not_there(
        codes: themes._Codes, answer_id: int, theme_ids: set[int], *, replacing: bool = False
    ) -> None:
        real_add(codes, answer_id, [*theme_ids, 999_999], replacing=replacing)

    monkeypatch.setattr(themes._Codes, "add", add_a_theme_that_is_not_there)
    with pytest.raises(Exception, match="(?i)foreign key"):
        themes.autocode(consultation)
        db.session.commit()
    db.session.rollback()
    assert (names_of(graffiti), names_of(burglary)) == before
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AnswerCoding)) == 2


def test_record_coding_refuses_a_theme_of_another_consultation(app: Flask) -> None:
    consultation = make_consultation()
    other = make_consultation(slug="other")
    themes.ensure_themes(other)
    (answer,) = answered(consultation, "Litter")
    with pytest.raises(ThemeError):
        themes.record_coding(answer, [theme_named(other, "Victims").id], None)


def test_added_themes_go_last_and_names_are_checked(app: Flask) -> None:
    consultation = make_consultation()
    themes.ensure_themes(consultation)
    added = themes.add_theme(consultation, "community-safety", "  Street   lighting ", "Dark")
    assert added.name == "Street lighting" and added.position == 14
    with pytest.raises(ThemeError, match="Enter a name for the theme"):
        themes.add_theme(consultation, "community-safety", "   ")
    with pytest.raises(ThemeError, match="already a theme called 'Victims'"):
        themes.add_theme(consultation, "community-safety", "victims")
    with pytest.raises(ThemeError, match="already a theme called 'Victims'"):
        themes.rename_theme(added, "VICTIMS")
    themes.rename_theme(added, "Street lights")
    assert added.name == "Street lights"


def test_merge_moves_codes_without_duplicates_and_removes_the_theme(app: Flask) -> None:
    consultation = make_consultation()
    both, only_drugs, only_alcohol = answered(
        consultation, "Drunks and drug dealers", "Cannabis smell", "Street drinkers"
    )
    themes.autocode(consultation)
    drugs = theme_named(consultation, "Drug misuse")
    alcohol = theme_named(consultation, "Alcohol misuse")
    moved = themes.merge_themes(drugs, alcohol)
    db.session.commit()
    assert moved == 2
    assert theme_named(consultation, "Drug misuse") is None
    for answer in (both, only_drugs, only_alcohol):
        assert names_of(answer) == ["Alcohol misuse"]
    assert "cannabis" in alcohol.phrases and "booze" in alcohol.phrases
    with pytest.raises(ThemeError, match="cannot merge into itself"):
        themes.merge_themes(alcohol, alcohol)


def test_review_page_filters_by_coding_state_and_theme(app: Flask) -> None:
    consultation = make_consultation()
    coder = officer()
    first, second, third = answered(consultation, "Burglary", "Speeding", "Burgled again")
    themes.autocode(consultation)
    question = themes.coded_question(consultation, "worries")
    (fourth,) = answered(consultation, "Dog mess")  # after the run: uncoded
    themes.record_coding(first, [], coder.id)
    db.session.commit()

    def ids(show: Show, theme: Theme | None = None) -> list[int]:
        page = themes.review_page(question, show, theme.id if theme else None)
        return [item.answer_id for item in page.items]

    volume = theme_named(consultation, "Volume crime")
    assert ids(Show.TO_REVIEW) == [second.id, third.id, fourth.id]
    assert ids(Show.UNCODED) == [fourth.id]
    assert ids(Show.AUTO) == [second.id, third.id]
    assert ids(Show.REVIEWED) == [first.id]
    assert ids(Show.ALL, volume) == [third.id]
    reviewed = themes.review_page(question, Show.REVIEWED).items[0]
    assert reviewed.coded_by == "coder@example.org" and reviewed.coded_at is not None
    counts = themes.coding_counts(question)
    assert (counts.answers, counts.uncoded, counts.auto, counts.reviewed) == (4, 1, 2, 1)


def test_review_page_pages_through_answers(app: Flask) -> None:
    consultation = make_consultation()
    answered(consultation, *[f"Answer {n}" for n in range(5)])
    question = themes.coded_question(consultation, "worries")
    page = themes.review_page(question, Show.ALL, page=3, per_page=2)
    assert (page.total, page.pages, page.page) == (5, 3, 3)
    assert [item.text for item in page.items] == ["Answer 4"]
    assert themes.review_page(question, Show.ALL, page=99, per_page=2).page == 3


def test_theme_summaries_count_answers_per_theme(app: Flask) -> None:
    consultation = make_consultation()
    answered(consultation, "Burglary", "Burglaries and drugs", "Nothing")
    themes.autocode(consultation)
    question = themes.coded_question(consultation, "worries")
    counts = {s.name: s.answers for s in themes.theme_summaries(question)}
    assert counts["Volume crime"] == 2 and counts["Drug misuse"] == 1 and counts["Victims"] == 0


def test_cli_autocode_prints_how_many_answers_were_coded(runner: FlaskCliRunner) -> None:
    consultation = make_consultation()
    answered(consultation, "Burglary", "Nothing much")
    result = runner.invoke(args=["themes", "autocode", "safer-streets", "--question", "worries"])
    assert result.exit_code == 0, result.output
    assert (
        "worries: auto-coded 2 answers, 1 with a theme; kept 0 coded by officers; "
        "2 coded for the first time or differently from before"
    ) in " ".join(result.output.split())


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nowhere"], "Error: No consultation with the slug 'nowhere'"),
        (["safer-streets", "--question", "nope"], "has no question with the key 'nope'"),
        (["safer-streets", "--question", "agree"], "'agree' is not a free-text question"),
    ],
)
def test_cli_autocode_refuses_an_unknown_slug_or_key_in_one_line(
    runner: FlaskCliRunner, args: list[str], message: str
) -> None:
    make_consultation()
    result = runner.invoke(args=["themes", "autocode", *args])
    assert result.exit_code == 1
    assert message in result.output and len(result.output.strip().splitlines()) == 1


def test_each_themes_words_are_tried_on_the_answers_officers_reviewed(app: Flask) -> None:
    consultation = make_consultation()
    coder = officer()
    question = themes.coded_question(consultation, "worries")
    agreeing = answered(consultation, *[f"Burglary on street {n}" for n in range(8)])
    kicked_in, support, unreviewed = answered(
        consultation,
        "Someone kicked our door in while we were away",
        "Victim support never rang after the burglary",
        "Burglary",
    )
    themes.autocode(consultation)
    volume = theme_named(consultation, "Volume crime")
    victims = theme_named(consultation, "Victims")
    for answer in agreeing[:-1]:
        themes.record_coding(answer, [volume.id], coder.id)
    db.session.commit()
    assert not themes.words_agreement(question).measured  # 7 reviewed: too few to measure
    assert themes.words_agreement(question).reviewed == themes.MIN_REVIEWED - 3
    themes.record_coding(agreeing[-1], [volume.id], coder.id)
    themes.record_coding(kicked_in, [volume.id], coder.id)  # its words miss this one
    themes.record_coding(support, [victims.id], coder.id)  # and wrongly find this one
    db.session.commit()

    agreement = themes.words_agreement(question)
    scores = {score.name: score for score in agreement.scores}
    assert agreement.measured and agreement.reviewed == 10  # the unreviewed one not counted
    assert (
        scores["Volume crime"].true_positives,
        scores["Volume crime"].false_negatives,
        scores["Volume crime"].false_positives,
    ) == (8, 1, 1)
    assert [a.answer_id for a in agreement.missed["Volume crime"]] == [kicked_in.id]
    assert [a.answer_id for a in agreement.extra["Volume crime"]] == [support.id]
    assert scores["Victims"].true_positives == 1 and agreement.missed["Victims"] == ()
    assert unreviewed.id not in {a.answer_id for a in themes.reviewed_answers(question)}


def test_cli_autocode_prints_each_themes_words_against_officers_codes(
    runner: FlaskCliRunner,
) -> None:
    consultation = make_consultation()
    coder = officer()
    *agreeing, support = answered(
        consultation, *[f"Burglary on street {n}" for n in range(9)], "Victim support, burglary"
    )
    args = ["themes", "autocode", "safer-streets"]
    said = " ".join(runner.invoke(args=args).output.split())
    assert "once they have reviewed 10 answers (0 so far)" in said
    themes.autocode(consultation)
    volume = theme_named(consultation, "Volume crime")
    for answer in agreeing:
        themes.record_coding(answer, [volume.id], coder.id)
    themes.record_coding(support, [theme_named(consultation, "Victims").id], coder.id)
    db.session.commit()
    said = runner.invoke(args=args).output
    assert [line.strip() for line in said.splitlines()[1:]] == [
        "each theme's words against officers' codes on the 10 answers they reviewed:",
        "Volume crime: officers gave it 9 answers, its words find 9 of them (100%); its words "
        "also give it 1 answer officers did not",
        "Victims: officers gave it 1 answer, its words find 1 of them (100%); its words also "
        "give it 0 answers officers did not",
    ]
