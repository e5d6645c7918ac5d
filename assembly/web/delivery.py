"""Delivery pages of an adopted strategy: its actions with their status, and quarterly updates.

Partners see and update only the actions they own (403 on any other); officers see and change
every action and add new ones; councillors read. Thin: the checks and the saving are
`assembly.data.delivery`'s; with any problem nothing is saved and each is shown at its field.
"""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from assembly.core.delivery import (
    REPORTED,
    SHOWN,
    STATUS_HEADINGS,
    DeliveryProblems,
    Status,
    period_of,
    status_counts,
)
from assembly.core.progress_report import MEASURE_COLUMNS, measure_cells
from assembly.core.target_progress import TargetProgress, target_chart
from assembly.data import delivery, target_figures
from assembly.data.delivery_reports import delivery_position
from assembly.data.models import DeliveryItem, Strategy
from assembly.jobs.report_builds import built_reports
from assembly.web.dates import date_items, posted_date
from common.access import role_required
from common.clock import today
from common.database import db
from common.display import plural
from common.models import Role
from common.staff_home import ToDo
from survey.core.charts import Chart

bp = Blueprint("delivery", __name__)

UPDATE_FIELDS = ("period", "status", "progress", "issues", "who", "by_when")
ITEM_FIELDS = ("priority", "action", "owner_name", "organisation", "owner_email", "due")


def _strategy_or_404(slug: str) -> Strategy:
    try:
        return delivery.delivered(slug)
    except delivery.DeliveryError:
        abort(404)


def _item_or_error(strategy: Strategy, number: int) -> DeliveryItem:
    try:
        return delivery.item_of(strategy, number, current_user)
    except delivery.NotYours:
        abort(403)
    except delivery.DeliveryError:
        abort(404)


def _errors(problems: dict[str, str], fields: tuple[str, ...]) -> list[dict[str, str]]:
    anchor = {"due": "due-day"}
    return [{"text": problems[f], "href": f"#{anchor.get(f, f)}"} for f in fields if f in problems]


def _update_defaults(item: DeliveryItem) -> dict[str, str]:
    """An update form's first values: this quarter, and the status last reported."""
    return {"period": str(period_of(today())), "status": delivery.reported_default(item, today())}


def _due(prefix: str = "due") -> tuple[dt.date | None, str]:
    """The posted due date, None when left blank, or the problem with it."""
    if not any(
        request.form.get(f"{prefix}-{part}", "").strip() for part in ("day", "month", "year")
    ):
        return None, ""
    return posted_date(request.form, prefix, "the due date")


def delivery_waiting() -> list[ToDo]:
    """Delivery's share of the officers' home (registered with common.staff_home): actions
    overdue or at risk in each adopted strategy."""
    items = []
    for strategy in delivery.adopted_strategies():
        counts = status_counts(v.status for v in delivery.items_of(strategy, None, today()))
        for status, urgent in ((Status.OVERDUE, True), (Status.AT_RISK, False)):
            if counts.get(status):
                n = counts[status]
                items.append(
                    ToDo(
                        f"{plural(n, 'action')} of {strategy.title} "
                        f"{'is' if n == 1 else 'are'} {status.value}.",
                        url_for("delivery.actions", slug=strategy.slug, status=status.value),
                        "See " + ("it" if n == 1 else "them"),
                        "Delivery",
                        urgent=urgent,
                    )
                )
    return items


@bp.get("/delivery")
@role_required(Role.PARTNER)
def index() -> ResponseReturnValue:
    """Every adopted strategy with its actions' status counts (a partner's own actions)."""
    rows = []
    for strategy in delivery.adopted_strategies():
        views = delivery.items_of(strategy, current_user, today())
        rows.append((strategy, len(views), status_counts(v.status for v in views)))
    return render_template("officers/delivery/index.html", rows=rows, shown=SHOWN)


@bp.get("/strategies/<slug>/delivery")
@role_required(Role.COUNCILLOR)
def position(slug: str) -> ResponseReturnValue:
    """Delivery on one page for councillors: statuses by priority, the actions overdue or at
    risk, and the measures against targets, as this quarter's and this year's reports give."""
    strategy = _strategy_or_404(slug)
    now = today()
    found = delivery_position(strategy, now)
    return render_template(
        "officers/delivery/position.html",
        strategy=strategy,
        position=found,
        status_headings=STATUS_HEADINGS,
        attention=found.needing_attention(),
        measures=_measures_shown(list(found.measures)),
        measure_columns=MEASURE_COLUMNS,
        reports=built_reports(strategy),
        quarter=period_of(now),
    )


def _measures_shown(
    measures: list[TargetProgress],
) -> list[tuple[TargetProgress, list[str], Chart | None]]:
    """Each measure with its table row and chart, as the measures partial shows them."""
    return [(m, measure_cells(m), target_chart(m)) for m in measures]


@bp.get("/strategies/<slug>/actions")
@role_required(Role.PARTNER)
def actions(slug: str) -> ResponseReturnValue:
    """The strategy's actions, filtered by priority, status and owner, with status counts."""
    strategy = _strategy_or_404(slug)
    views = delivery.items_of(strategy, current_user, today())
    measures = target_figures.measures_of(strategy, today())
    wanted = {key: request.args.get(key, "") for key in ("priority", "status", "owner")}
    shown = [
        v
        for v in views
        if (not wanted["priority"] or v.item.priority == wanted["priority"])
        and (not wanted["status"] or v.status.value == wanted["status"])
        and (not wanted["owner"] or v.item.organisation == wanted["owner"])
    ]
    return render_template(
        "officers/delivery/actions.html",
        strategy=strategy,
        views=shown,
        total=len(views),
        counts=status_counts(v.status for v in shown),
        priorities=delivery.priorities_of(strategy),
        owners=delivery.owners_of(views),
        statuses=SHOWN,
        wanted=wanted,
        can_add=current_user.can(Role.OFFICER),
        measures=_measures_shown(measures),
        measure_columns=MEASURE_COLUMNS,
        reports=built_reports(strategy) if current_user.can(Role.COUNCILLOR) else [],
        can_read_reports=current_user.can(Role.COUNCILLOR),
        last_quarter=str(period_of(today()).previous),
        this_year=today().year,
    )


@bp.route("/strategies/<slug>/actions/<int:number>", methods=["GET", "POST"])
@role_required(Role.PARTNER)
def item(slug: str, number: int) -> ResponseReturnValue:
    """One action: its owner, status and history, and the form for this quarter's update."""
    strategy = _strategy_or_404(slug)
    found = _item_or_error(strategy, number)
    may_update = delivery.may_update(current_user, found)
    problems: dict[str, str] = {}
    values = {
        "period": str(period_of(today())),
        "status": delivery.reported_default(found, today()),
    }
    if request.method == "POST":
        if not may_update:
            abort(403)
        values = {field: request.form.get(field, "") for field in UPDATE_FIELDS}
        try:
            delivery.record_update(
                found,
                period=values["period"],
                status=values["status"],
                progress=values["progress"],
                issues=values["issues"],
                who=values["who"],
                by_when=values["by_when"],
                user=current_user,
                today=today(),
            )
        except DeliveryProblems as exc:
            db.session.rollback()
            problems = exc.problems
        else:
            db.session.commit()
            flash(f"Update for {values['period'].strip().upper()} saved", "success")
            return redirect(url_for(".item", slug=slug, number=number), code=303)
    return _item_page(strategy, found, may_update, values, problems, {}, {})


def _item_page(
    strategy: Strategy,
    found: DeliveryItem,
    may_update: bool,
    values: dict[str, str],
    problems: dict[str, str],
    owner_values: dict[str, str],
    owner_problems: dict[str, str],
) -> ResponseReturnValue:
    if not owner_values:
        owner_values = {
            "owner_name": found.owner_name,
            "organisation": found.organisation,
            "owner_email": found.owner_email,
            "due-day": str(found.due.day) if found.due else "",
            "due-month": str(found.due.month) if found.due else "",
            "due-year": str(found.due.year) if found.due else "",
        }
    all_problems = problems | owner_problems
    return render_template(
        "officers/delivery/item.html",
        strategy=strategy,
        view=delivery.view_of(found, today()),
        may_update=may_update,
        may_change_owner=current_user.can(Role.OFFICER),
        statuses=REPORTED,
        values=values,
        problems=problems,
        owner_values=owner_values,
        owner_problems=owner_problems,
        errors=_errors(problems, UPDATE_FIELDS) + _errors(owner_problems, ITEM_FIELDS),
        page_has_errors=bool(all_problems),
        due_items=date_items(owner_values, "due", "due" in owner_problems),
    ), (400 if all_problems else 200)


@bp.post("/strategies/<slug>/actions/<int:number>/owner")
@role_required(Role.OFFICER)
def owner(slug: str, number: int) -> ResponseReturnValue:
    """Change who owns an action (person, organisation, reporting account) and its due date."""
    strategy = _strategy_or_404(slug)
    found = _item_or_error(strategy, number)
    fields = ("owner_name", "organisation", "owner_email")
    owner_values = {f: request.form.get(f, "") for f in fields}
    owner_values |= {f"due-{p}": request.form.get(f"due-{p}", "") for p in ("day", "month", "year")}
    due, due_problem = _due()
    problems: dict[str, str] = {"due": due_problem} if due_problem else {}
    try:
        delivery.change_owner(
            found,
            owner_name=owner_values["owner_name"],
            organisation=owner_values["organisation"],
            owner_email=owner_values["owner_email"],
            due=due,
            user=current_user,
        )
    except DeliveryProblems as exc:
        problems |= exc.problems
    if problems:
        db.session.rollback()
        values = {
            "period": str(period_of(today())),
            "status": delivery.reported_default(found, today()),
        }
        return _item_page(strategy, found, True, values, {}, owner_values, problems)
    db.session.commit()
    flash(f"Owner of action {number} saved", "success")
    return redirect(url_for(".item", slug=slug, number=number), code=303)


@bp.route("/strategies/<slug>/actions/new", methods=["GET", "POST"])
@role_required(Role.OFFICER)
def new_item(slug: str) -> ResponseReturnValue:
    """Add an action during delivery: it is marked new in this quarter's report."""
    strategy = _strategy_or_404(slug)
    problems: dict[str, str] = {}
    values = {f: request.form.get(f, "") for f in ITEM_FIELDS if f != "due"}
    if request.method == "POST":
        due, due_problem = _due()
        if due_problem:
            problems["due"] = due_problem
        try:
            made = delivery.add_item(
                strategy,
                priority=values["priority"],
                action=values["action"],
                owner_name=values["owner_name"],
                organisation=values["organisation"],
                owner_email=values["owner_email"],
                due=due,
                user=current_user,
                today=today(),
            )
        except DeliveryProblems as exc:
            problems |= exc.problems
        if problems:
            db.session.rollback()
        else:
            db.session.commit()
            flash(f"Action {made.number} added", "success")
            return redirect(url_for(".item", slug=slug, number=made.number), code=303)
    return render_template(
        "officers/delivery/new_item.html",
        strategy=strategy,
        values=values,
        priorities=delivery.priorities_of(strategy),
        problems=problems,
        errors=_errors(problems, ITEM_FIELDS),
        page_has_errors=bool(problems),
        due_items=date_items(request.form, "due", "due" in problems),
    ), (400 if problems else 200)
