"""Follow-up questions: asked only when an earlier answer is one of chosen options."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient

from common.database import db
from common.spreadsheets import read_csv
from common.statistics import Share
from survey.core.answers import Choice, Multi, RawMulti, Text
from survey.core.definitions import (
    KEY_PATTERN,
    DefinitionErrors,
    definition_to_dict,
    parse_definition,
    structure_changes,
    suggest_key,
)
from survey.core.follow_ups import shown_questions, with_follow_ups
from survey.core.question_types import check_response
from survey.core.questions import QuestionType, ShowIf
from survey.core.responses_io import parse_table
from survey.core.results import ChoiceResult, ConsultationResults, FollowUp, OptionCount
from survey.core.tables import question_table
from survey.data.consultations import spec_of
from survey.data.models import Answer, Channel, Question, Response, Status
from survey.data.recording import record_response
from survey.data.tallies import consultation_results
from tests.support import (
    csrf_token,
    error_summary,
    heading,
    make_consultation,
    open_definition,
    page,
    post_form,
    sign_in,
)
from tests.test_officer_questions import empty_consultation, question_form, stored_specs
from tests.test_officers import PAGE, links_reach_inputs
from tests.test_paper_responses import ENTRY, paper

FOLLOW_UP_QUESTIONS: list[dict[str, Any]] = [
    {"key": "feel_safe", "type": "agreement", "text": "Do you feel safe where you live?"},
    {
        "key": "why_unsafe",
        "type": "free_text",
        "text": "What makes you feel unsafe?",
        "show_if": {"question": "feel_safe", "answers": ["No"]},
    },
    {
        "key": "where_unsafe",
        "type": "multi_choice",
        "text": "Where do you feel unsafe?",
        "options": ["Town centre", "Parks", "Home"],
        "show_if": {"question": "feel_safe", "answers": ["No", "Don't know"]},
    },
    {
        "key": "home_help",
        "type": "single_choice",
        "text": "Would you like a home safety visit?",
        "options": ["Yes please", "No thanks"],
        "show_if": {"question": "where_unsafe", "answers": ["Home"]},
    },
    {"key": "area", "type": "single_choice", "text": "Where?", "options": ["North", "South"]},
]


def follow_up_definition(**changes: Any) -> dict[str, Any]:
    return open_definition(questions=FOLLOW_UP_QUESTIONS, **changes)


def with_condition(key: str, show_if: Any, **fields: Any) -> dict[str, Any]:
    questions = [dict(q) for q in FOLLOW_UP_QUESTIONS]
    for question in questions:
        if question["key"] == key:
            question.update(show_if=show_if, **fields)
            if show_if is None:
                del question["show_if"]
    return open_definition(questions=questions)


def problems_of(definition: dict[str, Any]) -> list[str]:
    with pytest.raises(DefinitionErrors) as caught:
        parse_definition(definition)
    return caught.value.problems


def test_a_condition_is_read_from_the_definition_and_round_trips() -> None:
    spec = parse_definition(follow_up_definition())
    by_key = {q.key: q for q in spec.questions}
    assert by_key["feel_safe"].show_if is None
    assert by_key["where_unsafe"].show_if == ShowIf("feel_safe", ("No", "Don't know"))
    written = definition_to_dict(spec)
    assert written["questions"][1]["show_if"] == {"question": "feel_safe", "answers": ["No"]}
    assert parse_definition(written) == spec


def test_a_condition_must_follow_an_earlier_question_that_picks_options() -> None:
    assert problems_of(with_condition("why_unsafe", {"question": "nope", "answers": ["No"]})) == [
        "question 'why_unsafe': show_if: 'nope' is not an earlier question"
    ]
    assert problems_of(
        with_condition("why_unsafe", {"question": "area", "answers": ["North"]})
    ) == ["question 'why_unsafe': show_if: 'area' comes after this question"]
    assert problems_of(
        with_condition("where_unsafe", {"question": "why_unsafe", "answers": ["x"]})
    ) == [
        "question 'where_unsafe': show_if: 'why_unsafe' is a free_text question; a question "
        "can only follow one answered by choosing options"
    ]


def test_a_condition_names_options_the_earlier_question_has() -> None:
    refused = with_condition("why_unsafe", {"question": "feel_safe", "answers": ["No", "Maybe"]})
    assert problems_of(refused) == [
        "question 'why_unsafe': show_if: 'Maybe' is not an option of 'feel_safe' "
        "(Yes, No, Don't know)"
    ]


@pytest.mark.parametrize(
    ("show_if", "problem"),
    [
        ("feel_safe", "show_if must be an object with a question and a list of answers"),
        ({"question": "feel_safe"}, "show_if must be an object with a question and a list"),
        ({"question": "feel_safe", "answers": []}, "show_if needs at least one answer of"),
        ({"question": "", "answers": ["No"]}, "show_if needs the key of an earlier question"),
    ],
)
def test_a_badly_shaped_condition_is_named(show_if: Any, problem: str) -> None:
    [found] = problems_of(with_condition("why_unsafe", show_if))
    assert found.startswith("question 'why_unsafe': " + problem), found


def test_a_breakdown_question_is_asked_of_everyone() -> None:
    refused = with_condition(
        "home_help", {"question": "feel_safe", "answers": ["No"]}, breakdown=True
    )
    assert problems_of(refused) == [
        "question 'home_help': show_if: a breakdown question is asked of everyone"
    ]


def test_changing_a_condition_is_a_change_of_structure() -> None:
    spec = parse_definition(follow_up_definition())
    changed = parse_definition(
        with_condition("why_unsafe", {"question": "feel_safe", "answers": ["No", "Don't know"]})
    )
    assert structure_changes(spec.questions[1], changed.questions[1]) == ["when it is asked"]


def test_only_questions_whose_condition_is_met_are_shown_and_follow_ups_chain() -> None:
    specs = parse_definition(follow_up_definition()).questions

    def shown(**values: Any) -> list[str]:
        return [spec.key for spec in shown_questions(specs, values)]

    assert shown() == ["feel_safe", "area"]
    assert shown(feel_safe=Choice(0)) == ["feel_safe", "area"]
    assert shown(feel_safe=Choice(2)) == ["feel_safe", "where_unsafe", "area"]
    assert shown(feel_safe=Choice(1), where_unsafe=Multi((0, 2))) == [
        "feel_safe",
        "why_unsafe",
        "where_unsafe",
        "home_help",
        "area",
    ]
    # An answer to a question no longer asked shows nothing that follows it.
    assert shown(feel_safe=Choice(0), where_unsafe=Multi((2,))) == ["feel_safe", "area"]


def test_a_follow_up_not_asked_is_not_required_and_an_answer_to_it_is_a_problem() -> None:
    specs = parse_definition(follow_up_definition()).questions
    values, problems = check_response(specs, {"feel_safe": "Yes", "area": "North"})
    assert (values, problems) == ({"feel_safe": Choice(0), "area": Choice(0)}, {})
    values, problems = check_response(
        specs, {"feel_safe": "Yes", "why_unsafe": "Dark alleys", "area": "North"}
    )
    assert [p.message for p in problems["why_unsafe"]] == [
        "Answered, but this question is only asked when 'feel_safe' is 'No'"
    ]
    values, problems = check_response(
        specs,
        {
            "feel_safe": "No",
            "why_unsafe": "Dark alleys",
            "where_unsafe": RawMulti(("Parks",)),
            "home_help": "Yes please",
            "area": "South",
        },
    )
    assert values == {
        "feel_safe": Choice(1),
        "why_unsafe": Text("Dark alleys"),
        "where_unsafe": Multi((1,)),
        "area": Choice(1),
    }
    assert set(problems) == {"home_help"}


def test_a_follow_up_that_is_asked_is_required_as_usual() -> None:
    specs = parse_definition(follow_up_definition()).questions
    _, problems = check_response(specs, {"feel_safe": "No", "area": "North"})
    assert set(problems) == {"why_unsafe", "where_unsafe"}


# The question builder and the stored question.


def test_a_condition_is_stored_and_read_back_with_the_consultation(app: Any) -> None:
    consultation = make_consultation(questions=FOLLOW_UP_QUESTIONS)
    assert spec_of(consultation).questions == parse_definition(follow_up_definition()).questions
    assert (
        definition_to_dict(spec_of(consultation))["questions"]
        == follow_up_definition()["questions"]
    )


def test_officer_makes_a_follow_up_by_ticking_an_earlier_questions_answers(
    client: FlaskClient,
) -> None:
    empty_consultation()
    sign_in(client, "officer")
    first = question_form(key="feel_safe", type="agreement", text="Do you feel safe?")
    assert post_form(client, f"{PAGE}/new-question", first).status_code == 302
    offered = page(client.get(f"{PAGE}/new-question"))
    assert [box["value"] for box in offered.select("input[name=show_if]")] == [
        "feel_safe::Yes",
        "feel_safe::No",
        "feel_safe::Don't know",
    ]
    follow_up = question_form(
        key="why_unsafe", type="free_text", text="Why?", show_if=["feel_safe::No"]
    )
    assert post_form(client, f"{PAGE}/new-question", follow_up).status_code == 302
    assert stored_specs()[1].show_if == ShowIf("feel_safe", ("No",))
    listed = page(client.get(PAGE)).select(".app-only-when")
    assert [note.get_text(strip=True) for note in listed] == ["Asked only when feel_safe is No"]
    change = page(client.get(f"{PAGE}/questions/why_unsafe"))
    assert [box["value"] for box in change.select("input[name=show_if][checked]")] == [
        "feel_safe::No"
    ]


def test_answers_of_two_questions_or_a_forged_option_are_refused(client: FlaskClient) -> None:
    empty_consultation()
    sign_in(client, "officer")
    for key in ("feel_safe", "worried"):
        added = post_form(
            client, f"{PAGE}/new-question", question_form(key=key, type="agreement", text="Q?")
        )
        assert added.status_code == 302
    two = question_form(
        key="why", type="free_text", text="Why?", show_if=["feel_safe::No", "worried::Yes"]
    )
    refused = post_form(client, f"{PAGE}/new-question", two)
    assert error_summary(refused) == ["Tick the answers of one earlier question only"]
    forged = question_form(key="why", type="free_text", text="Why?", show_if=["feel_safe::Nah"])
    refused = post_form(client, f"{PAGE}/new-question", forged)
    assert error_summary(refused) == ["'Nah' is not an option of 'feel_safe' (Yes, No, Don't know)"]
    assert [spec.key for spec in stored_specs()] == ["feel_safe", "worried"]


def test_a_question_a_follow_up_depends_on_cannot_move_after_it_or_go(
    client: FlaskClient,
) -> None:
    make_consultation(status=Status.DRAFT, questions=FOLLOW_UP_QUESTIONS)
    sign_in(client, "officer")
    token = csrf_token(client.get(PAGE))
    moved = client.post(
        f"{PAGE}/questions/feel_safe/move",
        data={"direction": "down", "csrf_token": token},
        follow_redirects=True,
    )
    banner = page(moved).select_one(".govuk-notification-banner__content")
    assert banner is not None
    assert " ".join(banner.get_text(" ", strip=True).split()) == (
        "Question not moved: question 'why_unsafe': show_if: 'feel_safe' comes after this question"
    )
    removed = post_form(client, f"{PAGE}/questions/feel_safe/remove", {})
    assert error_summary(removed) == [
        "question 'why_unsafe': show_if: 'feel_safe' is not an earlier question; "
        "question 'where_unsafe': show_if: 'feel_safe' is not an earlier question"
    ]
    assert [spec.key for spec in stored_specs()][:2] == ["feel_safe", "why_unsafe"]


# The residents' journey.

BASE = "/consultations/safer-streets"


def answer(client: FlaskClient, key: str, data: dict[str, Any], **query: str) -> str:
    """Answer one question; where the journey goes next."""
    suffix = "?change=1" if query.get("change") else ""
    sent = post_form(client, f"{BASE}/questions/{key}{suffix}", data)
    assert sent.status_code == 302, (key, error_summary(sent))
    return str(sent.headers["Location"])


def back_link(client: FlaskClient, key: str) -> str:
    link = page(client.get(f"{BASE}/questions/{key}")).select_one(".govuk-back-link")
    assert link is not None
    return str(link["href"])


def check_rows(client: FlaskClient) -> list[str]:
    check = page(client.get(f"{BASE}/check"))
    return [" ".join(row.get_text(" ", strip=True).split()) for row in check.select("dt")]


def test_a_follow_up_not_asked_is_skipped_forward_and_back_and_left_off_the_check(
    client: FlaskClient,
) -> None:
    make_consultation(questions=FOLLOW_UP_QUESTIONS)
    assert answer(client, "feel_safe", {"answer": "Yes"}) == f"{BASE}/questions/area"
    assert back_link(client, "area") == f"{BASE}/questions/feel_safe"
    caption = page(client.get(f"{BASE}/questions/area")).select_one(".govuk-caption-l")
    assert caption is not None and caption.get_text(strip=True) == "Question 2 of 2"
    # A link to a question not asked goes on to the next one that is.
    skipped = client.get(f"{BASE}/questions/why_unsafe")
    assert skipped.headers["Location"] == f"{BASE}/questions/area"
    # Nor can an answer be sent to it.
    planted = post_form(client, f"{BASE}/questions/area", {"answer": "North"})
    assert planted.status_code == 302
    token = csrf_token(client.get(f"{BASE}/questions/area"))
    sent = client.post(
        f"{BASE}/questions/why_unsafe", data={"answer": "Planted", "csrf_token": token}
    )
    assert sent.headers["Location"] == f"{BASE}/questions/area"
    assert answer(client, "area", {"answer": "North"}) == f"{BASE}/check"
    assert check_rows(client) == ["Do you feel safe where you live?", "Where?"]
    assert "Response sent" in heading(post_form(client, f"{BASE}/check", follow_redirects=True))
    assert stored_answers() == {"feel_safe": [0], "area": [0]}


def test_a_follow_up_asked_is_in_the_journey_the_back_links_and_the_check(
    client: FlaskClient,
) -> None:
    make_consultation(questions=FOLLOW_UP_QUESTIONS)
    assert answer(client, "feel_safe", {"answer": "No"}) == f"{BASE}/questions/why_unsafe"
    assert answer(client, "why_unsafe", {"answer": "Dark alleys"}) == (
        f"{BASE}/questions/where_unsafe"
    )
    assert answer(client, "where_unsafe", {"answer": ["Parks"]}) == f"{BASE}/questions/area"
    assert back_link(client, "area") == f"{BASE}/questions/where_unsafe"
    assert back_link(client, "where_unsafe") == f"{BASE}/questions/why_unsafe"
    assert answer(client, "area", {"answer": "South"}) == f"{BASE}/check"
    assert check_rows(client) == [
        "Do you feel safe where you live?",
        "What makes you feel unsafe?",
        "Where do you feel unsafe?",
        "Where?",
    ]


def test_changing_an_earlier_answer_removes_answers_to_questions_no_longer_asked(
    client: FlaskClient,
) -> None:
    make_consultation(questions=FOLLOW_UP_QUESTIONS)
    answer(client, "feel_safe", {"answer": "No"})
    answer(client, "why_unsafe", {"answer": "Dark alleys"})
    answer(client, "where_unsafe", {"answer": ["Home"]})
    answer(client, "home_help", {"answer": "Yes please"})
    answer(client, "area", {"answer": "South"})
    # "Don't know" still asks where_unsafe (and so home_help), but not why_unsafe.
    assert answer(client, "feel_safe", {"answer": "Don't know"}, change="1") == f"{BASE}/check"
    assert check_rows(client) == [
        "Do you feel safe where you live?",
        "Where do you feel unsafe?",
        "Would you like a home safety visit?",
        "Where?",
    ]
    assert answer(client, "feel_safe", {"answer": "Yes"}, change="1") == f"{BASE}/check"
    assert check_rows(client) == ["Do you feel safe where you live?", "Where?"]
    # Asked again, the follow-ups start empty: nothing answered before comes back.
    assert answer(client, "feel_safe", {"answer": "No"}, change="1") == (
        f"{BASE}/questions/why_unsafe?change=1"
    )
    field = page(client.get(f"{BASE}/questions/why_unsafe")).select_one("textarea")
    assert field is not None and field.get_text() == ""
    answer(client, "why_unsafe", {"answer": "Nothing now"}, change="1")
    # where_unsafe is asked and unanswered: the check sends the resident to it.
    assert client.get(f"{BASE}/check").headers["Location"] == f"{BASE}/questions/where_unsafe"
    answer(client, "where_unsafe", {"answer": ["Parks"]})
    answer(client, "area", {"answer": "South"})
    post_form(client, f"{BASE}/check")
    assert stored_answers() == {
        "feel_safe": [1],
        "why_unsafe": ["Nothing now"],
        "where_unsafe": [1],
        "area": [1],
    }


def stored_answers() -> dict[str, list[Any]]:
    """Each question's stored answers (options, or texts), by key, of the only response."""
    found: dict[str, list[Any]] = {}
    rows = db.session.execute(
        sa.select(Question.key, Answer.option, Answer.text)
        .join(Question, Question.id == Answer.question_id)
        .order_by(Question.position, Answer.option)
    )
    for key, option, text in rows:
        found.setdefault(key, []).append(text if option is None else option)
    assert db.session.scalar(sa.select(sa.func.count(Response.id))) == 1
    return found


# Paper entry: the same rule, checked by the same function.


def test_a_paper_answer_to_a_follow_up_not_asked_is_refused_and_nothing_saved(
    client: FlaskClient,
) -> None:
    make_consultation(questions=FOLLOW_UP_QUESTIONS)
    sign_in(client, "officer")
    notes = page(client.get(ENTRY)).select(".app-only-when")
    assert [note.get_text(strip=True) for note in notes] == [
        "This question is only asked when 'feel_safe' is 'No': leave it blank otherwise.",
        "This question is only asked when 'feel_safe' is 'No' or 'Don't know': "
        "leave it blank otherwise.",
        "This question is only asked when 'where_unsafe' is 'Home': leave it blank otherwise.",
    ]
    answers = {"feel_safe-answer": "Yes", "why_unsafe-answer": "Dark alleys"}
    refused = post_form(client, ENTRY, paper(**answers))
    assert error_summary(refused) == [
        "Answered, but this question is only asked when 'feel_safe' is 'No'"
    ]
    links_reach_inputs(refused)
    assert db.session.scalar(sa.select(sa.func.count(Response.id))) == 0
    recorded = post_form(client, ENTRY, paper(**{"feel_safe-answer": "Yes"}))
    assert recorded.status_code == 302, error_summary(recorded)
    assert stored_answers() == {"feel_safe": [0]}


# Imports: an answer to a question the row's answers did not ask is named by row and column.


def test_an_imported_answer_to_a_follow_up_not_asked_names_its_row_and_column() -> None:
    specs = parse_definition(follow_up_definition()).questions
    table = read_csv(
        b"feel_safe,why_unsafe,where_unsafe,home_help,area\n"
        b"No,Dark alleys,Parks,,North\n"
        b"Yes,,,,South\n"
        b"Yes,Nothing,,,South\n"
        b"No,Dark,Town centre,Yes please,North\n"
    )
    parsed = parse_table(specs, table, channels=("paper",), default_channel="paper")
    assert [str(problem) for problem in parsed.problems] == [
        "row 4, column 'why_unsafe': Answered, but this question is only asked when "
        "'feel_safe' is 'No'",
        "row 5, column 'home_help': Answered, but this question is only asked when "
        "'where_unsafe' is 'Home'",
    ]
    assert [row.row for row in parsed.rows] == [2, 3]


# Results: a follow-up's base is the people it was asked, not everyone.

RESPONSES = [
    {"feel_safe": "Yes", "area": "North"},
    {"feel_safe": "No", "why_unsafe": "Dark", "where_unsafe": RawMulti(("Parks",))},
    {
        "feel_safe": "No",
        "why_unsafe": "Lights",
        "where_unsafe": RawMulti(("Home", "Parks")),
        "home_help": "Yes please",
    },
    {"feel_safe": "Don't know", "where_unsafe": RawMulti(("Parks",))},
]


def follow_up_results(minimum: int) -> ConsultationResults:
    consultation = make_consultation(questions=FOLLOW_UP_QUESTIONS)
    specs = [q.spec() for q in consultation.questions]
    for raw in RESPONSES:
        values, problems = check_response(specs, raw, enforce_required=False)
        assert problems == {}
        record_response(consultation, values, Channel.PAPER)
    db.session.commit()
    return consultation_results(consultation, minimum=minimum)


def test_a_follow_ups_base_is_those_it_was_asked(app: Any) -> None:
    found = follow_up_results(minimum=1)
    assert found.responses == 4
    assert found.question("feel_safe").follow_up is None
    why = found.question("why_unsafe")
    assert (why.answered, why.follow_up) == (
        2,
        FollowUp("Do you feel safe where you live?", ("No",), 2),
    )
    where = found.question("where_unsafe")
    assert isinstance(where, ChoiceResult) and where.follow_up is not None
    assert (where.answered, where.follow_up.asked) == (3, 3)
    # Of the three asked, all three said Parks: 100%, not 3 in 4.
    assert [(o.label, o.share.count, o.share.base) for o in where.options] == [
        ("Town centre", 0, 3),
        ("Parks", 3, 3),
        ("Home", 1, 3),
    ]
    help_result = found.question("home_help")
    assert help_result.follow_up == FollowUp("Where do you feel unsafe?", ("Home",), 1)
    assert question_table(why, 1).rows[-1] == (
        "Asked (those answering 'No' to 'Do you feel safe where you live?')",
        "2",
        "",
    )


def test_who_was_asked_is_not_shown_when_the_earlier_counts_are_hidden(app: Any) -> None:
    found = follow_up_results(minimum=3)
    why = found.question("why_unsafe")
    assert why.follow_up is not None and why.follow_up.asked is None
    assert question_table(why, 3).rows[-1][1] == "not shown"


def test_several_ticked_options_never_add_up_to_the_people_asked() -> None:
    spec = parse_definition(
        with_condition("home_help", {"question": "where_unsafe", "answers": ["Home", "Parks"]})
    )
    share = Share(2, 3, 1)
    earlier = ChoiceResult(
        "where_unsafe",
        "Where do you feel unsafe?",
        QuestionType.MULTI_CHOICE,
        3,
        (OptionCount("Home", share), OptionCount("Parks", share)),
    )
    results = ConsultationResults(
        "s",
        "t",
        spec.opens,
        spec.closes,
        1,
        None,
        3,
        (),
        (),
        (earlier, replace(earlier, key="home_help")),
    )
    shown = with_follow_ups(results, spec.questions)
    assert shown.question("home_help").follow_up == FollowUp(
        "Where do you feel unsafe?", ("Home", "Parks"), None
    )


# The question builder makes a key from the question's text when none is given.


@pytest.mark.parametrize(
    ("text", "taken", "key"),
    [
        ("Do you feel safe where you live?", (), "do_you_feel_safe_where_you_live"),
        ("Do you feel safe?", ("do_you_feel_safe",), "do_you_feel_safe_2"),
        ("Do you feel safe?", ("do_you_feel_safe", "do_you_feel_safe_2"), "do_you_feel_safe_3"),
        ("Café opening hours", (), "cafe_opening_hours"),
        ("2026 priorities", (), "q_2026_priorities"),
        ("???", (), "q"),
        (
            "How much do you agree with the proposed community safety priorities for 2026?",
            (),
            "how_much_do_you_agree_with_the",
        ),
    ],
)
def test_a_key_is_made_from_the_question_text(text: str, taken: tuple[str, ...], key: str) -> None:
    made = suggest_key(text, taken)
    assert made == key
    assert KEY_PATTERN.match(made)


def test_officer_leaves_the_key_blank_and_gets_one_from_the_question(
    client: FlaskClient,
) -> None:
    empty_consultation()
    sign_in(client, "officer")
    for _ in range(2):
        added = post_form(
            client,
            f"{PAGE}/new-question",
            question_form(type="agreement", text="Do you feel safe?"),
        )
        assert added.status_code == 302, error_summary(added)
    chosen = question_form(key="safe_at_night", type="agreement", text="Do you feel safe?")
    assert post_form(client, f"{PAGE}/new-question", chosen).status_code == 302
    assert [spec.key for spec in stored_specs()] == [
        "do_you_feel_safe",
        "do_you_feel_safe_2",
        "safe_at_night",
    ]
    refused = post_form(
        client, f"{PAGE}/new-question", question_form(key="Bad Key", type="agreement", text="Q?")
    )
    assert error_summary(refused)[0].startswith("Key must start with a lower-case letter")
