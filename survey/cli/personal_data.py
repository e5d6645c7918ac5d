"""`flask personal-data ...`: find, export or delete one respondent's answers; purge free text."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import click
from flask.cli import with_appcontext

from common import action_log
from common.database import db, utcnow
from common.display import long_date, number, plural
from common.settings import retention_days, text_retention_days
from survey.data import retention
from survey.data.consultations import by_slug
from survey.data.models import Response
from survey.data.personal_data import (
    delete_response,
    find_response,
    purge_free_text,
    respondent_record,
)

personal_data_cli = click.Group(
    "personal-data",
    help="Residents' personal data: find, export, delete, purge free text, retention.",
)


def _response(reference: str) -> Response:
    response = find_response(reference)
    if response is None:
        raise click.ClickException(f"No response with the reference '{reference}'")
    return response


@personal_data_cli.command("export")
@click.argument("reference")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="JSON file.")
@with_appcontext
def export_command(reference: str, out: Path | None) -> None:
    """Print (or write to --out) everything stored for the response REFERENCE, as JSON."""
    response = _response(reference)
    text = json.dumps(respondent_record(response), indent=2, ensure_ascii=False)
    action_log.record("respondent's answers exported", subject=response.reference, by=None)
    db.session.commit()
    if out is None:
        click.echo(text)
        return
    try:
        out.write_text(text + "\n", encoding="utf-8")
    except OSError as exc:
        raise click.ClickException(f"{out}: cannot be written ({exc.strerror})") from None
    click.echo(f"Wrote the answers of {reference.upper()} to {out}")


@personal_data_cli.command("delete")
@click.argument("reference")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@with_appcontext
def delete_command(reference: str, yes: bool) -> None:
    """Delete the response REFERENCE and all its answers (results change accordingly)."""
    response = _response(reference)
    if not yes:
        click.confirm(f"Delete response {response.reference} and all its answers?", abort=True)
    delete_response(response)
    action_log.record("response deleted", subject=response.reference, by=None)
    db.session.commit()
    click.echo(f"Deleted response {response.reference} and its answers")


@personal_data_cli.command("purge-text")
@click.option(
    "--older-than",
    "days",
    type=click.IntRange(min=1),
    help="Days since submission (default: TEXT_RETENTION_DAYS, or 730).",
)
@click.option("--consultation", "slug", help="Only this consultation.")
@with_appcontext
def purge_command(days: int | None, slug: str | None) -> None:
    """Clear the words of free-text answers older than the retention period.

    Theme codes and counts stay, so results already computed do not change.
    """
    days = days or text_retention_days()
    consultation = None
    if slug is not None:
        consultation = by_slug(slug)
        if consultation is None:
            raise click.ClickException(f"No consultation with the slug '{slug}'")
    before = utcnow() - dt.timedelta(days=days)
    cleared = purge_free_text(before, consultation)
    action_log.record(
        "free text purged", consultation, f"before {before.date()}", f"{cleared} answers", by=None
    )
    db.session.commit()
    click.echo(
        f"Cleared the text of {plural(cleared, 'answer')} "
        f"from responses submitted before {long_date(before.date())}"
    )


@personal_data_cli.command("retention")
@click.option("--dry-run", is_flag=True, help="List what would go; change nothing.")
@with_appcontext
def retention_command(dry_run: bool) -> None:
    """Remove personal data past its retention period, as the daily scheduled job does:
    unfinished answers of closed consultations (or left for 7 days) and the words of free
    text older than TEXT_RETENTION_DAYS. Prints consultation, kind and count."""
    rules = retention.Rules(utcnow(), **retention_days())
    if dry_run:
        found = retention.due(rules)
        db.session.rollback()
        _print_table(found, "Would remove" if found else "Nothing is due to be removed")
        return
    went = retention.remove(rules)
    db.session.commit()
    _print_table(went, "Removed" if went else "Nothing was due to be removed")


def _print_table(rows: list[retention.Due], heading: str) -> None:
    click.echo(f"{heading}{':' if rows else ''}")
    for row in rows:
        click.echo(f"  {row.consultation}\t{row.kind}\t{number(row.count)}")
