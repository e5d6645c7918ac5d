"""Officers' pages for a strategy's priorities: edit one, add, remove, and change their order.

Routes on `assembly.web.strategy_editor.bp`. A priority is found by its place in the definition
(counting from 1), so each form carries the definition's version: if someone else saved a
change meanwhile (another priority moved, say), nothing is saved and the officer is told.
"""

from __future__ import annotations

import re
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from assembly.core.strategy import TARGET_FIELDS
from assembly.core.strategy_form import (
    ACTION_FIELDS,
    PRIORITY_LINES,
    PRIORITY_TEXTS,
    posted_rows,
    priority_fields_of,
    priority_from,
    target_rows,
    with_blank_rows,
    with_more_rows,
)
from assembly.core.strategy_form_problems import Placed
from assembly.data.models import Strategy
from assembly.web.editing import (
    CHANGED_MEANWHILE,
    PageErrors,
    audit_category_names,
    consultation_themes,
    editable,
    page_errors,
    save,
    strategy_or_404,
    strategy_url,
    theme_mentions,
    version_of,
)
from assembly.web.strategy_editor import bp
from common.access import role_required
from common.models import Role

# The priority page's fields in page order; target and action rows follow them.
PRIORITY_FIELDS = (
    "name",
    "kind",
    "aim",
    "objectives",
    "measures",
    "lead",
    "lead_officer",
    "themes",
    "audit_categories",
    "why",
)
STEPS = {"up": -1, "down": 1}
ROW_LISTS = {"targets": TARGET_FIELDS, "actions": ACTION_FIELDS}


@bp.get("/strategies/<slug>/priorities")
@role_required(Role.OFFICER)
def priorities(slug: str) -> ResponseReturnValue:
    """The priorities in the draft's order, to edit, move, remove or add one."""
    return _priorities_page(strategy_or_404(slug), PageErrors())


def _priorities_page(strategy: Strategy, errors: PageErrors) -> str:
    return render_template(
        "officers/strategy_editor/priorities.html",
        strategy=strategy,
        priorities=editable(strategy)["priorities"],
        version=version_of(strategy),
        errors=errors,
        page_has_errors=bool(errors),
    )


@bp.route("/strategies/<slug>/priorities/<int:number>", methods=["GET", "POST"])
@role_required(Role.OFFICER)
def edit_priority(slug: str, number: int) -> ResponseReturnValue:
    """Change one priority: its words, the themes and categories it answers, its actions."""
    strategy = strategy_or_404(slug)
    if not 1 <= number <= len(editable(strategy)["priorities"]):
        abort(404)
    return _priority_form(strategy, number)


@bp.route("/strategies/<slug>/priorities/new", methods=["GET", "POST"])
@role_required(Role.OFFICER)
def add_priority(slug: str) -> ResponseReturnValue:
    """Add a priority after the others."""
    strategy = strategy_or_404(slug)
    return _priority_form(strategy, len(editable(strategy)["priorities"]) + 1, adding=True)


def _priority_form(strategy: Strategy, number: int, adding: bool = False) -> ResponseReturnValue:
    """The priority's page; on saving, the whole definition with this priority changed."""
    definition = editable(strategy)
    stored: dict[str, Any] = {} if adding else definition["priorities"][number - 1]
    values = priority_fields_of(stored)
    themes, categories = stored.get("themes") or [], stored.get("audit_categories") or []
    rows = {
        "targets": target_rows(stored.get("targets") or []),
        "actions": with_blank_rows(stored.get("actions") or [], ACTION_FIELDS),
    }
    errors, version = PageErrors(), version_of(strategy)
    adding_rows = request.form.get("more_rows")
    if request.method == "POST":
        values = {name: request.form.get(name, "") for name in (*PRIORITY_TEXTS, *PRIORITY_LINES)}
        themes, categories = (
            request.form.getlist("themes"),
            request.form.getlist("audit_categories"),
        )
        rows = {name: posted_rows(request.form, name, f) for name, f in ROW_LISTS.items()}
        if adding_rows is not None:
            if adding_rows in rows:
                rows[adding_rows] = with_more_rows(rows[adding_rows], ROW_LISTS[adding_rows])
            version = request.form.get("version", "")  # not saved: still the version shown
        else:
            errors = _save_priority(strategy, definition, number, adding)
            if not errors:
                name = " ".join(values["name"].split())
                flash(f"Priority '{name}' {'added' if adding else 'saved'}", "success")
                return redirect(strategy_url(strategy.slug))
            version = version_of(strategy)
    audit_categories = audit_category_names(definition["audit"])
    return render_template(
        "officers/strategy_editor/priority.html",
        strategy=strategy,
        number=number,
        adding=adding,
        stored_name=stored.get("name", ""),
        values=values,
        themes=_choices(consultation_themes(definition["consultation"]), themes),
        categories=_choices(audit_categories, categories),
        mentions=theme_mentions(definition["consultation"]),
        rows=rows["actions"],
        target_rows=rows["targets"],
        target_categories=[
            _category_items(audit_categories, row["audit_category"]) for row in rows["targets"]
        ],
        rows_added=adding_rows or "",
        version=version,
        errors=errors,
        page_has_errors=bool(errors),
    )


def _save_priority(
    strategy: Strategy, definition: dict[str, Any], number: int, adding: bool
) -> PageErrors:
    """Save the definition with the posted priority in place (or added); or the errors."""
    if request.form.get("version") != version_of(strategy):
        errors = PageErrors()
        errors.add(CHANGED_MEANWHILE, "#save")
        return errors
    priority, kept, kept_targets = priority_from(request.form)
    if adding:
        definition["priorities"].append(priority)
        what = f"priority {number} '{priority['name'].strip()}' added"
    else:
        definition["priorities"][number - 1] = priority
        what = f"priority {number} '{priority['name'].strip()}' changed"
    problems = save(definition, what)
    targets = [
        (row, str(t["target"])) for row, t in zip(kept_targets, priority["targets"], strict=True)
    ]
    errors = page_errors(problems, strategy.slug, _on_priority_page(number, kept, targets))
    errors.sort(PRIORITY_FIELDS)
    return errors


def _on_priority_page(number: int, kept: list[int], targets: list[tuple[int, str]]) -> Any:
    """Place this priority's problems at its fields; `kept` maps actions to form rows, and
    `targets` gives each target's form row and text."""
    same_name = re.compile(rf": the name is also used by priority {number} \(")
    repeats = iter(_repeated(targets))

    def here(where: Placed) -> tuple[str, str] | None:
        if where.part == "priority" and where.number != number and same_name.search(where.problem):
            return "name", (
                f"Priority {where.number} already has this name: priority names must differ, "
                "ignoring capitals"
            )
        if where.part != "priority" or where.number != number:
            return None
        if found := re.match(r"^action-(\d+)-(\w+)$", where.field):
            action, field = int(found.group(1)), found.group(2)
            if action > len(kept):
                return "name", where.message
            row = kept[action - 1]
            return f"actions-{row}-{field}", f"Action {row + 1}: {where.message}"
        if found := re.match(r"^target-(\d+)-(\w+)$", where.field):
            target, field = int(found.group(1)), found.group(2)
            if target > len(targets):
                return "targets-0-target", where.message
            row = targets[target - 1][0]
            return f"targets-{row}-{field}", f"Target {row + 1}: {where.message}"
        if where.field == "targets":
            if "is listed more than once" in where.message and (repeat := next(repeats, None)):
                row, first = repeat
                return f"targets-{row}-target", (
                    f"Target {row + 1}: this is the same as target {first + 1}: targets must "
                    "differ, ignoring capitals"
                )
            return "targets-0-target", where.message
        return where.field, where.message

    return here


def _repeated(targets: list[tuple[int, str]]) -> list[tuple[int, int]]:
    """(form row, row of its first) for each target repeating an earlier one, in order."""
    first: dict[str, int] = {}
    repeats = []
    for row, text in targets:
        key = " ".join(text.split()).casefold()
        if key and key in first:
            repeats.append((row, first[key]))
        first.setdefault(key, row)
    return repeats


def _category_items(names: list[str], chosen: str) -> list[dict[str, Any]]:
    """The audit categories a target's baseline can come from; the stored one even if gone."""
    items: list[dict[str, Any]] = [{"value": "", "text": "None: the baseline is given in words"}]
    items += [{"value": name, "text": name} for name in names]
    if chosen and chosen.casefold() not in {name.casefold() for name in names}:
        items.append({"value": chosen, "text": f"{chosen} (not a category of the audit)"})
    for item in items:
        item["selected"] = item["value"].casefold() == chosen.casefold()
    return items


def _choices(names: list[str], ticked: list[str]) -> list[dict[str, Any]]:
    """Checkbox items for `names`, ticked as given; a ticked name not among them is listed too,
    so that it is never dropped unseen (saving then says why it is refused)."""
    wanted = {name.casefold() for name in ticked}
    items = [{"value": n, "text": n, "checked": n.casefold() in wanted} for n in names]
    known = {name.casefold() for name in names}
    extra = [name for name in dict.fromkeys(ticked) if name.casefold() not in known]
    items += [{"value": n, "text": n, "checked": True, "missing": True} for n in extra]
    return items


@bp.route("/strategies/<slug>/priorities/<int:number>/remove", methods=["GET", "POST"])
@role_required(Role.OFFICER)
def remove_priority(slug: str, number: int) -> ResponseReturnValue:
    """Ask for confirmation, then remove a priority; never the only one."""
    strategy = strategy_or_404(slug)
    definition = editable(strategy)
    if not 1 <= number <= len(definition["priorities"]):
        abort(404)
    errors = PageErrors()
    only = len(definition["priorities"]) == 1
    if request.method == "POST":
        if only:
            errors.add(
                "You cannot remove the only priority: a strategy needs at least one", "#only"
            )
        elif request.form.get("version") != version_of(strategy):
            errors.add(CHANGED_MEANWHILE, "#remove")
        else:
            removed = definition["priorities"].pop(number - 1)
            name = removed.get("name", "")
            problems = save(definition, f"priority {number} '{name}' removed")
            if not problems:
                flash(f"Priority '{name}' removed", "success")
                return redirect(url_for(".priorities", slug=slug))
            errors = page_errors(problems, slug, lambda where: None)
            definition = editable(strategy)
    return render_template(
        "officers/strategy_editor/remove_priority.html",
        strategy=strategy,
        number=number,
        priority=definition["priorities"][number - 1],
        only=only,
        version=version_of(strategy),
        errors=errors,
        page_has_errors=bool(errors),
    )


@bp.post("/strategies/<slug>/priorities/<int:number>/move")
@role_required(Role.OFFICER)
def move_priority(slug: str, number: int) -> ResponseReturnValue:
    """Move a priority one place up or down in the draft's order."""
    strategy = strategy_or_404(slug)
    definition = editable(strategy)
    found = definition["priorities"]
    direction = request.form.get("direction", "")
    if direction not in STEPS or not 1 <= number <= len(found):
        abort(400 if direction not in STEPS else 404)
    if request.form.get("version") != version_of(strategy):
        errors = PageErrors()
        errors.add(CHANGED_MEANWHILE, "#priorities")
        return _priorities_page(strategy, errors)
    other = number - 1 + STEPS[direction]
    if not 0 <= other < len(found):
        return redirect(url_for(".priorities", slug=slug, _anchor=f"priority-{number}"))
    found[number - 1], found[other] = found[other], found[number - 1]
    name = found[other].get("name", "")
    problems = save(definition, f"priority '{name}' moved {direction}")
    if problems:
        return _priorities_page(strategy, page_errors(problems, slug, lambda where: None))
    flash(f"Priority '{name}' moved {direction}", "success")
    return redirect(url_for(".priorities", slug=slug, _anchor=f"priority-{other + 1}"))
