"""`flask results show`: a consultation's results in the terminal, or as JSON."""

from __future__ import annotations

import json

import click
from flask.cli import with_appcontext

from survey import tally_store
from survey.consultations import by_slug
from survey.database import db
from survey.display import number, plural
from survey.models import Response
from survey.report import results_lines, results_to_dict
from survey.tallies import UnknownGroup, consultation_results

results_cli = click.Group("results", help="Consultation results (counts, agreement, themes).")


@results_cli.command("show")
@click.argument("slug")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
@click.option(
    "--group",
    metavar="KEY=LABEL",
    help="Only respondents in one group of a breakdown question, e.g. area=Keynsham.",
)
@with_appcontext
def show_results(slug: str, as_json: bool, group: str | None) -> None:
    """Print the results of the consultation SLUG (small counts are suppressed)."""
    consultation = by_slug(slug)
    if consultation is None:
        raise click.ClickException(f"No consultation with the slug '{slug}'")
    chosen = None
    if group is not None:
        key, sep, label = group.partition("=")
        if not sep or not key.strip() or not label.strip():
            raise click.ClickException("--group must be KEY=LABEL, e.g. area=Keynsham")
        chosen = (key.strip(), label.strip())
    try:
        results = consultation_results(consultation, chosen)
    except UnknownGroup as exc:
        raise click.ClickException(str(exc)) from None
    if as_json:
        click.echo(json.dumps(results_to_dict(results), indent=2, ensure_ascii=False))
    else:
        click.echo("\n".join(results_lines(results)))


@results_cli.command("check")
@click.argument("slug")
@click.option(
    "--repair",
    is_flag=True,
    help="If any kept count differs, drop them all and count every response again.",
)
@with_appcontext
def check_results(slug: str, repair: bool) -> None:
    """Recount the consultation SLUG from its answers and compare with the kept counts.

    Exits with status 1 and lists the differences if any kept count is not the answers'.
    """
    consultation = by_slug(slug)
    if consultation is None:
        raise click.ClickException(f"No consultation with the slug '{slug}'")
    differences = tally_store.check(consultation.id)
    responses = db.session.scalar(
        db.select(db.func.count()).where(Response.consultation_id == consultation.id)
    )
    if not differences:
        counted = plural(responses or 0, "response")
        click.echo(f"{slug}: {counted}; the kept counts agree with the answers.")
        return
    differ = plural(len(differences), "kept count")
    click.echo(
        f"{slug}: {differ} {'differs' if len(differences) == 1 else 'differ'} from the answers:"
    )
    for difference in differences[:50]:
        click.echo(
            f"  {_describe(difference.key)}: kept {number(difference.kept)}, "
            f"answers {number(difference.counted)}"
        )
    if len(differences) > 50:
        click.echo(f"  ... and {number(len(differences) - 50)} more")
    if repair:
        tally_store.forget(consultation.id)
        db.session.commit()
        remaining = tally_store.check(consultation.id)
        if not remaining:
            click.echo("Repaired: every response was counted again from its answers.")
            return
        click.echo(f"{number(len(remaining))} still differ after counting again.")
    raise SystemExit(1)


def _describe(key: tally_store.Key) -> str:
    by_question, by_option, kind, question, row, option, theme, day, channel = key
    parts = [kind]
    if by_question:
        parts.append(f"group question {by_question} option {by_option}")
    if question:
        parts.append(f"question {question}")
    if row >= 0:
        parts.append(f"statement {row}")
    if option != -1 or kind == tally_store.OPTION:
        parts.append(f"option {option}")
    if theme:
        parts.append(f"theme {theme}")
    if day:
        parts.append(day)
    if channel:
        parts.append(channel)
    return ", ".join(parts)
