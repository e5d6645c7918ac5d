"""Officers' page for the sections of a statutory strategy beyond its details and priorities.

The foreword and who signs it, the area, the partnership, how the consultation was run, data
caveats, governance, resources and funding, equality impact, rural proofing and links to
other plans. Routes on `assembly.web.strategy_editor.bp`; saved whole like every editor page.
"""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request
from flask.typing import ResponseReturnValue

from assembly.core.strategy_form import (
    SECTION_LINES,
    SECTION_ROWS,
    SECTION_TEXTS,
    Row,
    posted_rows,
    sections_from,
    sections_of,
    with_more_rows,
)
from assembly.core.strategy_form_problems import Placed
from assembly.web.editing import (
    CHANGED_MEANWHILE,
    PageErrors,
    editable,
    page_errors,
    save,
    strategy_or_404,
    strategy_url,
    version_of,
)
from assembly.web.strategy_editor import bp
from common.access import role_required
from common.models import Role

# A row's problems, from the part the core names, to its list and the label of its rows.
ROW_PARTS = {
    "signatory": ("signatories", "Signatory"),
    "funding": ("funding", "Funding line"),
    "other_plan": ("other_plans", "Other plan"),
}
# Fields in page order, rows where each list of rows is.
PAGE_ORDER = (
    "foreword",
    "signatories",
    "area",
    "responsible_authorities",
    "structure",
    "consultation_method",
    "data_caveats",
    "governance",
    "resources",
    "funding",
    "equality_impact",
    "rural_proofing",
    "other_plans",
)


@bp.route("/strategies/<slug>/sections", methods=["GET", "POST"])
@role_required(Role.OFFICER)
def sections(slug: str) -> ResponseReturnValue:
    """The strategy's sections besides its details and priorities; blank rows are ignored."""
    strategy = strategy_or_404(slug)
    definition = editable(strategy)
    values, rows = sections_of(definition)
    errors, version = PageErrors(), version_of(strategy)
    adding = request.form.get("more_rows")
    if request.method == "POST":
        values = {name: request.form.get(name, "") for name in (*SECTION_TEXTS, *SECTION_LINES)}
        rows = {name: posted_rows(request.form, name, f) for name, f in SECTION_ROWS.items()}
        if adding is not None:
            if adding in rows:
                rows[adding] = with_more_rows(rows[adding], SECTION_ROWS[adding])
            version = request.form.get("version", "")  # not saved: still the version shown
        else:
            errors = _save_sections(definition, version, rows)
            if not errors:
                flash("Sections of the strategy saved", "success")
                return redirect(strategy_url(slug))
            version = version_of(strategy)
    return render_template(
        "officers/strategy_editor/sections.html",
        strategy=strategy,
        values=values,
        rows=rows,
        rows_added=adding or "",
        version=version,
        errors=errors,
        page_has_errors=bool(errors),
    )


def _save_sections(
    definition: dict[str, Any], version: str, rows: dict[str, list[Row]]
) -> PageErrors:
    """Save the definition with the posted sections; or the errors at their fields."""
    if request.form.get("version") != version:
        errors = PageErrors()
        errors.add(CHANGED_MEANWHILE, "#save")
        return errors
    posted, kept = sections_from(request.form)
    for name, value in posted.items():
        if value:
            definition[name] = value
        else:
            definition.pop(name, None)
    errors = page_errors(save(definition, "sections changed"), definition["slug"], _here(kept))
    errors.sort(_field_order(rows))
    return errors


def _here(kept: dict[str, list[int]]) -> Any:
    """Place a problem with a section at its field, and a row's at that row."""
    firsts = {name: fields[0] for name, fields in SECTION_ROWS.items()}

    def here(where: Placed) -> tuple[str, str] | None:
        if where.part == "strategy" and where.field in (*SECTION_TEXTS, *SECTION_LINES):
            return where.field, where.message
        if where.part == "strategy" and where.field in SECTION_ROWS:
            return f"{where.field}-0-{firsts[where.field]}", where.message
        if where.part not in ROW_PARTS or where.number is None:
            return None
        name, label = ROW_PARTS[where.part]
        if where.number > len(kept[name]):
            return f"{name}-0-{firsts[name]}", where.message
        row = kept[name][where.number - 1]
        return f"{name}-{row}-{where.field}", f"{label} {row + 1}: {where.message}"

    return here


def _field_order(rows: dict[str, list[Row]]) -> list[str]:
    """Every field id on the page, in page order, for the error summary's order."""
    order: list[str] = []
    for name in PAGE_ORDER:
        if name in SECTION_ROWS:
            order += [
                f"{name}-{index}-{field}"
                for index in range(len(rows[name]))
                for field in SECTION_ROWS[name]
            ]
        else:
            order.append(name)
    return order
