"""Officers' pages for crime and disorder audits, strategy definitions and Word drafts.

Thin: loads are `assembly.data.strategies` functions, and imports and builds are jobs
(`assembly.jobs.audit_imports`, `assembly.jobs.draft_builds`), the same ones the `flask
strategy`, `audit` and `draft` commands call. Only the house template's safety check lives here.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxInput,
    GovFileInput,
    GovSubmitInput,
    GovTextInput,
)
from wtforms import BooleanField, StringField, SubmitField

from assembly.core.audit_readers import check_audit_upload, read_audit_bytes
from assembly.core.comment_consultation import CommentError
from assembly.core.house_template import UNPACKED_LIMIT, house_template_problem, shortened
from assembly.core.language import ENGLISH
from assembly.core.language import available as available_languages
from assembly.core.strategy import StrategyErrors
from assembly.core.trends import comparison, trend_table_headers, trend_table_rows, trends
from assembly.data import board_readiness, built_drafts, comment_rounds, crime_audits, strategies
from assembly.data.crime_audits import AuditError
from assembly.data.models import CrimeAudit, HouseTemplate, Strategy
from assembly.jobs.audit_imports import start_audit_import
from assembly.jobs.draft_builds import start_draft_build
from assembly.web.dates import date_items, posted_date
from assembly.web.editing import gap_url, refuse_if_frozen
from common import action_log
from common.access import role_required
from common.database import db
from common.display import plural
from common.job_queue import enqueue
from common.json_input import JsonProblem, parse_json
from common.models import Role
from common.settings import suppression_threshold
from common.spreadsheets import (
    MAX_FILE_BYTES,
    ImportRefused,
    Problem,
    UnreadableFile,
)
from common.staff_home import ToDo
from common.text import clean_line

bp = Blueprint("strategies", __name__)
CHANGING = {"strategies.build_draft", "strategies.consult", "strategies.edit_strategy"}


@bp.before_request
def _frozen_strategies_stay_as_adopted() -> ResponseReturnValue | None:
    return refuse_if_frozen() if request.endpoint in CHANGING else None


EXAMPLE = Path(__file__).resolve().parent.parent / "demo_data" / "strategy.json"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
DEFINITION_BYTES = 1024 * 1024  # far more than a strategy of 100 full priorities needs
SHOWN_PROBLEMS = 1000  # rows of an audit file's problems table
SUMMARY_PROBLEMS = 10  # of those, repeated in the error summary at the top of the page


class AuditForm(FlaskForm):  # type: ignore[misc]
    name = StringField(
        "Name of the audit",
        widget=GovTextInput(),
        description="For example, 2017-18 audit. Strategies name the audit they draw on.",
    )
    file = FileField(
        "Upload a file",
        widget=GovFileInput(),
        description=(
            "A CSV file saved as CSV UTF-8, an Excel workbook (.xlsx), or a .zip of "
            "police.uk's monthly files as it is downloaded, at most "
            f"{MAX_FILE_BYTES // (1024 * 1024)} MB."
        ),
        validators=[FileRequired("Select a CSV or Excel file")],
    )
    area = StringField(
        "Partnership area (optional)",
        widget=GovTextInput(),
        description=(
            "Its name or code, when the file covers several areas (an ONS table, or a "
            "police.uk file for a whole force). The other areas are kept for comparison."
        ),
    )
    replace = BooleanField(
        "Replace the figures of an audit with this name",
        widget=GovCheckboxInput(),
        description="Its key findings are kept.",
    )
    submit = SubmitField("Import audit", widget=GovSubmitInput())


class DefinitionForm(FlaskForm):  # type: ignore[misc]
    definition = FileField(
        "Upload a strategy definition",
        widget=GovFileInput(),
        description="A JSON file. The strategy with its slug is updated, or a new one added.",
        validators=[FileRequired("Select a JSON file")],
    )
    submit = SubmitField("Load strategy", widget=GovSubmitInput())


class TemplateForm(FlaskForm):  # type: ignore[misc]
    template = FileField(
        "Upload a house template",
        widget=GovFileInput(),
        description=(
            "A Word document (.docx) with your styles, header, footer and logo; its text is not "
            "used. No macros, and no links to other files or websites."
        ),
        validators=[FileRequired("Select a Word document (.docx)")],
    )
    submit = SubmitField("Use this template", widget=GovSubmitInput())


# Audits.


@bp.route("/audits", methods=["GET", "POST"])
@role_required(Role.OFFICER)
def audit_list() -> ResponseReturnValue:
    """Every audit, and the form to import one from a CSV or Excel file."""
    form = AuditForm()
    problems: list[Problem] = []
    if form.validate_on_submit():
        upload = form.file.data
        data, filename = upload.read(MAX_FILE_BYTES + 1), clean_line(upload.filename or "")
        try:
            # Checked here too, so a mistyped name is shown at its field at once.
            name, _ = crime_audits.name_to_import(form.name.data or "", form.replace.data)
        except AuditError as exc:
            form.name.errors.append(str(exc))
            problems = _file_problems(form, data, filename)  # the file's too, all at once
        else:
            try:
                check_audit_upload(data, filename)
            except UnreadableFile as exc:
                form.file.errors.append(str(exc))
            else:
                area = clean_line(form.area.data or "").strip() or None
                job = start_audit_import(
                    name, filename, data, form.replace.data, current_user.id, area=area
                )
                db.session.commit()
                enqueue(job)
                return redirect(url_for("jobs.job_page", job_id=job.id), code=303)
    rows = [(a, len(crime_audits.audit_categories(a))) for a in crime_audits.all_audits()]
    return render_template(
        "officers/audits/index.html",
        form=form,
        audits=rows,
        filename=clean_line(form.file.data.filename or "") if problems else "",
        problems=problems[:SHOWN_PROBLEMS],
        problem_count=len(problems),
        summary=problems[:SUMMARY_PROBLEMS],
        page_has_errors=bool(problems),
    )


def _file_problems(form: AuditForm, data: bytes, filename: str) -> list[Problem]:
    """The file's problems, when the name was refused before the file was read."""
    try:
        read_audit_bytes(data, filename, clean_line(form.area.data or "").strip() or None)
    except UnreadableFile as exc:
        form.file.errors.append(str(exc))
    except ImportRefused as exc:
        return list(exc.problems)
    return []


@bp.route("/audits/<int:audit_id>", methods=["GET", "POST"])
@role_required(Role.OFFICER)
def audit_page(audit_id: int) -> ResponseReturnValue:
    """An audit's trends, and a key finding per category, saved in one form."""
    audit = db.session.get(CrimeAudit, audit_id) or abort(404)
    categories = crime_audits.audit_categories(audit)
    values = crime_audits.findings_of(audit)
    errors: list[dict[str, str]] = []
    if request.method == "POST":
        posted = _posted_findings()
        errors = _save_findings(audit, posted)
        if not errors:
            return redirect(url_for(".audit_page", audit_id=audit_id))
        values = {category: text for category, text in posted}
    table = crime_audits.audit_table(audit)
    found = trends(table)
    return render_template(
        "officers/audits/audit.html",
        audit=audit,
        headers=trend_table_headers(found),
        rows=trend_table_rows(found),
        sentences=[t.sentence for t in found],
        comparisons=[c for t in found if (c := comparison(table, t))],
        categories=categories,
        values=values,
        errors=errors,
        page_has_errors=bool(errors),
    )


def _posted_findings() -> list[tuple[str, str]]:
    """(category, text) for every finding field posted, in the form's order."""
    posted = []
    for index in range(len(request.form)):
        category = request.form.get(f"category-{index}")
        if category is None:
            break
        posted.append((category, request.form.get(f"finding-{index}", "")))
    return posted


def _save_findings(audit: CrimeAudit, posted: list[tuple[str, str]]) -> list[dict[str, str]]:
    """Save every finding, or none with a reason for each that cannot be saved."""
    before = crime_audits.findings_of(audit)
    errors = []
    for index, (category, text) in enumerate(posted):
        try:
            crime_audits.set_finding(audit, category, text)
        except AuditError as exc:
            errors.append({"text": f"{shortened(category)}: {exc}", "href": f"#finding-{index}"})
    if errors:
        db.session.rollback()
        return errors
    db.session.expire(audit)
    after = crime_audits.findings_of(audit)
    changed = [c for c in crime_audits.audit_categories(audit) if after.get(c) != before.get(c)]
    if changed:
        action_log.record(
            "audit findings saved", None, audit.name, "; ".join(changed), by=current_user
        )
        flash(f"Key findings saved for {plural(len(changed), 'category', 'categories')}", "success")
    else:
        flash("No key findings were changed", "success")
    db.session.commit()
    return []


# Strategies.


@bp.route("/strategies", methods=["GET", "POST"])
@role_required(Role.OFFICER)
def strategy_list() -> ResponseReturnValue:
    """Every strategy, and the forms to load a definition and to set the house template."""
    form = DefinitionForm()
    problems: list[str] = []
    if form.validate_on_submit():
        upload = form.definition.data
        filename = clean_line(upload.filename or "")
        try:
            raw = _json_of(upload.read(DEFINITION_BYTES + 1))
            strategy, created = strategies.save_strategy(raw)
        except ValueError as exc:  # StrategyErrors is one too
            db.session.rollback()
            problems = _problems_of(exc)
        else:
            action_log.record("strategy loaded", None, strategy.title, filename, by=current_user)
            db.session.commit()
            flash(f"Strategy '{strategy.title}' {'added' if created else 'updated'}", "success")
            return redirect(url_for(".strategy_page", slug=strategy.slug))
    return _strategies_page(form, TemplateForm(formdata=None), problems)


@bp.get("/strategies/example.json")
@role_required(Role.OFFICER)
def example_definition() -> ResponseReturnValue:
    """The demo strategy's definition, to start a new one from."""
    return send_file(
        EXAMPLE, mimetype="application/json", as_attachment=True, download_name="strategy.json"
    )


@bp.get("/strategies/<slug>")
@role_required(Role.OFFICER)
def strategy_page(slug: str) -> ResponseReturnValue:
    """A strategy's priorities, the button to build its draft, and every earlier build."""
    return _strategy_page(_strategy_or_404(slug))


@bp.post("/strategies/<slug>/drafts")
@role_required(Role.OFFICER)
def build_draft(slug: str) -> ResponseReturnValue:
    """Start building the next draft (and its PDF, if asked); the job's page comes next."""
    strategy = _strategy_or_404(slug)
    language = request.form.get("language", ENGLISH)
    if language not in available_languages():
        abort(400)
    job = start_draft_build(
        strategy,
        request.form.get("pdf") == "yes",
        suppression_threshold(),
        current_user.id,
        language=language,
    )
    db.session.commit()
    enqueue(job)
    return redirect(url_for("jobs.job_page", job_id=job.id), code=303)


@bp.post("/strategies/<slug>/consult")
@role_required(Role.OFFICER)
def consult(slug: str) -> ResponseReturnValue:
    """Put the newest draft out for comment: its consultation's page comes next."""
    strategy = _strategy_or_404(slug)
    opens, opens_error = posted_date(request.form, "opens", "the date the consultation opens")
    closes, closes_error = posted_date(request.form, "closes", "the date it closes")
    errors = []
    if opens_error:
        errors.append({"text": opens_error, "href": "#opens-day"})
    if closes_error:
        errors.append({"text": closes_error, "href": "#closes-day"})
    if opens and closes and closes < opens:
        errors.append(
            {
                "text": "The date it closes must be on or after the date it opens",
                "href": "#closes-day",
            }
        )
    if not errors:
        assert opens is not None and closes is not None
        try:
            made = comment_rounds.put_out_for_comment(strategy, opens, closes, current_user)
        except CommentError as exc:
            db.session.rollback()
            message = str(exc)
            errors.append({"text": message[:1].upper() + message[1:], "href": "#consult"})
        else:
            db.session.commit()
            flash(
                f"Draft {made.draft_version} is out for comment as the consultation "
                f"'{made.consultation_slug}'. Check its questions, then open it.",
                "success",
            )
            return redirect(url_for("officers.consultation", slug=made.consultation_slug))
    return _strategy_page(strategy, errors), 400


@bp.get("/strategies/<slug>/drafts/<int:version>.docx")
@role_required(Role.OFFICER)
def draft_file(slug: str, version: int) -> ResponseReturnValue:
    """One build of the draft, exactly as it was built."""
    strategy = _strategy_or_404(slug)
    draft = built_drafts.draft_version(strategy, version) or abort(404)
    filename = built_drafts.filename_of(strategy, draft)  # slugs are a-z, 0-9 and hyphens
    action_log.record_read("file downloaded", None, filename, "a built draft", by=current_user)
    return Response(
        draft.docx,
        content_type=DOCX,
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "no-store",
        },
    )


@bp.get("/strategies/<slug>/drafts/<int:version>.pdf")
@role_required(Role.OFFICER)
def draft_pdf_file(slug: str, version: int) -> ResponseReturnValue:
    """One build of the draft's PDF, when it was built with one."""
    strategy = _strategy_or_404(slug)
    draft = built_drafts.draft_version(strategy, version) or abort(404)
    if draft.pdf is None:
        abort(404)
    filename = built_drafts.filename_of(strategy, draft).removesuffix(".docx") + ".pdf"
    action_log.record_read("file downloaded", None, filename, "a built draft", by=current_user)
    return Response(
        draft.pdf,
        content_type="application/pdf",
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "no-store",
        },
    )


@bp.route("/strategies/<slug>/edit", methods=["GET", "POST"])
@role_required(Role.OFFICER)
def edit_strategy(slug: str) -> ResponseReturnValue:
    """The definition as JSON in a text box, saved as a loaded file would be."""
    strategy = _strategy_or_404(slug)
    text = json.dumps(strategies.definition_of(strategy), indent=2, ensure_ascii=False)
    problems: list[str] = []
    if request.method == "POST":
        text = request.form.get("definition", "")
        problems = _save_edited(text, slug)
        if not problems:
            action_log.record(
                "strategy changed", None, strategy.title, "edited in the browser", by=current_user
            )
            db.session.commit()
            flash(f"Strategy '{strategy.title}' saved", "success")
            return redirect(url_for(".strategy_page", slug=slug))
    return render_template(
        "officers/strategies/edit.html",
        strategy=strategy,
        text=text,
        problems=problems,
        page_has_errors=bool(problems),
    )


@bp.get("/strategies/<slug>/definition.json")
@role_required(Role.OFFICER)
def definition_file(slug: str) -> ResponseReturnValue:
    """The stored definition, in the format the upload reads."""
    strategy = _strategy_or_404(slug)
    text = json.dumps(strategies.definition_of(strategy), indent=2, ensure_ascii=False) + "\n"
    action_log.record_read(
        "file downloaded", None, f"{strategy.slug}.json", "a strategy's definition", by=current_user
    )
    return Response(
        text.encode("utf-8"),
        content_type="application/json; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{strategy.slug}.json"'},
    )


def strategies_waiting() -> list[ToDo]:
    """The strategies' share of the officers' home (registered with common.staff_home): each
    strategy not yet adopted with what it still lacks before the board sees it."""
    items = []
    for strategy in strategies.all_strategies():
        if strategy.frozen:
            continue
        gaps = board_readiness.gaps_of(
            strategies.spec_of(strategy), minimum=suppression_threshold()
        )
        if gaps:
            items.append(
                ToDo(
                    f"{strategy.title} has {plural(len(gaps), 'thing')} to settle before the "
                    "board sees it.",
                    url_for("strategies.strategy_page", slug=strategy.slug, _anchor="readiness"),
                    "See what",
                    "Strategies",
                )
            )
    return items


def _strategy_or_404(slug: str) -> Strategy:
    return strategies.by_strategy_slug(slug) or abort(404)


def _strategy_page(strategy: Strategy, errors: list[dict[str, str]] | None = None) -> str:
    spec = strategies.spec_of(strategy)
    audit = crime_audits.audit_by_name(spec.audit)
    gaps = board_readiness.gaps_of(spec, minimum=suppression_threshold())
    errors = errors or []
    wrong = {e["href"] for e in errors}
    return render_template(
        "officers/strategies/strategy.html",
        strategy=strategy,
        spec=spec,
        audit=audit,
        gaps=[(gap.message, gap_url(strategy.slug, gap)) for gap in gaps],
        drafts=built_drafts.drafts_of(strategy),
        with_pdf=built_drafts.versions_with_pdf(strategy),
        draft_language=built_drafts.language_of,
        languages=available_languages(),
        latest=comment_rounds.latest_draft(strategy),
        status=strategies.status_of(strategy),
        refreshes=strategies.refreshes_of(strategy),
        rounds=comment_rounds.rounds_of(strategy),
        opens_items=date_items(request.form, "opens", "#opens-day" in wrong),
        closes_items=date_items(request.form, "closes", "#closes-day" in wrong),
        errors=errors,
        page_has_errors=bool(errors),
    )


def _strategies_page(form: DefinitionForm, template_form: TemplateForm, problems: list[str]) -> str:
    rows = []
    for strategy in strategies.all_strategies():
        builds = built_drafts.drafts_of(strategy)
        definition = strategies.definition_of(strategy)
        priorities = definition.get("priorities") or []
        rows.append((strategy, definition.get("period", ""), len(priorities), builds[:1]))
    errors = [{"text": p, "href": "#definition"} for p in problems]
    errors += [
        {"text": e, "href": f"#{f.id}"}
        for f in (form.definition, template_form.template)
        for e in f.errors[:1]
    ]
    return render_template(
        "officers/strategies/index.html",
        form=form,
        template_form=template_form,
        strategies=rows,
        template=built_drafts.current_template(),
        errors=errors,
        problem_count=len(problems),
        page_has_errors=bool(errors),
    )


def _json_of(data: bytes) -> Any:
    """The JSON in an uploaded file; raises ValueError saying what is wrong, for a person."""
    if len(data) > DEFINITION_BYTES:
        raise ValueError(f"The file is larger than {DEFINITION_BYTES // 1024:,} KB")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValueError("The file is not UTF-8 text: save it as UTF-8 and try again") from None
    return _parsed(text, "The file")


def _parsed(text: str, what: str) -> Any:
    """The JSON in `text`; raises ValueError naming the line and column of a mistake."""
    try:
        return parse_json(text)
    except JsonProblem as exc:
        raise ValueError(f"{what} is {exc}") from None


def _save_edited(text: str, slug: str) -> list[str]:
    """Save a definition edited on the page; or every problem, with nothing saved."""
    try:
        raw = _parsed(text, "The definition")
    except ValueError as exc:
        return _problems_of(exc)
    moved = isinstance(raw, dict) and "slug" in raw and raw["slug"] != slug
    problems = []
    if moved:
        problems.append(
            f"The slug must stay '{slug}': it is how this strategy is found. To make a new "
            "strategy, give a definition file another slug and upload it on the strategies page"
        )
    try:
        if moved:
            strategies.check_definition(raw)  # the other problems, to fix them in one go
        else:
            strategies.save_strategy(raw)
    except StrategyErrors as exc:
        problems += _problems_of(exc)
    if problems:
        db.session.rollback()
    return problems


def _problems_of(exc: ValueError) -> list[str]:
    """Every problem, each starting with a capital as an error message does."""
    found = exc.problems if isinstance(exc, StrategyErrors) else [str(exc)]
    return [p[:1].upper() + p[1:] for p in found]


# The house template.


@bp.post("/strategies/template")
@role_required(Role.OFFICER)
def upload_template() -> ResponseReturnValue:
    """Check an uploaded Word file is a safe .docx, and build drafts on it from now on."""
    form = TemplateForm()
    if form.validate_on_submit():
        upload = form.template.data
        limit = current_app.config.get("MAX_CONTENT_LENGTH") or UNPACKED_LIMIT
        data, filename = upload.read(limit + 1), clean_line(upload.filename or "")[:255]
        problem = house_template_problem(data, limit)
        if problem is None:
            db.session.add(
                HouseTemplate(filename=filename, docx=data, uploaded_by_id=current_user.id)
            )
            action_log.record("house template uploaded", None, filename, by=current_user)
            db.session.commit()
            flash(f"Drafts will now be built on the house template {filename}", "success")
            return redirect(url_for(".strategy_list"))
        form.template.errors.append(f"{filename or 'The file'}: {problem}")
    return _strategies_page(DefinitionForm(formdata=None), form, [])


@bp.post("/strategies/template/remove")
@role_required(Role.OFFICER)
def remove_template() -> ResponseReturnValue:
    """Stop using a house template: drafts are built on the plain one again."""
    template = built_drafts.current_template()
    if template is not None:
        db.session.execute(sa.delete(HouseTemplate))
        action_log.record("house template removed", None, template.filename, by=current_user)
        db.session.commit()
        flash("Drafts will now be built without a house template", "success")
    return redirect(url_for(".strategy_list"))
