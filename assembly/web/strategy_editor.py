"""Officers' form-based strategy editor: a new strategy, its details, other agencies, glossary.

Thin: each page reads its form into part of the stored definition (`assembly.core.strategy_form`)
and saves the whole definition through `assembly.data.strategies.save_strategy`, the function the
JSON upload and `flask strategy load` use; with any problem nothing is saved, every problem
is listed, and what the officer typed is shown again. Priorities' pages are in
`assembly.web.strategy_priorities`, and the sections page in `assembly.web.strategy_sections`,
on this blueprint.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from assembly.core.strategy import GLOSSARY_FIELDS, StrategyErrors
from assembly.core.strategy_form import (
    AGENCY_FIELDS,
    DETAIL_FIELDS,
    agency_rows,
    details_from,
    filled_rows,
    posted_rows,
    priority_fields_from,
    with_blank_rows,
    with_more_rows,
)
from assembly.core.strategy_form_problems import Placed
from assembly.data import strategies
from assembly.web.editing import (
    CHANGED_MEANWHILE,
    PageErrors,
    audit_items,
    consultation_items,
    consultation_themes,
    editable,
    page_errors,
    refuse_if_frozen,
    save,
    strategy_or_404,
    strategy_url,
    theme_mentions,
    version_of,
)
from common import action_log
from common.access import role_required
from common.database import db
from common.models import Role
from common.text import SLUG_PATTERN, suggest_slug

bp = Blueprint("strategy_editor", __name__)
bp.before_request(refuse_if_frozen)  # every page here changes a strategy

# Paths under /strategies/ that are pages, so no strategy may take them as its slug.
RESERVED_SLUGS = ("new",)


def _on_this_page(fields: tuple[str, ...]) -> Any:
    """Place a strategy-level or first-priority problem on the new or details page."""

    def here(where: Placed) -> tuple[str, str] | None:
        if where.part == "strategy" and where.field in fields:
            return where.field, where.message
        if where.part == "priority" and where.number == 1 and where.field in fields:
            return where.field, where.message
        return None

    return here


# A new strategy.

FIRST_PRIORITY_FIELDS = ("name", "kind", "aim", "objectives", "targets", "measures", "lead")
NEW_FIELDS = ("title", "slug", *DETAIL_FIELDS[1:], *FIRST_PRIORITY_FIELDS)  # in page order


@bp.route("/strategies/new", methods=["GET", "POST"])
@role_required(Role.OFFICER)
def new_strategy() -> ResponseReturnValue:
    """Add a strategy with its first priority: a strategy always has at least one."""
    values = dict.fromkeys(NEW_FIELDS, "")
    errors = PageErrors()
    if request.method == "POST":
        values = {name: request.form.get(name, "") for name in NEW_FIELDS}
        values["slug"] = values["slug"].strip() or suggest_slug(values["title"])
        definition = {
            "slug": values["slug"],
            **details_from(request.form),
            "priorities": [priority_fields_from(request.form)],
        }
        errors = _create(definition, values["title"].strip())
        if not errors:
            flash(
                f"Strategy '{values['title'].strip()}' added. Now link its priority to the "
                "consultation's themes and the audit's categories, and give it an action plan.",
                "success",
            )
            return redirect(strategy_url(values["slug"]))
    return render_template(
        "officers/strategy_editor/new.html",
        values=values,
        consultations=consultation_items(values["consultation"]),
        audits=audit_items(values["audit"]),
        errors=errors,
        page_has_errors=bool(errors),
    )


def _create(definition: dict[str, Any], title: str) -> PageErrors:
    """Save a new strategy; or the errors, with nothing saved (a taken slug is one)."""
    slug = definition["slug"]
    # Only a well-formed slug is looked up: PostgreSQL refuses text holding NUL outright.
    well_formed = bool(SLUG_PATTERN.match(slug))
    slug_error = None
    if not slug and title:
        slug_error = "Enter a slug: the title has no letters or numbers to make one from"
    elif slug in RESERVED_SLUGS:
        slug_error = f"The slug cannot be '{slug}': that is the address of this page"
    elif well_formed and strategies.by_strategy_slug(slug) is not None:
        slug_error = _taken(slug)
    problems: list[str] = []
    try:
        if slug_error or not well_formed:  # check_definition says what is wrong with it
            strategies.check_definition(definition)  # the other problems, to fix in one go
        else:
            strategies.save_strategy(definition)
            action_log.record("strategy changed", None, title, "added", by=current_user)
            db.session.commit()
            return PageErrors()
    except StrategyErrors as exc:
        problems = exc.problems
    except IntegrityError:
        slug_error = _taken(slug)  # added by someone else at the same moment
    db.session.rollback()
    if not slug:  # "Enter a title" says it, or the slug's own message above
        problems = [p for p in problems if not p.startswith("slug ")]
    errors = page_errors(problems, slug, _on_this_page(NEW_FIELDS))
    if slug_error:
        errors.add(slug_error, "#slug", "slug")
    errors.sort(NEW_FIELDS)
    return errors


def _taken(slug: str) -> str:
    return f"A strategy with the slug '{slug}' already exists: choose another slug"


# Details.


@bp.route("/strategies/<slug>/details", methods=["GET", "POST"])
@role_required(Role.OFFICER)
def details(slug: str) -> ResponseReturnValue:
    """Change a strategy's title, partnership, period, consultation, audit and words."""
    strategy = strategy_or_404(slug)
    definition = editable(strategy)
    stored = {name: str(definition.get(name, "")) for name in DETAIL_FIELDS}
    values, errors, version = stored, PageErrors(), version_of(strategy)
    if request.method == "POST":
        values = details_from(request.form)
        definition.update(values)
        errors = _saved_or_errors(definition, version, "details changed", DETAIL_FIELDS)
        if not errors:
            flash("Strategy details saved", "success")
            return redirect(strategy_url(slug))
    return render_template(
        "officers/strategy_editor/details.html",
        strategy=strategy,
        values=values,
        version=version,
        consultations=consultation_items(values["consultation"], stored["consultation"]),
        audits=audit_items(values["audit"], stored["audit"]),
        errors=errors,
        page_has_errors=bool(errors),
    )


def _saved_or_errors(
    definition: dict[str, Any], version: str, what: str, fields: tuple[str, ...]
) -> PageErrors:
    """Save unless someone saved meanwhile; the errors for the details page if not saved."""
    if request.form.get("version") != version:
        errors = PageErrors()
        errors.add(CHANGED_MEANWHILE, "#save")
        return errors
    errors = page_errors(save(definition, what), definition["slug"], _on_this_page(fields))
    errors.sort(fields)
    return errors


# Other agencies.


@bp.route("/strategies/<slug>/other-agencies", methods=["GET", "POST"])
@role_required(Role.OFFICER)
def other_agencies(slug: str) -> ResponseReturnValue:
    """Who addresses each theme residents raised that no priority answers."""
    strategy = strategy_or_404(slug)
    definition = editable(strategy)
    linked = {t.casefold() for p in definition["priorities"] for t in p.get("themes") or []}
    consultation = str(definition.get("consultation", ""))
    unlinked = [t for t in consultation_themes(consultation) if t.casefold() not in linked]
    rows = agency_rows(unlinked, definition.get("other_agencies") or [])
    errors, version = PageErrors(), version_of(strategy)
    if request.method == "POST":
        rows = posted_rows(request.form, "agencies", AGENCY_FIELDS)
        filled = filled_rows(request.form, "agencies", AGENCY_FIELDS, ("agency", "explanation"))
        _set_list(definition, "other_agencies", [row for _, row in filled])
        errors = _saved_list(definition, version, "other agencies changed", "agencies", filled)
        if not errors:
            flash("Other agencies saved", "success")
            return redirect(strategy_url(slug))
    return render_template(
        "officers/strategy_editor/other_agencies.html",
        strategy=strategy,
        rows=rows,
        mentions=theme_mentions(consultation),
        version=version,
        errors=errors,
        page_has_errors=bool(errors),
    )


def _set_list(definition: dict[str, Any], name: str, entries: list[dict[str, str]]) -> None:
    if entries:
        definition[name] = entries
    else:
        definition.pop(name, None)


def _saved_list(
    definition: dict[str, Any],
    version: str,
    what: str,
    prefix: str,
    filled: list[tuple[int, dict[str, str]]],
) -> PageErrors:
    """Save a definition whose other agencies or glossary came from rows; or the errors."""
    if request.form.get("version") != version:
        errors = PageErrors()
        errors.add(CHANGED_MEANWHILE, "#save")
        return errors
    part = "other_agency" if prefix == "agencies" else "glossary"

    def here(where: Placed) -> tuple[str, str] | None:
        if where.part != part or where.number is None or where.number > len(filled):
            return None
        index, row = filled[where.number - 1]
        field = "agency" if where.field == "theme" else where.field
        label = row["theme"] if part == "other_agency" else f"Entry {index + 1}"
        return f"{prefix}-{index}-{field}", f"{label}: {where.message}"

    return page_errors(save(definition, what), definition["slug"], here)


# Glossary.


@bp.route("/strategies/<slug>/glossary", methods=["GET", "POST"])
@role_required(Role.OFFICER)
def glossary(slug: str) -> ResponseReturnValue:
    """The terms the strategy uses and what they mean; blank rows are ignored."""
    strategy = strategy_or_404(slug)
    definition = editable(strategy)
    rows = with_blank_rows(definition.get("glossary") or [], GLOSSARY_FIELDS)
    errors, adding_rows = PageErrors(), "more_rows" in request.form
    if adding_rows:
        rows = with_more_rows(
            posted_rows(request.form, "glossary", GLOSSARY_FIELDS), GLOSSARY_FIELDS
        )
    elif request.method == "POST":
        rows = posted_rows(request.form, "glossary", GLOSSARY_FIELDS)
        filled = filled_rows(request.form, "glossary", GLOSSARY_FIELDS)
        _set_list(definition, "glossary", [row for _, row in filled])
        version = version_of(strategy)
        errors = _saved_list(definition, version, "glossary changed", "glossary", filled)
        if not errors:
            flash("Glossary saved", "success")
            return redirect(strategy_url(slug))
    # Rows added without saving stay on the version they were shown from.
    version = request.form.get("version", "") if adding_rows else version_of(strategy)
    return render_template(
        "officers/strategy_editor/glossary.html",
        strategy=strategy,
        rows=rows,
        rows_added="more_rows" in request.form,
        version=version,
        errors=errors,
        page_has_errors=bool(errors),
    )


# The priorities' and sections' pages register their routes on `bp`: imported last, as `bp`
# must exist.
from assembly.web import strategy_priorities as web_editor_priorities  # noqa: E402, F401
from assembly.web import strategy_sections as web_editor_sections  # noqa: E402, F401
