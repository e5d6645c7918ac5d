"""Data access for consultations and their questions: small functions over the models."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Protocol

import sqlalchemy as sa

from common.database import db, utcnow
from survey.core.definitions import ConsultationSpec, Document, structure_changes
from survey.core.follow_ups import condition_problems
from survey.core.questions import QuestionSpec
from survey.data.models import Consultation, Question, Response, Status


class ConsultationError(ValueError):
    """A change to a consultation was refused; the message says why."""


class KeyTaken(ConsultationError):
    """Another question of the consultation already has this key."""


# Question specifications per (consultation id, updated_at): residents' pages and the write
# path need them on every request, and they change only when an officer edits the questions,
# which moves updated_at (see _touch_edited_consultations), so a stale entry is never used.
_QUESTIONS: dict[tuple[int, dt.datetime], tuple[tuple[QuestionSpec, ...], dict[str, int]]] = {}
_QUESTIONS_KEPT = 256


class Versioned(Protocol):
    """What the question cache needs of a consultation: a `Consultation`, or the few columns
    of one that a submission reads (`survey.data.unfinished.Submitting`)."""

    @property
    def id(self) -> int: ...

    @property
    def updated_at(self) -> dt.datetime: ...


def question_specs(consultation: Versioned) -> tuple[QuestionSpec, ...]:
    """The consultation's questions, in order, as specifications (cached per process)."""
    return _questions(consultation)[0]


def question_ids(consultation: Versioned) -> dict[str, int]:
    """Question key -> question id (cached per process)."""
    return _questions(consultation)[1]


_QUESTIONS_OF = (
    sa.select(Question)
    .where(Question.consultation_id == sa.bindparam("consultation_id"))
    .order_by(Question.position)
)


def _questions(consultation: Versioned) -> tuple[tuple[QuestionSpec, ...], dict[str, int]]:
    key = (consultation.id, consultation.updated_at)
    found = _QUESTIONS.get(key)
    if found is None:
        if isinstance(consultation, Consultation):
            questions = list(consultation.questions)
        else:
            questions = list(db.session.scalars(_QUESTIONS_OF, {"consultation_id": key[0]}))
        found = (tuple(q.spec() for q in questions), {q.key: q.id for q in questions})
        if len(_QUESTIONS) >= _QUESTIONS_KEPT:
            _QUESTIONS.clear()
        _QUESTIONS[key] = found
    return found


@sa.event.listens_for(sa.orm.Session, "before_flush")
def _touch_edited_consultations(
    session: sa.orm.Session, context: object, instances: object
) -> None:
    """Move a consultation's updated_at whenever its questions are added, changed or removed."""
    touched: set[int] = set()
    for item in list(session.new) + list(session.dirty) + list(session.deleted):
        owner: Consultation | None = None
        if isinstance(item, Question):
            owner = item.consultation
        elif isinstance(item, Consultation) and session.is_modified(item):
            owner = item
        if owner is not None and id(owner) not in touched:
            touched.add(id(owner))
            owner.updated_at = utcnow()


# Built once: every resident's page looks its consultation up.
_BY_SLUG = sa.select(Consultation).where(Consultation.slug == sa.bindparam("slug"))


def by_slug(slug: str) -> Consultation | None:
    """The consultation with this slug, if any."""
    return db.session.scalar(_BY_SLUG, {"slug": slug})


def all_consultations() -> Sequence[Consultation]:
    """Every consultation, newest opening date first."""
    return db.session.scalars(
        sa.select(Consultation).order_by(Consultation.opens.desc(), Consultation.title)
    ).all()


def open_consultations(today: dt.date) -> Sequence[Consultation]:
    """The consultations residents can answer today, closing soonest first."""
    return db.session.scalars(
        sa.select(Consultation)
        .where(
            Consultation.status == Status.OPEN.value,
            Consultation.opens <= today,
            Consultation.closes >= today,
        )
        .order_by(Consultation.closes, Consultation.title)
    ).all()


def response_count(consultation_id: int) -> int:
    """How many responses a consultation has."""
    return (
        db.session.scalar(
            sa.select(sa.func.count(Response.id)).where(Response.consultation_id == consultation_id)
        )
        or 0
    )


def response_counts() -> dict[int, int]:
    """Responses per consultation id, in one query."""
    rows = db.session.execute(
        sa.select(Response.consultation_id, sa.func.count(Response.id)).group_by(
            Response.consultation_id
        )
    )
    return {cid: n for cid, n in rows}


def spec_of(consultation: Consultation) -> ConsultationSpec:
    """The pure-core definition of a stored consultation."""
    return ConsultationSpec(
        slug=consultation.slug,
        title=consultation.title,
        summary=consultation.summary,
        opens=consultation.opens,
        closes=consultation.closes,
        questions=tuple(q.spec() for q in consultation.questions),
        how_used=consultation.how_used or "",
        privacy=consultation.privacy or "",
        documents=documents_of(consultation),
        title_cy=consultation.title_cy or "",
        summary_cy=consultation.summary_cy or "",
        how_used_cy=consultation.how_used_cy or "",
        privacy_cy=consultation.privacy_cy or "",
    )


def documents_of(consultation: Consultation) -> tuple[Document, ...]:
    """What residents are offered to read before answering."""
    return tuple(
        Document(d["title"], d["href"], d.get("title_cy", "")) for d in consultation.documents or ()
    )


def save_definition(spec: ConsultationSpec) -> tuple[Consultation, bool]:
    """Create the consultation or update the one with the same slug; the caller commits.

    Once a consultation has responses, its questions keep their keys, types, options and
    statements (wording may change) and none may be removed, so results stay consistent.
    """
    consultation = by_slug(spec.slug)
    created = consultation is None
    if consultation is None:
        consultation = Consultation(slug=spec.slug, status=Status.DRAFT.value)
        db.session.add(consultation)
    else:
        _check_frozen(consultation, spec.questions)
    _apply_details(consultation, spec)
    consultation.documents = _documents_json(spec)
    _apply_welsh(consultation, spec)
    existing = {q.key: q for q in consultation.questions}
    wanted = {q.key for q in spec.questions}
    for key, question in existing.items():
        if key not in wanted:
            consultation.questions.remove(question)
    db.session.flush()
    for position, qspec in enumerate(spec.questions):
        question = existing.get(qspec.key) or Question()
        question.apply(qspec)
        question.position = position
        if question not in consultation.questions:
            consultation.questions.append(question)
    db.session.flush()
    return consultation, created


def create_consultation(spec: ConsultationSpec) -> Consultation:
    """Add a draft consultation with `spec`'s details; the slug must be unused. Caller commits."""
    if by_slug(spec.slug) is not None:
        raise ConsultationError(f"A consultation with the slug '{spec.slug}' already exists")
    consultation = Consultation(slug=spec.slug, status=Status.DRAFT.value)
    _apply_details(consultation, spec)
    _apply_welsh(consultation, spec)
    consultation.documents = _documents_json(spec)
    db.session.add(consultation)
    db.session.flush()
    return consultation


def update_details(consultation: Consultation, spec: ConsultationSpec) -> None:
    """Change title, text (English and Welsh) and dates; the slug stays, as links to it may
    have been shared. Its documents stay too: the officers' details form does not show them."""
    _apply_details(consultation, spec)
    _apply_welsh(consultation, spec)


def _apply_details(consultation: Consultation, spec: ConsultationSpec) -> None:
    consultation.title = spec.title
    consultation.summary = spec.summary
    consultation.how_used = spec.how_used
    consultation.privacy = spec.privacy
    consultation.opens = spec.opens
    consultation.closes = spec.closes


def _apply_welsh(consultation: Consultation, spec: ConsultationSpec) -> None:
    """The Welsh text a definition file or the officers' details form gives."""
    consultation.title_cy = spec.title_cy
    consultation.summary_cy = spec.summary_cy
    consultation.how_used_cy = spec.how_used_cy
    consultation.privacy_cy = spec.privacy_cy


def _documents_json(spec: ConsultationSpec) -> list[dict[str, str]] | None:
    return [
        {"title": d.title, "href": d.href, **({"title_cy": d.title_cy} if d.title_cy else {})}
        for d in spec.documents
    ] or None


def _check_frozen(consultation: Consultation, new: Sequence[QuestionSpec]) -> None:
    if consultation.id is None or response_count(consultation.id) == 0:
        return
    new_by_key = {q.key: q for q in new}
    problems = []
    for question in consultation.questions:
        replacement = new_by_key.get(question.key)
        if replacement is None:
            problems.append(f"question '{question.key}' cannot be removed")
            continue
        changes = structure_changes(question.spec(), replacement)
        if changes:
            problems.append(f"question '{question.key}': cannot change {', '.join(changes)}")
    if problems:
        raise ConsultationError(
            "This consultation already has responses, so "
            + "; ".join(problems)
            + " (wording fixes are still allowed)"
        )


def has_responses(consultation: Consultation) -> bool:
    """True once any response has been recorded; structure is then frozen."""
    return response_count(consultation.id) > 0


def _check_follow_ups(specs: Sequence[QuestionSpec]) -> None:
    """Refuse a change that would leave a follow-up question following nothing it can."""
    problems = condition_problems(specs)
    if problems:
        raise ConsultationError("; ".join(problems))


def add_question(consultation: Consultation, spec: QuestionSpec) -> Question:
    """Append a question; its key must be new in this consultation. Caller commits."""
    if any(q.key == spec.key for q in consultation.questions):
        raise KeyTaken(f"A question with the key '{spec.key}' already exists")
    _check_follow_ups([*(q.spec() for q in consultation.questions), spec])
    question = Question(position=len(consultation.questions))
    question.apply(spec)
    consultation.questions.append(question)
    db.session.flush()
    return question


def update_question(question: Question, spec: QuestionSpec) -> None:
    """Change a question; structure is frozen once the consultation has responses."""
    consultation = question.consultation
    if spec.key != question.key and any(q.key == spec.key for q in consultation.questions):
        raise KeyTaken(f"A question with the key '{spec.key}' already exists")
    if has_responses(consultation):
        changes = structure_changes(question.spec(), spec)
        if changes:
            raise ConsultationError(
                f"This consultation already has responses, so you cannot change "
                f"{', '.join(changes)} of this question (wording fixes are still allowed)"
            )
    _check_follow_ups([spec if q is question else q.spec() for q in consultation.questions])
    question.apply(spec)


def remove_question(question: Question) -> None:
    """Remove a question, unless the consultation already has responses."""
    consultation = question.consultation
    if has_responses(consultation):
        raise ConsultationError(
            "This consultation already has responses, so its questions cannot be removed"
        )
    _check_follow_ups([q.spec() for q in consultation.questions if q is not question])
    consultation.questions.remove(question)
    for position, remaining in enumerate(consultation.questions):
        remaining.position = position


def move_question(question: Question, step: int) -> None:
    """Move a question one place up (-1) or down (+1); at either end nothing changes."""
    questions = list(question.consultation.questions)
    index = questions.index(question)
    target = index + step
    if not 0 <= target < len(questions):
        return
    questions[index], questions[target] = questions[target], questions[index]
    _check_follow_ups([q.spec() for q in questions])
    for position, item in enumerate(questions):
        item.position = position


def set_results_published(consultation: Consultation, published: bool) -> None:
    """Publish the results to residents ("You said"), or withdraw them; only once closed."""
    if published and consultation.status != Status.CLOSED:
        raise ConsultationError("Close the consultation before publishing its results")
    consultation.results_published = published


def questions_without_welsh(consultation: Consultation) -> list[str]:
    """The questions (their English text) a consultation offered in Welsh has no Welsh for;
    none for an English-only consultation."""
    if not consultation.title_cy:
        return []
    return [q.text for q in consultation.questions if not q.text_cy]


def set_status(consultation: Consultation, status: Status) -> None:
    """Open, close or return a consultation to draft."""
    if status is Status.OPEN and not consultation.questions:
        raise ConsultationError("Add at least one question before opening the consultation")
    if status is Status.OPEN and (missing := questions_without_welsh(consultation)):
        raise ConsultationError(
            "Add the Welsh of every question before opening this consultation in Welsh, "
            f"or clear its Welsh details. Not yet in Welsh: {'; '.join(missing)}"
        )
    consultation.status = status.value
