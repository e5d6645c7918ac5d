"""`flask results show`: a consultation's results in the terminal, or as JSON."""

from __future__ import annotations

import json

import click
from flask.cli import with_appcontext

from common.settings import suppression_threshold
from survey.core.report import results_lines, results_to_dict
from survey.data.consultations import by_slug
from survey.data.tallies import UnknownGroup, consultation_results

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
        results = consultation_results(consultation, chosen, minimum=suppression_threshold())
    except UnknownGroup as exc:
        raise click.ClickException(str(exc)) from None
    if as_json:
        click.echo(json.dumps(results_to_dict(results), indent=2, ensure_ascii=False))
    else:
        click.echo("\n".join(results_lines(results)))
