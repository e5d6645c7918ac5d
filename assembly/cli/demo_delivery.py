"""`flask demo-delivery`: the previous strategy, adopted and two quarters into delivery.

The demo strategy itself stays a draft (so the draft, consultation and adoption steps can be
tried on it); this adds its predecessor, "Community Safety Strategy 2024-27", as adopted
before the service was used (so it has no built draft), with a partner account owning two
of its actions, an action added during delivery, and updates for the last two quarters; and
a year's newer audit figures and two entered figures, so its targets have measures to chart;
and its progress report for last quarter and annual report for this year, already built.
"""

from __future__ import annotations

import copy
import datetime as dt

import click
from flask.cli import with_appcontext

from assembly.core.delivery import period_of
from assembly.core.strategy import StrategyErrors
from assembly.data import crime_audits, delivery, strategies, target_figures
from assembly.data.models import StrategyStatus
from assembly.jobs.report_builds import start_report_build
from common import jobs
from common.accounts import AccountError, create_user, find_user, set_password
from common.clock import today
from common.database import db

SLUG = "community-safety-strategy-2024-27"
PARTNER = ("partner@example.org", "demo-partner-password")
ADOPTED_ON = dt.date(2024, 5, 15)
# (action number, status, progress, issues, who, by when) for the earlier and the later quarter.
UPDATES = {
    1: [("on track", "Police and council ASB reports mapped for the town centre.",
         "Housing association reports not yet shared.", "Community safety team", "Next quarter"),
        ("done", "Hotspot map shared with neighbourhood teams and housing providers.", "", "", "")],
    2: [("on track", "Two awareness sessions held for housing officers.", "", "", ""),
        ("at risk", "One session held; the second was cancelled.",
         "No venue booked for the next sessions.", "Housing providers", "End of next quarter")],
    3: [("done", "IDVA service commissioned for three years from April.", "", "", "")],
    7: [("on track", "Weekly patrols near three schools and two parks.", "", "", ""),
        ("on track", "Two warrants executed; dealing reports near schools down.",
         "Intelligence from schools is patchy.", "Neighbourhood inspector", "Next quarter")],
    8: [("not started", "Visits wait for the new crime prevention officer.",
         "Post vacant since the spring.", "Avon and Somerset Police", "Next quarter")],
}  # fmt: skip
NEWER_AUDIT = "Crime and disorder figures 2026/27 (demo)"
NEWER_FIGURES = (
    "category,period,value,unit,source\n"
    'Anti-social behaviour,2026/27,"3,720",reports,Demonstration figures\n'
    "Arson,2026/27,49,offences,Demonstration figures\n"
)
ENTERED = ((3, "2026/27", "5"), (4, "2026/27", "3"))  # (target, period, figure)


@click.command("demo-delivery")
@with_appcontext
def demo_delivery_command() -> None:
    """Add an adopted demo strategy being delivered, and a partner account (safe to rerun)."""
    email, password = PARTNER
    try:
        user = find_user(email)
        if user is None:
            create_user(email, password, "partner")
        else:
            set_password(user, password)
            user.role, user.active = "partner", True
    except AccountError as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from None
    if strategies.by_strategy_slug(SLUG) is None:
        _adopted_strategy()
        db.session.commit()
        _build_reports()
    db.session.commit()
    click.echo(f"Strategy '{SLUG}' is adopted and being delivered: /officers/delivery")
    click.echo(f"  partner    {email}  password: {password}")


def _build_reports() -> None:
    """Last quarter's progress report and this year's annual report, built as the buttons
    build them (jobs, run here), so the delivery pages list them from the start."""
    strategy = delivery.delivered(SLUG)
    now = today()
    for kind, when in (("progress", str(period_of(now).previous)), ("annual", str(now.year))):
        job = start_report_build(strategy, kind, when, now)
        db.session.commit()
        built = jobs.run_job(job.id)
        if built is None or built.state != jobs.JobState.DONE.value:
            raise click.ClickException(f"the demo's {kind} report could not be built")


def _adopted_strategy() -> None:
    demo = strategies.by_strategy_slug("community-safety-strategy-2027-30")
    if demo is None:
        raise click.ClickException("run 'flask --app app demo' first: it loads the demo data")
    raw = copy.deepcopy(demo.definition)
    raw.update(slug=SLUG, title="Community Safety Strategy 2024-27",
               period="April 2024 to March 2027")  # fmt: skip
    try:
        strategy, _ = strategies.save_strategy(raw)
    except StrategyErrors as exc:
        raise click.ClickException(f"demo strategy does not fit the demo data: {exc}") from None
    strategy.status = StrategyStatus.ADOPTED.value
    strategy.adopted_on, strategy.adopted_by = ADOPTED_ON, "Full Council"
    strategy.adoption_minute = "C/31/24"
    items = delivery.start_delivery(strategy, ADOPTED_ON)
    now = today()
    later = period_of(now).previous
    earlier = later.previous
    for number in (7, 8):
        items[number - 1].owner_name = "Sergeant Demo"
        items[number - 1].owner_email = PARTNER[0]
    items[8].due = earlier.ends  # past its date and not done: shown as overdue
    for number, updates in UPDATES.items():
        for period, (status, progress, issues, who, by_when) in zip(
            (earlier, later)[-len(updates) :], updates, strict=True
        ):
            delivery.record_update(
                items[number - 1], period=str(period), status=status, progress=progress,
                issues=issues, who=who, by_when=by_when, user=None, today=now,
            )  # fmt: skip
    delivery.add_item(
        strategy, priority="Alcohol misuse", action="Test purchases at off-licences near parks",
        owner_name="", organisation="Trading Standards", owner_email="",
        due=dt.date(now.year + 1, 3, 31), user=None, today=later.ends,
    )  # fmt: skip
    if crime_audits.audit_by_name(NEWER_AUDIT) is None:
        crime_audits.import_audit(NEWER_AUDIT, "figures-2026-27.csv",
                                  NEWER_FIGURES.encode(), None)  # fmt: skip
    for number, period, value in ENTERED:
        target_figures.record_figure(strategy, number, period, value, None)
