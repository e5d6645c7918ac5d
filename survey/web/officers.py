"""Officers' pages: the consultation list, a consultation's details, page and status.

Questions, the resident preview and paper responses are in their own modules, whose routes
register on this blueprint (imported at the end of this module).
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput, GovTextArea, GovTextInput
from sqlalchemy.exc import IntegrityError
from wtforms import StringField, SubmitField, TextAreaField

from common import action_log, staff_home
from common.access import role_required
from common.clock import today
from common.database import db
from common.display import long_date, plural
from common.models import Role
from common.staff_home import ToDo
from common.text import suggest_slug
from survey.core.definitions import WELSH_DETAILS, ConsultationSpec, parse_details
from survey.core.question_types import KINDS
from survey.data import consultations as store
from survey.data import screening
from survey.data.consultations import ConsultationError
from survey.data.models import Consultation, Question, Status
from survey.data.waiting import waiting
from survey.web.date_input import DateParts, form_errors
from survey.web.definition_problems import detail_problem

bp = Blueprint("officers", __name__)

# Links to the import and export pages, shown once that blueprint is registered.
TRANSFER_LINKS = [
    ("transfers.import_responses", "Import responses from a file"),
    ("transfers.export_responses", "Export responses"),
]


class ConsultationForm(FlaskForm):  # type: ignore[misc]
    title = StringField("Title", widget=GovTextInput())
    slug = StringField(
        "Slug",
        widget=GovTextInput(),
        description="The end of the consultation's web address. Use lower-case letters a-z, "
        "numbers 0-9 and hyphens. Leave blank to make one from the title.",
    )
    summary = TextAreaField(
        "Summary", widget=GovTextArea(), description="Residents read this before they start."
    )
    how_used = TextAreaField(
        "How answers will be used (optional)",
        widget=GovTextArea(),
        description="Leave blank to use the standard wording.",
    )
    privacy = TextAreaField(
        "Privacy notice (optional)",
        widget=GovTextArea(),
        description="Leave blank to use the standard wording and link to the privacy notice.",
    )
    opens = DateParts(
        "Opens", describes="the date the consultation opens", description="For example, 1 3 2026"
    )
    closes = DateParts(
        "Closes",
        describes="the date the consultation closes",
        description="For example, 31 3 2026. Residents can answer until the end of this day.",
    )
    title_cy = StringField("Title in Welsh", widget=GovTextInput())
    summary_cy = TextAreaField("Summary in Welsh", widget=GovTextArea())
    how_used_cy = TextAreaField(
        "How answers will be used, in Welsh",
        widget=GovTextArea(),
        description="Needed only if you gave your own wording in English above.",
    )
    privacy_cy = TextAreaField(
        "Privacy notice in Welsh",
        widget=GovTextArea(),
        description="Needed only if you gave your own wording in English above.",
    )
    submit = SubmitField("Save and continue", widget=GovSubmitInput())


def consultation_or_404(slug: str) -> Consultation:
    """The consultation with this slug, or a 404 page."""
    consultation = store.by_slug(slug)
    if consultation is None:
        abort(404)
    return consultation


def question_or_404(consultation: Consultation, key: str) -> Question:
    """The consultation's question with this key, or a 404 page."""
    question = next((q for q in consultation.questions if q.key == key), None)
    if question is None:
        abort(404)
    return question


def consultation_url(consultation: Consultation, anchor: str | None = None) -> str:
    """The officers' page for a consultation."""
    return url_for("officers.consultation", slug=consultation.slug, _anchor=anchor)


@bp.get("/")
@role_required(Role.OFFICER)
def index() -> ResponseReturnValue:
    """What needs doing, then every consultation with its status, dates and response count."""
    return render_template(
        "officers/index.html",
        to_do=staff_home.things_to_do(),
        consultations=store.all_consultations(),
        counts=store.response_counts(),
    )


def things_waiting() -> list[ToDo]:
    """The consultations' share of the officers' home (registered with common.staff_home)."""
    found = waiting(today())
    items = [
        ToDo(
            f"{c.title} closes {'today' if days == 0 else 'in ' + plural(days, 'day')}, "
            f"on {long_date(c.closes)}.",
            url_for("officers.consultation", slug=c.slug),
            "Open the consultation",
            "Closing soon",
            urgent=days <= 3,
        )
        for c, days in found.closing_soon
    ]
    items += [
        ToDo(
            f"{c.title} was due to open on {long_date(c.opens)} but is still a draft.",
            url_for("officers.consultation", slug=c.slug),
            "Open the consultation",
            "Due to open",
            urgent=True,
        )
        for c in found.due_to_open
    ]
    items += [
        ToDo(
            f"{plural(n, 'response')} to {c.title} "
            f"{'looks' if n == 1 else 'look'} like a duplicate or an automated submission.",
            url_for("flagged.flagged_list", slug=c.slug),
            "Review " + ("it" if n == 1 else "them"),
            "Responses to review",
        )
        for c, n in found.flagged
    ]
    items += [
        ToDo(
            f"{plural(n, 'answer')} to '{q.text}' ({c.title}) "
            f"{'is' if n == 1 else 'are'} not yet coded by theme.",
            url_for("coding.review", slug=c.slug, key=q.key, show="uncoded"),
            "Code them" if n > 1 else "Code it",
            "Answers to code",
        )
        for c, q, n in found.uncoded
    ]
    items += [
        ToDo(
            f"{job.title}: {job.state}{(', ' + job.step) if job.step else ''}.",
            url_for("jobs.job_page", job_id=job.id),
            "See its progress",
            "Jobs",
        )
        for job in found.jobs
    ]
    return items


@bp.route("/new-consultation", methods=["GET", "POST"])
@role_required(Role.OFFICER)
def new_consultation() -> ResponseReturnValue:
    """Create a draft consultation from its details; questions come next."""
    form = ConsultationForm()
    if form.is_submitted():
        spec = _checked_details(form, None)
        if spec is not None:
            try:
                consultation = store.create_consultation(spec)
                action_log.record("consultation created", consultation, spec.title, by=current_user)
                db.session.commit()
            except (ConsultationError, IntegrityError):
                db.session.rollback()
                taken = f"A consultation with the slug '{spec.slug}' already exists"
                form.slug.errors.append(taken)
            else:
                flash("Consultation created. Now add its questions.", "success")
                return redirect(consultation_url(consultation))
    return _details_page(form, None)


@bp.route("/consultations/<slug>/details", methods=["GET", "POST"])
@role_required(Role.OFFICER)
def edit_details(slug: str) -> ResponseReturnValue:
    """Change a consultation's title, text and dates."""
    consultation = consultation_or_404(slug)
    form = ConsultationForm(obj=consultation)
    if form.is_submitted():
        spec = _checked_details(form, consultation.slug)
        if spec is not None:
            store.update_details(consultation, spec)
            action_log.record(
                "consultation details changed", consultation, spec.title, by=current_user
            )
            db.session.commit()
            flash("Consultation details saved", "success")
            return redirect(consultation_url(consultation))
    return _details_page(form, consultation)


def _details_page(form: ConsultationForm, consultation: Consultation | None) -> ResponseReturnValue:
    """The create or change details page, with any errors."""
    return render_template(
        "officers/consultation_form.html",
        form=form,
        consultation=consultation,
        errors=form_errors(form),
    )


def _checked_details(form: ConsultationForm, slug: str | None) -> ConsultationSpec | None:
    """The form's details checked by the core's rules, or None with errors on the fields."""
    form.validate()
    if slug is None:
        slug = (form.slug.data or "").strip() or suggest_slug(form.title.data or "")
        form.slug.data = slug
    raw = {
        "slug": slug,
        "title": form.title.data,
        "summary": form.summary.data,
        "how_used": form.how_used.data,
        "privacy": form.privacy.data,
        "opens": form.opens.iso,
        "closes": form.closes.iso,
        **{name: form[name].data for name in WELSH_DETAILS},
    }
    problems: list[str] = []
    spec = parse_details(raw, problems)
    for problem in problems:
        name, message = detail_problem(problem)
        if name == "slug" and not slug:
            if not (form.title.data or "").strip():
                continue  # "Enter a title" says it: the slug is made from the title
            message = "Enter a slug: the title has no letters or numbers to make one from"
        field = form[name]
        if not field.errors:
            field.errors.append(message)
    return spec if not form_errors(form) else None


@bp.get("/consultations/<slug>")
@role_required(Role.OFFICER)
def consultation(slug: str) -> ResponseReturnValue:
    """One consultation: its status, dates, responses and questions, with actions."""
    return _consultation_page(consultation_or_404(slug))


def _consultation_page(
    consultation: Consultation, errors: list[dict[str, str]] | None = None
) -> ResponseReturnValue:
    """The consultation page, with any errors from a refused action."""
    return render_template(
        "officers/consultation.html",
        consultation=consultation,
        responses=store.response_count(consultation.id),
        flagged=screening.flagged_count(consultation),
        resident_url=url_for("residents.start", slug=consultation.slug, _external=True),
        type_labels={t.value: kind.label for t, kind in KINDS.items()},
        transfer_links=_transfer_links(consultation),
        errors=errors or [],
    )


def _transfer_links(consultation: Consultation) -> list[tuple[str, str]]:
    """(url, text) for the import and export pages, where that blueprint exists."""
    return [
        (url_for(endpoint, slug=consultation.slug), text)
        for endpoint, text in TRANSFER_LINKS
        if endpoint in current_app.view_functions
    ]


# What each change does, said on the "Are you sure?" page before it is made.
STATUS_CHANGES = {
    Status.OPEN: ("Open", "open it"),
    Status.CLOSED: ("Close", "close it"),
    Status.DRAFT: ("Return to draft", "return it to draft"),
}


@bp.get("/consultations/<slug>/status/<status>")
@role_required(Role.OFFICER)
def confirm_status(slug: str, status: str) -> ResponseReturnValue:
    """Are you sure? What opening, closing or returning to draft will do, then the button."""
    consultation = consultation_or_404(slug)
    try:
        wanted = Status(status)
    except ValueError:
        abort(404)
    if wanted.value == consultation.status:
        return redirect(consultation_url(consultation))
    return render_template(
        "officers/confirm_status.html",
        consultation=consultation,
        status=wanted,
        verb=STATUS_CHANGES[wanted],
        responses=store.response_count(consultation.id),
        today=today(),
    )


@bp.post("/consultations/<slug>/status")
@role_required(Role.OFFICER)
def change_status(slug: str) -> ResponseReturnValue:
    """Open, close or return a consultation to draft, once confirmed on the page above."""
    consultation = consultation_or_404(slug)
    try:
        status = Status(request.form.get("status", ""))
    except ValueError:
        abort(400)
    if request.form.get("confirmed") != "yes":
        return redirect(url_for(".confirm_status", slug=slug, status=status.value))
    try:
        store.set_status(consultation, status)
    except ConsultationError as exc:
        db.session.rollback()
        return _consultation_page(consultation, [{"text": str(exc), "href": "#questions"}])
    action_log.record(
        f"consultation {status.value}"
        if status is not Status.DRAFT
        else "consultation returned to draft",
        consultation,
        by=current_user,
    )
    db.session.commit()
    message, category = _status_message(consultation)
    flash(message, category)
    return redirect(consultation_url(consultation))


@bp.post("/consultations/<slug>/published")
@role_required(Role.OFFICER)
def publish_results(slug: str) -> ResponseReturnValue:
    """Publish the results to residents once closed, or withdraw them."""
    consultation = consultation_or_404(slug)
    publish = request.form.get("published") == "yes"
    try:
        store.set_results_published(consultation, publish)
    except ConsultationError as exc:
        db.session.rollback()
        return _consultation_page(consultation, [{"text": str(exc), "href": "#results"}])
    action_log.record(
        "results published" if publish else "results withdrawn", consultation, by=current_user
    )
    db.session.commit()
    flash(
        "Results published: residents can now read them"
        if publish
        else "Results withdrawn: residents can no longer read them",
        "success",
    )
    return redirect(consultation_url(consultation, "results"))


def _status_message(consultation: Consultation) -> tuple[str, str]:
    """What changing the status did, as residents will see it, and the banner's kind."""
    if consultation.status == Status.DRAFT:
        return "Consultation returned to draft. Residents can no longer see it.", "success"
    if consultation.status == Status.CLOSED:
        return "Consultation closed. Residents can no longer answer it.", "success"
    opens, closes = long_date(consultation.opens), long_date(consultation.closes)
    if consultation.closes < today():
        return (
            f"Consultation opened, but its closing date ({closes}) has passed, so residents "
            "cannot answer it. Change its dates to let them.",
            "info",
        )
    if consultation.opens > today():
        return f"Consultation opened. Residents can answer it from {opens} to {closes}.", "success"
    return f"Consultation opened. Residents can answer it until {closes}.", "success"


# Importing these registers their routes on `bp`.
from survey.web import paper_entry, preview, question_builder  # noqa: E402, F401
