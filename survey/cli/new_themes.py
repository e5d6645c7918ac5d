"""`flask themes find-new`: groups of the answers no theme matches, offered as new themes.

A subcommand of the `themes` group of survey/cli/consultations.py; app.py imports this module
so that it is added. It runs the same job as the officers' "Find new themes" page, where the
groups are named or dismissed.
"""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from common.database import db
from common.display import plural
from common.jobs import JobState
from common.jobs_cli import run_here
from survey.cli.consultations import _consultation, themes_cli
from survey.data import new_themes, themes
from survey.jobs.new_themes import start_finding


@themes_cli.command("find-new")
@click.argument("slug")
@click.option("--question", "key", required=True, help="The key of a free-text question.")
@with_appcontext
def find_new_command(slug: str, key: str) -> None:
    """Group consultation SLUG's answers to one question that no theme matches.

    Prints each group's size, distinctive words and most typical answer; officers name or
    dismiss the groups on the question's "Find new themes" page.
    """
    consultation = _consultation(slug)
    try:
        question = themes.coded_question(consultation, key)
    except themes.ThemeError as exc:
        raise click.ClickException(str(exc)) from None
    job = start_finding(consultation, question, None)
    db.session.commit()
    done = run_here(job)
    if done.state != JobState.DONE:
        raise click.ClickException(done.summary)
    click.echo(done.summary)
    for group in new_themes.open_candidates(question, typical=1):
        click.echo(f"  {plural(group.size, 'answer')}: {', '.join(group.words)}")
        for text in group.typical:
            click.echo(f"    e.g. {text}")
