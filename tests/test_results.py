"""Results counted in SQL, against hand-computed values, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from flask.testing import FlaskCliRunner

from common import display
from common.database import db
from common.statistics import Share
from survey.core.answers import AnswerValue, Choice, Matrix, Multi, Text
from survey.core.questions import OTHER_OPTION, QuestionSpec, QuestionType
from survey.core.report import results_lines
from survey.core.results import ChoiceResult, MatrixResult, ScaleResult, TextResult, text_result
from survey.data.counting import Asked, count, count_cells, in_group, merged
from survey.data.models import (
    Answer,
    AnswerCoding,
    AnswerTheme,
    Channel,
    Coding,
    Consultation,
    Question,
    Theme,
)
from survey.data.recording import record_response
from survey.data.tallies import UnknownGroup, breakdown, consultation_results
from tests.support import make_consultation

YES, NO, DONT_KNOW = 0, 1, 2
STRONGLY_AGREE, AGREE, NEITHER, DISAGREE, STRONGLY_DISAGREE, LIKERT_DK = range(6)
NORTH, SOUTH = 0, 1
MONDAY = dt.datetime(2026, 11, 2, 12, 0, tzinfo=dt.UTC)


def add(
    consultation: Consultation,
    channel: Channel = Channel.ONLINE,
    at: dt.datetime = MONDAY,
    **values: AnswerValue,
) -> None:
    record_response(consultation, values, channel, submitted_at=at)


def scale(consultation: Consultation, key: str) -> ScaleResult:
    result = consultation_results(consultation, minimum=5).question(key)
    assert isinstance(result, ScaleResult)
    return result


def test_agreement_counts_dont_know_in_the_base_with_its_own_share(app: object) -> None:
    consultation = make_consultation()
    for option in [YES] * 7 + [NO] * 2 + [DONT_KNOW] * 6:
        add(consultation, agree=Choice(option))
    db.session.commit()
    result = scale(consultation, "agree")
    assert result.answered == 15
    assert result.agree == Share(7, 15)
    assert result.disagree == Share(None, 15)  # 2 is fewer than 5
    # Shown, the 6 who did not know would give the 2 away (15 - 7 - 6): it is withheld.
    assert result.dont_know == Share(None, 15, withheld=True)
    assert display.share_of(result.agree) == "7 of 15 (47%)"
    assert result.net is None  # net agreement is for likert scales
    assert [(o.label, display.share_count(o.share)) for o in result.options] == [
        ("Yes", "7"),
        ("No", "fewer than 5"),
        ("Don't know", "not shown"),
    ]


def test_agreement_interval_is_the_wilson_interval_of_agree_over_answered(app: object) -> None:
    consultation = make_consultation()
    for option in [YES] * 50 + [NO] * 7 + [DONT_KNOW] * 4:
        add(consultation, agree=Choice(option))
    add(consultation)  # answered nothing: not in the base
    db.session.commit()
    result = scale(consultation, "agree")
    assert display.share_of(result.agree) == "50 of 61 (82%)"
    assert result.agree.interval == (
        pytest.approx(70.53, abs=0.005),
        pytest.approx(89.62, abs=0.005),
    )
    assert consultation_results(consultation, minimum=5).responses == 62


def test_likert_agreement_is_strongly_agree_plus_agree_and_net_subtracts_disagree(
    app: object,
) -> None:
    consultation = make_consultation()
    answers = (
        [STRONGLY_AGREE] * 6 + [AGREE] * 9 + [NEITHER] * 5 + [DISAGREE] * 5
        + [STRONGLY_DISAGREE] * 0 + [LIKERT_DK] * 5
    )  # fmt: skip
    for option in answers:
        add(consultation, safe=Choice(option))
    db.session.commit()
    result = scale(consultation, "safe")
    assert result.answered == 30
    assert result.agree == Share(15, 30)  # 6 + 9
    assert result.disagree == Share(5, 30)  # 5 + 0
    assert result.dont_know == Share(5, 30)
    assert result.net == pytest.approx(100 * 15 / 30 - 100 * 5 / 30)
    assert display.points(result.net) == "+33 points"


def test_everyone_answering_dont_know_gives_nought_percent_agreeing(app: object) -> None:
    consultation = make_consultation()
    for _ in range(6):
        add(consultation, agree=Choice(DONT_KNOW))
    db.session.commit()
    result = scale(consultation, "agree")
    assert result.agree == Share(0, 6)
    assert display.share_of(result.agree) == "0 of 6 (0%)"
    assert result.agree.interval == (0.0, pytest.approx(39.03, abs=0.005))
    assert result.dont_know == Share(6, 6)


def test_a_consultation_with_no_responses_has_results_of_nothing(app: object) -> None:
    consultation = make_consultation()
    results = consultation_results(consultation, minimum=5)
    assert results.responses == 0
    assert results.channels == () and results.weeks == ()
    agree = results.question("agree")
    assert isinstance(agree, ScaleResult)
    assert agree.answered == 0 and agree.agree == Share(0, 0)
    assert display.share_of(agree.agree) == "0 of 0"
    worries = results.question("worries")
    assert isinstance(worries, TextResult) and worries.answered == 0


def test_a_single_respondent_is_suppressed_everywhere(app: object) -> None:
    consultation = make_consultation()
    add(
        consultation,
        agree=Choice(YES),
        safe=Choice(AGREE),
        support=Matrix(((0, AGREE),)),
        area=Choice(NORTH),
        hear=Multi((0, OTHER_OPTION), "Parish magazine"),
        worries=Text("Burglary"),
    )
    db.session.commit()
    results = consultation_results(consultation, minimum=5)
    assert results.responses is None
    assert all(c.share.suppressed for c in results.channels)
    for result in results.questions:
        statements = result.statements if isinstance(result, MatrixResult) else (result,)
        for item in statements:
            assert item.answered in (None, 0), item.key  # 0 identifies no one
    hear = results.question("hear")
    assert isinstance(hear, ChoiceResult)
    assert hear.other_texts == ()  # one "Other" text would say who answered
    assert all(o.share.count is None for o in hear.options)


def test_multi_choice_counts_once_per_option_ticked_and_lists_other_texts(app: object) -> None:
    consultation = make_consultation()
    for _ in range(5):
        add(consultation, hear=Multi((0, 1)))
    for _ in range(3):
        add(consultation, hear=Multi((0,)))
    for n in range(5):
        add(consultation, hear=Multi((1, OTHER_OPTION), f"Parish magazine {n}"))
    add(consultation, agree=Choice(YES))  # did not answer `hear`
    db.session.commit()
    hear = consultation_results(consultation, minimum=5).question("hear")
    assert isinstance(hear, ChoiceResult)
    assert hear.answered == 13
    assert [(o.label, o.share) for o in hear.options] == [
        ("Newsletter", Share(8, 13)),
        ("Website", Share(10, 13)),
        ("Other", Share(5, 13)),
    ]
    assert hear.other_texts == tuple(f"Parish magazine {n}" for n in range(5))


def test_matrix_statements_are_counted_separately(app: object) -> None:
    consultation = make_consultation()
    for _ in range(5):
        add(consultation, support=Matrix(((0, STRONGLY_AGREE), (1, DISAGREE))))
    for _ in range(5):
        add(consultation, support=Matrix(((0, AGREE),)))
    db.session.commit()
    support = consultation_results(consultation, minimum=5).question("support")
    assert isinstance(support, MatrixResult)
    first, second = support.statements
    assert (first.statement, first.answered, first.agree) == (
        "Anti-social behaviour",
        10,
        Share(10, 10),
    )
    assert (second.statement, second.answered, second.agree, second.disagree) == (
        "Burglary",
        5,
        Share(0, 5),
        Share(5, 5),
    )
    assert second.net == pytest.approx(-100.0)


def _themes(consultation: Consultation, *names: str) -> dict[str, Theme]:
    themes = {
        name: Theme(consultation_id=consultation.id, codebook="community-safety", name=name)
        for name in names
    }
    db.session.add_all(themes.values())
    db.session.flush()
    return themes


def _code(answer: Answer, *themes: Theme, source: Coding = Coding.AUTO) -> None:
    db.session.add(AnswerCoding(answer_id=answer.id, source=source.value))
    db.session.add_all(AnswerTheme(answer_id=answer.id, theme_id=t.id) for t in themes)


def test_themes_count_answers_that_mention_them_and_answers_may_have_several(
    app: object,
) -> None:
    consultation = make_consultation()
    for n in range(12):
        add(consultation, worries=Text(f"worry {n}"))
    db.session.flush()
    themes = _themes(consultation, "Alcohol misuse", "Volume crime", "Hate crime", "Victims")
    question = db.session.scalars(
        db.select(Question).where(Question.consultation_id == consultation.id)
        .where(Question.key == "worries")
    ).one()  # fmt: skip
    answers = db.session.scalars(
        db.select(Answer).where(Answer.question_id == question.id).order_by(Answer.id)
    ).all()
    for answer in answers[:6]:  # six mention both drink and burglary
        _code(answer, themes["Alcohol misuse"], themes["Volume crime"])
    for answer in answers[6:8]:
        _code(answer, themes["Volume crime"], source=Coding.OFFICER)
    _code(answers[8], themes["Hate crime"])
    _code(answers[9])  # coded: mentions no theme
    db.session.commit()
    worries = consultation_results(consultation, minimum=5).question("worries")
    assert isinstance(worries, TextResult)
    assert worries.answered == 12
    assert [(t.theme, t.share) for t in worries.themes] == [
        ("Volume crime", Share(8, 12)),
        ("Alcohol misuse", Share(6, 12)),
        ("Hate crime", Share(None, 12)),  # 1 is fewer than 5 (but not none)
        ("Victims", Share(0, 12)),  # no one mentioned it: still a finding
    ]
    assert (worries.coded, worries.uncoded) == (10, 2)
    assert worries.no_theme == Share(None, 12)


def _areas(consultation: Consultation, south: int = 4) -> None:
    """North: 6 agree, 2 do not; South: `south` people, one of whom does not agree."""
    plan = [(NORTH, YES)] * 6 + [(NORTH, NO)] * 2
    plan += [(SOUTH, YES)] * (south - 1) + [(SOUTH, NO)]
    for area, agree in plan:
        add(consultation, area=Choice(area), agree=Choice(agree))


def test_results_for_one_group_count_only_its_respondents(app: object) -> None:
    consultation = make_consultation()
    _areas(consultation, south=6)
    db.session.commit()
    north = consultation_results(consultation, ("area", "north"), minimum=5)
    assert north.group is not None and north.group.label == "North"
    assert north.responses == 8
    agree = north.question("agree")
    assert isinstance(agree, ScaleResult)
    # 6 agree; 2 do not ("fewer than 5"), so 6 is not shown: 8 - 6 would be 2.
    assert (agree.answered, agree.agree) == (8, Share(None, 8, withheld=True))
    # A group's own question is not repeated in its results: everyone in it gave that answer.
    assert [q.key for q in north.questions if q.key == "area"] == []


def test_a_group_too_small_is_hidden_and_so_is_the_group_that_would_give_it_away(
    app: object,
) -> None:
    consultation = make_consultation()
    _areas(consultation)  # North 8, South 4: with 12 in all, North's 8 would make South 4
    db.session.commit()
    everyone = consultation_results(consultation, minimum=5).question("area")
    assert isinstance(everyone, ChoiceResult)
    assert [(o.label, o.share) for o in everyone.options] == [
        ("North", Share(None, 12, withheld=True)),
        ("South", Share(None, 12)),
    ]
    south = consultation_results(consultation, ("area", "South"), minimum=5)
    assert south.responses is None and not south.withheld  # 4 people: fewer than 5
    north = consultation_results(consultation, ("area", "North"), minimum=5)
    assert north.responses is None and north.withheld  # 8, but not shown on its own
    assert display.WITHHELD_GROUP in "\n".join(results_lines(north))
    table = breakdown(consultation, "area", "agree", minimum=5)
    assert [(g.label, g.answered, g.agree) for g in table.groups] == [
        ("North", None, Share(None, 0, withheld=True)),
        ("South", None, Share(None, 0)),
    ]


def test_breakdown_gives_agreement_per_group(app: object) -> None:
    consultation = make_consultation()
    _areas(consultation, south=6)
    db.session.commit()
    table = breakdown(consultation, "area", "agree", minimum=5)
    # Each group: one or two do not agree ("fewer than 5"), so agreeing is not shown either.
    assert [(g.label, g.answered, g.agree) for g in table.groups] == [
        ("North", 8, Share(None, 8, withheld=True)),
        ("South", 6, Share(None, 6, withheld=True)),
    ]


def test_breakdown_of_a_matrix_statement(app: object) -> None:
    consultation = make_consultation()
    for _ in range(5):
        add(consultation, area=Choice(SOUTH), support=Matrix(((1, AGREE),)))
    db.session.commit()
    table = breakdown(consultation, "area", "support", statement=1, minimum=5)
    assert table.statement == "Burglary"
    assert [(g.label, g.agree) for g in table.groups] == [
        ("North", Share(0, 0)),
        ("South", Share(5, 5)),
    ]


def test_unknown_groups_are_refused_with_a_reason(app: object) -> None:
    consultation = make_consultation()
    with pytest.raises(UnknownGroup, match="'East' is not a group"):
        consultation_results(consultation, ("area", "East"), minimum=5)
    with pytest.raises(UnknownGroup, match="'hear' is not a breakdown question"):
        consultation_results(consultation, ("hear", "Website"), minimum=5)
    with pytest.raises(UnknownGroup, match="no agreement or likert question 'hear'"):
        breakdown(consultation, "area", "hear", minimum=5)


def test_channels_and_weeks_with_a_gap_week_shown_as_nought(app: object) -> None:
    consultation = make_consultation()
    for n in range(6):
        add(consultation, Channel.ONLINE, MONDAY + dt.timedelta(days=n % 3))
    for _ in range(5):
        add(consultation, Channel.PAPER, MONDAY + dt.timedelta(days=15))
    add(consultation, Channel.EMAIL, MONDAY + dt.timedelta(days=16))
    db.session.commit()
    results = consultation_results(consultation, minimum=5)
    # 1 by email is hidden; shown, the 5 on paper would give it away (12 - 6 - 5).
    assert [(c.label, c.share) for c in results.channels] == [
        ("online", Share(6, 12)),
        ("paper", Share(None, 12, withheld=True)),
        ("email", Share(None, 12)),
    ]
    assert [(w.starts.isoformat(), w.share) for w in results.weeks] == [
        ("2026-11-02", Share(6, 12)),
        ("2026-11-09", Share(0, 12)),
        ("2026-11-16", Share(6, 12)),
    ]


def test_threshold_comes_from_the_configuration(app: object, runner: FlaskCliRunner) -> None:
    consultation = make_consultation()
    for option in [YES] * 7 + [NO] * 3:
        add(consultation, agree=Choice(option))
    db.session.commit()
    shown = ["results", "show", consultation.slug, "--json"]
    app.config["SUPPRESSION_THRESHOLD"] = 3  # type: ignore[attr-defined]
    try:
        lowered = json.loads(runner.invoke(args=shown).output)
    finally:
        app.config.pop("SUPPRESSION_THRESHOLD")  # type: ignore[attr-defined]
    default = json.loads(runner.invoke(args=shown).output)
    assert lowered["suppression_threshold"] == 3 and default["suppression_threshold"] == 5
    assert lowered["questions"][0]["disagree"]["count"] == 3
    assert default["questions"][0]["disagree"]["count"] is None


def test_results_show_prints_the_findings(runner: FlaskCliRunner) -> None:
    consultation = make_consultation()
    for option in [YES] * 6 + [NO] * 5:
        add(consultation, agree=Choice(option))
    db.session.commit()
    result = runner.invoke(args=["results", "show", consultation.slug])
    assert result.exit_code == 0, result.output
    assert "Responses: 11" in result.output
    assert "Agree: 6 of 11 (55%), 95% interval 28% to 79%" in result.output


def test_results_show_json_has_raw_numbers_and_the_same_words(runner: FlaskCliRunner) -> None:
    consultation = make_consultation()
    for option in [YES] * 6 + [NO] * 5:
        add(consultation, agree=Choice(option))
    db.session.commit()
    result = runner.invoke(args=["results", "show", consultation.slug, "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    agree = data["questions"][0]["agree"]
    assert (agree["count"], agree["base"], agree["text"]) == (6, 11, "6 of 11 (55%)")
    assert data["questions"][0]["options"]["No"]["count"] == 5


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["results", "show", "nope"], "No consultation with the slug 'nope'"),
        (["results", "show", "safer-streets", "--group", "area"], "--group must be KEY=LABEL"),
        (["results", "show", "safer-streets", "--group", "area=East"], "'East' is not a group"),
    ],
)
def test_results_show_refuses_bad_input_in_one_line(
    runner: FlaskCliRunner, args: list[str], message: str
) -> None:
    make_consultation()
    result = runner.invoke(args=args)
    assert result.exit_code == 1
    assert message in result.output
    assert "Traceback" not in result.output


def test_suppressed_themes_rank_between_shown_and_none_in_name_order() -> None:
    spec = QuestionSpec("worries", QuestionType.FREE_TEXT, "What worries you?")
    counts = {"Victims": 0, "Road safety": 3, "Hate crime": 1, "Drug misuse": 9, "Alcohol": 9}
    result = text_result(spec, 20, counts, coded=20, no_theme=0)
    assert [t.theme for t in result.themes] == [
        "Alcohol",
        "Drug misuse",
        "Hate crime",  # 1 and 3 are both "fewer than 5": their order must not tell them apart
        "Road safety",
        "Victims",
    ]


def test_every_view_is_a_sum_of_the_cells_counted_in_one_pass(app: object) -> None:
    consultation = make_consultation()
    for n in range(14):
        add(
            consultation,
            area=Choice(n % 2),
            agree=Choice(n % 3),
            safe=Choice(n % 6),
            support=Matrix(((0, n % 5), (1, (n + 2) % 6))),
            hear=Multi((n % 2, 1) if n % 3 else (0,)),
            worries=Text(f"worry {n}"),
        )
    add(consultation, agree=Choice(YES), worries=Text("no area given"))
    db.session.commit()
    asked = [Asked(q.id, QuestionType(q.type)) for q in consultation.questions]
    area = next(q for q in consultation.questions if q.key == "area")
    cells = count_cells(consultation.id, asked, [area.id], by_channel=True)
    for option in (NORTH, SOUTH):
        mine = merged(c for (group, _), c in cells.items() if group == option)
        assert mine == count(consultation.id, asked, in_group(area.id, option))
    assert merged(cells.values()) == count(consultation.id, asked)
    # The one who gave no area is a cell of their own, in neither group.
    assert {group for group, _ in cells} == {NORTH, SOUTH, None}
    assert merged(c for (group, _), c in cells.items() if group is None).arrivals
