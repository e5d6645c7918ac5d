"""Officers preview a consultation exactly as residents see it, one question per page.

Answers are checked as residents' are (so officers see the same error messages) but nothing
is saved, and drafts can be previewed before anyone else can see them.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext

from common.access import role_required
from common.models import Role
from survey.core.answers import Problem, RawAnswer
from survey.core.question_types import check_answer
from survey.core.questions import QuestionSpec
from survey.data.models import Consultation
from survey.web import languages
from survey.web.officers import bp, consultation_or_404, consultation_url
from survey.web.question_pages import context_blocks, error_list, question_fields, raw_from_form


@bp.get("/consultations/<slug>/preview")
@role_required(Role.OFFICER)
def preview(slug: str) -> ResponseReturnValue:
    """Start the preview at the consultation's first question."""
    consultation = consultation_or_404(slug)
    if not consultation.questions:
        flash("Add a question before previewing the consultation", "info")
        return redirect(consultation_url(consultation))
    first = consultation.questions[0].key
    return redirect(url_for("officers.preview_question", slug=slug, key=first))


@bp.route("/consultations/<slug>/preview/<key>", methods=["GET", "POST"])
@role_required(Role.OFFICER)
def preview_question(slug: str, key: str) -> ResponseReturnValue:
    """One question as residents see it; answers are checked, never saved."""
    consultation = consultation_or_404(slug)
    specs = [q.spec() for q in consultation.questions]
    index = next((i for i, s in enumerate(specs) if s.key == key), None)
    if index is None:
        abort(404)
    languages.offer_languages(consultation)
    spec = languages.shown(specs[index])
    raw: RawAnswer | None = None
    problems: list[Problem] = []
    if request.method == "POST":
        raw = raw_from_form(spec, request.form)
        problems = check_answer(spec, raw).problems
        if not problems:
            return _next(consultation, specs, index)
    caption = gettext("Question %(number)s of %(total)s", number=index + 1, total=len(specs))
    return render_template(
        "residents/question.html",
        spec=spec,
        fields=question_fields(spec, raw, problems, caption=caption, heading=not spec.context),
        context=context_blocks(spec.context),
        caption=caption,
        errors=error_list(spec, problems),
        back_url=_back_url(consultation, specs, index),
        preview=True,
    )


def _next(consultation: Consultation, specs: list[QuestionSpec], index: int) -> ResponseReturnValue:
    """The next question of the preview, or back to the consultation after the last."""
    if index + 1 < len(specs):
        key = specs[index + 1].key
        return redirect(
            url_for("officers.preview_question", slug=consultation.slug, key=key, lang=_welsh())
        )
    flash("That was the last question of the preview. Nothing was saved.", "success")
    return redirect(consultation_url(consultation))


def _back_url(consultation: Consultation, specs: list[QuestionSpec], index: int) -> str:
    """The previous question of the preview, or the consultation page."""
    if index == 0:
        return consultation_url(consultation)
    key = specs[index - 1].key
    return url_for("officers.preview_question", slug=consultation.slug, key=key, lang=_welsh())


def _welsh() -> str | None:
    """`cy` while previewing in Welsh, for the next page's address (the choice is not kept)."""
    return "cy" if languages.current() == "cy" else None
