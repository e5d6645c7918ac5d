"""Finding new themes among answers no theme matches: data access, the job and pages (db)."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from werkzeug.test import TestResponse

import survey.cli.new_themes  # noqa: F401  (adds `flask themes find-new`, as app.py does)
from common.database import db
from common.models import AuditEvent
from survey.data import new_themes, themes
from survey.data.models import Answer, Consultation, Theme, ThemeCandidate
from tests.support import csrf_token, heading, make_consultation, page, sign_in
from tests.test_themes import answered

pytestmark = pytest.mark.db

SLUG = "safer-streets"
NEW = f"/officers/consultations/{SLUG}/themes/worries/new-themes"

PERMITS = [
    "Parking permits cost too much for residents",
    "The price of parking permits has doubled",
    "Residents parking permits are far too expensive",
    "Parking permits for visitors cost a fortune",
    "Why do parking permits cost so much now",
]
BINS = [
    "The bins are not collected on time",
    "Bins left uncollected for weeks",
    "Bin collections keep being missed",
    "Our bins were not collected again",
    "Missed bin collections every fortnight",
    "Bins overflowing because the collections were missed",
]
MATCHED = ["Drug dealing on the corner"]  # the codebook's "Drug misuse" matches it


def with_answers(consultation: Consultation) -> None:
    themes.ensure_themes(consultation)
    db.session.commit()
    answered(consultation, *PERMITS, *BINS, *MATCHED)


def group_holding(text: str) -> ThemeCandidate:
    """The stored group whose answers include the one with this text."""
    answer_id = db.session.scalar(sa.select(Answer.id).where(Answer.text == text))
    for candidate in db.session.scalars(sa.select(ThemeCandidate)):
        if answer_id in candidate.answer_ids:
            return candidate
    raise AssertionError(f"no group holds {text!r}")


def test_answers_no_theme_matches_are_grouped_by_subject(app: Flask) -> None:
    consultation = make_consultation()
    with_answers(consultation)
    (result,) = new_themes.find_new_themes(consultation)
    db.session.commit()
    assert (result.question_key, result.unmatched) == ("worries", 11)
    question = themes.coded_question(consultation, "worries")
    found = new_themes.open_candidates(question)
    assert sum(c.size for c in found) == 11
    permits = next(c for c in found if c.typical[0] in PERMITS)
    assert permits.size == 5
    assert set(permits.typical) <= set(PERMITS) and len(permits.typical) == 3
    assert "permits" in permits.words or "parking permits" in permits.words
    assert not any("Drug" in text for c in found for text in c.typical)


def test_a_group_shows_different_answers_as_its_typical_ones(app: Flask) -> None:
    consultation = make_consultation()
    themes.ensure_themes(consultation)
    db.session.commit()
    same = [PERMITS[0]] * 4 + [PERMITS[0].upper() + "  "]  # one answer, written five times
    answered(consultation, *same, *PERMITS[1:], *BINS)
    question = themes.coded_question(consultation, "worries")
    new_themes.find_new_themes(consultation, question)
    db.session.commit()
    permits = next(c for c in new_themes.open_candidates(question) if c.typical[0] in same)
    assert permits.size == 9
    assert len(permits.typical) == 3
    assert len({" ".join(t.casefold().split()) for t in permits.typical}) == 3


def test_finding_again_replaces_open_groups_and_dismissed_answers_stay_out(app: Flask) -> None:
    consultation = make_consultation()
    with_answers(consultation)
    question = themes.coded_question(consultation, "worries")
    new_themes.find_new_themes(consultation, question)
    permits = group_holding(PERMITS[0])
    new_themes.dismiss_candidate(permits, None)
    db.session.commit()
    (again,) = new_themes.find_new_themes(consultation, question)
    db.session.commit()
    assert again.unmatched == 6  # the dismissed group's answers are not grouped again
    states = sorted(db.session.scalars(sa.select(ThemeCandidate.state)))
    assert states.count("dismissed") == 1 and states.count("open") >= 1
    assert all(text in BINS for c in new_themes.open_candidates(question) for text in c.typical)


def test_naming_a_group_adds_a_theme_with_the_chosen_words(app: Flask) -> None:
    consultation = make_consultation()
    with_answers(consultation)
    question = themes.coded_question(consultation, "worries")
    new_themes.find_new_themes(consultation, question)
    permits = group_holding(PERMITS[0])
    theme = new_themes.name_candidate(
        consultation, question, permits, "Parking permits", "", ["parking permits"], None
    )
    db.session.commit()
    assert theme.phrases == ["parking permits"]
    assert themes.question_themes(question)[-1].name == "Parking permits"
    assert (permits.state, permits.theme_id) == ("named", theme.id)
    themes.autocode(consultation, question)
    db.session.commit()
    (again,) = new_themes.find_new_themes(consultation, question)
    assert again.unmatched == 6  # the permit answers now have the new theme


def test_naming_without_words_or_with_a_taken_name_saves_nothing(app: Flask) -> None:
    consultation = make_consultation()
    with_answers(consultation)
    question = themes.coded_question(consultation, "worries")
    new_themes.find_new_themes(consultation, question)
    db.session.commit()
    permits = group_holding(PERMITS[0])
    with pytest.raises(themes.ThemeError, match="at least one word or phrase"):
        new_themes.name_candidate(consultation, question, permits, "Permits", "", [" "], None)
    db.session.rollback()
    with pytest.raises(themes.ThemeError, match="already a theme called 'Drug misuse'"):
        new_themes.name_candidate(
            consultation, question, permits, "drug MISUSE", "", ["permit"], None
        )
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).where(Theme.name == "Permits")) == 0
    assert db.session.get(ThemeCandidate, permits.id).state == "open"


def test_a_group_that_is_a_theme_already_adds_its_words_to_it(app: Flask) -> None:
    consultation = make_consultation()
    with_answers(consultation)
    question = themes.coded_question(consultation, "worries")
    new_themes.find_new_themes(consultation, question)
    permits = group_holding(PERMITS[0])
    named = new_themes.name_candidate(
        consultation, question, permits, "Parking", "", ["parking permits"], None
    )
    db.session.commit()
    # Another group (bins, say) turns out to be the same concern as the one named.
    bins = group_holding(BINS[0])
    count = len(themes.question_themes(question))
    theme, gained = new_themes.add_to_theme(
        question, bins, named.id, ["bin collections", "Parking permits", "bins"], None
    )
    db.session.commit()
    assert theme.id == named.id
    assert gained == ("bin collections", "bins")  # a word it had is not added twice
    assert theme.phrases == ["parking permits", "bin collections", "bins"]
    assert (bins.state, bins.theme_id) == ("named", named.id)
    assert len(themes.question_themes(question)) == count  # no theme added
    themes.autocode(consultation, question)
    db.session.commit()
    (again,) = new_themes.find_new_themes(consultation, question)
    assert again.unmatched == 0  # every permit and bin answer now has the theme


def test_adding_to_no_theme_or_no_new_words_saves_nothing(app: Flask) -> None:
    consultation = make_consultation()
    with_answers(consultation)
    question = themes.coded_question(consultation, "worries")
    new_themes.find_new_themes(consultation, question)
    db.session.commit()
    permits = group_holding(PERMITS[0])
    drugs = next(t for t in themes.question_themes(question) if t.name == "Drug misuse")
    other = make_consultation(slug="elsewhere")
    themes.ensure_themes(other)
    db.session.commit()
    foreign = themes.themes_of(other.id, question.codebook or "")[0]
    for theme_id in (None, 0, foreign.id):  # none chosen, none such, another consultation's
        with pytest.raises(themes.ThemeError, match="Choose the theme to add the words to"):
            new_themes.add_to_theme(question, permits, theme_id, ["permits"], None)
        db.session.rollback()
    with pytest.raises(themes.ThemeError, match="at least one word or phrase"):
        new_themes.add_to_theme(question, permits, drugs.id, [" "], None)
    db.session.rollback()
    had = list(drugs.phrases)
    with pytest.raises(themes.ThemeError, match="'Drug misuse' has these words already"):
        new_themes.add_to_theme(question, permits, drugs.id, [had[0].upper()], None)
    db.session.rollback()
    assert db.session.get(Theme, drugs.id).phrases == had
    assert db.session.get(ThemeCandidate, permits.id).state == "open"


def press_find(client: FlaskClient) -> TestResponse:
    """Press "Find new themes" on the page, as an officer would."""
    shown = client.get(NEW)
    form = page(shown).find("form", action=f"{NEW}/find")
    assert form is not None, "no find button"
    assert form.find("button").get_text(strip=True) == "Find new themes"
    return client.post(
        form["action"], data={"csrf_token": csrf_token(shown)}, follow_redirects=True
    )


def group_cards(response: TestResponse) -> dict[str, object]:
    return {
        card.find("h3").get_text(" ", strip=True): card
        for card in page(response).select(".govuk-summary-card")
    }


def test_an_officer_finds_groups_and_names_one_as_a_theme(client: FlaskClient) -> None:
    consultation = make_consultation()
    with_answers(consultation)
    sign_in(client, "officer")
    done = press_find(client)
    assert heading(done).endswith(
        "Find new themes in the answers to 'What are you most worried about?'"
    )
    panel = page(done).select_one(".govuk-panel").get_text(" ", strip=True)
    assert re.search(r"worries: \d groups found among 11 answers no theme matches", panel)
    assert page(done).select_one("a#made")["href"] == NEW
    shown = client.get(NEW)
    assert shown.headers["Cache-Control"] == "no-store"
    cards = group_cards(shown)
    assert all(title.startswith("Group of ") for title in cards)
    card = next(
        c for c in page(shown).select(".govuk-summary-card") if any(p in c.text for p in PERMITS)
    )
    assert card.find("h3").get_text(" ", strip=True).startswith("Group of 5 answers")
    words = [box["value"] for box in card.select("input[name=word]")]
    assert "permits" in words or "parking permits" in words
    form = card.find("form")
    named = client.post(
        form["action"],
        data={
            "csrf_token": csrf_token(shown),
            "name": "Parking permits",
            "word": [w for w in words if "permit" in w],
            "phrases": "permit charges",
        },
        follow_redirects=True,
    )
    assert named.status_code == 200
    assert "Theme 'Parking permits' added" in page(named).get_text(" ", strip=True)
    theme = db.session.scalar(sa.select(Theme).where(Theme.name == "Parking permits"))
    assert theme is not None and "permit charges" in theme.phrases
    assert len(group_cards(named)) == len(cards) - 1
    actions = list(db.session.scalars(sa.select(AuditEvent.action)))
    assert "new themes looked for" in actions and "theme added from a group of answers" in actions


LIGHTS_CY = [
    "Mae’r goleuadau stryd wedi torri ers misoedd",
    "Does dim goleuadau ar y llwybr i’r orsaf",
    "Mae angen trwsio’r goleuadau ar y stad",
    "Y goleuadau stryd ddim yn gweithio eto",
    "Pam does neb yn trwsio’r goleuadau?",
    "Dim goleuadau yn y stryd gefn gyda’r nos",
]


def test_a_group_in_welsh_is_named_as_a_theme_found_in_every_mutated_form(
    client: FlaskClient,
) -> None:
    consultation = make_consultation()
    themes.ensure_themes(consultation)
    db.session.commit()
    answered(consultation, *LIGHTS_CY, *BINS)
    sign_in(client, "officer")
    press_find(client)
    listed = client.get(NEW)
    shown = page(listed)
    card = next(
        c for c in shown.select(".govuk-summary-card") if any(t in c.text for t in LIGHTS_CY)
    )
    assert "goleuadau" in card.find("h3").get_text()
    assert "cy:" not in card.find("h3").get_text()  # the heading names the words plainly
    hint = " ".join(card.select_one(".govuk-hint").get_text().split())
    assert hint.endswith(
        "Most of these answers are in Welsh: their words are given unmutated "
        "after “cy:”, so that every mutated form is found too."
    )
    words = [box["value"] for box in card.select("input[name=word]")]
    assert "cy: goleuadau" in words
    client.post(
        card.find("form")["action"],
        data={
            "csrf_token": csrf_token(listed),
            "name": "Goleuadau stryd",
            "word": ["cy: goleuadau"],
        },
    )
    theme = db.session.scalar(sa.select(Theme).where(Theme.name == "Goleuadau stryd"))
    assert theme is not None and theme.phrases == ["cy: goleuadau"]
    lights = themes.matcher_of([theme])
    for mutated in ("Mae ei oleuadau o wedi torri", "Mae fy ngoleuadau i wedi torri"):
        assert lights.themes(mutated) == ["Goleuadau stryd"], mutated
    # A group of English answers says nothing of Welsh.
    bins = next(c for c in shown.select(".govuk-summary-card") if any(t in c.text for t in BINS))
    assert "Welsh" not in bins.select_one(".govuk-hint").get_text()


def test_naming_with_no_words_says_so_and_dismissing_keeps_it_away(client: FlaskClient) -> None:
    consultation = make_consultation()
    with_answers(consultation)
    sign_in(client, "officer")
    press_find(client)
    shown = client.get(NEW)
    cards = page(shown).select(".govuk-summary-card")
    card = next(c for c in cards if any(p in c.text for p in PERMITS))
    name_form, dismiss_form = card("form")
    refused = client.post(
        name_form["action"], data={"csrf_token": csrf_token(shown), "name": "Something"}
    )
    assert refused.status_code == 400
    assert refused.headers["Cache-Control"] == "no-store"
    summary = page(refused).select_one(".govuk-error-summary").get_text(" ", strip=True)
    assert "Choose or type at least one word or phrase that finds the theme" in summary
    assert page(refused).find("input", attrs={"name": "name", "value": "Something"}) is not None
    assert db.session.scalar(sa.select(sa.func.count()).where(Theme.name == "Something")) == 0
    dismissed = client.post(
        dismiss_form["action"], data={"csrf_token": csrf_token(shown)}, follow_redirects=True
    )
    assert "Group dismissed: its 5 answers will not be grouped again" in page(dismissed).get_text()
    assert len(group_cards(dismissed)) == len(cards) - 1
    again = client.post(dismiss_form["action"], data={"csrf_token": csrf_token(shown)})
    assert again.status_code == 404  # decided already


def test_an_officer_adds_a_groups_words_to_a_theme_the_codebook_has(client: FlaskClient) -> None:
    consultation = make_consultation()
    with_answers(consultation)
    sign_in(client, "officer")
    press_find(client)
    shown = client.get(NEW)
    card = next(
        c for c in page(shown).select(".govuk-summary-card") if any(b in c.text for b in BINS)
    )
    form = card.find("form")
    select = form.find("select", attrs={"name": "theme"})
    label = page(shown).find("label", attrs={"for": select["id"]}).get_text(strip=True)
    assert label == "Or add the ticked words to a theme you have"
    options = {o.get_text(strip=True): o["value"] for o in select("option")}
    assert options["Choose a theme"] == "" and "Anti-social behaviour" in options
    button = form.find("button", attrs={"formaction": True})
    assert button.get_text(strip=True) == "Add the words to this theme"
    data = {"csrf_token": csrf_token(shown), "word": ["bins"], "phrases": "bin collections"}
    refused = client.post(button["formaction"], data=data)  # no theme chosen
    assert refused.status_code == 400
    summary = page(refused).select_one(".govuk-error-summary a")
    assert summary.get_text(strip=True) == "Choose the theme to add the words to"
    assert page(refused).select_one(summary["href"]).name == "select"
    added = client.post(
        button["formaction"],
        data={**data, "theme": options["Anti-social behaviour"]},
        follow_redirects=True,
    )
    assert added.status_code == 200
    text = page(added).get_text(" ", strip=True)
    assert "2 words or phrases added to 'Anti-social behaviour'" in text
    theme = db.session.scalar(sa.select(Theme).where(Theme.name == "Anti-social behaviour"))
    assert theme.phrases[-2:] == ["bins", "bin collections"]
    cards = page(added).select(".govuk-summary-card")
    assert not any(any(b in c.text for b in BINS) for c in cards)  # the group is decided
    event = db.session.scalar(
        sa.select(AuditEvent).where(AuditEvent.action == "group of answers added to a theme")
    )
    assert event is not None and "phrases added: bins, bin collections" in event.detail


def test_the_themes_overview_links_to_finding_new_themes(client: FlaskClient) -> None:
    make_consultation()
    sign_in(client, "officer")
    overview = page(client.get(f"/officers/consultations/{SLUG}/themes"))
    links = {" ".join(a.get_text(" ", strip=True).split()): a["href"] for a in overview("a")}
    assert links["Find new themes in the answers to: What are you most worried about?"] == NEW
    empty = client.get(NEW)
    assert "No groups to decide on" in page(empty).get_text()


def test_councillors_cannot_see_or_find_new_themes(client: FlaskClient) -> None:
    make_consultation()
    sign_in(client, "councillor")
    assert client.get(NEW).status_code == 403
    assert client.post(f"{NEW}/find").status_code in (400, 403)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ThemeCandidate)) == 0


def test_an_unknown_question_or_group_is_not_found(client: FlaskClient) -> None:
    make_consultation()
    sign_in(client, "officer")
    url = f"/officers/consultations/{SLUG}/themes/agree/new-themes"
    assert client.get(url).status_code == 404
    shown = client.get(NEW)
    assert (
        client.post(f"{NEW}/999/dismiss", data={"csrf_token": csrf_token(shown)}).status_code == 404
    )


def test_cli_find_new_prints_the_groups_and_refuses_unknowns(runner: FlaskCliRunner) -> None:
    consultation = make_consultation()
    with_answers(consultation)
    result = runner.invoke(args=["themes", "find-new", SLUG, "--question", "worries"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert re.fullmatch(r"worries: \d groups found among 11 answers no theme matches", lines[0])
    permits = next(i for i, line in enumerate(lines) if "permits" in line)
    assert lines[permits].startswith("  5 answers: ")
    assert lines[permits + 1].removeprefix("    e.g. ") in PERMITS
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ThemeCandidate)) >= 2
    not_text = runner.invoke(args=["themes", "find-new", SLUG, "--question", "agree"])
    assert not_text.exit_code == 1
    assert "question 'agree' is not a free-text question with a codebook" in not_text.output
    unknown = runner.invoke(args=["themes", "find-new", SLUG, "--question", "nowhere"])
    assert "has no question with the key 'nowhere'" in unknown.output
