"""`flask themes suggest`: theme suggestions learnt from officers' codes, and how far to trust them,
or (`--source llm`) by the council's language model, where its LLM_* settings set one up.

A subcommand of the `themes` group of survey/cli/consultations.py; app.py imports this module
so that it is added.
"""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from common.database import db
from common.display import percent, plural
from common.jobs import JobState
from common.jobs_cli import run_here
from survey.cli.consultations import _consultation, themes_cli
from survey.core.learning import Agreement, TooFewExamples
from survey.core.llm_coder import endpoint_from
from survey.core.suggesting import LANGUAGE_MODEL, LEARNT, SOURCES
from survey.data import suggestions, themes
from survey.data.models import Question
from survey.jobs.suggestions import NOT_CONFIGURED, start_suggestions


@themes_cli.command("suggest")
@click.argument("slug")
@click.option("--question", "key", help="The key of one free-text question (default: all).")
@click.option(
    "--source",
    type=click.Choice(SOURCES),
    default=LEARNT,
    show_default=True,
    help="learnt: from officers' codes; llm: ask the language model the council set up "
    "(LLM_BASE_URL), which sends the words of the answers not yet reviewed to it.",
)
@with_appcontext
def suggest_command(slug: str, key: str | None, source: str) -> None:
    """Suggest themes for consultation SLUG's answers, learnt from the ones officers coded
    (or by the council's language model, with --source llm).

    Suggestions are shown ticked in the review queue; they are not codes until an officer
    saves them. Prints, per theme, how well learnt suggestions agree with officers' own codes.
    """
    consultation = _consultation(slug)
    try:
        question = themes.coded_question(consultation, key) if key else None
    except themes.ThemeError as exc:
        raise click.ClickException(str(exc)) from None
    if question is None and not themes.coded_questions(consultation):
        raise click.ClickException(f"'{slug}' has no free-text questions with a codebook")
    if source == LANGUAGE_MODEL:
        endpoint = endpoint_from(current_app.config)
        if endpoint is None:
            raise click.ClickException(NOT_CONFIGURED)
        click.echo(
            f"Sending the answers not yet reviewed to the language model at {endpoint.host} "
            f"(model {endpoint.model})",
            err=True,
        )
    job = start_suggestions(consultation, question, source=source)
    db.session.commit()
    done = run_here(job)
    if done.state != JobState.DONE:
        raise click.ClickException(done.summary)
    if source == LANGUAGE_MODEL:
        click.echo(done.summary)
        return
    by_key = {q.key: q for q in themes.coded_questions(consultation)}
    for line in done.summary.splitlines():
        click.echo(line)
        key, _, said = line.partition(": ")
        if not said.startswith("no suggestions"):
            _echo_agreement(by_key[key])


def _echo_agreement(question: Question) -> None:
    try:
        agreement = suggestions.agreement(question)
    except TooFewExamples as exc:
        click.echo(f"  agreement not measured: {exc}")
        return
    for line in agreement_table(agreement):
        click.echo("  " + line)


def agreement_table(agreement: Agreement) -> list[str]:
    """The per-theme agreement as lines of a plain-text table."""
    width = max([5, *(len(t.name) for t in agreement.themes)])
    lines = [f"{'theme':<{width}}  {'examples':>8}  {'precision':>9}  {'recall':>6}  {'F1':>5}"]
    for theme in agreement.themes:
        if theme.score is None:
            lines.append(
                f"{theme.name:<{width}}  {theme.examples:>8}  not suggested: {theme.reason}"
            )
        else:
            score = theme.score
            lines.append(
                f"{theme.name:<{width}}  {theme.examples:>8}  {_percent(score.precision):>9}"
                f"  {_percent(score.recall):>6}  {_percent(score.f1):>5}"
            )
    lines.append(
        f"cross-validated on {plural(agreement.reviewed, 'reviewed answer')} "
        f"({agreement.folds} folds): F1 over all suggested themes {_percent(agreement.micro_f1)}, "
        f"mean of the themes' F1 {_percent(agreement.macro_f1)}"
    )
    return lines


def _percent(share: float) -> str:
    return percent(share * 100)
