"""Quotes per theme: officers choose, redact and remove them; screening for personal details;
councillors see them only where the view's counts allow (unit, web and db)."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient

from common.database import db
from common.models import AuditEvent
from common.statistics import share
from survey.core.answers import AnswerValue, Choice, Text
from survey.core.personal_details import Kind, personal_details
from survey.core.quotes import QuoteError, quotable, quote_text
from survey.core.results import ConsultationResults, Group, TextResult, ThemeCount
from survey.data import themes
from survey.data.models import (
    Answer,
    AnswerTheme,
    Channel,
    Consultation,
    Response,
    Status,
    Theme,
    ThemeQuote,
)
from survey.data.recording import record_response
from tests.support import csrf_token, error_summary, make_consultation, page, sign_in

SLUG = "safer-streets"
QUOTES = f"/officers/consultations/{SLUG}/themes/worries/quotes"
RESULTS = f"/results/{SLUG}"
NORTH, SOUTH = 0, 1

# Screening: one example of each kind, with the message an officer is shown.


@pytest.mark.parametrize(
    ("text", "kind", "message"),
    [
        (
            "Email me at jo.bloggs@example.org about it",
            Kind.EMAIL,
            "Remove the email address jo.bloggs@example.org",
        ),
        ("Ring 01225 477000 any time", Kind.PHONE, "Remove the phone number 01225 477000"),
        ("Call +44 (0)7700 900123", Kind.PHONE, "Remove the phone number +44 (0)7700 900123"),
        ("Outside BA1 1AA every night", Kind.POSTCODE, "Remove the postcode BA1 1AA"),
        (
            "Dealing outside 12 High Street daily",
            Kind.ADDRESS,
            "Remove the street address 12 High Street",
        ),
        (
            "See www.example.com/drugs for it",
            Kind.URL,
            "Remove the web address www.example.com/drugs",
        ),
        (
            "My neighbour John Smith deals drugs",
            Kind.NAME,
            "Remove the name John Smith, or replace it with [name]",
        ),
        ("Mr Jones sells drugs", Kind.NAME, "Remove the name Mr Jones, or replace it with [name]"),
    ],
)
def test_each_kind_of_personal_detail_is_named_in_the_message(
    text: str, kind: Kind, message: str
) -> None:
    (found,) = personal_details(text)
    assert (found.kind, found.message) == (kind, message)
    with pytest.raises(QuoteError) as refused:
        quote_text(text, text)
    assert refused.value.messages == (message,)


@pytest.mark.parametrize(
    "text",
    [
        "5 people on the street at 10 minutes past midnight",
        "Will the council do something? May I say it is worse",
        "Victoria Road is too dark at night",
        "Drugs by St Mary's church",
        "Buses at B4 9am on the M4 5th junction",
        "Drug dealing near [name]'s house on the High Street",
    ],
)
def test_ordinary_words_are_not_taken_for_personal_details(text: str) -> None:
    assert personal_details(text) == []


def test_every_personal_detail_is_named_not_only_the_first() -> None:
    with pytest.raises(QuoteError) as refused:
        quote_text("Ask Sarah on 07700 900123", "Ask Sarah on 07700 900123")
    assert refused.value.messages == (
        "Remove the name Sarah, or replace it with [name]",
        "Remove the phone number 07700 900123",
    )


def test_a_quote_is_kept_as_one_trimmed_paragraph_and_must_say_something() -> None:
    said = "Drug dealing on the corner"
    assert quote_text("  Drug dealing\n on the  corner ", said) == "Drug dealing on the corner"
    with pytest.raises(QuoteError, match="Enter the words to quote"):
        quote_text(" \n ", said)
    with pytest.raises(QuoteError, match="500 characters or fewer"):
        quote_text("drugs " * 100, "drugs " * 100)


def test_a_quote_keeps_to_the_residents_words_with_the_officers_in_brackets() -> None:
    said = "Dave from number 4 deals drugs on the corner every night"
    kept = "[name] deals drugs on the corner … every night"
    assert quote_text(kept, said) == kept
    assert quote_text("[A neighbour] deals drugs [nearby]", said)
    with pytest.raises(QuoteError) as refused:
        quote_text("Someone deals drugs on the corner", said)
    assert refused.value.messages == (
        "Use only the resident's words: “Someone” is not in the answer. Leave words out, "
        "or put your own in square brackets, such as [name]",
    )


# Which themes a view may quote under (pure).


def _view(counts: dict[str, int], answered: int, **changes: object) -> ConsultationResults:
    themes_found = tuple(ThemeCount(name, share(n, answered, 5)) for name, n in counts.items())
    worries = TextResult(
        key="worries",
        text="What are you most worried about?",
        codebook="community-safety",
        answered=answered,
        themes=themes_found,
        coded=answered,
        uncoded=0,
        no_theme=share(0, answered, 5),
    )
    fields: dict[str, object] = {
        "slug": SLUG,
        "title": "Safer streets",
        "opens": dt.date(2027, 1, 1),
        "closes": dt.date(2027, 2, 1),
        "threshold": 5,
        "group": None,
        "responses": answered,
        "channels": (),
        "weeks": (),
        "questions": (worries,),
    }
    fields.update(changes)
    return ConsultationResults(**fields)  # type: ignore[arg-type]


def test_only_themes_shown_at_or_above_the_threshold_may_be_quoted() -> None:
    view = _view({"Drug misuse": 5, "Hate crime": 4, "Victims": 0}, answered=12)
    assert quotable(view) == {"worries": ["Drug misuse"]}


def test_a_view_whose_responses_are_hidden_quotes_nothing() -> None:
    assert quotable(_view({"Drug misuse": 9}, answered=12, responses=None)) == {}
    assert quotable(_view({"Drug misuse": 9}, answered=12, withheld=True)) == {}
    group = Group("area", "Where do you live?", "South")
    assert quotable(_view({"Drug misuse": 3}, answered=3, group=group)) == {}


# Officers' pages and councillors' page (database).

DRUGS = [
    "Drug dealing on the corner every evening",  # 40 characters
    "Drugs",  # too short to read as a quote: offered last
    "People selling drugs outside the shops",  # 38
    "Drug dealers openly selling outside the school gates at home time",
    "Drug litter in the park where children play",
    "Drug use in the underpass",  # 25
]


def _add(consultation: Consultation, **values: AnswerValue) -> None:
    record_response(consultation, values, Channel.ONLINE)


def with_answers(
    north: list[str] = DRUGS,
    south: list[str] = (),  # type: ignore[assignment]
) -> Consultation:
    """A consultation with these worries from the north and the south, auto-coded."""
    consultation = make_consultation()
    for text in north:
        _add(consultation, area=Choice(NORTH), worries=Text(text))
    for text in south:
        _add(consultation, area=Choice(SOUTH), worries=Text(text))
    themes.ensure_themes(consultation)
    themes.autocode(consultation)
    db.session.commit()
    return consultation


def answer_id(text: str) -> int:
    found = db.session.scalar(sa.select(Answer.id).where(Answer.text == text))
    assert found is not None, f"no answer {text!r}"
    return int(found)


def theme_id(consultation: Consultation, name: str) -> int:
    found = db.session.scalar(
        sa.select(Theme.id).where(Theme.consultation_id == consultation.id, Theme.name == name)
    )
    assert found is not None
    return int(found)


def use(client: FlaskClient, consultation: Consultation, text: str, words: str | None = None):
    """Press "Use as a quote" for an answer under Drug misuse (sending changed words if given)."""
    token = csrf_token(client.get(QUOTES))
    data = {"csrf_token": token}
    if words is not None:
        data["text"] = words
    url = f"{QUOTES}/{theme_id(consultation, 'Drug misuse')}/answers/{answer_id(text)}"
    return client.post(url, data=data)


def stored_quotes() -> list[tuple[int, str]]:
    return [
        (q.answer_id, q.text)
        for q in db.session.scalars(sa.select(ThemeQuote).order_by(ThemeQuote.id))
    ]


def logged(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == action)))


def theme_section(response, name: str):  # type: ignore[no-untyped-def]
    for section in page(response).select("section"):
        title = section.find("h2")
        if title is not None and title.get_text(strip=True) == name:
            return section
    raise AssertionError(f"no section for {name!r}")


@pytest.mark.db
def test_officers_are_offered_a_themes_answers_shortest_readable_first_a_few_at_a_time(
    client: FlaskClient,
) -> None:
    with_answers()
    sign_in(client, "officer")
    shown = client.get(QUOTES)
    assert shown.status_code == 200 and shown.headers["Cache-Control"] == "no-store"
    section = theme_section(shown, "Drug misuse")
    offered = [p.get_text(strip=True) for p in section.select("p[id^=answer-]")]
    assert offered == [
        "“Drug use in the underpass”",
        "“People selling drugs outside the shops”",
        "“Drug dealing on the corner every evening”",
    ]
    assert "Answers to choose from (6)" in section.get_text(" ", strip=True)
    following = section.select_one("a[rel=next]")
    assert following is not None
    later = theme_section(client.get(following["href"]), "Drug misuse")
    assert [p.get_text(strip=True) for p in later.select("p[id^=answer-]")] == [
        "“Drug litter in the park where children play”",
        "“Drug dealers openly selling outside the school gates at home time”",
        "“Drugs”",
    ]


@pytest.mark.db
def test_choosing_an_answer_quotes_it_and_logs_ids_not_words(client: FlaskClient) -> None:
    consultation = with_answers()
    sign_in(client, "officer")
    done = use(client, consultation, DRUGS[0])
    assert done.status_code == 303
    assert stored_quotes() == [(answer_id(DRUGS[0]), DRUGS[0])]
    section = theme_section(client.get(QUOTES), "Drug misuse")
    assert "Quotes chosen: 1 of 3" in section.get_text(" ", strip=True)
    assert section.select_one("blockquote").get_text(strip=True) == f"“{DRUGS[0]}”"
    (event,) = logged("quote chosen")
    quote = db.session.scalar(sa.select(ThemeQuote))
    assert event.actor == "officer@example.org" and quote.chosen_by_id == event.user_id
    assert event.subject == f"quote {quote.id}"
    drugs = theme_id(consultation, "Drug misuse")
    assert event.detail == f"question worries, theme {drugs}, answer {answer_id(DRUGS[0])}"
    assert "corner" not in event.subject + event.detail


@pytest.mark.db
def test_an_answer_with_a_phone_number_cannot_be_quoted_until_it_is_taken_out(
    client: FlaskClient,
) -> None:
    text = "Drug dealing all night, ring me on 01225 477000"
    consultation = with_answers(north=[*DRUGS[:4], text])
    sign_in(client, "officer")
    offered = theme_section(client.get(QUOTES), "Drug misuse").get_text(" ", strip=True)
    assert "Remove the phone number 01225 477000" in offered  # warned before choosing
    refused = use(client, consultation, text)
    assert refused.status_code == 400
    assert error_summary(refused) == ["Remove the phone number 01225 477000"]
    assert page(refused).select_one("textarea#text").get_text() == text
    assert stored_quotes() == [] and logged("quote chosen") == []
    saved = use(client, consultation, text, words="Drug dealing all night")
    assert saved.status_code == 303
    assert stored_quotes() == [(answer_id(text), "Drug dealing all night")]
    assert db.session.get(Answer, answer_id(text)).text == text  # the answer is unchanged


@pytest.mark.db
def test_a_quote_can_be_changed_to_redact_a_name_and_is_checked_again(
    client: FlaskClient,
) -> None:
    named = "Dave sells drugs outside the shops every night"
    consultation = with_answers(north=[*DRUGS[:5], named])
    sign_in(client, "officer")
    use(client, consultation, named, words="sells drugs outside the shops")
    quote_id = db.session.scalar(sa.select(ThemeQuote.id))
    change = f"{QUOTES}/{quote_id}/change"
    form = client.get(change)
    assert form.status_code == 200
    assert page(form).select_one("textarea#text").get_text() == "sells drugs outside the shops"
    assert page(form).select_one(".govuk-inset-text").get_text(strip=True) == named
    token = csrf_token(form)
    refused = client.post(change, data={"csrf_token": token, "text": "Dave sells drugs"})
    assert refused.status_code == 400
    assert error_summary(refused) == ["Remove the name Dave, or replace it with [name]"]
    added = client.post(change, data={"csrf_token": token, "text": "Kids sell drugs"})
    assert error_summary(added) == [
        "Use only the resident's words: “Kids” is not in the answer. Leave words out, "
        "or put your own in square brackets, such as [name]"
    ]
    assert stored_quotes() == [(answer_id(named), "sells drugs outside the shops")]
    done = client.post(change, data={"csrf_token": token, "text": "[name] sells drugs every night"})
    assert done.status_code == 303
    assert stored_quotes() == [(answer_id(named), "[name] sells drugs every night")]
    assert db.session.get(Answer, answer_id(named)).text == named
    (event,) = logged("quote changed")
    assert event.subject == f"quote {quote_id}" and "sells" not in event.detail


@pytest.mark.db
def test_removing_a_quote_leaves_the_answer_and_its_coding(client: FlaskClient) -> None:
    consultation = with_answers()
    sign_in(client, "officer")
    use(client, consultation, DRUGS[0])
    quote_id = db.session.scalar(sa.select(ThemeQuote.id))
    token = csrf_token(client.get(QUOTES))
    done = client.post(f"{QUOTES}/{quote_id}/remove", data={"csrf_token": token})
    assert done.status_code == 303
    assert stored_quotes() == []
    coded = db.session.get(
        AnswerTheme,
        {"answer_id": answer_id(DRUGS[0]), "theme_id": theme_id(consultation, "Drug misuse")},
    )
    assert coded is not None and db.session.get(Answer, answer_id(DRUGS[0])).text == DRUGS[0]
    (event,) = logged("quote removed")
    assert event.subject == f"quote {quote_id}"


@pytest.mark.db
def test_a_theme_has_three_quotes_at_most(client: FlaskClient) -> None:
    consultation = with_answers()
    sign_in(client, "officer")
    for text in DRUGS[:3]:
        assert use(client, consultation, text).status_code == 303
    section = theme_section(client.get(QUOTES), "Drug misuse")
    assert "This theme has its 3 quotes" in section.get_text(" ", strip=True)
    assert section.select("p[id^=answer-]") == []
    refused = use(client, consultation, DRUGS[3])
    assert refused.status_code == 400
    assert error_summary(refused) == [
        "A theme can have 3 quotes at most: remove one before choosing another"
    ]
    assert len(stored_quotes()) == 3


@pytest.mark.db
def test_an_answer_not_coded_with_the_theme_cannot_be_quoted_under_it(
    client: FlaskClient,
) -> None:
    consultation = with_answers(north=[*DRUGS, "Speeding traffic on the main road"])
    sign_in(client, "officer")
    refused = use(client, consultation, "Speeding traffic on the main road")
    assert refused.status_code == 400
    assert error_summary(refused) == ["That answer is not coded with this theme"]
    assert stored_quotes() == []


@pytest.mark.db
def test_councillors_and_residents_cannot_choose_quotes(client: FlaskClient) -> None:
    with_answers()
    assert client.get(QUOTES).status_code in (302, 401, 403)
    sign_in(client, "councillor")
    assert client.get(QUOTES).status_code == 403


def quoted(consultation: Consultation, *texts: str) -> None:
    """Quote each answer under Drug misuse, as an officer would."""
    drugs = db.session.get(Theme, theme_id(consultation, "Drug misuse"))
    for text in texts:
        db.session.add(ThemeQuote(theme_id=drugs.id, answer_id=answer_id(text), text=text))
    db.session.commit()


def said(response) -> list[tuple[str, list[str]]]:  # type: ignore[no-untyped-def]
    """The 'What people said' section: each theme's heading with its quotes."""
    section = page(response).find(id="what-people-said")
    if section is None:
        return []
    found: list[tuple[str, list[str]]] = []
    for element in section.find_parent("section").find_all(["h4", "blockquote"]):
        if element.name == "h4":
            found.append((element.get_text(" ", strip=True), []))
        else:
            found[-1][1].append(element.get_text(strip=True))
    return found


@pytest.mark.db
def test_councillors_see_the_quotes_under_their_theme_with_its_count(
    client: FlaskClient,
) -> None:
    consultation = with_answers()
    quoted(consultation, DRUGS[0], DRUGS[2])
    sign_in(client, "councillor")
    shown = client.get(RESULTS)
    assert said(shown) == [
        ("Drug misuse: mentioned by 6 of 6 (100%)", [f"“{DRUGS[0]}”", f"“{DRUGS[2]}”"])
    ]
    heading = page(shown).find(id="what-people-said").find_parent("section").find("h3")
    assert heading.find("a")["href"] == "#q-worries"
    text = page(shown).find(id="what-people-said").find_parent("section").get_text(" ")
    for reference in db.session.scalars(sa.select(Response.reference)):
        assert reference not in text  # nothing of the response but its words


@pytest.mark.db
def test_no_quote_is_shown_under_a_theme_fewer_than_the_threshold_mentioned(
    client: FlaskClient,
) -> None:
    consultation = with_answers(north=[*DRUGS[:4], *["Speeding traffic on the road"] * 6])
    quoted(consultation, DRUGS[0])
    sign_in(client, "councillor")
    shown = client.get(RESULTS)
    assert said(shown) == []
    assert DRUGS[0] not in shown.get_data(as_text=True)


@pytest.mark.db
def test_a_group_below_the_threshold_shows_no_quotes(client: FlaskClient) -> None:
    south = ["Drug dealing by the station", "Drugs sold by the river"]
    consultation = with_answers(north=DRUGS, south=south)
    quoted(consultation, DRUGS[0], south[0])
    sign_in(client, "councillor")
    # Not even to everyone: missing from the north's page, it would be known to be the south's.
    assert [quotes for _, quotes in said(client.get(RESULTS))] == [[f"“{DRUGS[0]}”"]]
    assert south[0] not in client.get(RESULTS).get_data(as_text=True)
    small = client.get(RESULTS, query_string={"area": "South"})
    assert small.status_code == 200
    assert said(small) == [] and south[0] not in small.get_data(as_text=True)


@pytest.mark.db
def test_a_groups_page_quotes_only_that_groups_answers(client: FlaskClient) -> None:
    south = ["Drug dealing by the station", "Drugs sold by the river", *DRUGS[1:4]]
    south = [f"{text} in the south" for text in south]
    consultation = with_answers(north=DRUGS, south=south)
    quoted(consultation, DRUGS[0], south[0])
    sign_in(client, "councillor")
    north = client.get(RESULTS, query_string={"area": "North"})
    assert said(north) == [("Drug misuse: mentioned by 6 of 6 (100%)", [f"“{DRUGS[0]}”"])]
    assert south[0] not in north.get_data(as_text=True)
    # A combination's page quotes no one: the rules above are for one group at a time.
    combined = client.get(RESULTS, query_string={"area": "North", "channel": "online"})
    assert combined.status_code == 200
    assert said(combined) == [] and DRUGS[0] not in combined.get_data(as_text=True)
    assert page(combined).select_one("#no-quotes") is not None


@pytest.mark.db
def test_a_quote_is_screened_again_and_follows_its_answers_coding(client: FlaskClient) -> None:
    consultation = with_answers()
    quoted(consultation, DRUGS[0], DRUGS[2])
    slipped = db.session.scalar(sa.select(ThemeQuote).where(ThemeQuote.text == DRUGS[2]))
    slipped.text = "Ask Karen at number 4, she sees the dealing"  # saved before a check found it
    db.session.execute(
        sa.delete(AnswerTheme).where(AnswerTheme.answer_id == answer_id(DRUGS[0]))
    )  # an officer recoded it: it no longer mentions drugs
    db.session.commit()
    sign_in(client, "councillor")
    shown = client.get(RESULTS)
    assert said(shown) == []
    assert "Karen" not in shown.get_data(as_text=True)


@pytest.mark.db
def test_quotes_go_with_a_deleted_response(client: FlaskClient) -> None:
    from survey.data.personal_data import delete_response

    consultation = with_answers()
    quoted(consultation, DRUGS[0])
    answer = db.session.get(Answer, answer_id(DRUGS[0]))
    delete_response(answer.response)
    db.session.commit()
    assert stored_quotes() == []
    assert db.session.scalar(sa.select(sa.func.count(Answer.id)).where(Answer.text.in_(DRUGS))) == 5


PUBLISHED = f"/consultations/{SLUG}/results"


@pytest.mark.db
def test_residents_see_the_quotes_once_the_results_are_published(client: FlaskClient) -> None:
    consultation = with_answers(north=DRUGS, south=["Drug dealing by the station"])
    quoted(consultation, DRUGS[0])
    assert DRUGS[0] not in client.get(PUBLISHED).get_data(as_text=True)  # open: not published
    consultation.status = Status.CLOSED.value
    consultation.results_published = True
    consultation.title_cy = "Strydoedd mwy diogel"
    db.session.commit()
    shown = client.get(PUBLISHED)
    assert said(shown) == [("Drug misuse: mentioned by 7 people (100%)", [f"“{DRUGS[0]}”"])]
    welsh = client.get(PUBLISHED, query_string={"lang": "cy"})
    assert page(welsh).find(id="what-people-said").get_text(strip=True) == "Beth ddywedodd pobl"
    assert said(welsh) == [("Drug misuse: soniodd 7 o bobl amdani (100%)", [f"“{DRUGS[0]}”"])]


@pytest.mark.db
def test_residents_see_no_quote_under_a_theme_fewer_than_the_threshold_mentioned(
    client: FlaskClient,
) -> None:
    consultation = with_answers(north=[*DRUGS[:4], *["Speeding traffic on the road"] * 6])
    quoted(consultation, DRUGS[0])
    consultation.status = Status.CLOSED.value
    consultation.results_published = True
    db.session.commit()
    shown = client.get(PUBLISHED)
    assert shown.status_code == 200 and said(shown) == []
    assert DRUGS[0] not in shown.get_data(as_text=True)


@pytest.mark.db
def test_a_respondents_record_holds_their_quotes_and_purging_their_words_removes_them(
    client: FlaskClient,
) -> None:
    from survey.data.personal_data import purge_free_text, respondent_record

    consultation = with_answers()
    quoted(consultation, DRUGS[0])
    answer = db.session.get(Answer, answer_id(DRUGS[0]))
    record = respondent_record(answer.response)
    assert record["quotes"] == [{"key": "worries", "theme": "Drug misuse", "quote": DRUGS[0]}]
    other = db.session.get(Answer, answer_id(DRUGS[2])).response
    assert respondent_record(other)["quotes"] == []
    purge_free_text(dt.datetime.now(dt.UTC) + dt.timedelta(days=1), consultation)
    db.session.commit()
    assert stored_quotes() == []


@pytest.mark.db
def test_no_quote_from_the_few_who_did_not_say_which_group_they_are_in(
    client: FlaskClient,
) -> None:
    consultation = with_answers()
    unplaced = "Drug deals in the car park behind the library"
    _add(consultation, worries=Text(unplaced))  # no area: with the few who gave none
    themes.autocode(consultation)
    db.session.commit()
    quoted(consultation, DRUGS[0], unplaced)
    sign_in(client, "councillor")
    assert said(client.get(RESULTS)) == [
        ("Drug misuse: mentioned by 7 of 7 (100%)", [f"“{DRUGS[0]}”"])
    ]


@pytest.mark.db
def test_officers_are_told_which_quotes_no_results_page_can_show(client: FlaskClient) -> None:
    south = ["Drug dealing by the station", "Drugs sold by the river"]
    consultation = with_answers(north=DRUGS, south=south)
    sign_in(client, "officer")
    use(client, consultation, DRUGS[0])
    use(client, consultation, south[0])
    section = theme_section(client.get(QUOTES), "Drug misuse")
    notes = [
        " ".join(box.get_text(" ", strip=True).split())
        for box in section.select(".govuk-inset-text")
    ]
    assert len(notes) == 2
    assert "Not shown" not in notes[0]
    assert (
        "Not shown on the results pages: fewer than 5 people mention Drug misuse in a group its "
        "writer is in (such as their area)"
    ) in notes[1]
