"""The per-process cache of question specifications never serves a question as it was."""

from __future__ import annotations

import dataclasses

from flask import Flask

from common.database import db
from survey.core.definitions import parse_definition
from survey.core.questions import QuestionSpec, QuestionType
from survey.data import consultations as store
from survey.data.unfinished import submitting
from tests.support import make_consultation, open_definition


def keys_and_texts(slug: str = "safer-streets") -> list[tuple[str, str]]:
    db.session.expire_all()  # as a new request would see it
    consultation = store.by_slug(slug)
    assert consultation is not None
    return [(spec.key, spec.text) for spec in store.question_specs(consultation)]


def test_edits_to_questions_are_seen_at_once(app: Flask) -> None:
    consultation = make_consultation()
    first = keys_and_texts()
    assert first[0] == ("agree", "Do you agree with the priorities?")

    question = consultation.questions[0]
    store.update_question(
        question, dataclasses.replace(question.spec(), text="Do you agree with these priorities?")
    )
    db.session.commit()
    assert keys_and_texts()[0] == ("agree", "Do you agree with these priorities?")

    store.move_question(store.by_slug("safer-streets").questions[0], 1)  # type: ignore[union-attr]
    db.session.commit()
    assert [key for key, _ in keys_and_texts()][:2] == ["safe", "agree"]

    store.add_question(
        store.by_slug("safer-streets"),  # type: ignore[arg-type]
        QuestionSpec("extra", QuestionType.FREE_TEXT, "Anything else?", required=False),
    )
    db.session.commit()
    assert keys_and_texts()[-1] == ("extra", "Anything else?")

    store.remove_question(store.by_slug("safer-streets").questions[-1])  # type: ignore[union-attr]
    db.session.commit()
    assert "extra" not in [key for key, _ in keys_and_texts()]


def test_a_definition_reloaded_from_a_file_is_seen_at_once(app: Flask) -> None:
    make_consultation()
    keys_and_texts()
    definition = open_definition()
    definition["questions"][1]["text"] = "I feel safe at night"
    store.save_definition(parse_definition(definition))
    db.session.commit()
    assert keys_and_texts()[1] == ("safe", "I feel safe at night")
    assert store.question_ids(store.by_slug("safer-streets"))["safe"] > 0  # type: ignore[arg-type]


def test_a_submission_reads_the_questions_as_they_are_now(app: Flask) -> None:
    # The submission has no Consultation object, only its id and updated_at (its light read);
    # after an edit it is the first to ask, so it loads the questions itself.
    consultation = make_consultation()
    question = consultation.questions[0]
    store.update_question(
        question, dataclasses.replace(question.spec(), text="Do you agree with these priorities?")
    )
    db.session.commit()
    found = submitting("safer-streets", None)
    assert found is not None
    specs = store.question_specs(found)
    assert (specs[0].key, specs[0].text) == ("agree", "Do you agree with these priorities?")
    assert store.question_ids(found) == {q.key: q.id for q in consultation.questions}
    assert keys_and_texts() == [(spec.key, spec.text) for spec in specs]
