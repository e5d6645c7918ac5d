"""Officers' pages for importing responses from, and exporting them to, CSV or XLSX files.

Thin: an import is a job (`survey.jobs.imports`), the same one `flask responses import` runs;
the export is `survey.data.transfers`' function, as for `flask responses export`.
"""

from __future__ import annotations

from flask import Blueprint, Response, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from govuk_frontend_wtf.wtforms_widgets import GovFileInput, GovRadioInput, GovSubmitInput
from wtforms import RadioField, SubmitField
from wtforms.validators import InputRequired

from common import action_log
from common.access import role_required
from common.database import db
from common.job_queue import enqueue
from common.json_input import JsonProblem, parse_json
from common.models import Role
from common.spreadsheets import (
    MAX_FILE_BYTES,
    MAX_ROWS,
    FileFormat,
    ImportRefused,
    UnreadableFile,
    check_upload,
    file_format,
)
from common.text import clean_line
from survey.core.responses_io import columns_for
from survey.data import consultations as store
from survey.data import transfers
from survey.data.checked_imports import Preview, preview_import
from survey.data.models import Channel, Consultation
from survey.jobs.imports import start_import
from survey.web.officers import consultation_or_404

bp = Blueprint("transfers", __name__)

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
    mapping = FileField(
        "Mapping file (optional)",
        widget=GovFileInput(),
        description=(
            "Only for a survey tool's export with a column the service cannot match: a JSON "
            "file saying where each column goes, as docs/formats.md describes."
        ),
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
    check = SubmitField("Check the file first", widget=GovSubmitInput())


@bp.route("/consultations/<slug>/import", methods=["GET", "POST"])
@role_required(Role.OFFICER)
def import_responses(slug: str) -> ResponseReturnValue:
    """The import form; a file that can be read is imported by a job, whose page comes next.

    "Check the file first" shows where each column goes and the first responses as they would
    be recorded, saving nothing; the officer then uploads the file again to import it. A
    mapping file, if given, overrides where a survey tool's columns go, as `--mapping` does.
    """
    consultation = consultation_or_404(slug)
    form = ImportForm()
    preview = None
    if form.validate_on_submit():
        upload = form.file.data
        data, filename = upload.read(MAX_FILE_BYTES + 1), clean_line(upload.filename or "")
        mapping = _mapping(form)
        try:
            check_upload(data, file_format(filename))
            if form.check.data and not form.mapping.errors:
                channel = Channel(form.channel.data)
                preview = preview_import(consultation, data, filename, channel, mapping)
        except UnreadableFile as exc:
            form.file.errors.append(str(exc))
        except ImportRefused as exc:
            form.mapping.errors.append(f"The mapping file cannot be used: {exc}")
        if preview is not None:
            return _preview_page(consultation, form, filename, preview)
        if not (form.file.errors or form.mapping.errors):
            job = start_import(
                consultation, data, filename, Channel(form.channel.data), current_user.id, mapping
            )
            db.session.commit()
            enqueue(job)
            return redirect(url_for("jobs.job_page", job_id=job.id), code=303)
    return render_template(
        "officers/transfers/import.html",
        consultation=consultation,
        form=form,
        columns=[c.name for c in columns_for([q.spec() for q in consultation.questions])],
    )


MAX_MAPPING_BYTES = 256 * 1024


def _mapping(form: ImportForm) -> object | None:
    """The uploaded mapping file's JSON (None when none was given); its problem on the form."""
    upload = form.mapping.data
    if upload is None or not getattr(upload, "filename", ""):
        return None
    data = upload.read(MAX_MAPPING_BYTES + 1)
    if len(data) > MAX_MAPPING_BYTES:
        form.mapping.errors.append("The mapping file must be smaller than 256 KB")
        return None
    try:
        given = parse_json(data.decode("utf-8-sig"))
        if given is not None:
            return given
        form.mapping.errors.append('The mapping file must be a JSON object with "columns"')
        return None
    except JsonProblem as exc:
        if not exc.not_json:
            form.mapping.errors.append(f"The mapping file is {exc}")
            return None
    except UnicodeDecodeError:
        pass
    form.mapping.errors.append("The mapping file must be JSON, as --show-mapping prints it")
    return None


def _preview_page(
    consultation: Consultation, form: ImportForm, filename: str, preview: Preview
) -> ResponseReturnValue:
    """The import form again, above it where the file's columns go and what it would record."""
    return render_template(
        "officers/transfers/import.html",
        consultation=consultation,
        form=form,
        columns=[c.name for c in columns_for([q.spec() for q in consultation.questions])],
        filename=filename,
        preview=preview,
        choices=preview.checked.choices,
        tool=preview.checked.layout.tool,
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
    action_log.record(
        "responses exported (personal data)", consultation, fmt.value.upper(), by=current_user
    )
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
