"""Command line for audits, strategies and Word drafts: `flask audit`, `strategy`, `draft`.

Thin: the same functions the officers' pages call. Failures print one line and exit non-zero.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import click
from flask.cli import with_appcontext

from assembly.core.comment_consultation import CommentError
from assembly.core.language import ENGLISH, LANGUAGES
from assembly.core.strategy import StrategyErrors
from assembly.core.trends import comparison, trends
from assembly.data import adoption, built_drafts, comment_rounds, crime_audits, strategies
from assembly.data.models import Strategy
from assembly.jobs.audit_imports import start_audit_import
from assembly.jobs.draft_builds import start_draft_build
from common import action_log
from common.command_line import read_json, read_upload
from common.database import db
from common.display import plural
from common.jobs import JobState
from common.jobs_cli import report, run_here
from common.settings import fill_draft_contents, statutory_wording_file, suppression_threshold
from common.spreadsheets import MAX_FILE_BYTES

audit_cli = click.Group("audit", help="Import crime and disorder audit figures.")
strategy_cli = click.Group("strategy", help="Load and export strategy definitions.")
draft_cli = click.Group("draft", help="Build Word drafts of a strategy.")


@audit_cli.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--name", required=True, help="The audit's name, e.g. '2017-18 audit'.")
@click.option("--replace", is_flag=True, help="Replace the figures of an audit of this name.")
@click.option(
    "--area",
    default=None,
    help="The partnership's area, by name or code, in a file covering several.",
)
@with_appcontext
def import_audit_command(file: Path, name: str, replace: bool, area: str | None) -> None:
    """Import an audit's figures from FILE (.csv or .xlsx), all or none.

    Long format: columns category, period, value (and optionally area, unit, source, notes).
    Wide format: a category column, then one column per period. ONS recorded-crime tables
    and police.uk street-level or outcomes files are read too. See docs/formats.md.
    """
    data: bytes | Path = read_upload(file)
    if len(data) > MAX_FILE_BYTES:  # a police.uk file is counted as it is read, from disk
        data = file
    job = start_audit_import(name, file.name, data, replace, area=area)
    db.session.commit()
    report(run_here(job), file.name)


@audit_cli.command("show")
@click.argument("name")
@with_appcontext
def show_audit(name: str) -> None:
    """Print audit NAME's trends: each category's latest period against the one before."""
    audit = crime_audits.audit_by_name(name)
    if audit is None:
        raise click.ClickException(f"no audit called '{name}'")
    table = crime_audits.audit_table(audit)
    found = trends(table)
    for trend in found:
        click.echo(trend.sentence)
    for trend in found:
        beside = comparison(table, trend)
        if beside:
            click.echo(beside)


@strategy_cli.command("load")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def load_strategy(file: Path) -> None:
    """Create or update (matched by slug) a strategy from a JSON definition FILE."""
    raw = read_json(file)
    try:
        strategy, created = strategies.save_strategy(raw)
        action_log.record("strategy loaded", None, strategy.title, file.name, by=None)
        db.session.commit()
    except StrategyErrors as exc:
        db.session.rollback()
        problems = list(exc.problems)
        if len(problems) == 1:
            raise click.ClickException(f"{file.name}: nothing saved: {problems[0]}") from None
        for problem in problems:
            click.echo(f"{file.name}: {problem}", err=True)
        raise click.ClickException(
            f"{file.name}: nothing saved: {plural(len(problems), 'problem')} (listed above)"
        ) from None
    spec = strategies.spec_of(strategy)
    verb = "Created" if created else "Updated"
    click.echo(
        f"{verb} strategy '{strategy.slug}' with "
        f"{plural(len(spec.priorities), 'priority', 'priorities')}"
    )


@strategy_cli.command("export")
@click.argument("slug")
@click.option(
    "--out", type=click.Path(dir_okay=False, path_type=Path), required=True, help="JSON file."
)
@with_appcontext
def export_strategy(slug: str, out: Path) -> None:
    """Write strategy SLUG's definition as JSON, in the format `load` reads."""
    strategy = _strategy(slug)
    text = json.dumps(strategies.definition_of(strategy), indent=2, ensure_ascii=False)
    _write(out, (text + "\n").encode("utf-8"))
    click.echo(f"Wrote {out}")


class IsoDate(click.ParamType):
    """A date written 2027-03-31."""

    name = "DATE"

    def convert(self, value: object, param: object, ctx: object) -> dt.date:
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(str(value).strip())
        except ValueError:
            self.fail(f"'{value}' is not a date like 2027-03-31")


@strategy_cli.command("consult")
@click.argument("slug")
@click.option("--opens", type=IsoDate(), required=True, help="First day residents can answer.")
@click.option("--closes", type=IsoDate(), required=True, help="Last day residents can answer.")
@with_appcontext
def consult_command(slug: str, opens: dt.date, closes: dt.date) -> None:
    """Put strategy SLUG's newest draft out for comment: prints the new consultation's slug.

    The consultation asks about the vision and each priority, and offers the draft (its web
    page and PDF) to read; open it as any other consultation.
    """
    strategy = _strategy(slug)
    try:
        made = comment_rounds.put_out_for_comment(strategy, opens, closes)
        db.session.commit()
    except CommentError as exc:
        db.session.rollback()
        raise click.ClickException(f"nothing saved: {exc}") from None
    click.echo(made.consultation_slug)


@strategy_cli.command("adopt")
@click.argument("slug")
@click.option("--on", "on", type=IsoDate(), required=True, help="The date of the decision.")
@click.option("--by", "body", required=True, help="Who adopted it, e.g. 'Full Council'.")
@click.option("--minute", default="", help="The minute reference of the decision.")
@with_appcontext
def adopt_command(slug: str, on: dt.date, body: str, minute: str) -> None:
    """Record that strategy SLUG's newest draft was adopted, and freeze it.

    Its definition and drafts can no longer change; its Word and PDF are published.
    """
    strategy = _strategy(slug)
    try:
        adoption.adopt(strategy, on, body, minute)
        db.session.commit()
    except adoption.AdoptionError as exc:
        db.session.rollback()
        raise click.ClickException(f"nothing saved: {exc}") from None
    click.echo(
        f"Adopted draft {strategy.adopted_version} of '{slug}'; it is published at "
        f"/strategies/{slug}"
    )


@strategy_cli.command("refresh")
@click.argument("slug")
@click.option("--year", type=int, required=True, help="The year of the refresh, e.g. 2028.")
@with_appcontext
def refresh_command(slug: str, year: int) -> None:
    """Start the annual refresh of adopted strategy SLUG, on the newest audit; prints its slug."""
    strategy = _strategy(slug)
    try:
        made = adoption.refresh(strategy, year)
        db.session.commit()
    except adoption.AdoptionError as exc:
        db.session.rollback()
        raise click.ClickException(f"nothing saved: {exc}") from None
    click.echo(made.slug)


@draft_cli.command("build")
@click.option("--strategy", "slug", required=True, help="The strategy's slug.")
@click.option(
    "--out", type=click.Path(dir_okay=False, path_type=Path), required=True, help="DOCX file."
)
@click.option("--pdf", is_flag=True, help="Also write a PDF beside it, through LibreOffice.")
@click.option(
    "--language",
    type=click.Choice(LANGUAGES),
    default=ENGLISH,
    show_default=True,
    help="The language of the draft's fixed wording: en (English) or cy (Welsh).",
)
@with_appcontext
def build_draft_command(slug: str, out: Path, pdf: bool, language: str) -> None:
    """Build the next draft of strategy SLUG as a Word file; every build is kept.

    With --language cy its headings, standard sentences, tables, charts and dates are in
    Welsh; what officers wrote (priorities, actions) stays as they wrote it."""
    strategy = _strategy(slug)
    job = start_draft_build(
        strategy,
        pdf,
        suppression_threshold(),
        wording_file=statutory_wording_file(),
        contents=fill_draft_contents(),
        language=language,
    )
    db.session.commit()
    done = run_here(job)
    if done.state != JobState.DONE:
        raise click.ClickException(done.summary)
    version = int(done.link["args"]["version"]) if done.link else 0
    draft = built_drafts.draft_version(strategy, version)
    assert draft is not None, "a done build keeps its draft"
    _write(out, draft.docx)
    click.echo(f"Wrote draft {draft.version} of '{strategy.slug}' to {out}")
    if pdf and done.output is not None:
        target = out.with_suffix(".pdf")
        _write(target, done.output)
        click.echo(f"Wrote {target}")


@draft_cli.command("list")
@click.option("--strategy", "slug", required=True, help="The strategy's slug.")
@with_appcontext
def list_drafts(slug: str) -> None:
    """List every build of strategy SLUG's draft, newest first."""
    strategy = _strategy(slug)
    for draft in built_drafts.drafts_of(strategy):
        click.echo(
            f"{draft.version}\t{draft.built_at.isoformat(timespec='seconds')}\t{draft.built_by}"
        )


@draft_cli.command("get")
@click.option("--strategy", "slug", required=True, help="The strategy's slug.")
@click.option("--version", type=int, required=True, help="The draft's version number.")
@click.option(
    "--out", type=click.Path(dir_okay=False, path_type=Path), required=True, help="DOCX file."
)
@with_appcontext
def get_draft(slug: str, version: int, out: Path) -> None:
    """Write an earlier build of strategy SLUG's draft, exactly as it was built."""
    strategy = _strategy(slug)
    draft = built_drafts.draft_version(strategy, version)
    if draft is None:
        raise click.ClickException(f"'{slug}' has no draft {version}")
    _write(out, draft.docx)
    click.echo(f"Wrote draft {version} of '{slug}' to {out}")


def _strategy(slug: str) -> Strategy:
    strategy = strategies.by_strategy_slug(slug)
    if strategy is None:
        raise click.ClickException(f"no strategy with the slug '{slug}'")
    return strategy


def _write(out: Path, data: bytes) -> None:
    try:
        out.write_bytes(data)
    except OSError as exc:
        raise click.ClickException(f"{out}: cannot be written ({exc.strerror})") from None


DEMO_DATA = Path(__file__).resolve().parent.parent / "demo_data"
DEMO_AUDIT = "Crime and disorder audit 2025/26"


@click.command("demo-strategy")
@with_appcontext
def demo_strategy_command() -> None:
    """Load a demo audit and a demo strategy on the demo consultation (safe to rerun)."""
    if crime_audits.audit_by_name(DEMO_AUDIT) is None:
        data = (DEMO_DATA / "audit.csv").read_bytes()
        crime_audits.import_audit(DEMO_AUDIT, "audit.csv", data, None)
    raw = json.loads((DEMO_DATA / "strategy.json").read_text(encoding="utf-8"))
    try:
        strategy, _ = strategies.save_strategy(raw)
    except StrategyErrors as exc:
        raise click.ClickException(f"demo strategy does not fit the demo data: {exc}") from None
    db.session.commit()
    click.echo(f"Demo audit '{DEMO_AUDIT}' and strategy '{strategy.slug}' are loaded.")
    click.echo(
        "Build its Word draft with: flask --app app draft build "
        f"--strategy {strategy.slug} --out draft.docx"
    )
