"""Officers' pages for importing responses from, and exporting them to, CSV or XLSX files.

Thin: the import and the export are `survey.transfers`' functions, the same ones the
`flask responses` commands call.
"""

from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from govuk_frontend_wtf.wtforms_widgets import GovFileInput, GovRadioInput, GovSubmitInput
from wtforms import RadioField, SubmitField
from wtforms.validators import InputRequired

from survey import audit, transfers
from survey import consultations as store
from survey.database import db
from survey.display import plural
from survey.models import Channel, Consultation, Role
from survey.responses_io import ImportRefused, columns_for
from survey.spreadsheets import MAX_FILE_BYTES, MAX_ROWS, FileFormat, UnreadableFile
from survey.web.access import role_required
from survey.web.officers import consultation_or_404

bp = Blueprint("transfers", __name__)

SHOWN_PROBLEMS = 1000  # rows of the problems table; the count above it says how many in all
SUMMARY_PROBLEMS = 10  # problems repeated in the error summary at the top of the page
CHANNEL_CHOICES = [
    (Channel.PAPER.value, "Paper forms"),
    (Channel.EMAIL.value, "Email"),
    (Channel.EVENT.value, "At an event"),
    (Channel.ONLINE.value, "Online"),
]


class ImportForm(FlaskForm):  # type: ignore[misc]
    file = FileField(
        "Upload a file",
        widget=GovFileInput(),
        description=(
            f"A CSV file saved as CSV UTF-8, or an Excel workbook (.xlsx). At most "
            f"{MAX_FILE_BYTES // (1024 * 1024)} MB and {MAX_ROWS:,} responses."
        ),
        validators=[FileRequired("Select a CSV or Excel file")],
    )
    channel = RadioField(
        "How did these responses arrive?",
        choices=CHANNEL_CHOICES,
        default=Channel.PAPER.value,
        widget=GovRadioInput(),
        description="Used for rows whose channel column is blank, or a file without one.",
        validators=[InputRequired("Select how the responses arrived")],
    )
    submit = SubmitField("Import responses", widget=GovSubmitInput())


@bp.route("/consultations/<slug>/import", methods=["GET", "POST"])
@role_required(Role.OFFICER)
def import_responses(slug: str) -> ResponseReturnValue:
    consultation = consultation_or_404(slug)
    form = ImportForm()
    refused: ImportRefused | None = None
    if form.validate_on_submit():
        upload = form.file.data
        try:
            count = transfers.import_responses(
                consultation,
                upload.read(MAX_FILE_BYTES + 1),
                upload.filename or "",
                Channel(form.channel.data),
                entered_by_id=current_user.id,
            )
        except UnreadableFile as exc:
            form.file.errors.append(str(exc))
        except ImportRefused as exc:
            refused = exc
        else:
            flash(f"{plural(count, 'response')} imported", "success")
            return redirect(url_for(".import_responses", slug=slug))
    problems = refused.problems if refused else []
    return render_template(
        "officers/transfers/import.html",
        consultation=consultation,
        form=form,
        filename=form.file.data.filename if refused else "",
        problems=problems[:SHOWN_PROBLEMS],
        problem_count=len(problems),
        summary=problems[:SUMMARY_PROBLEMS],
        page_has_errors=bool(problems),
        columns=[c.name for c in columns_for([q.spec() for q in consultation.questions])],
    )


@bp.get("/consultations/<slug>/export")
@role_required(Role.OFFICER)
def export_responses(slug: str) -> ResponseReturnValue:
    consultation = consultation_or_404(slug)
    return render_template(
        "officers/transfers/export.html",
        consultation=consultation,
        count=store.response_count(consultation.id),
    )


@bp.get("/consultations/<slug>/export.csv")
@role_required(Role.OFFICER)
def export_csv(slug: str) -> ResponseReturnValue:
    return _download(consultation_or_404(slug), FileFormat.CSV)


@bp.get("/consultations/<slug>/export.xlsx")
@role_required(Role.OFFICER)
def export_xlsx(slug: str) -> ResponseReturnValue:
    return _download(consultation_or_404(slug), FileFormat.XLSX)


def _download(consultation: Consultation, fmt: FileFormat) -> Response:
    data = transfers.export_responses(consultation, fmt)
    audit.record("responses exported (personal data)", consultation, fmt.value.upper())
    db.session.commit()
    filename = f"{consultation.slug}-responses.{fmt.value}"  # slugs are a-z, 0-9 and hyphens
    return Response(
        data,
        content_type=fmt.media_type,
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "no-store",  # residents' answers: keep them out of shared caches
        },
    )
