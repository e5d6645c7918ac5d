"""Theme suggestions learnt from officers' codes: data access, CLI and pages (db)."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from werkzeug.test import TestResponse

import survey.cli.suggestions  # noqa: F401  (adds `flask themes suggest`, as app.py does)
from common.database import db
from common.display import percent
from survey.core import learning
from survey.data import suggestions, themes
from survey.data.models import (
    Answer,
    AnswerCoding,
    AnswerTheme,
    Consultation,
    Theme,
    ThemeSuggestion,
)
from tests.support import csrf_token, heading, make_consultation, page, sign_in
from tests.test_themes import answered, officer

pytestmark = pytest.mark.db

SLUG = "safer-streets"
THEMES = f"/officers/consultations/{SLUG}/themes/worries"
AGREEMENT = f"{THEMES}/suggestions"

PARKING = [
    "Cars parked on the pavement so prams cannot get past",
    "Parking across driveways every evening",
    "People parking on double yellow lines near the shops",
    "Vans parked on the grass verge all week",
    "Parking on the corner makes it hard to see",
    "Pavement parking outside the school gates",
]
BINS = [
    "Overflowing bins left on the street",
    "Bins never collected and rubbish bags split open",
    "Wheelie bins left out all week on the pavement",
    "Rubbish dumped next to the communal bins",
    "Bin bags torn open by foxes",
    "Recycling bins overflowing behind the flats",
]
NEITHER = ["Nothing really", "I feel quite safe", "No comment"]
OPEN = [
    "Someone parked on the pavement again today",  # Parking, clearly
    "Rubbish bins overflowing by the flats",  # Bins, clearly
    "Lovely weather",
]


def coded_by_officers(consultation: Consultation) -> tuple[list[Answer], list[Answer]]:
    """15 answers an officer reviewed (Parking, Bins, or no theme), and 3 not reviewed.

    "Parking" and "Bins" are themes officers added, with no phrases, so nothing but a learnt
    suggestion ever ticks them.
    """
    themes.ensure_themes(consultation)
    parking = themes.add_theme(consultation, "community-safety", "Parking")
    bins = themes.add_theme(consultation, "community-safety", "Bins")
    db.session.commit()
    reviewed = answered(consultation, *PARKING, *BINS, *NEITHER)
    coder = officer()
    for answer in reviewed:
        chosen = (
            [parking.id] if answer.text in PARKING else [bins.id] if answer.text in BINS else []
        )
        themes.record_coding(answer, chosen, coder.id)
    db.session.commit()
    return reviewed, answered(consultation, *OPEN)


def snapshot_codes() -> tuple[set[tuple[int, int]], set[tuple[int, str, int | None]]]:
    return (
        set(db.session.execute(sa.select(AnswerTheme.answer_id, AnswerTheme.theme_id)).tuples()),
        set(
            db.session.execute(
                sa.select(AnswerCoding.answer_id, AnswerCoding.source, AnswerCoding.coded_by_id)
            ).tuples()
        ),
    )


def suggested() -> dict[int, dict[str, float]]:
    found: dict[int, dict[str, float]] = {}
    for answer_id, name, confidence in db.session.execute(
        sa.select(ThemeSuggestion.answer_id, Theme.name, ThemeSuggestion.confidence).join(
            Theme, Theme.id == ThemeSuggestion.theme_id
        )
    ):
        found.setdefault(answer_id, {})[name] = confidence
    return found


def test_suggestions_go_to_unreviewed_answers_only_and_codes_stay(app: Flask) -> None:
    consultation = make_consultation()
    reviewed, (parked, rubbish, weather) = coded_by_officers(consultation)
    themes.autocode(consultation, themes.coded_question(consultation, "worries"))
    before = snapshot_codes()
    (result,) = suggestions.suggest(consultation)
    db.session.commit()
    assert (result.reviewed, result.considered, result.suggested) == (15, 3, 2)
    assert result.learnt == ("Parking", "Bins") and result.reason is None
    assert result.skipped["Road safety"].startswith("officers gave it to 0 of the reviewed")
    found = suggested()
    assert set(found) <= {parked.id, rubbish.id, weather.id}
    assert found[parked.id]["Parking"] > 0.5 and found[parked.id].get("Bins", 0) < 0.5
    assert found[rubbish.id]["Bins"] > 0.5 and found[rubbish.id].get("Parking", 0) < 0.5
    assert not {reviewed_answer.id for reviewed_answer in reviewed} & set(found)
    assert snapshot_codes() == before


def test_suggesting_again_replaces_earlier_suggestions(app: Flask) -> None:
    consultation = make_consultation()
    reviewed, (parked, rubbish, weather) = coded_by_officers(consultation)
    suggestions.suggest(consultation)
    bins = db.session.scalars(sa.select(Theme).where(Theme.name == "Bins")).one()
    db.session.execute(
        sa.update(ThemeSuggestion)
        .where(ThemeSuggestion.answer_id == parked.id)
        .values(confidence=0.01)
    )
    db.session.execute(sa.delete(ThemeSuggestion).where(ThemeSuggestion.answer_id == weather.id))
    db.session.add(ThemeSuggestion(answer_id=weather.id, theme_id=bins.id, confidence=0.99))
    themes.record_coding(rubbish, [bins.id], officer_id=None)  # now reviewed
    db.session.commit()
    (result,) = suggestions.suggest(consultation)
    db.session.commit()
    found = suggested()
    assert result.reviewed == 16 and result.considered == 2
    assert rubbish.id not in found
    assert found[parked.id]["Parking"] > 0.5
    assert found.get(weather.id, {}).get("Bins", 0) < 0.5


def test_too_few_reviewed_answers_suggests_nothing_and_says_why(app: Flask) -> None:
    consultation = make_consultation()
    reviewed, (parked, _, _) = coded_by_officers(consultation)
    suggestions.suggest(consultation)
    db.session.commit()
    assert parked.id in suggested()
    db.session.execute(
        sa.delete(AnswerCoding).where(AnswerCoding.answer_id.in_([a.id for a in reviewed[6:]]))
    )
    db.session.commit()
    (result,) = suggestions.suggest(consultation)
    db.session.commit()
    assert result.reason == (
        "officers have reviewed 6 of these answers: suggestions need at least 10"
    )
    assert suggested() == {}


def test_agreement_is_per_theme_with_officers_examples(app: Flask) -> None:
    consultation = make_consultation()
    coded_by_officers(consultation)
    measured = suggestions.agreement(themes.coded_question(consultation, "worries"))
    by_name = {theme.name: theme for theme in measured.themes}
    assert measured.reviewed == 15
    assert by_name["Parking"].examples == 6 and by_name["Bins"].examples == 6
    assert by_name["Parking"].score is not None and by_name["Parking"].score.f1 > 0.8
    assert by_name["Road safety"].score is None and by_name["Road safety"].examples == 0


def ticked(client: FlaskClient, answer: Answer) -> list[str]:
    form = page(client.get(f"{THEMES}/review?show=uncoded")).find("form", id=f"answer-{answer.id}")
    return [
        form.find("label", attrs={"for": box["id"]}).get_text(" ", strip=True)
        for box in form.select("input[type=checkbox][checked]")
    ]


def press_suggest(client: FlaskClient) -> TestResponse:
    """Press "Suggest themes from officers' coding" on the agreement page, as an officer would."""
    agreement_page = client.get(AGREEMENT)
    form = page(agreement_page).find("form", action=f"{THEMES}/suggest")
    assert form is not None, "no suggest button"
    assert form.find("button").get_text(strip=True) == "Suggest themes from officers' coding"
    return client.post(
        form["action"], data={"csrf_token": csrf_token(agreement_page)}, follow_redirects=True
    )


def test_the_review_queue_ticks_confident_suggestions(client: FlaskClient) -> None:
    consultation = make_consultation()
    _, (parked, rubbish, weather) = coded_by_officers(consultation)
    sign_in(client, "officer")
    assert not any(label.startswith("Parking") for label in ticked(client, parked))
    done = press_suggest(client)
    assert heading(done).endswith(
        "Suggest themes for the answers to 'What are you most worried about?'"
    )
    assert (
        "worries: learnt from 15 reviewed answers; suggestions for 3 answers not yet reviewed"
        in page(done).select_one(".govuk-panel").get_text()
    )
    assert page(done).select_one("a#made")["href"] == AGREEMENT
    (parking,) = [label for label in ticked(client, parked) if label.startswith("Parking")]
    assert re.fullmatch(r"Parking \( suggested from your codes \d+% \)", parking)
    assert any(label.startswith("Bins") for label in ticked(client, rubbish))
    assert not any(label.startswith(("Parking", "Bins")) for label in ticked(client, weather))


def test_the_agreement_page_explains_each_theme_to_officers(client: FlaskClient) -> None:
    consultation = make_consultation()
    coded_by_officers(consultation)
    sign_in(client, "officer")
    response = client.get(AGREEMENT)
    assert response.status_code == 200
    assert heading(response).endswith("Suggested themes: What are you most worried about?")
    rows = {
        row.find("th").get_text(strip=True): [td.get_text(" ", strip=True) for td in row("td")]
        for row in page(response).select("tbody tr")
    }
    assert rows["Parking"][0] == "6" and all(cell.endswith("%") for cell in rows["Parking"][1:])
    assert rows["Road safety"] == [
        "0",
        "Not suggested: officers gave it to 0 of the reviewed answers: suggestions need at least 2",
    ]
    text = page(response).get_text(" ", strip=True)
    assert "Low recall means many answers with the theme will not have it suggested" in text


def test_the_themes_overview_links_to_each_questions_suggestions(client: FlaskClient) -> None:
    make_consultation()
    sign_in(client, "officer")
    overview = page(client.get(f"/officers/consultations/{SLUG}/themes"))
    links = {" ".join(a.get_text(" ", strip=True).split()): a["href"] for a in overview("a")}
    text = "Suggest themes learnt from officers' coding for: What are you most worried about?"
    assert links[text] == AGREEMENT
    assert client.get(AGREEMENT).status_code == 200


def test_the_agreement_page_says_when_too_few_answers_are_reviewed(client: FlaskClient) -> None:
    make_consultation()
    sign_in(client, "officer")
    text = page(client.get(AGREEMENT)).get_text(" ", strip=True)
    assert "Not measured yet: officers have reviewed 0 of these answers" in text
    done = page(press_suggest(client)).get_text(" ", strip=True)
    assert "worries: no suggestions: officers have reviewed 0 of these answers" in done


def test_councillors_cannot_see_or_run_suggestions(client: FlaskClient) -> None:
    make_consultation()
    sign_in(client, "councillor")
    assert client.get(AGREEMENT).status_code == 403
    assert client.post(f"{THEMES}/suggest").status_code in (400, 403)  # no CSRF token either
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ThemeSuggestion)) == 0


def test_an_unknown_question_is_not_found(client: FlaskClient) -> None:
    make_consultation()
    sign_in(client, "officer")
    assert client.get(f"/officers/consultations/{SLUG}/themes/agree/suggestions").status_code == 404


def test_cli_suggest_prints_counts_and_the_agreement_table(runner: FlaskCliRunner) -> None:
    consultation = make_consultation()
    coded_by_officers(consultation)
    result = runner.invoke(args=["themes", "suggest", SLUG, "--question", "worries"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == (
        "worries: learnt from 15 reviewed answers; suggestions for 3 answers not yet "
        "reviewed, 2 with a theme suggested at 50% or more"
    )
    assert lines[1].split() == ["theme", "examples", "precision", "recall", "F1"]
    parking = next(line.split() for line in lines if line.strip().startswith("Parking"))
    assert parking[1] == "6" and all(cell.endswith("%") for cell in parking[2:])
    assert any("Road safety" in line and "not suggested" in line for line in lines)
    assert "cross-validated on 15 reviewed answers (5 folds)" in result.output
    assert len(suggested()) == 3


def test_cli_suggest_explains_too_few_and_refuses_unknowns(runner: FlaskCliRunner) -> None:
    make_consultation()
    result = runner.invoke(args=["themes", "suggest", SLUG])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == (
        "worries: no suggestions: officers have reviewed 0 of these answers: "
        "suggestions need at least 10"
    )
    unknown = runner.invoke(args=["themes", "suggest", "nowhere"])
    assert unknown.exit_code == 1
    assert unknown.output.strip() == "Error: No consultation with the slug 'nowhere'"


def test_the_queue_shows_least_sure_suggestions_first_once_there_are_any(app: Flask) -> None:
    consultation = make_consultation()
    _, (parked, rubbish, weather) = coded_by_officers(consultation)
    question = themes.coded_question(consultation, "worries")
    oldest = themes.review_page(question, themes.Show.UNCODED, least_sure_first=True)
    assert [i.answer_id for i in oldest.items] == [parked.id, rubbish.id, weather.id]
    for answer, confidence in ((parked, 0.97), (rubbish, 0.55), (weather, 0.3)):
        theme = next(t for t in themes.question_themes(question) if t.name == "Parking")
        db.session.add(
            ThemeSuggestion(answer_id=answer.id, theme_id=theme.id, confidence=confidence)
        )
    db.session.commit()
    ordered = themes.review_page(question, themes.Show.UNCODED, least_sure_first=True)
    assert [i.answer_id for i in ordered.items] == [rubbish.id, weather.id, parked.id]
    plain = themes.review_page(question, themes.Show.UNCODED)
    assert [i.answer_id for i in plain.items] == [parked.id, rubbish.id, weather.id]


def test_least_sure_first_puts_unsuggested_answers_after_unsure_ones(app: Flask) -> None:
    consultation = make_consultation()
    _, (parked, rubbish, weather) = coded_by_officers(consultation)
    question = themes.coded_question(consultation, "worries")
    bins = next(t for t in themes.question_themes(question) if t.name == "Bins")
    db.session.add(ThemeSuggestion(answer_id=weather.id, theme_id=bins.id, confidence=0.45))
    db.session.add(ThemeSuggestion(answer_id=parked.id, theme_id=bins.id, confidence=0.99))
    db.session.commit()
    ordered = themes.review_page(question, themes.Show.UNCODED, least_sure_first=True)
    # weather: 45% (unsure); parked: 99% (all but sure); rubbish: none stored (under 20%)
    assert [i.answer_id for i in ordered.items] == [weather.id, parked.id, rubbish.id]


def test_an_answer_unsure_of_two_themes_comes_before_one_unsure_of_one(app: Flask) -> None:
    consultation = make_consultation()
    _, (parked, rubbish, weather) = coded_by_officers(consultation)
    question = themes.coded_question(consultation, "worries")
    by_name = {t.name: t for t in themes.question_themes(question)}
    for answer, theme, confidence in (
        (parked, "Parking", 0.5),  # one theme at even odds: 1
        (weather, "Parking", 0.6),  # two themes fairly unsure: 0.8 + 0.6
        (weather, "Bins", 0.7),
        (rubbish, "Bins", 0.9),  # 0.2
    ):
        db.session.add(
            ThemeSuggestion(answer_id=answer.id, theme_id=by_name[theme].id, confidence=confidence)
        )
    db.session.commit()
    ordered = themes.review_page(question, themes.Show.UNCODED, least_sure_first=True)
    assert [i.answer_id for i in ordered.items] == [weather.id, parked.id, rubbish.id]
    found = {item.answer_id: learning.uncertainty(item.suggested) for item in ordered.items}
    assert found == pytest.approx({weather.id: 1.4, parked.id: 1.0, rubbish.id: 0.2})


def test_the_review_queue_orders_least_sure_first_and_shows_each_themes_agreement(
    client: FlaskClient,
) -> None:
    consultation = make_consultation()
    coded_by_officers(consultation)
    sign_in(client, "officer")
    before = page(client.get(f"{THEMES}/review?show=uncoded"))
    assert before.find("select", id="order") is None and before.find(id="trust") is None
    press_suggest(client)
    queue = page(client.get(f"{THEMES}/review?show=uncoded"))
    chosen = queue.find("select", id="order").find("option", selected=True)
    assert chosen.get_text(strip=True) == "Least sure suggestions first"
    note = queue.find(id="order-note").get_text()
    assert "least sure come first (themes nearest 50%, and more of them)" in note
    rows = {
        row.find("th").get_text(strip=True): [td.get_text(strip=True) for td in row("td")]
        for row in queue.find(id="trust").select("tbody tr")
    }
    measured = suggestions.agreement(themes.coded_question(consultation, "worries"))
    parking = next(t for t in measured.themes if t.name == "Parking").score
    assert parking is not None
    assert rows["Parking"] == [percent(parking.precision * 100), percent(parking.recall * 100)]
    assert "Road safety" not in rows  # never suggested: nothing to trust
    oldest = page(client.get(f"{THEMES}/review?show=uncoded&order=oldest"))
    assert oldest.find("select", id="order").find("option", selected=True)["value"] == "oldest"
    form = oldest.select_one("form.app-coding-answer")
    assert "order=oldest" in form["action"]
