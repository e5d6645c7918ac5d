"""Command line for delivering an adopted strategy: `flask actions list` and `update`,
`flask measures list` and `record`, and `flask report progress` and `annual`.

Thin: the same functions the delivery pages call. With `--as EMAIL` a command acts as that
account, so a partner's command reaches only their own actions, as on the web.
"""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext

from assembly.core.annual_report import build_annual_report
from assembly.core.delivery import DeliveryProblems, parse_period, status_counts
from assembly.core.progress_report import build_progress_report
from assembly.data import delivery, target_figures
from assembly.data.built_drafts import current_template
from assembly.data.delivery_reports import annual_report, progress_report
from common.accounts import find_user
from common.clock import today
from common.database import db, utcnow
from common.display import long_date
from common.models import Role, User
from common.text import clean_line

actions_cli = click.Group("actions", help="List and update an adopted strategy's actions.")


def _account(email: str | None) -> User | None:
    if email is None:
        return None
    user = find_user(email)
    if user is None or not user.active:
        raise click.ClickException(f"no active account for '{email}'")
    return user


@actions_cli.command("list")
@click.option("--strategy", "slug", required=True, help="The adopted strategy's slug.")
@click.option("--as", "email", default=None, help="Act as this account (a partner's: own only).")
@with_appcontext
def list_actions(slug: str, email: str | None) -> None:
    """List the actions of strategy SLUG: number, status, priority, owner, due, action."""
    user = _account(email)
    try:
        strategy = delivery.delivered(slug)
    except delivery.DeliveryError as exc:
        raise click.ClickException(str(exc)) from None
    views = delivery.items_of(strategy, user, today())
    for view in views:
        item = view.item
        owner = ", ".join(part for part in (item.owner_name, item.organisation) if part)
        due = long_date(item.due) if item.due else item.by_when or "no date"
        new = " (new)" if view.new else ""
        click.echo(
            f"{item.number}\t{view.status.value}\t{item.priority}\t{owner}\t{due}\t"
            f"{item.action}{new}"
        )
    counts = status_counts(v.status for v in views)
    click.echo("; ".join(f"{status.value}: {count}" for status, count in counts.items()))


@actions_cli.command("update")
@click.option("--strategy", "slug", required=True, help="The adopted strategy's slug.")
@click.option("--action", "number", type=int, required=True, help="The action's number.")
@click.option("--period", required=True, help="The reporting quarter, like 2027-Q1.")
@click.option("--status", required=True, help="not started, on track, at risk or done.")
@click.option("--progress", required=True, help="Progress made this quarter.")
@click.option("--issues", default="", help="Issues to be addressed.")
@click.option("--who", default="", help="Who addresses them.")
@click.option("--by-when", default="", help="By when.")
@click.option("--as", "email", default=None, help="Act as this account (a partner's: own only).")
@with_appcontext
def update_action(
    slug: str,
    number: int,
    period: str,
    status: str,
    progress: str,
    issues: str,
    who: str,
    by_when: str,
    email: str | None,
) -> None:
    """Record a quarter's update of action NUMBER of strategy SLUG; every update is kept."""
    user = _account(email)
    try:
        strategy = delivery.delivered(slug)
        item = delivery.item_of(strategy, number, user)
        update = delivery.record_update(
            item,
            period=period,
            status=status,
            progress=progress,
            issues=issues,
            who=who,
            by_when=by_when,
            user=user,
            today=today(),
        )
    except (delivery.DeliveryError, DeliveryProblems) as exc:
        db.session.rollback()
        raise click.ClickException(f"nothing saved: {exc}") from None
    db.session.commit()
    click.echo(f"Recorded the update of action {number} for {update.period}: {update.status}")


report_cli = click.Group("report", help="Write delivery reports on an adopted strategy.")


@report_cli.command("progress")
@click.option("--strategy", "slug", required=True, help="The adopted strategy's slug.")
@click.option("--period", required=True, help="The reporting quarter, like 2027-Q1.")
@click.option(
    "--out", type=click.Path(dir_okay=False, path_type=Path), required=True, help="DOCX file."
)
@click.option("--lead", default="", help="The lead named on the cover (default: the chair).")
@with_appcontext
def progress_report_command(slug: str, period: str, out: Path, lead: str) -> None:
    """Write the quarterly progress report of strategy SLUG for PERIOD as a Word file."""
    try:
        strategy = delivery.delivered(slug)
        quarter = parse_period(period)
    except (delivery.DeliveryError, ValueError) as exc:
        raise click.ClickException(str(exc)) from None
    try:
        report = progress_report(strategy, quarter, today(), clean_line(lead).strip())
    except delivery.DeliveryError as exc:
        raise click.ClickException(str(exc)) from None
    template = current_template()
    data = build_progress_report(report, utcnow(), template.docx if template else None)
    try:
        out.write_bytes(data)
    except OSError as exc:
        raise click.ClickException(f"{out}: cannot be written ({exc.strerror})") from None
    click.echo(f"Wrote the {quarter} progress report of '{slug}' to {out}")


measures_cli = click.Group("measures", help="An adopted strategy's measures against its targets.")


@measures_cli.command("list")
@click.option("--strategy", "slug", required=True, help="The adopted strategy's slug.")
@with_appcontext
def list_measures(slug: str) -> None:
    """List the targets of strategy SLUG: number, where each stands, and every actual figure."""
    try:
        strategy = delivery.delivered(slug)
    except delivery.DeliveryError as exc:
        raise click.ClickException(str(exc)) from None
    for measure in target_figures.measures_of(strategy):
        click.echo(f"{measure.number}\t{measure.priority}\t{measure.sentence()}")
        for point in measure.points:
            click.echo(f"\t{point.period}\t{measure.shown(point.value)}\t{point.source}")


@measures_cli.command("record")
@click.option("--strategy", "slug", required=True, help="The adopted strategy's slug.")
@click.option("--target", "number", type=int, required=True, help="The target's number.")
@click.option("--period", required=True, help="2026/27, 2027, 2027-Q1 or 2027-03.")
@click.option("--value", required=True, help="The actual figure, like 3,650.")
@click.option("--as", "email", default=None, help="Record as this account (an officer's).")
@with_appcontext
def record_measure(slug: str, number: int, period: str, value: str, email: str | None) -> None:
    """Record the actual figure of target NUMBER of strategy SLUG for a period."""
    user = _account(email)
    if user is not None and not user.can(Role.OFFICER):
        raise click.ClickException(f"'{email}' is not an officer: only officers record figures")
    try:
        strategy = delivery.delivered(slug)
        measure = target_figures.record_figure(strategy, number, period, value, user)
    except (delivery.DeliveryError, target_figures.TargetError) as exc:
        db.session.rollback()
        raise click.ClickException(f"nothing saved: {exc}") from None
    db.session.commit()
    click.echo(f"Recorded target {number}'s figure. {measure.sentence()}")


@report_cli.command("annual")
@click.option("--strategy", "slug", required=True, help="The adopted strategy's slug.")
@click.option("--year", type=int, required=True, help="The calendar year reported on.")
@click.option(
    "--out", type=click.Path(dir_okay=False, path_type=Path), required=True, help="DOCX file."
)
@with_appcontext
def annual_report_command(slug: str, year: int, out: Path) -> None:
    """Write the annual report on strategy SLUG's YEAR to the crime and disorder scrutiny
    committee as a Word file; gaps the officer must fill carry Word comments."""
    try:
        strategy = delivery.delivered(slug)
        report = annual_report(strategy, year, today())
    except delivery.DeliveryError as exc:
        raise click.ClickException(str(exc)) from None
    template = current_template()
    data = build_annual_report(report, utcnow(), template.docx if template else None)
    try:
        out.write_bytes(data)
    except OSError as exc:
        raise click.ClickException(f"{out}: cannot be written ({exc.strerror})") from None
    click.echo(f"Wrote the {year} annual report of '{slug}' to {out}")
