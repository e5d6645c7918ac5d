"""Officers code free-text answers with themes in the browser (Flask test client, db)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient

from common.database import db
from common.models import AuditEvent
from survey.data import themes
from survey.data.models import Answer, AnswerCoding, Theme
from tests.support import (
    csrf_token,
    error_summary,
    heading,
    make_consultation,
    page,
    post_form,
    sign_in,
)
from tests.test_themes import answered, names_of, theme_named

pytestmark = pytest.mark.db

SLUG = "safer-streets"
OVERVIEW = f"/officers/consultations/{SLUG}/themes"
REVIEW = f"{OVERVIEW}/worries/review"
MANAGE = f"{OVERVIEW}/worries/themes"


def press_autocode(client: FlaskClient) -> object:
    """Press the Auto-code answers button on the themes page, as an officer would."""
    overview = client.get(OVERVIEW)
    form = page(overview).find("form", action=f"{OVERVIEW}/autocode")
    assert form is not None, "no auto-code button"
    return client.post(form["action"], data={"csrf_token": csrf_token(overview)})


def save(client: FlaskClient, answer: Answer, *chosen: Theme, query: str = "") -> object:
    """Tick `chosen` on the answer's form in the queue and press Save and next."""
    queue = client.get(REVIEW + query)
    form = page(queue).find("form", id=f"answer-{answer.id}")
    assert form is not None, "answer is not in the queue"
    data: dict[str, object] = {
        field["name"]: field["value"] for field in form.select("input[type=hidden]")
    }
    data["theme"] = [str(t.id) for t in chosen]
    return client.post(form["action"], data=data)


def ticked(client: FlaskClient, answer: Answer, query: str = "?show=all") -> list[str]:
    form = page(client.get(REVIEW + query)).find("form", id=f"answer-{answer.id}")
    return [
        form.find("label", attrs={"for": box["id"]}).get_text(" ", strip=True)
        for box in form.select("input[type=checkbox][checked]")
    ]


def test_the_consultation_page_links_to_theme_coding(client: FlaskClient) -> None:
    make_consultation()
    sign_in(client, "officer")
    consultation_page = page(client.get(f"/officers/consultations/{SLUG}"))
    link = consultation_page.find("a", string="Code free-text answers by theme")
    assert link is not None and link["href"] == OVERVIEW


def test_councillors_cannot_see_the_coding_pages(client: FlaskClient) -> None:
    make_consultation()
    sign_in(client, "councillor")
    assert client.get(OVERVIEW).status_code == 403
    assert client.get(REVIEW).status_code == 403


def test_a_post_without_its_csrf_token_is_refused_and_codes_nothing(client: FlaskClient) -> None:
    consultation = make_consultation()
    (answer,) = answered(consultation, "Burglary")
    sign_in(client, "officer")
    assert client.post(f"{OVERVIEW}/autocode").status_code == 400
    assert client.post(f"{OVERVIEW}/worries/answers/{answer.id}", data={}).status_code == 400
    assert db.session.get(AnswerCoding, answer.id) is None


def test_the_autocode_button_codes_answers_and_says_how_many(client: FlaskClient) -> None:
    consultation = make_consultation()
    multi, nothing = answered(consultation, "Drunk kids and speeding cars", "All fine")
    sign_in(client, "officer")
    response = press_autocode(client)
    assert response.status_code == 302
    assert names_of(multi) == ["Alcohol misuse", "Young people", "Road safety"]
    banner = page(client.get(OVERVIEW)).select_one(".govuk-notification-banner").get_text(" ")
    said = " ".join(banner.split())
    assert "2 answers auto-coded, 1 with at least one theme." in said
    assert "All were coded for the first time or differently from before." in said
    assert ticked(client, multi) == ["Alcohol misuse", "Young people", "Road safety"]
    assert ticked(client, nothing) == []
    press_autocode(client)  # the codebook is as it was: nothing moves
    banner = page(client.get(OVERVIEW)).select_one(".govuk-notification-banner").get_text(" ")
    assert "None is coded differently from before." in " ".join(banner.split())


def test_an_officer_codes_a_multi_theme_answer_and_the_queue_moves_on(
    client: FlaskClient,
) -> None:
    consultation = make_consultation()
    first, second = answered(consultation, "Kids on bikes", "Litter")
    themes.autocode(consultation)
    sign_in(client, "officer")
    young = theme_named(consultation, "Young people")
    roads = theme_named(consultation, "Road safety")
    response = save(client, first, young, roads)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"#answer-{second.id}")
    assert names_of(first) == ["Young people", "Road safety"]
    coding = db.session.get(AnswerCoding, first.id)
    assert coding.source == "officer"
    queue = page(client.get(REVIEW))  # not yet reviewed: the coded answer has left
    assert queue.find("form", id=f"answer-{first.id}") is None
    assert queue.find("form", id=f"answer-{second.id}") is not None
    reviewed = page(client.get(REVIEW + "?show=reviewed"))
    hint = reviewed.find(id=f"answer-{first.id}-coded").get_text(" ", strip=True)
    assert hint.startswith("Reviewed by officer@example.org on ")


def test_officer_codes_survive_the_autocode_button(client: FlaskClient) -> None:
    consultation = make_consultation()
    (answer,) = answered(consultation, "Burglary on our road")
    sign_in(client, "officer")
    save(client, answer)  # uncoded; the officer decides: no theme
    press_autocode(client)
    assert names_of(answer) == []
    assert db.session.get(AnswerCoding, answer.id).source == "officer"


def test_uncoded_answers_have_their_suggested_themes_ticked(client: FlaskClient) -> None:
    consultation = make_consultation()
    (answer,) = answered(consultation, "Drug dealers")
    sign_in(client, "officer")
    assert ticked(client, answer, "?show=uncoded") == ["Drug misuse"]


def test_the_queue_filters_by_theme(client: FlaskClient) -> None:
    consultation = make_consultation()
    drugs, litter = answered(consultation, "Drug dealers", "Litter")
    themes.autocode(consultation)
    sign_in(client, "officer")
    theme = theme_named(consultation, "Drug misuse")
    queue = page(client.get(f"{REVIEW}?show=auto&theme={theme.id}"))
    assert queue.find("form", id=f"answer-{drugs.id}") is not None
    assert queue.find("form", id=f"answer-{litter.id}") is None
    assert "with the theme Drug misuse: 1 answer" in queue.find(id="queue").get_text(" ")


def test_adding_a_theme_checks_its_name(client: FlaskClient) -> None:
    consultation = make_consultation()
    sign_in(client, "officer")
    response = post_form(client, MANAGE, {"name": "  "})
    assert error_summary(response) == ["Enter a name for the theme"]
    response = post_form(client, MANAGE, {"name": "victims"})
    assert error_summary(response) == ["There is already a theme called 'Victims'"]
    response = post_form(client, MANAGE, {"name": "Street lighting", "description": "Dark"})
    assert response.status_code == 302
    assert theme_named(consultation, "Street lighting").description == "Dark"


def test_renaming_and_describing_a_theme(client: FlaskClient) -> None:
    consultation = make_consultation()
    themes.ensure_themes(consultation)
    db.session.commit()
    theme = theme_named(consultation, "Victims")
    sign_in(client, "officer")
    url = f"{MANAGE}/{theme.id}"
    response = post_form(client, url, {"name": "Road safety", "description": "", "phrases": ""})
    assert error_summary(response) == ["There is already a theme called 'Road safety'"]
    response = post_form(
        client,
        url,
        {"name": "Victims and witnesses", "description": "Support", "phrases": "victim\nwitness"},
    )
    assert response.status_code == 302
    db.session.refresh(theme)
    assert (theme.name, theme.description, theme.phrases) == (
        "Victims and witnesses",
        "Support",
        ["victim", "witness"],
    )


def test_merging_moves_codes_and_refuses_a_merge_into_itself(client: FlaskClient) -> None:
    consultation = make_consultation()
    both, drugs_only = answered(consultation, "Drunks and drug dealers", "Cannabis")
    themes.autocode(consultation)
    drugs = theme_named(consultation, "Drug misuse")
    alcohol = theme_named(consultation, "Alcohol misuse")
    sign_in(client, "officer")
    edit = client.get(f"{MANAGE}/{drugs.id}")
    merge_url = f"{MANAGE}/{drugs.id}/merge"
    response = client.post(merge_url, data={"csrf_token": csrf_token(edit), "into": ""})
    assert error_summary(response) == ["Select the theme to merge into"]
    response = client.post(merge_url, data={"csrf_token": csrf_token(edit), "into": drugs.id})
    assert error_summary(response) == [
        "Choose a different theme to merge into: a theme cannot merge into itself"
    ]
    response = client.post(merge_url, data={"csrf_token": csrf_token(edit), "into": alcohol.id})
    assert response.status_code == 302
    assert names_of(both) == ["Alcohol misuse"] and names_of(drugs_only) == ["Alcohol misuse"]
    assert theme_named(consultation, "Drug misuse") is None
    listing = page(client.get(MANAGE))
    assert "'Drug misuse' merged into 'Alcohol misuse': 2 answers moved" in " ".join(
        listing.get_text(" ").split()
    )


def test_a_question_without_a_codebook_has_no_review_page(client: FlaskClient) -> None:
    make_consultation()
    sign_in(client, "officer")
    assert client.get(f"{OVERVIEW}/agree/review").status_code == 404
    assert heading(client.get(OVERVIEW)) == "Safer streets Code answers by theme"


def test_the_queue_highlights_the_codebook_words_that_gave_each_theme(
    client: FlaskClient,
) -> None:
    consultation = make_consultation()
    (answer,) = answered(consultation, "Not worried about burglary, but drug dealers are")
    sign_in(client, "officer")
    form = page(client.get(REVIEW)).find("form", id=f"answer-{answer.id}")
    marked = [(m.get_text(), m["title"]) for m in form.select("mark.app-codebook-match")]
    assert marked == [("drug dealers", "Drug misuse")]
    words = " ".join(form.find(id=f"answer-{answer.id}-words").get_text().split())
    assert words == "Codebook words found (highlighted): ‘drug dealers’ (Drug misuse)"
    assert form.find(class_="app-answer-text").get_text() == answer.text


def test_a_phrase_rule_with_no_words_after_it_is_refused(client: FlaskClient) -> None:
    consultation = make_consultation()
    themes.ensure_themes(consultation)
    db.session.commit()
    sign_in(client, "officer")
    theme = theme_named(consultation, "Victims")
    before = list(theme.phrases)
    response = post_form(
        client,
        f"{MANAGE}/{theme.id}",
        {"name": "Victims", "description": "x", "phrases": "victims\nsupport when:"},
    )
    assert error_summary(response) == [
        "Phrase 'support when:': list the words after 'when:', split by commas"
    ]
    db.session.expire_all()
    assert theme_named(consultation, "Victims").phrases == before


def test_officers_see_where_a_themes_words_disagree_with_their_codes(
    client: FlaskClient,
) -> None:
    consultation = make_consultation()
    agreeing = answered(consultation, *[f"Burglary on street {n}" for n in range(8)])
    kicked_in, back_door, support = answered(
        consultation,
        "Someone kicked our door in while we were away",
        "They kicked the back door in",
        "Victim support never rang after the burglary",
    )
    sign_in(client, "officer")
    themes.autocode(consultation)
    volume = theme_named(consultation, "Volume crime")
    victims = theme_named(consultation, "Victims")
    assert "officers have reviewed 0 answers" in " ".join(page(client.get(MANAGE)).text.split())
    for answer in agreeing:
        save(client, answer, volume)
    save(client, kicked_in, volume)
    save(client, back_door, volume)
    save(client, support, victims)

    listing = page(client.get(MANAGE))
    table = listing.find(
        attrs={"aria-label": "Per theme, how often its words agree with officers' codes"}
    ).table
    rows = {
        row.a.contents[0]: [td.get_text(strip=True) for td in row("td")]
        for row in table.tbody("tr")
    }
    assert rows == {"Volume crime": ["10", "8 (80%)", "1"], "Victims": ["1", "1 (100%)", "0"]}
    assert listing.find(id="words-agreement-welsh") is None  # no answer is in Welsh
    (link,) = [a for a in table("a") if a.contents[0] == "Volume crime"]
    assert link["href"] == f"{MANAGE}/{volume.id}#disagreements"

    edit = page(client.get(f"{MANAGE}/{volume.id}"))
    missed = edit.find(id="missed").find_next("ul")
    extra = edit.find(id="extra").find_next("ul")
    assert [" ".join(li.p.get_text().split()) for li in missed("li")] == [
        kicked_in.text,
        back_door.text,
    ]
    assert "cy:" not in edit.find(id="words-to-add").get_text()  # said only for Welsh words
    offered = edit.find(id="words-to-add").find_next("ul")
    assert [" ".join(li.find(string=True).split()) for li in offered("li")] == [
        "‘door’: in 2 of these answers, and 0 answers officers did not give it",
        "‘kicked’: in 2 of these answers, and 0 answers officers did not give it",
    ]
    try_kicked = offered("li")[1].form
    assert try_kicked.button.get_text(strip=True) == "Try with ‘kicked’ added"
    fields = {field["name"]: field["value"] for field in try_kicked("input")}
    assert fields["phrases"].splitlines() == [*volume.phrases, "kicked"]
    tried = client.post(try_kicked["action"], data={**fields, try_kicked.button["name"]: "check"})
    assert page(tried).find(id="gained").get_text(" ", strip=True) == (
        "These words would give it 2 answers its saved words do not"
    )
    db.session.refresh(volume)
    assert "kicked" not in volume.phrases  # tried, not saved
    assert [" ".join(li.p.get_text().split()) for li in extra("li")] == [support.text]
    assert extra.li.find(class_="app-codebook-words").get_text() == (
        "Codebook words found (highlighted): ‘Victim support’ (Victims), ‘burglary’ (Volume crime)"
    )
    assert [(m.get_text(), m["title"]) for m in extra.select("mark")] == [
        ("Victim support", "Victims"),
        ("burglary", "Volume crime"),
    ]
    logged = db.session.scalars(
        sa.select(AuditEvent.detail).where(AuditEvent.action == "residents' words viewed")
    ).all()
    assert f"answers {kicked_in.id}, {back_door.id}, {support.id}" in logged
    victims_page = page(client.get(f"{MANAGE}/{victims.id}"))
    assert "exactly the answers officers gave it" in " ".join(victims_page.text.split())


def test_trying_a_themes_words_shows_what_they_would_do_and_saves_nothing(
    client: FlaskClient,
) -> None:
    consultation = make_consultation()
    agreeing = answered(consultation, *[f"Burglary on street {n}" for n in range(9)])
    kicked_in, unreviewed, support = answered(
        consultation,
        "Someone kicked our door in while we were away",
        "Came home to find someone had kicked our door in",
        "Victim support never rang after the burglary",
    )
    sign_in(client, "officer")
    themes.autocode(consultation)
    volume = theme_named(consultation, "Volume crime")
    for answer in [*agreeing, kicked_in]:
        save(client, answer, volume)
    saved = list(volume.phrases)
    url = f"{MANAGE}/{volume.id}"
    edit = client.get(url)
    form = page(edit).find("form", action=url)
    button = form.find("button", attrs={"value": "check"})
    assert (
        button.get_text(strip=True) == "Try these words" and button["formaction"] == url + "#trial"
    )
    typed = "\n".join([*(p for p in saved if p != "burglary"), "kicked our door in"])
    response = client.post(
        url,
        data={
            "csrf_token": csrf_token(edit),
            "name": "Volume crime",
            "description": volume.description,
            "phrases": typed,
            "action": "check",
        },
    )
    assert response.status_code == 200
    trial = page(response).find(id="trial")
    rows = [[c.get_text(" ", strip=True) for c in row(["th", "td"])] for row in trial.tbody("tr")]
    assert rows == [["Saved words", "9 (90%)", "0"], ["These words", "1 (10%)", "0"]]
    gained = trial.find(id="gained")
    assert " ".join(gained.get_text().split()) == (
        "These words would give it 2 answers its saved words do not"
    )
    changed = gained.find_next("ul")
    assert [(m.get_text(), m["title"]) for m in changed.select("mark")] == [
        ("kicked our door in", "Volume crime")
    ] * 2
    assert [p.get_text() for p in changed.select("p.govuk-hint")] == [
        "Officers gave it: Volume crime",
        "Not reviewed by an officer",
    ]
    assert [" ".join(p.get_text().split()) for p in changed.select("p.app-answer-text")] == [
        kicked_in.text,
        unreviewed.text,
    ]
    lost = trial.find(id="lost")
    assert "no longer give it 10 answers" in " ".join(lost.get_text().split())
    hints = [p.get_text() for p in lost.find_next("ul").select("p.govuk-hint")]
    assert hints[0] == "Officers gave it: Volume crime" and len(hints) == 10
    db.session.refresh(volume)
    assert volume.phrases == saved  # nothing saved

    bad = {"csrf_token": csrf_token(edit), "name": "Volume crime", "description": ""}
    response = client.post(url, data={**bad, "phrases": "theft when:", "action": "check"})
    assert error_summary(response) == [
        "Phrase 'theft when:': list the words after 'when:', split by commas"
    ]
    assert page(response).find(id="trial") is None


def test_words_offered_from_answers_in_welsh_find_every_mutated_form(client: FlaskClient) -> None:
    consultation = make_consultation()
    agreeing = answered(consultation, *[f"Burglary on street {n}" for n in range(8)])
    welsh = answered(
        consultation,
        "Mae rhywun wedi mynd â’n tractor ni o’r fferm",
        "Cafodd ei dractor ei gymryd o’r buarth neithiwr",
        "Dw i’n poeni am fy nhractor i yn y cae",
    )
    sign_in(client, "officer")
    themes.autocode(consultation)
    volume = theme_named(consultation, "Volume crime")
    for answer in [*agreeing, *welsh]:
        save(client, answer, volume)

    listing = page(client.get(MANAGE))
    assert " ".join(listing.find(id="words-agreement-welsh").get_text().split()).startswith(
        "In the 3 reviewed answers written in Welsh, the words found 0 of the 3 themes officers "
        "gave (0%), and gave 0 themes officers did not. In the 8 answers in English: 8 of 8 "
        "(100%), and 0."
    )
    edit = page(client.get(f"{MANAGE}/{volume.id}"))
    said = " ".join(edit.find(id="words-to-add").get_text().split())
    assert "given unmutated, after “cy:”, so that every mutated form is found too" in said
    offered = edit.find(id="words-to-add").find_next("ul")
    assert [" ".join(li.find(string=True).split()) for li in offered("li")] == [
        "‘cy: tractor’: in 3 of these answers, and 0 answers officers did not give it",
    ]
    trial = offered.li.form
    fields = {field["name"]: field["value"] for field in trial("input")}
    tried = client.post(trial["action"], data={**fields, trial.button["name"]: "check"})
    assert page(tried).find(id="gained").get_text(" ", strip=True) == (
        "These words would give it 3 answers its saved words do not"
    )
