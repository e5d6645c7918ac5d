"""Officers add, change, reorder and remove a consultation's questions.

The form becomes the same question dict the JSON loader reads, checked by the core's
`parse_question`, so the browser and files share one set of rules. Once a consultation has
responses its questions' structure is frozen: the form shows it as text, and a forged change
is refused by `survey.data.consultations` with its own message.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovCheckboxInput,
    GovRadioInput,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    BooleanField,
    RadioField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)

from common import action_log
from common.access import role_required
from common.database import db
from common.models import Role
from survey.core.definitions import parse_question, question_to_dict, suggest_key
from survey.core.follow_ups import CHOICE_TYPES, not_asked
from survey.core.question_types import KINDS, kind_of
from survey.core.questions import QuestionSpec
from survey.data import consultations as store
from survey.data.codebooks import CodebookChoice, codebook_choices
from survey.data.consultations import ConsultationError, KeyTaken
from survey.data.models import Consultation, Question
from survey.web.date_input import form_errors
from survey.web.definition_problems import question_problem
from survey.web.officers import bp, consultation_or_404, consultation_url, question_or_404

FROZEN_FIELDS = ("key", "type", "options", "other", "rows", "breakdown", "show_if")
SHOW_IF_PREFIX = "question: show_if"
SHOW_IF_SEPARATOR = "::"  # between an earlier question's key and its option, in a ticked value
FROZEN_ID = "frozen-details"
DEFAULT_CODEBOOK = "community-safety"
NO_CODEBOOK = ""
# The fields each type of question takes, beyond those every question has. A field of another
# type is ignored when sent: without JavaScript the page shows every type's fields at once.
TYPE_FIELDS = {
    "options": "needs_options",
    "options_cy": "needs_options",
    "other": "can_have_other",
    "breakdown": "can_break_down",
    "rows": "takes_rows",
    "rows_cy": "takes_rows",
    "codebook": "takes_codebook",
}  # field: the flag of `QuestionKind` that says a type takes it


class QuestionForm(FlaskForm):  # type: ignore[misc]
    text = StringField("Question", widget=GovTextInput())
    hint = StringField(
        "Hint (optional)", widget=GovTextInput(), description="Shown under the question."
    )
    context = TextAreaField(
        "What residents read first (optional)",
        widget=GovTextArea(),
        description="Shown above the question, such as the part of a draft it asks about. "
        "The first line is its heading; start a line with '- ' for a bullet point.",
    )
    key = StringField(
        "Key",
        widget=GovTextInput(),
        description="A short name for the question in files and results, like feel_safe. "
        "Start with a lower-case letter; use only a-z, 0-9 and _. Leave it blank to make one "
        "from the question.",
    )
    type = RadioField(
        "Type of question",
        choices=[(t.value, kind.label) for t, kind in KINDS.items()],
        widget=GovRadioInput(),
        validate_choice=False,
    )
    required = RadioField(
        "Must residents answer this question?",
        choices=[("yes", "Yes"), ("no", "No, it is optional")],
        default="yes",
        widget=GovRadioInput(),
        validate_choice=False,
    )
    options = TextAreaField(
        "Options",
        widget=GovTextArea(),
        description="For 'Choose one option' and 'Choose one or more options' questions. "
        "One option per line.",
    )
    other = BooleanField(
        "Offer 'Other - please specify'",
        widget=GovCheckboxInput(),
        description="For 'Choose one or more options' questions.",
    )
    breakdown = BooleanField(
        "Use this question to break down results, for example by area",
        widget=GovCheckboxInput(),
        description="For 'Choose one option' questions.",
    )
    rows = TextAreaField(
        "Statements",
        widget=GovTextArea(),
        description="For questions with several statements. One statement per line; residents "
        "answer each on the agreement scale.",
    )
    codebook = RadioField(
        "Codebook",
        widget=GovRadioInput(),
        default=DEFAULT_CODEBOOK,
        description="For free text questions: the themes answers are coded against.",
        validate_choice=False,  # checked only for a free text question: others ignore it
    )
    show_if = SelectMultipleField(
        "Ask this question only when (optional)",
        widget=GovCheckboxesInput(),
        description="Tick the answers of one earlier question after which residents are asked "
        "this one. Tick nothing to ask everyone.",
        validate_choice=False,
    )
    text_cy = StringField("Question in Welsh", widget=GovTextInput())
    hint_cy = StringField(
        "Hint in Welsh",
        widget=GovTextInput(),
        description="Needed only if the question has a hint in English.",
    )
    context_cy = TextAreaField(
        "What residents read first, in Welsh",
        widget=GovTextArea(),
        description="Needed only if the question has this in English.",
    )
    options_cy = TextAreaField(
        "Options in Welsh",
        widget=GovTextArea(),
        description="One per line, in the same order as the English options. Answers are "
        "stored as the English option, so answers in either language count together.",
    )
    rows_cy = TextAreaField(
        "Statements in Welsh",
        widget=GovTextArea(),
        description="One per line, in the same order as the English statements.",
    )
    submit = SubmitField("Save question", widget=GovSubmitInput())

    def offer_conditions(self, earlier: list[QuestionSpec]) -> None:
        """The answers of the earlier questions this one can follow, as boxes to tick."""
        self.show_if.choices = [
            (f"{spec.key}{SHOW_IF_SEPARATOR}{choice}", f"{spec.text}: {choice}")
            for spec in earlier
            if spec.type in CHOICE_TYPES
            for choice in spec.choices
        ]

    def offer_codebooks(self, codebooks: list[CodebookChoice]) -> None:
        """The codebooks to choose from, and choosing none."""
        self.codebook.choices = [(NO_CODEBOOK, "None: the answers are not coded by theme")] + [
            (codebook.name, codebook.title) for codebook in codebooks
        ]


@bp.route("/consultations/<slug>/new-question", methods=["GET", "POST"])
@role_required(Role.OFFICER)
def new_question(slug: str) -> ResponseReturnValue:
    """Add a question at the end of the consultation."""
    consultation = consultation_or_404(slug)
    form = QuestionForm()
    form.offer_conditions([q.spec() for q in consultation.questions])
    codebooks = codebook_choices(consultation)
    form.offer_codebooks(codebooks)
    errors: list[dict[str, str]] = []
    if form.is_submitted():
        taken = [q.key for q in consultation.questions]
        spec = _checked_question(form, request.form, None, taken, bool(consultation.title_cy))
        if spec is not None:
            try:
                store.add_question(consultation, spec)
            except KeyTaken as exc:
                db.session.rollback()
                form.key.errors.append(str(exc))
            except ConsultationError as exc:
                db.session.rollback()
                form.show_if.errors.append(_follow_up_message(str(exc)))
            else:
                action_log.record(
                    "question added", consultation, f"{spec.key}: {spec.text}", by=current_user
                )
                db.session.commit()
                flash(f"Question added: {spec.text}", "success")
                return redirect(consultation_url(consultation, "questions"))
        errors = form_errors(form)
    return _form_page(consultation, None, form, errors, codebooks)


@bp.route("/consultations/<slug>/questions/<key>", methods=["GET", "POST"])
@role_required(Role.OFFICER)
def edit_question(slug: str, key: str) -> ResponseReturnValue:
    """Change a question; only its wording once there are responses."""
    consultation = consultation_or_404(slug)
    question = question_or_404(consultation, key)
    frozen = store.has_responses(consultation)
    form = QuestionForm(data=_form_data(question.spec()))
    form.offer_conditions([q.spec() for q in consultation.questions[: question.position]])
    codebooks = codebook_choices(consultation, question.codebook)
    form.offer_codebooks(codebooks)
    errors: list[dict[str, str]] = []
    if form.is_submitted():
        stored = question.spec() if frozen else None
        taken = [q.key for q in consultation.questions if q is not question]
        spec = _checked_question(form, request.form, stored, taken, bool(consultation.title_cy))
        if spec is not None:
            try:
                store.update_question(question, spec)
            except KeyTaken as exc:
                db.session.rollback()
                form.key.errors.append(str(exc))
            except ConsultationError as exc:
                db.session.rollback()
                if "show_if" in str(exc) and not frozen:
                    form.show_if.errors.append(_follow_up_message(str(exc)))
                else:
                    errors.append({"text": str(exc), "href": "#" + FROZEN_ID})
            else:
                action_log.record(
                    "question changed", consultation, f"{spec.key}: {spec.text}", by=current_user
                )
                db.session.commit()
                flash(f"Question saved: {spec.text}", "success")
                return redirect(consultation_url(consultation, "questions"))
        errors = errors + _linkable(form_errors(form), frozen)
    return _form_page(consultation, question, form, errors, codebooks, frozen=frozen)


def _linkable(errors: list[dict[str, str]], frozen: bool) -> list[dict[str, str]]:
    """Errors on fields a frozen page does not show (from a forged form) link to their text."""
    hidden = {f"#{name}" for name in FROZEN_FIELDS}
    if not frozen:
        return errors
    return [{**e, "href": "#" + FROZEN_ID} if e["href"] in hidden else e for e in errors]


def _form_page(
    consultation: Consultation,
    question: Question | None,
    form: QuestionForm,
    errors: list[dict[str, str]],
    codebooks: list[CodebookChoice],
    *,
    frozen: bool = False,
) -> ResponseReturnValue:
    """The add or change question page, with any errors; each type's own fields say which
    types take them, for the page's script to show only the chosen type's."""
    return render_template(
        "officers/question_form.html",
        consultation=consultation,
        question=question,
        form=form,
        errors=errors,
        frozen=frozen,
        frozen_rows=_frozen_rows(question.spec()) if question and frozen else [],
        frozen_id=FROZEN_ID,
        takes_codebook=question is not None and kind_of(question.type).takes_codebook,
        frozen_kind=kind_of(question.type) if question is not None else None,
        codebooks=codebooks,
        types_taking={
            name: " ".join(t.value for t, kind in KINDS.items() if getattr(kind, flag))
            for name, flag in TYPE_FIELDS.items()
        },
    )


def _form_data(spec: QuestionSpec) -> dict[str, Any]:
    """The form's fields filled in from a stored question."""
    return {
        "text": spec.text,
        "hint": spec.hint,
        "context": spec.context,
        "key": spec.key,
        "type": spec.type.value,
        "required": "yes" if spec.required else "no",
        "options": "\n".join(spec.options),
        "other": spec.other,
        "breakdown": spec.breakdown,
        "rows": "\n".join(spec.rows),
        "text_cy": spec.text_cy,
        "hint_cy": spec.hint_cy,
        "context_cy": spec.context_cy,
        "options_cy": "\n".join(spec.options_cy),
        "rows_cy": "\n".join(spec.rows_cy),
        "show_if": [
            f"{spec.show_if.question}{SHOW_IF_SEPARATOR}{answer}" for answer in spec.show_if.answers
        ]
        if spec.show_if
        else [],
        # A free text question may have no codebook; others show the default, for a change of type.
        "codebook": spec.codebook
        or ("" if kind_of(spec.type).takes_codebook else DEFAULT_CODEBOOK),
    }


def _checked_question(
    form: QuestionForm,
    posted: Mapping[str, str],
    frozen: QuestionSpec | None,
    taken: Collection[str],
    welsh_needed: bool,
) -> QuestionSpec | None:
    """The form's question checked by the core's rules, or None with errors on the fields;
    a key left blank is made from the question's text (and shown, to change if wanted).
    A consultation offered in Welsh needs every question in Welsh too."""
    form.validate()
    if not (form.key.data or "").strip() and (form.text.data or "").strip():
        form.key.data = suggest_key(form.text.data or "", taken)
    raw = _question_dict(form, posted, frozen)
    problems: list[str] = []
    spec = parse_question(raw, "question", problems)
    for problem in problems:
        if "show_if" in problem:
            form.show_if.errors.append(_follow_up_message(problem))
            continue
        name, message = question_problem(problem, raw.get("key"))
        field = form[name]
        if not field.errors:
            field.errors.append(message)
    offered = [value for value, _ in form.codebook.choices]
    if "codebook" in raw and raw["codebook"] not in offered and not form.codebook.errors:
        form.codebook.errors.append("Select a codebook from the list, or none")
    if welsh_needed and not raw["text_cy"].strip() and not form.text_cy.errors:
        form.text_cy.errors.append(
            "Enter the question in Welsh: this consultation is offered in Welsh"
        )
    return spec if not form_errors(form) else None


def _question_dict(
    form: QuestionForm, posted: Mapping[str, str], frozen: QuestionSpec | None
) -> dict[str, Any]:
    """What the officer gave, as the JSON loader's question dict.

    A frozen field is not on the page, so unless a (forged) form sends it, it keeps its
    stored value: an unticked box and a box not shown both send nothing.
    """
    required = {"yes": True, "no": False}.get(form.required.data or "", form.required.data)
    raw: dict[str, Any] = {
        "key": (form.key.data or "").strip(),
        "type": form.type.data,
        "text": form.text.data or "",
        "hint": form.hint.data or "",
        "context": form.context.data or "",
        "required": required,
        "options": _lines(form.options.data),
        "other": form.other.data,
        "breakdown": form.breakdown.data,
        "rows": _lines(form.rows.data),
        "text_cy": form.text_cy.data or "",
        "hint_cy": form.hint_cy.data or "",
        "context_cy": form.context_cy.data or "",
        "options_cy": _lines(form.options_cy.data),
        "rows_cy": _lines(form.rows_cy.data),
    }
    show_if = _show_if(form.show_if.data or [])
    if show_if is not None:
        raw["show_if"] = show_if
    if frozen is not None:
        stored = question_to_dict(frozen)
        for name in FROZEN_FIELDS:
            if name not in posted:
                raw[name] = stored.get(name)
    codebook = (form.codebook.data or "").strip()
    if raw["type"] in KINDS and kind_of(raw["type"]).takes_codebook and codebook:
        raw["codebook"] = codebook
    return _own_fields(raw)


def _own_fields(raw: dict[str, Any]) -> dict[str, Any]:
    """The question without the fields its type does not take (all of them, with no type):
    left filled in from another type, or sent from a page without JavaScript, they are not
    the officer's answer for this type."""
    kind = kind_of(raw["type"]) if raw["type"] in KINDS else None
    not_taken = [n for n, flag in TYPE_FIELDS.items() if kind is None or not getattr(kind, flag)]
    for name in not_taken:
        if name == "codebook":
            raw.pop(name, None)
        else:
            raw[name] = False if name in ("other", "breakdown") else []
    return raw


def _show_if(ticked: list[str]) -> dict[str, Any] | None:
    """The ticked answers as a definition's show_if; answers of several questions are kept
    as they are, for the core to refuse."""
    if not ticked:
        return None
    pairs = [value.partition(SHOW_IF_SEPARATOR) for value in ticked]
    questions = list(dict.fromkeys(key for key, _, _ in pairs))
    if len(questions) > 1:
        return {"question": questions, "answers": [answer for _, _, answer in pairs]}
    return {"question": questions[0], "answers": [answer for _, _, answer in pairs]}


def _follow_up_message(problem: str) -> str:
    """A condition's problem as the page says it."""
    if "show_if needs the key" in problem:
        return "Tick the answers of one earlier question only"
    rest = problem.split("show_if", 1)[-1].lstrip(": ")
    return rest[:1].upper() + rest[1:]


def _lines(text: str | None) -> list[str]:
    """One entry per non-blank line of a textarea."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _frozen_rows(spec: QuestionSpec) -> list[dict[str, Any]]:
    """Summary list rows for the parts of a question that can no longer change."""
    kind = kind_of(spec.type)
    rows = [("Key", [spec.key]), ("Type of question", [kind.label])]
    if kind.needs_options:
        other = ["Other - please specify"] if spec.other else []
        rows.append(("Options", [*spec.options, *other]))
    if kind.can_break_down:
        rows.append(("Breaks down results", ["Yes" if spec.breakdown else "No"]))
    if kind.takes_rows:
        rows.append(("Statements", list(spec.rows)))
    if spec.show_if is not None:
        rows.append(
            ("Asked only when", [not_asked(spec).removeprefix("this question is only asked when ")])
        )
    return [{"key": {"text": label}, "value": {"lines": lines}} for label, lines in rows]


@bp.post("/consultations/<slug>/questions/<key>/move")
@role_required(Role.OFFICER)
def move_question(slug: str, key: str) -> ResponseReturnValue:
    """Move a question one place up or down."""
    consultation = consultation_or_404(slug)
    question = question_or_404(consultation, key)
    step = {"up": -1, "down": 1}.get(request.form.get("direction", ""))
    if step is None:
        abort(400)
    try:
        store.move_question(question, step)
    except ConsultationError as exc:
        db.session.rollback()
        flash(f"Question not moved: {exc}", "important")
        return redirect(consultation_url(consultation, "questions"))
    action_log.record(
        f"question moved {request.form['direction']}", consultation, question.key, by=current_user
    )
    db.session.commit()
    flash(f"Question moved {request.form['direction']}: {question.text}", "success")
    return redirect(consultation_url(consultation, "questions"))


@bp.route("/consultations/<slug>/questions/<key>/remove", methods=["GET", "POST"])
@role_required(Role.OFFICER)
def remove_question(slug: str, key: str) -> ResponseReturnValue:
    """Ask for confirmation, then remove a question (never once there are responses)."""
    consultation = consultation_or_404(slug)
    question = question_or_404(consultation, key)
    errors: list[dict[str, str]] = []
    if request.method == "POST":
        text = question.text
        try:
            store.remove_question(question)
        except ConsultationError as exc:
            db.session.rollback()
            errors.append({"text": str(exc), "href": "#cannot-remove"})
        else:
            action_log.record("question removed", consultation, f"{key}: {text}", by=current_user)
            db.session.commit()
            flash(f"Question removed: {text}", "success")
            return redirect(consultation_url(consultation, "questions"))
    return render_template(
        "officers/remove_question.html",
        consultation=consultation,
        question=question,
        frozen=store.has_responses(consultation),
        errors=errors,
        edit_url=url_for("officers.edit_question", slug=slug, key=key),
    )
