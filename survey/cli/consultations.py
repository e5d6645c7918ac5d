"""Flask CLI commands: accounts, consultation definitions, responses and the demo.

Every failure ends with a one-line message and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from flask.cli import with_appcontext

from common import action_log
from common.accounts import AccountError, create_user, find_user, set_password
from common.clock import today
from common.command_line import read_json, read_upload
from common.database import db, utcnow
from common.display import number, percent, plural
from common.jobs_cli import report, run_here
from common.models import Role
from common.spreadsheets import ImportRefused, UnreadableFile, file_format
from survey.core.definitions import DefinitionErrors, definition_to_dict, parse_definition
from survey.core.demo import SLUG as DEMO_SLUG
from survey.core.demo import definition as demo_definition
from survey.core.demo import responses as demo_responses
from survey.core.personal_details import personal_details
from survey.core.question_types import check_response
from survey.data import consultations as store
from survey.data import quotes, themes
from survey.data.checked_imports import proposed_mapping
from survey.data.consultations import ConsultationError
from survey.data.models import Channel, Consultation, Question, Status
from survey.data.recording import record_response
from survey.data.transfers import export_responses
from survey.jobs.imports import start_import

users_cli = click.Group("users", help="Manage staff accounts (officers, councillors, admins).")
consultations_cli = click.Group("consultations", help="Load and export consultation definitions.")
responses_cli = click.Group("responses", help="Import and export responses (CSV or XLSX).")
themes_cli = click.Group("themes", help="Code free-text answers with themes.")


@users_cli.command("create")
@click.argument("email")
@click.option(
    "--role",
    type=click.Choice([r.value for r in Role]),
    required=True,
    help="What the account may do.",
)
@click.option(
    "--password-stdin",
    is_flag=True,
    help="Read the password from standard input instead of prompting.",
)
@with_appcontext
def create_user_command(email: str, role: str, password_stdin: bool) -> None:
    """Create a staff account with EMAIL as its sign-in name."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        user = create_user(email, password, role)
        db.session.commit()
    except AccountError as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from None
    click.echo(f"Created {user.role} account for {user.email}")


@consultations_cli.command("load")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def load_consultation(file: Path) -> None:
    """Create or update (matched by slug) a consultation from a JSON definition FILE."""
    raw = read_json(file)
    try:
        spec = parse_definition(raw)
        consultation, created = store.save_definition(spec)
        db.session.commit()
    except DefinitionErrors as exc:
        db.session.rollback()
        raise click.ClickException(f"{file.name}: nothing saved: {exc}") from None
    except ConsultationError as exc:
        db.session.rollback()
        raise click.ClickException(f"{file.name}: nothing saved: {exc}") from None
    verb = "Created" if created else "Updated"
    click.echo(
        f"{verb} consultation '{consultation.slug}' with {len(spec.questions)} questions "
        f"(status: {consultation.status})"
    )


@consultations_cli.command("export")
@click.argument("slug")
@click.option(
    "--out",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    required=True,
    help="Where to write the JSON definition.",
)
@with_appcontext
def export_consultation(slug: str, out: Path) -> None:
    """Write consultation SLUG's definition as JSON, in the format `load` reads."""
    consultation = _consultation(slug)
    data = definition_to_dict(store.spec_of(consultation))
    try:
        out.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    except OSError as exc:
        raise click.ClickException(f"{out}: cannot be written ({exc.strerror})") from None
    click.echo(f"Wrote {out}")


@responses_cli.command("import")
@click.argument("slug")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--channel",
    type=click.Choice([c.value for c in Channel]),
    default=Channel.PAPER.value,
    show_default=True,
    help="How responses arrived, for rows whose channel column is blank or missing.",
)
@click.option(
    "--mapping",
    "mapping_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="A JSON file saying where a survey tool's columns go (as --show-mapping prints it).",
)
@click.option(
    "--show-mapping",
    is_flag=True,
    help="Print where each column would go, as JSON, and import nothing.",
)
@with_appcontext
def import_responses_command(
    slug: str, file: Path, channel: str, mapping_file: Path | None, show_mapping: bool
) -> None:
    """Import responses to consultation SLUG from FILE (.csv or .xlsx), all or none.

    FILE is in the service's own format or a SurveyMonkey or Microsoft Forms export. A file
    with any problem is refused whole; every problem is listed by row and column. The
    formats are described in docs/formats.md.
    """
    consultation = _consultation(slug)
    data = read_upload(file)
    mapping = read_json(mapping_file) if mapping_file is not None else None
    if show_mapping:
        _show_mapping(consultation, data, file.name, mapping)
        return
    job = start_import(consultation, data, file.name, Channel(channel), mapping=mapping)
    db.session.commit()
    report(run_here(job), file.name)


def _show_mapping(
    consultation: Consultation, data: bytes, filename: str, mapping: object | None
) -> None:
    """Print the proposed mapping as JSON, or why the file or mapping cannot be read."""
    try:
        proposal = proposed_mapping(consultation, data, filename, mapping)
    except UnreadableFile as exc:
        raise click.ClickException(f"{filename}: {exc}") from None
    except ImportRefused as exc:
        for problem in exc.problems:
            click.echo(f"{filename}: {problem}", err=True)
        raise click.ClickException(f"{filename}: the mapping file cannot be used") from None
    click.echo(json.dumps(proposal, indent=2, ensure_ascii=False))


@responses_cli.command("export")
@click.argument("slug")
@click.option(
    "--out",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    required=True,
    help="Where to write the responses: a name ending .csv or .xlsx.",
)
@with_appcontext
def export_responses_command(slug: str, out: Path) -> None:
    """Write every response to consultation SLUG to a CSV or XLSX file that `import` reads."""
    consultation = _consultation(slug)
    try:
        fmt = file_format(out.name)
    except UnreadableFile as exc:
        raise click.ClickException(f"{out.name}: {exc}") from None
    data = export_responses(consultation, fmt)
    action_log.record("responses exported (personal data)", consultation, str(out), by=None)
    db.session.commit()
    try:
        out.write_bytes(data)
    except OSError as exc:
        raise click.ClickException(f"{out}: cannot be written ({exc.strerror})") from None
    count = store.response_count(consultation.id)
    click.echo(f"Wrote {plural(count, 'response')} to {out}")


@themes_cli.command("autocode")
@click.argument("slug")
@click.option("--question", "key", help="The key of one free-text question (default: all).")
@with_appcontext
def autocode_command(slug: str, key: str | None) -> None:
    """Code consultation SLUG's free-text answers by its codebooks' phrases.

    Earlier auto codes are replaced; answers an officer has coded are left as they are.
    Prints, per theme, how its words agree with the codes officers gave the answers they
    reviewed.
    """
    consultation = _consultation(slug)
    try:
        question = themes.coded_question(consultation, key) if key else None
    except themes.ThemeError as exc:
        raise click.ClickException(str(exc)) from None
    if question is None and not themes.coded_questions(consultation):
        raise click.ClickException(f"'{slug}' has no free-text questions with a codebook")
    results = themes.autocode(consultation, question)
    db.session.commit()
    by_key = {q.key: q for q in themes.coded_questions(consultation)}
    for result in results:
        click.echo(
            f"{result.question_key}: auto-coded {plural(result.coded, 'answer')}, "
            f"{number(result.themed)} with a theme; kept {number(result.kept)} coded by officers; "
            f"{number(result.changed)} coded for the first time or differently from before"
        )
        _echo_words_agreement(by_key[result.question_key])


def _echo_words_agreement(question: Question) -> None:
    """Per theme, its words against officers' codes (the themes page's table, as text)."""
    agreement = themes.words_agreement(question)
    if not agreement.measured:
        click.echo(
            f"  each theme's words are measured against officers' codes once they have reviewed "
            f"{number(themes.MIN_REVIEWED)} answers ({number(agreement.reviewed)} so far)"
        )
        return
    click.echo(
        f"  each theme's words against officers' codes on the {number(agreement.reviewed)}"
        " answers they reviewed:"
    )
    for score in agreement.scores:
        given = score.true_positives + score.false_negatives
        if not (given or score.false_positives):
            continue
        found = (
            f", its words find {number(score.true_positives)} of them "
            f"({percent(score.recall * 100)})"
            if given
            else ""
        )
        click.echo(
            f"  {score.name}: officers gave it {plural(given, 'answer')}{found}; its words also "
            f"give it {plural(score.false_positives, 'answer')} officers did not"
        )


def _consultation(slug: str) -> Consultation:
    consultation = store.by_slug(slug)
    if consultation is None:
        raise click.ClickException(f"No consultation with the slug '{slug}'")
    return consultation


DEMO_PASSWORDS = {
    "officer@example.org": ("officer", "demo-officer-password"),
    "councillor@example.org": ("councillor", "demo-councillor-password"),
    "admin@example.org": ("admin", "demo-admin-password"),
}


def _demo_quotes(consultation: Consultation) -> None:
    """A quote for each theme that has none, as an officer might choose: the shortest readable
    answer whose words pass the screening, so the quotes pages have something to show."""
    for question in themes.coded_questions(consultation):
        chosen = quotes.quotes_of(question)
        for theme in themes.question_themes(question):
            if chosen.get(theme.id):
                continue
            offered = quotes.candidates(question, theme, 1, 10).items
            clean = next((item for item in offered if not personal_details(item.text)), None)
            answer = themes.answer_of(question, clean.answer_id) if clean else None
            if answer is not None:
                quotes.choose_quote(consultation, question, theme, answer, None, None)


@click.command("demo")
@with_appcontext
def demo_command() -> None:
    """Load the demo consultation, 64 responses and demo accounts (safe to run again)."""
    spec = parse_definition(demo_definition(today()))
    consultation, created = store.save_definition(spec)
    consultation.status = Status.OPEN.value
    db.session.flush()
    added = 0
    if store.response_count(consultation.id) == 0:
        specs = [q.spec() for q in consultation.questions]
        for item in demo_responses(utcnow()):
            values, problems = check_response(specs, item.raw, enforce_required=False)
            if problems:
                raise click.ClickException(f"demo data does not fit the questions: {problems}")
            record_response(
                consultation, values, Channel(item.channel), submitted_at=item.submitted_at
            )
            added += 1
    themes.autocode(consultation)  # officers' codes, if any, are kept
    _demo_quotes(consultation)
    for email, (role, password) in DEMO_PASSWORDS.items():
        user = find_user(email)
        try:
            if user is None:
                create_user(email, password, role)
            else:
                set_password(user, password)
                user.role = role
                user.active = True
        except AccountError as exc:
            db.session.rollback()
            raise click.ClickException(str(exc)) from None
    db.session.commit()
    total = store.response_count(consultation.id)
    note = f" ({added} added now)" if added else ""
    click.echo(f"Demo consultation '{DEMO_SLUG}' is open, with {total} responses{note}")
    click.echo("Sign in at /sign-in with:")
    for email, (role, password) in DEMO_PASSWORDS.items():
        click.echo(f"  {role:<10} {email}  password: {password}")
