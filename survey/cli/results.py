"""`flask results show`: a consultation's results in the terminal, or as JSON."""

from __future__ import annotations

import json

import click
from flask.cli import with_appcontext

from common.settings import suppression_threshold
from survey.core.release import View, across_views, leaks, status
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


@results_cli.command("disclosure-check")
@click.argument("slug")
@with_appcontext
def disclosure_check(slug: str) -> None:
    """Try to work out every hidden count of SLUG's results from what they show: for everyone
    and for each group of each breakdown question. Exits 1, listing them, if any can be."""
    consultation = by_slug(slug)
    if consultation is None:
        raise click.ClickException(f"No consultation with the slug '{slug}'")
    threshold = suppression_threshold()
    overall = consultation_results(consultation, minimum=threshold)
    everyone = ("everyone", overall, consultation_results(consultation, minimum=1))
    breakdowns: dict[str, list[View]] = {}
    for question in overall.breakdown_questions:
        breakdowns[question.key] = [
            (
                f"{question.key}={g}",
                consultation_results(consultation, (question.key, g), minimum=threshold),
                consultation_results(consultation, (question.key, g), minimum=1),
            )
            for g in question.groups
        ]
    views = [everyone, *(view for groups in breakdowns.values() for view in groups)]
    found = []
    for name, shown, counted in views:
        if shown is not None:
            found += leaks(name, shown, counted)
    keys = frozenset(breakdowns)
    known = status(views, keys)
    for key, groups in breakdowns.items():
        found += across_views(key, everyone, groups, keys, known)
    for leak in found:
        click.echo(str(leak))
    if found:
        raise click.ClickException(f"{len(found)} hidden counts can be worked out")
    click.echo(
        f"{len(views)} views checked (everyone and each breakdown group), each on its own "
        "and each breakdown's groups against everyone: no hidden count can be worked out."
    )
