"""Officers code several answers at once, undo their last change and filter the review queue
(Flask test client, db)."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from common.accounts import create_user
from common.database import db
from common.models import AuditEvent, User
from survey.data import coding_changes, personal_data, themes
from survey.data.models import Answer, AnswerCoding, Theme, ThemeSuggestion
from tests.support import PASSWORD, error_summary, make_consultation, page, sign_in
from tests.test_themes import answered, names_of, theme_named

pytestmark = pytest.mark.db

SLUG = "safer-streets"
REVIEW = f"/officers/consultations/{SLUG}/themes/worries/review"


def apply(
    client: FlaskClient,
    answers: list[Answer],
    theme: Theme | str | None,
    *,
    action: str = "apply",
    query: str = "?show=all",
    extra: tuple[str, ...] = (),
) -> TestResponse:
    """Tick 'Select this answer' on each answer, choose the theme and press the button."""
    queue = page(client.get(REVIEW + query))
    form = queue.find("form", id="selection")
    assert form is not None, "the review page has no form for the selected answers"
    for answer in answers:
        box = queue.find("input", id=f"select-{answer.id}")
        assert box is not None and box["form"] == "selection", "answer has no selection box"
    data: dict[str, Any] = {f["name"]: f["value"] for f in form.select("input[type=hidden]")}
    data["answer"] = [str(a.id) for a in answers] + list(extra)
    data["theme"] = str(theme.id) if isinstance(theme, Theme) else (theme or "")
    data["action"] = action
    return client.post(form["action"], data=data)


def banner(client: FlaskClient, query: str = "?show=all") -> str:
    """The success banner's words on the queue, or '' when it has none."""
    found = page(client.get(REVIEW + query)).select_one(".govuk-notification-banner")
    return " ".join(found.get_text(" ", strip=True).split()) if found else ""


def press_undo(client: FlaskClient, query: str = "?show=all") -> TestResponse:
    """Press the Undo button in the banner on the queue."""
    queue = page(client.get(REVIEW + query))
    undo = queue.select_one("#undo-banner form")
    assert undo is not None, "no Undo button on the queue"
    data = {f["name"]: f["value"] for f in undo.select("input[type=hidden]")}
    return client.post(undo["action"], data=data)


def source_of(answer: Answer) -> tuple[str, int | None] | None:
    db.session.expire_all()
    coding = db.session.get(AnswerCoding, answer.id)
    return (coding.source, coding.coded_by_id) if coding else None


def test_a_theme_applied_to_selected_answers_codes_them_all_and_keeps_their_themes(
    client: FlaskClient,
) -> None:
    consultation = make_consultation()
    drugs, litter, other = answered(consultation, "Drug dealers", "All fine here", "Burglaries")
    themes.autocode(consultation)
    db.session.commit()
    sign_in(client, "officer")
    victims = theme_named(consultation, "Victims")
    response = apply(client, [drugs, litter], victims)
    assert response.status_code == 302
    assert names_of(drugs) == ["Drug misuse", "Victims"] and names_of(litter) == ["Victims"]
    assert names_of(other) == ["Volume crime"]
    officer_id = source_of(drugs)[1]
    assert source_of(drugs) == source_of(litter) == ("officer", officer_id)
    assert source_of(other) == ("auto", None)
    words = banner(client)
    assert words == "Success Theme 'Victims' applied to 2 answers Undo this change"
    assert banner(client) == "", "the banner shows once, right after the change"


def test_a_theme_removed_from_selected_answers_leaves_their_other_themes(
    client: FlaskClient,
) -> None:
    consultation = make_consultation()
    both, alone = answered(consultation, "Drunks and drug dealers", "Cannabis everywhere")
    themes.autocode(consultation)
    db.session.commit()
    sign_in(client, "officer")
    response = apply(
        client, [both, alone], theme_named(consultation, "Drug misuse"), action="remove"
    )
    assert response.status_code == 302
    assert names_of(both) == ["Alcohol misuse"] and names_of(alone) == []
    assert source_of(alone)[0] == "officer"  # "no theme" is an officer's decision too
    assert "Theme 'Drug misuse' removed from 2 answers" in banner(client)


def test_applying_with_no_answer_selected_says_select_at_least_one(client: FlaskClient) -> None:
    consultation = make_consultation()
    first, _ = answered(consultation, "Drug dealers", "All fine here")
    themes.ensure_themes(consultation)
    db.session.commit()
    sign_in(client, "officer")
    victims = theme_named(consultation, "Victims")
    response = apply(client, [], victims)
    assert response.status_code == 400
    assert error_summary(response) == ["Select at least one answer"]
    shown = page(response)
    link = shown.select_one(".govuk-error-summary__list a")
    assert link["href"] == f"#select-{first.id}", "the error should lead to the first answer's box"
    assert "Select at least one answer" in shown.find(id=f"select-{first.id}-error").get_text()
    chosen = shown.select_one("#selection-theme option[selected]")
    assert chosen is not None and chosen.get_text() == "Victims", "the chosen theme was lost"
    assert shown.title.get_text().startswith("Error:")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AnswerCoding)) == 0


def test_an_unknown_theme_or_none_is_refused_and_the_selection_kept(client: FlaskClient) -> None:
    consultation = make_consultation()
    other = make_consultation(slug="other")
    themes.ensure_themes(other)
    db.session.commit()
    first, second = answered(consultation, "Drug dealers", "All fine here")
    sign_in(client, "officer")
    response = apply(client, [first], theme_named(other, "Victims"))
    assert response.status_code == 400
    assert error_summary(response) == ["Select a theme from this question's list"]
    assert page(response).find(id=f"select-{first.id}").has_attr("checked")
    assert not page(response).find(id=f"select-{second.id}").has_attr("checked")
    response = apply(client, [first], "999999")
    assert error_summary(response) == ["Select a theme from this question's list"]
    response = apply(client, [], None)
    assert error_summary(response) == [
        "Select a theme to apply or remove",
        "Select at least one answer",
    ]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AnswerCoding)) == 0


def test_answers_to_another_question_are_refused_and_nothing_is_coded(
    client: FlaskClient,
) -> None:
    consultation = make_consultation()
    other = make_consultation(slug="other")
    (mine,) = answered(consultation, "Drug dealers")
    (theirs,) = answered(other, "Drug dealers")
    sign_in(client, "officer")
    themes.ensure_themes(consultation)
    db.session.commit()
    response = apply(client, [mine], theme_named(consultation, "Victims"), extra=[str(theirs.id)])
    assert response.status_code == 400
    assert error_summary(response) == ["Select answers to this question only"]
    assert source_of(mine) is None and source_of(theirs) is None, "nothing may be half-saved"
    assert names_of(mine) == [] and names_of(theirs) == []


def test_undo_puts_back_exactly_what_the_selected_answers_had(client: FlaskClient) -> None:
    consultation = make_consultation()
    drugs, litter = answered(consultation, "Drug dealers", "All fine here")
    themes.autocode(consultation)
    db.session.commit()
    auto_at = db.session.get(AnswerCoding, drugs.id).coded_at
    sign_in(client, "officer")
    apply(client, [drugs, litter], theme_named(consultation, "Victims"))
    response = press_undo(client)
    assert response.status_code == 302
    assert names_of(drugs) == ["Drug misuse"] and names_of(litter) == []
    assert source_of(drugs) == source_of(litter) == ("auto", None)
    assert db.session.get(AnswerCoding, drugs.id).coded_at == auto_at
    assert banner(client) == "Success Undone: theme 'Victims' applied to 2 answers"
    assert page(client.get(REVIEW + "?show=all")).select_one("#undo-banner") is None
    actions = db.session.scalars(
        sa.select(AuditEvent.action).where(
            AuditEvent.consultation_id == consultation.id,
            AuditEvent.action != "residents' words viewed",  # each view of the queue: issue 27
        )
    ).all()
    assert actions == ["themes of answers changed", "change to themes undone"]


def test_undoing_one_saved_answer_leaves_it_not_yet_coded_again(client: FlaskClient) -> None:
    consultation = make_consultation()
    first, second = answered(consultation, "Drug dealers", "All fine here")
    sign_in(client, "officer")
    themes.ensure_themes(consultation)
    db.session.commit()
    queue = page(client.get(REVIEW + "?show=uncoded"))
    form = queue.find("form", id=f"answer-{first.id}")
    data = {f["name"]: f["value"] for f in form.select("input[type=hidden]")}
    data["theme"] = [str(theme_named(consultation, "Victims").id)]
    response = client.post(form["action"], data=data)
    assert response.headers["Location"].endswith(f"?show=uncoded&page=1#answer-{second.id}")
    assert names_of(first) == ["Victims"]
    after = page(client.get(REVIEW + "?show=uncoded"))
    shown = " ".join(after.select_one("#undo-banner").get_text(" ", strip=True).split())
    assert shown == f"Success Themes saved for response {first.response.reference} Undo this change"
    assert after.select_one("#undo-banner")["data-disable-auto-focus"] == "true", (
        "after Save and next the queue goes on at the next answer: the banner must not take focus"
    )
    undo = after.select_one("#undo-banner form")
    data = {f["name"]: f["value"] for f in undo.select("input[type=hidden]")}
    response = client.post(undo["action"], data=data)
    assert response.headers["Location"].endswith("?show=uncoded&page=1")
    assert source_of(first) is None and names_of(first) == []


def test_undo_is_refused_when_an_answer_was_changed_since(client: FlaskClient) -> None:
    consultation = make_consultation()
    drugs, litter = answered(consultation, "Drug dealers", "All fine here")
    themes.autocode(consultation)
    db.session.commit()
    sign_in(client, "officer")
    apply(client, [drugs, litter], theme_named(consultation, "Victims"))
    undo_page = page(client.get(REVIEW + "?show=all"))  # the banner with its Undo button
    colleague = create_user("colleague@example.org", PASSWORD, "officer")
    themes.record_coding(litter, [theme_named(consultation, "Hate crime").id], colleague.id)
    db.session.commit()
    form = undo_page.select_one("#undo-banner form")
    data = {f["name"]: f["value"] for f in form.select("input[type=hidden]")}
    response = client.post(form["action"], data=data)
    assert response.status_code == 302
    assert names_of(drugs) == ["Drug misuse", "Victims"], "an undo refused must change nothing"
    assert names_of(litter) == ["Hate crime"], "a colleague's later change must not be lost"
    assert banner(client) == (
        "Important Your last change (theme 'Victims' applied to 2 answers) cannot be undone: "
        f"1 of its 2 answers has been changed since (response {litter.response.reference})."
        " Nothing was changed."
    )


def test_only_your_own_last_change_can_be_undone(client: FlaskClient) -> None:
    consultation = make_consultation()
    drugs, litter = answered(consultation, "Drug dealers", "All fine here")
    themes.autocode(consultation)
    db.session.commit()
    sign_in(client, "officer")
    victims = theme_named(consultation, "Victims")
    apply(client, [drugs], victims)
    first_banner = page(client.get(REVIEW + "?show=all")).select_one("#undo-banner form")
    stale = {f["name"]: f["value"] for f in first_banner.select("input[type=hidden]")}
    apply(client, [litter], victims)  # a later change replaces the first as the last
    response = client.post(first_banner["action"], data=stale)
    assert response.status_code == 302
    assert names_of(drugs) == ["Drug misuse", "Victims"] and names_of(litter) == ["Victims"]
    assert "only your last change to this question's codes can be" in banner(client)
    me = db.session.scalar(sa.select(User).where(User.email == "officer@example.org"))
    last = coding_changes.last_change(themes.coded_question(consultation, "worries"), me.id)
    assert last is not None
    other = client.application.test_client()
    sign_in(other, "officer", "colleague@example.org")
    queue = page(other.get(REVIEW + "?show=all"))
    assert queue.select_one("#undo-banner") is None, "a colleague is offered no Undo of mine"
    token = queue.find("input", attrs={"name": "csrf_token"})["value"]
    response = other.post(
        f"/officers/consultations/{SLUG}/themes/worries/undo",
        data={"csrf_token": token, "change": str(last.id)},
    )
    assert response.status_code == 302
    assert names_of(litter) == ["Victims"], "a colleague undid my change"


def test_the_queue_filters_by_no_theme_and_by_suggestion_and_they_combine(
    client: FlaskClient,
) -> None:
    consultation = make_consultation()
    drugs, litter, quiet, noisy = answered(
        consultation, "Drug dealers", "All fine here", "Nothing much", "Noisy neighbours"
    )
    themes.autocode(consultation)
    victims = theme_named(consultation, "Victims")
    db.session.add_all(
        [
            ThemeSuggestion(answer_id=drugs.id, theme_id=victims.id, confidence=0.7),
            ThemeSuggestion(answer_id=litter.id, theme_id=victims.id, confidence=0.4),
        ]
    )
    db.session.commit()
    sign_in(client, "officer")

    def shown(query: str) -> set[int]:
        queue = page(client.get(REVIEW + query))
        return {
            int(f["id"].removeprefix("answer-")) for f in queue.select("form.app-coding-answer")
        }

    assert shown("?show=all&theme=none") == {litter.id, quiet.id}
    assert shown("?show=all&suggested=yes") == {drugs.id, litter.id}
    assert shown("?show=all&theme=none&suggested=yes") == {litter.id}
    heading = page(client.get(REVIEW + "?show=all&theme=none&suggested=yes")).find(id="queue")
    assert " ".join(heading.get_text().split()) == (
        "All answers with no theme, with a suggested theme: 1 answer"
    )
    assert noisy.id in shown("?show=all&theme=bogus&suggested=maybe")  # malformed: ignored


def test_filters_are_kept_through_paging_saving_and_applying(client: FlaskClient) -> None:
    consultation = make_consultation()
    answers = answered(consultation, *[f"All fine, thanks ({n})" for n in range(22)])
    themes.autocode(consultation)
    db.session.commit()
    sign_in(client, "officer")
    query = "?show=auto&theme=none"
    queue = page(client.get(REVIEW + query))
    following = queue.select_one(".govuk-pagination__next a")["href"]
    assert following == f"{REVIEW}?page=2&show=auto&theme=none"
    response = apply(client, answers[:3], theme_named(consultation, "Victims"), query=query)
    assert response.headers["Location"] == f"{REVIEW}?show=auto&theme=none&page=1"
    after = page(client.get(REVIEW + query))
    assert "with no theme: 19 answers" in after.find(id="queue").get_text()
    assert after.select_one("#theme-filter option[selected]").get_text() == "No theme"
    undo = after.select_one("#undo-banner form")["action"]
    assert undo.endswith("/undo?page=1&show=auto&theme=none")


def test_each_answer_shows_its_themes_as_tags_and_folds_its_checkboxes_away(
    client: FlaskClient,
) -> None:
    consultation = make_consultation()
    (answer,) = answered(consultation, "Drunk kids and speeding cars")
    themes.autocode(consultation)
    db.session.commit()
    sign_in(client, "officer")
    form = page(client.get(REVIEW)).find("form", id=f"answer-{answer.id}")
    tags = [t.get_text() for t in form.select(f"#answer-{answer.id}-themes .govuk-tag")]
    assert tags == ["Alcohol misuse", "Young people", "Road safety"]
    details = form.find("details")
    assert details.summary.get_text(" ", strip=True).startswith("Change themes")
    assert len(details.select("input[name=theme]")) == 14, "every theme's box is in Change themes"
    assert not form.select("input[name=theme]:not(details input)")
    button = form.select("button")[-1]
    assert button.get_text(" ", strip=True).startswith("Save and next"), "Save ends the answer"


def test_undo_is_refused_when_a_theme_it_took_off_was_merged_away(app: Flask) -> None:
    consultation = make_consultation()
    (answer,) = answered(consultation, "Drunks and drug dealers")
    themes.autocode(consultation)
    coder = create_user("coder@example.org", PASSWORD, "officer")
    question = themes.coded_question(consultation, "worries")
    drugs = theme_named(consultation, "Drug misuse")
    change = coding_changes.remove_theme(question, [answer.id], drugs, coder.id)
    themes.merge_themes(drugs, theme_named(consultation, "Alcohol misuse"))
    db.session.commit()
    with pytest.raises(coding_changes.UndoError, match="has since been merged into another"):
        coding_changes.undo(question, coder.id, change.id)
    db.session.rollback()
    assert names_of(answer) == ["Alcohol misuse"]


def test_undo_is_refused_when_a_response_was_deleted_since(app: Flask) -> None:
    consultation = make_consultation()
    kept, deleted = answered(consultation, "Drug dealers", "Burglaries")
    themes.ensure_themes(consultation)
    coder = create_user("coder@example.org", PASSWORD, "officer")
    question = themes.coded_question(consultation, "worries")
    victims = theme_named(consultation, "Victims")
    change = coding_changes.apply_theme(question, [kept.id, deleted.id], victims, coder.id)
    personal_data.delete_response(deleted.response)
    db.session.commit()
    with pytest.raises(coding_changes.UndoError) as refused:
        coding_changes.undo(question, coder.id, change.id)
    assert str(refused.value) == (
        "Your last change (theme 'Victims' applied to 2 answers) cannot be undone:"
        " 1 of its 2 answers has been changed since. Nothing was changed"
    )
    db.session.rollback()
    assert names_of(kept) == ["Victims"]
