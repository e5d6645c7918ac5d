"""Officers' pages for coding free-text answers with themes: auto-code, review, manage themes.

Thin: every change is a `survey.data.themes` function, the same ones `flask themes` calls.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from common import action_log
from common.access import role_required
from common.database import db
from common.display import number, plural
from common.models import Role
from survey.core.coding import Matcher, highlighted, unique_phrases
from survey.core.learning import Agreement, TooFewExamples
from survey.core.suggesting import LEARNT
from survey.data import coding_changes, suggestions, themes
from survey.data.coding_changes import UndoError
from survey.data.models import Consultation, Question, Theme
from survey.data.themes import ReviewItem, Show, ThemeError
from survey.web.addresses import query_number
from survey.web.officers import consultation_or_404

bp = Blueprint("coding", __name__)

PER_PAGE = 20
SUGGESTED = 0.5  # a learnt suggestion at least this confident is ticked in the queue
LEAST_SURE, OLDEST = "least-sure", "oldest"
ORDER_LABELS = {LEAST_SURE: "Least sure suggestions first", OLDEST: "Oldest response first"}
NO_THEME = "none"  # the theme filter's value for answers with no theme
CHECK = "check"  # the theme form's button that tries its words without saving them
DISAGREEING = 10  # answers shown of each way a theme's words and officers disagree
APPLY, REMOVE = "apply", "remove"
SELECTION = "#selection"  # an error about the selected answers: shown at the first answer's box
JUST_DONE = "coding-change"  # session key: the change whose Undo button the queue shows next
KEPT = ("show", "theme", "suggested", "order", "page")  # query arguments kept after a POST
SHOW_LABELS = {
    Show.TO_REVIEW: "Not yet reviewed",
    Show.UNCODED: "Not yet coded",
    Show.AUTO: "Auto-coded",
    Show.REVIEWED: "Reviewed by an officer",
    Show.ALL: "All answers",
}


def question_or_404(consultation: Consultation, key: str) -> Question:
    """A free-text question of the consultation, coded with themes; else 404."""
    try:
        return themes.coded_question(consultation, key)
    except ThemeError:
        abort(404)


def theme_or_404(consultation: Consultation, question: Question, theme_id: int) -> Theme:
    """A theme of the question's codebook; else 404."""
    theme = themes.theme_of(consultation, theme_id)
    if theme is None or theme.codebook != question.codebook:
        abort(404)
    return theme


@bp.get("/consultations/<slug>/themes")
@role_required(Role.OFFICER)
def overview(slug: str) -> ResponseReturnValue:
    """The consultation's coded questions, how far each is coded, and the auto-code button."""
    consultation = consultation_or_404(slug)
    themes.ensure_themes(consultation)
    db.session.commit()
    questions = themes.coded_questions(consultation)
    return render_template(
        "officers/coding/overview.html",
        consultation=consultation,
        questions=[(q, themes.coding_counts(q)) for q in questions],
    )


@bp.post("/consultations/<slug>/themes/autocode")
@role_required(Role.OFFICER)
def autocode(slug: str) -> ResponseReturnValue:
    """Auto-code every coded question's answers, keeping officers' decisions."""
    consultation = consultation_or_404(slug)
    results = themes.autocode(consultation)
    coded = sum(r.coded for r in results)
    themed = sum(r.themed for r in results)
    kept = sum(r.kept for r in results)
    changed = sum(r.changed for r in results)
    action_log.record(
        "answers auto-coded",
        consultation,
        detail=f"{coded} answers, {changed} changed, {kept} kept",
        by=current_user,
    )
    db.session.commit()
    message = (
        f"{plural(coded, 'answer')} auto-coded, {number(themed)} with at least one theme."
        f" {_changed(changed, coded)}"
    )
    if kept:
        message += f" {plural(kept, 'answer')} reviewed by officers kept as they were."
    flash(message, "success")
    return redirect(url_for(".overview", slug=slug))


def _changed(changed: int, coded: int) -> str:
    """What a run changed: after a codebook edit, the officer sees how many answers it moved."""
    if changed == coded:
        return "All were coded for the first time or differently from before." if coded else ""
    if not changed:
        return "None is coded differently from before."
    return f"{plural(changed, 'answer')} coded for the first time or differently from before."


@bp.get("/consultations/<slug>/themes/<key>/review")
@role_required(Role.OFFICER)
def review(slug: str, key: str) -> ResponseReturnValue:
    """The review queue: each answer with its themes, to change one by one or several at once."""
    consultation = consultation_or_404(slug)
    question = question_or_404(consultation, key)
    themes.ensure_themes(consultation)
    db.session.commit()
    done = session.pop(JUST_DONE, None)
    return _review_page(consultation, question, just_done=done if isinstance(done, dict) else None)


def _review_page(
    consultation: Consultation,
    question: Question,
    *,
    just_done: dict[str, Any] | None = None,
    errors: Sequence[dict[str, str]] = (),
    selected: Collection[int] = (),
    chosen_theme: str = "",
) -> ResponseReturnValue:
    """The review queue as the query string filters it; with `errors`, the selection form
    refused, as it was filled in. `just_done`: the change the officer has just made, and whether
    its banner takes focus (not after saving one answer: the queue goes on at the next)."""
    theme_list = themes.question_themes(question)
    has_suggestions = suggestions.suggestion_count(question) > 0
    has_learnt = suggestions.suggestion_count(question, LEARNT) > 0  # ordered by sureness
    filters = _filters({t.id for t in theme_list}, has_suggestions, has_learnt)
    page = themes.review_page(
        question,
        filters.show,
        filters.theme_id,
        filters.page,
        PER_PAGE,
        least_sure_first=filters.order == LEAST_SURE,
        no_theme=filters.no_theme,
        suggested=filters.suggested,
    )
    # Audit log (issue 27): residents' words shown, named by answer id.
    action_log.record_read(
        "residents' words viewed",
        consultation,
        f"coding review: {question.key}",
        f"answers {_ids([item.answer_id for item in page.items])}",
        by=current_user,
    )
    matcher = themes.matcher_of(theme_list)
    ticked = {item.answer_id: _ticked(item, matcher, theme_list) for item in page.items}
    matched = {item.answer_id: matcher.matches(item.text) for item in page.items}
    last = coding_changes.last_change(question, current_user.id)
    first_box = f"#select-{page.items[0].answer_id}" if page.items else "#queue"
    html = render_template(
        "officers/coding/review.html",
        consultation=consultation,
        question=question,
        themes=theme_list,
        names={t.id: t.name for t in theme_list},
        page=page,
        ticked=ticked,
        matched=matched,
        pieces={i.answer_id: highlighted(i.text, matched[i.answer_id]) for i in page.items},
        show=filters.show,
        show_labels=SHOW_LABELS,
        theme_filter=filters.theme_value,
        theme_id=filters.theme_id,
        suggested_only=filters.suggested,
        has_suggestions=has_suggestions,
        counts=themes.coding_counts(question),
        filters=filters.args(),
        order=filters.order,
        order_labels=ORDER_LABELS,
        agreement=_agreement(question) if has_learnt else None,
        undoable=last if last is not None and just_done and last.id == just_done["id"] else None,
        focus_banner=bool(just_done and just_done.get("focus")),
        errors=[{**e, "href": first_box if e["href"] == SELECTION else e["href"]} for e in errors],
        selected=set(selected),
        chosen_theme=chosen_theme,
    )
    return html, 400 if errors else 200


def _agreement(question: Question) -> Agreement | None:
    """How far to trust each theme's suggestions, or None while too few answers are reviewed."""
    try:
        return suggestions.agreement(question)
    except TooFewExamples:
        return None


def _ticked(item: ReviewItem, matcher: themes.Matcher, theme_list: list[Theme]) -> set[int]:
    """Themes ticked for an answer: its codes, or for an uncoded one, what is suggested."""
    if item.source is not None:
        return set(item.theme_ids)
    found = {theme_list[i].id for i in matcher.theme_indexes(item.text)}
    learnt = {theme for theme, confidence in item.suggested.items() if confidence >= SUGGESTED}
    return found | learnt | item.suggested_by_model


def _ids(ids: Collection[int]) -> str:
    """Ids for the audit log (issue 27): "none" or "3, 5, 8"."""
    return ", ".join(str(i) for i in sorted(ids)) or "none"


@dataclass(frozen=True)
class Filters:
    """The queue's filters, which combine and are kept through paging, saving and undoing."""

    show: Show
    theme_id: int | None  # answers coded with this theme
    no_theme: bool  # answers coded with no theme, or not coded
    suggested: bool  # answers with a learnt suggestion
    order: str | None  # None until the question has suggestions
    page: int

    @property
    def theme_value(self) -> str:
        """The theme filter as the query string has it."""
        return NO_THEME if self.no_theme else str(self.theme_id or "")

    def args(self) -> dict[str, Any]:
        """The filters as query-string arguments for url_for (the page apart)."""
        args: dict[str, Any] = {"show": self.show.value}
        if self.theme_value:
            args["theme"] = self.theme_value
        if self.suggested:
            args["suggested"] = "yes"
        if self.order is not None:
            args["order"] = self.order
        return args


def _filters(theme_ids: Collection[int], has_suggestions: bool, has_learnt: bool) -> Filters:
    """The queue's filters from the query string, ignoring anything malformed; the order by
    sureness only once there are learnt suggestions (a language model's carry no sureness)."""
    try:
        show = Show(request.args.get("show", Show.TO_REVIEW.value))
    except ValueError:
        show = Show.TO_REVIEW
    theme_id = query_number("theme")
    if theme_id not in theme_ids:
        theme_id = None
    order = request.args.get("order", "")
    return Filters(
        show=show,
        theme_id=theme_id,
        no_theme=request.args.get("theme") == NO_THEME,
        suggested=has_suggestions and request.args.get("suggested") == "yes",
        order=(order if order in ORDER_LABELS else LEAST_SURE) if has_learnt else None,
        page=query_number("page") or 1,
    )


def _back_to_queue(slug: str, key: str, anchor: str | None = None) -> ResponseReturnValue:
    """Back to the queue after a POST, with the filters and page its query string carried; at
    its top (where the banner says what was done), or at `anchor`."""
    kept = {name: request.args[name] for name in KEPT if request.args.get(name)}
    return redirect(url_for(".review", slug=slug, key=key, _anchor=anchor, **kept))


@bp.post("/consultations/<slug>/themes/<key>/answers/<int:answer_id>")
@role_required(Role.OFFICER)
def code_answer(slug: str, key: str, answer_id: int) -> ResponseReturnValue:
    """Record an officer's themes for one answer, then go on to the next in the queue."""
    consultation = consultation_or_404(slug)
    question = question_or_404(consultation, key)
    answer = themes.answer_of(question, answer_id)
    if answer is None:
        abort(404)
    chosen = [int(v) for v in request.form.getlist("theme") if v.isdigit()]
    try:
        change = coding_changes.code_answers(
            question,
            {answer.id: chosen},
            current_user.id,
            f"Themes saved for response {answer.response.reference}",
        )
    except ThemeError:
        db.session.rollback()
        abort(400)
    # Audit log (issue 27): which answer was coded with which themes, never its words.
    action_log.record(
        "answer coded",
        consultation,
        f"answer {answer.id}",
        f"response {answer.response.reference}; theme ids: {_ids(chosen)}",
        by=current_user,
    )
    db.session.commit()
    session[JUST_DONE] = {"id": change.id, "focus": False}
    following = request.form.get("next", "")
    return _back_to_queue(slug, key, f"answer-{following}" if following.isdigit() else "queue")


@bp.post("/consultations/<slug>/themes/<key>/selected")
@role_required(Role.OFFICER)
def code_selected(slug: str, key: str) -> ResponseReturnValue:
    """Apply one theme to the selected answers, or take it off them, all in one change."""
    consultation = consultation_or_404(slug)
    question = question_or_404(consultation, key)
    action = request.form.get("action")
    if action not in (APPLY, REMOVE):
        abort(400)
    picked = request.form.getlist("answer")
    answer_ids = {int(v) for v in picked if v.isascii() and v.isdigit()}
    value = request.form.get("theme", "")
    theme = themes.theme_of(consultation, int(value)) if value.isdigit() else None
    errors: list[dict[str, str]] = []
    if not value:
        errors.append({"text": "Select a theme to apply or remove", "href": "#selection-theme"})
    elif theme is None or theme.codebook != question.codebook:
        errors.append(
            {"text": "Select a theme from this question's list", "href": "#selection-theme"}
        )
    if not picked:
        errors.append({"text": "Select at least one answer", "href": SELECTION})
    elif len(answer_ids) != len(set(picked)):
        errors.append({"text": "Select answers to this question only", "href": SELECTION})
    if not errors and theme is not None:
        write = coding_changes.apply_theme if action == APPLY else coding_changes.remove_theme
        try:
            change = write(question, answer_ids, theme, current_user.id)
        except ThemeError:
            db.session.rollback()
            errors.append({"text": "Select answers to this question only", "href": SELECTION})
    if errors:
        return _review_page(
            consultation, question, errors=errors, selected=answer_ids, chosen_theme=value
        )
    action_log.record(
        "themes of answers changed", consultation, question.key, change.description, by=current_user
    )
    db.session.commit()
    session[JUST_DONE] = {"id": change.id, "focus": True}
    return _back_to_queue(slug, key)


@bp.post("/consultations/<slug>/themes/<key>/undo")
@role_required(Role.OFFICER)
def undo(slug: str, key: str) -> ResponseReturnValue:
    """Undo the officer's last change to the question's codes, if nothing has changed since."""
    consultation = consultation_or_404(slug)
    question = question_or_404(consultation, key)
    change_id = request.form.get("change", "")
    if not change_id.isdigit():
        abort(400)
    try:
        undone = coding_changes.undo(question, current_user.id, int(change_id))
    except UndoError as exc:
        db.session.rollback()
        flash(f"{exc}.", "error")
        return _back_to_queue(slug, key)
    action_log.record(
        "change to themes undone", consultation, question.key, undone.description, by=current_user
    )
    db.session.commit()
    description = undone.description[0].lower() + undone.description[1:]
    flash(f"Undone: {description}", "success")
    return _back_to_queue(slug, key)


@bp.route("/consultations/<slug>/themes/<key>/themes", methods=["GET", "POST"])
@role_required(Role.OFFICER)
def manage(slug: str, key: str) -> ResponseReturnValue:
    """The question's themes with their counts, and a form to add one."""
    consultation = consultation_or_404(slug)
    question = question_or_404(consultation, key)
    themes.ensure_themes(consultation)
    errors: list[dict[str, str]] = []
    name = request.form.get("name", "")
    description = request.form.get("description", "")
    if request.method == "POST":
        try:
            theme = themes.add_theme(consultation, question.codebook or "", name, description)
        except ThemeError as exc:
            db.session.rollback()
            errors.append({"text": str(exc), "href": "#name"})
        else:
            action_log.record("theme added", consultation, theme.name, by=current_user)
            db.session.commit()
            flash(f"Theme '{theme.name}' added", "success")
            return redirect(url_for(".manage", slug=slug, key=key))
    db.session.commit()
    summaries = themes.theme_summaries(question)
    return render_template(
        "officers/coding/themes.html",
        consultation=consultation,
        question=question,
        summaries=summaries,
        theme_ids={summary.name: summary.id for summary in summaries},
        agreement=themes.words_agreement(question),
        min_reviewed=themes.MIN_REVIEWED,
        errors=errors,
        name=name,
        description=description,
    )


@bp.route("/consultations/<slug>/themes/<key>/themes/<int:theme_id>", methods=["GET", "POST"])
@role_required(Role.OFFICER)
def edit_theme(slug: str, key: str, theme_id: int) -> ResponseReturnValue:
    """Rename a theme, change its description and phrases."""
    consultation = consultation_or_404(slug)
    question = question_or_404(consultation, key)
    theme = theme_or_404(consultation, question, theme_id)
    errors: list[dict[str, str]] = []
    values = {
        "name": theme.name,
        "description": theme.description,
        "phrases": "\n".join(theme.phrases or ()),
    }
    if request.method == "POST":
        values = {field: request.form.get(field, "") for field in values}
        if request.form.get("action") == CHECK:
            return _check_words(consultation, question, theme, values)
        try:
            themes.rename_theme(theme, values["name"])
        except ThemeError as exc:
            errors.append({"text": str(exc), "href": "#name"})
        try:
            themes.describe_theme(theme, values["description"], values["phrases"].splitlines())
        except ThemeError as exc:
            errors.append({"text": str(exc), "href": "#description"})
        if errors:
            db.session.rollback()
        else:
            action_log.record("theme changed", consultation, theme.name, by=current_user)
            db.session.commit()
            flash(f"Theme '{theme.name}' saved", "success")
            return redirect(url_for(".manage", slug=slug, key=key))
    return _theme_page(consultation, question, theme, values, errors)


def _check_words(
    consultation: Consultation, question: Question, theme: Theme, values: dict[str, str]
) -> ResponseReturnValue:
    """The theme's page with what its words as typed would do: nothing is saved."""
    lines = values["phrases"].splitlines()
    try:
        trial = themes.try_words(question, theme, lines, DISAGREEING)
    except ThemeError as exc:
        error = {"text": str(exc), "href": "#phrases"}
        return _theme_page(consultation, question, theme, values, [error])
    shown = [*trial.gained_answers, *trial.lost_answers]
    if shown:  # Audit log (issue 27): residents' words shown, named by answer id.
        action_log.record_read(
            "residents' words viewed",
            consultation,
            f"theme's words tried: {question.key}, {theme.name}",
            f"answers {_ids([answer.answer_id for answer in shown])}",
            by=current_user,
        )
    typed = Matcher({theme.name: unique_phrases(lines)})
    saved = themes.matcher_of([theme])
    marks = {a.answer_id: typed.matches(a.text) for a in trial.gained_answers} | {
        a.answer_id: saved.matches(a.text) for a in trial.lost_answers
    }
    pieces = {a.answer_id: highlighted(a.text, marks[a.answer_id]) for a in shown}
    return _theme_page(consultation, question, theme, values, [], trial=trial, trial_pieces=pieces)


@bp.post("/consultations/<slug>/themes/<key>/themes/<int:theme_id>/merge")
@role_required(Role.OFFICER)
def merge_theme(slug: str, key: str, theme_id: int) -> ResponseReturnValue:
    """Merge a theme into another: its codes and phrases move, and it is removed."""
    consultation = consultation_or_404(slug)
    question = question_or_404(consultation, key)
    theme = theme_or_404(consultation, question, theme_id)
    into_id = request.form.get("into", "")
    into = themes.theme_of(consultation, int(into_id)) if into_id.isdigit() else None
    values = {
        "name": theme.name,
        "description": theme.description,
        "phrases": "\n".join(theme.phrases or ()),
    }
    if into is None or into.codebook != question.codebook:
        error = {"text": "Select the theme to merge into", "href": "#into"}
        return _theme_page(consultation, question, theme, values, [error])
    name = theme.name
    try:
        moved = themes.merge_themes(theme, into)
    except ThemeError as exc:
        db.session.rollback()
        error = {"text": str(exc)[0].upper() + str(exc)[1:], "href": "#into"}
        return _theme_page(consultation, question, theme, values, [error])
    action_log.record(
        "themes merged",
        consultation,
        f"{name} into {into.name}",
        f"{moved} answers",
        by=current_user,
    )
    db.session.commit()
    flash(f"'{name}' merged into '{into.name}': {plural(moved, 'answer')} moved", "success")
    return redirect(url_for(".manage", slug=slug, key=key))


def _theme_page(
    consultation: Consultation,
    question: Question,
    theme: Theme,
    values: dict[str, str],
    errors: list[dict[str, str]],
    *,
    trial: themes.WordsTrial | None = None,
    trial_pieces: dict[int, list[tuple[str, tuple[str, ...]]]] | None = None,
) -> ResponseReturnValue:
    theme_list = themes.question_themes(question)
    others = [t for t in theme_list if t.id != theme.id]
    agreement = themes.words_agreement(question)
    missed = agreement.missed.get(theme.name, ())
    extra = agreement.extra.get(theme.name, ())
    shown = [*missed[:DISAGREEING], *extra[:DISAGREEING]]
    if shown:  # Audit log (issue 27): residents' words shown, named by answer id.
        action_log.record_read(
            "residents' words viewed",
            consultation,
            f"theme's words against officers: {question.key}, {theme.name}",
            f"answers {_ids([answer.answer_id for answer in shown])}",
            by=current_user,
        )
    matcher = themes.matcher_of(theme_list)
    matched = {answer.answer_id: matcher.matches(answer.text) for answer in shown}
    return render_template(  # errors are shown on the page, as the other forms do
        "officers/coding/theme.html",
        consultation=consultation,
        question=question,
        theme=theme,
        values=values,
        others=others,
        errors=errors,
        agreement=agreement,
        min_reviewed=themes.MIN_REVIEWED,
        missed=missed,
        extra=extra,
        words_to_add=themes.words_to_add(theme, agreement),
        shown_at_most=DISAGREEING,
        trial=trial,
        trial_pieces=trial_pieces or {},
        matched=matched,
        pieces={a.answer_id: highlighted(a.text, matched[a.answer_id]) for a in shown},
    )
