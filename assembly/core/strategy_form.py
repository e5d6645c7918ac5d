"""Officers' strategy forms read into the parts of a definition, and parts back into fields.

Pure: no Flask, no database. A posted form is any mapping of field names to text (werkzeug's
MultiDict is one); checked text lists (themes, categories) come from `getlist`. Nothing here
checks a value: the whole definition goes through `assembly.data.strategies.save_strategy`, so a
form is held to exactly the rules a file is.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, Protocol

from assembly.core.strategy import (
    ACTION_FIELDS,
    ENTRIES_LIMIT,
    FUNDING_FIELDS,
    OTHER_AGENCY_FIELDS,
    PLAN_FIELDS,
    SIGNATORY_FIELDS,
    TARGET_FIELDS,
)

DETAIL_FIELDS = (
    "title",
    "partnership",
    "period",
    "consultation",
    "audit",
    "introduction",
    "vision",
)
PRIORITY_TEXTS = ("name", "kind", "aim", "lead", "lead_officer", "why")
PRIORITY_LINES = ("objectives", "targets", "measures")
AGENCY_FIELDS = OTHER_AGENCY_FIELDS
# The sections page, in the draft's order: passages, lists one per line, and rows.
SECTION_TEXTS = (
    "foreword",
    "area",
    "structure",
    "consultation_method",
    "governance",
    "resources",
    "equality_impact",
    "rural_proofing",
)
SECTION_LINES = ("responsible_authorities", "data_caveats")
SECTION_ROWS = {
    "signatories": SIGNATORY_FIELDS,
    "funding": FUNDING_FIELDS,
    "other_plans": PLAN_FIELDS,
}
BLANK_ROWS = 3  # blank rows offered under the filled ones, and added by "Add more rows"
MAX_ROWS = ENTRIES_LIMIT + BLANK_ROWS  # rows read from a form; more are never looked at

Row = dict[str, str]


class Posted(Protocol):
    """A submitted form: text by field name, and every value of a repeated field."""

    def get(self, key: str) -> str | None: ...

    def getlist(self, key: str) -> list[str]: ...

    def __iter__(self) -> Iterator[str]: ...


def lines_of(text: str) -> list[str]:
    """One entry per line of a text box; blank lines are ignored."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def text_of(entries: Sequence[str]) -> str:
    """A list of entries as a text box shows them: one per line."""
    return "\n".join(entries)


def _value(form: Posted, name: str) -> str:
    return form.get(name) or ""


def details_from(form: Posted) -> dict[str, str]:
    """The strategy's top fields as posted (the slug is not among them)."""
    return {name: _value(form, name) for name in DETAIL_FIELDS}


def priority_fields_from(form: Posted) -> dict[str, Any]:
    """A priority's own fields as posted: texts, and lists from text boxes one per line."""
    priority: dict[str, Any] = {name: _value(form, name) for name in PRIORITY_TEXTS}
    for name in PRIORITY_LINES:
        priority[name] = lines_of(_value(form, name))
    return priority


def priority_from(form: Posted) -> tuple[dict[str, Any], list[int], list[int]]:
    """A whole priority as posted from its page (targets in rows), and which form row each of
    its actions and each of its targets came from."""
    priority = priority_fields_from(form)
    priority["themes"] = form.getlist("themes")
    priority["audit_categories"] = form.getlist("audit_categories")
    targets = filled_rows(form, "targets", TARGET_FIELDS)
    priority["targets"] = [_target(row) for _, row in targets]
    actions = filled_rows(form, "actions", ACTION_FIELDS)
    priority["actions"] = [row for _, row in actions]
    return _ordered(priority), [index for index, _ in actions], [index for index, _ in targets]


def _target(row: Row) -> dict[str, str]:
    """A target row as the file has it: its text and whichever other fields were filled."""
    return {"target": row["target"]} | {name: row[name] for name in TARGET_FIELDS[1:] if row[name]}


def _ordered(priority: dict[str, Any]) -> dict[str, Any]:
    """The priority's fields in the file format's order, leaving out empty optional ones."""
    order = ("name", "kind", "aim", "objectives", "targets", "measures", "lead")
    out = {name: priority[name] for name in order}
    for name in ("why", "lead_officer", "themes", "audit_categories", "actions"):
        if priority.get(name):
            out[name] = priority[name]
    return out


def priority_fields_of(priority: Mapping[str, Any]) -> dict[str, str]:
    """A stored priority as its form shows it (targets one per line, as the new page has them)."""
    fields = {name: str(priority.get(name, "")) for name in PRIORITY_TEXTS}
    for name in PRIORITY_LINES:
        fields[name] = text_of([_target_text(e) for e in priority.get(name) or []])
    return fields


def _target_text(entry: Any) -> str:
    return str(entry.get("target", "")) if isinstance(entry, Mapping) else str(entry)


def target_rows(targets: Sequence[Any]) -> list[Row]:
    """Stored targets as rows of the priority page, then blank rows: a target given as text
    alone is a row with only its text."""
    rows = [entry if isinstance(entry, Mapping) else {"target": entry} for entry in targets]
    return with_blank_rows(rows, TARGET_FIELDS)


def sections_of(definition: Mapping[str, Any]) -> tuple[dict[str, str], dict[str, list[Row]]]:
    """A stored definition's sections as their page shows them: fields, and rows by list."""
    values = {name: str(definition.get(name, "")) for name in SECTION_TEXTS}
    for name in SECTION_LINES:
        values[name] = text_of(definition.get(name) or [])
    rows = {
        name: with_blank_rows(definition.get(name) or [], fields)
        for name, fields in SECTION_ROWS.items()
    }
    return values, rows


def sections_from(form: Posted) -> tuple[dict[str, Any], dict[str, list[int]]]:
    """The sections as posted, each list's entries only from rows with anything typed, and
    which form row each entry came from (by list)."""
    sections: dict[str, Any] = {name: _value(form, name) for name in SECTION_TEXTS}
    for name in SECTION_LINES:
        sections[name] = lines_of(_value(form, name))
    kept: dict[str, list[int]] = {}
    for name, fields in SECTION_ROWS.items():
        filled = filled_rows(form, name, fields)
        sections[name] = [row for _, row in filled]
        kept[name] = [index for index, _ in filled]
    return sections, kept


def row_count(form: Posted, prefix: str) -> int:
    """How many rows of `prefix` the form had (blank ones too), never more than MAX_ROWS."""
    pattern = re.compile(rf"{re.escape(prefix)}-(\d{{1,4}})-")
    found = [int(m.group(1)) for key in form if (m := pattern.match(key))]
    return min(max(found, default=-1) + 1, MAX_ROWS)


def posted_rows(form: Posted, prefix: str, fields: Sequence[str]) -> list[Row]:
    """Every row of `prefix` as posted, blank ones included, to show the form again."""
    return [
        {name: _value(form, f"{prefix}-{index}-{name}") for name in fields}
        for index in range(row_count(form, prefix))
    ]


def filled_rows(
    form: Posted, prefix: str, fields: Sequence[str], filled_by: Sequence[str] | None = None
) -> list[tuple[int, Row]]:
    """(row index, row) for each row with anything in `filled_by` (all fields by default)."""
    rows = posted_rows(form, prefix, fields)
    wanted = filled_by or fields
    return [(index, row) for index, row in enumerate(rows) if any(row[f].strip() for f in wanted)]


def with_blank_rows(rows: Sequence[Mapping[str, Any]], fields: Sequence[str]) -> list[Row]:
    """Rows as a form shows them, followed by BLANK_ROWS blank ones (at most MAX_ROWS)."""
    shown = [{name: str(row.get(name, "")) for name in fields} for row in rows]
    blank = [dict.fromkeys(fields, "") for _ in range(BLANK_ROWS)]
    return (shown + blank)[: max(MAX_ROWS, len(shown))]


def with_more_rows(rows: Sequence[Row], fields: Sequence[str]) -> list[Row]:
    """Rows as posted and BLANK_ROWS more blank ones, for "Add more rows" (at most MAX_ROWS)."""
    blank = [dict.fromkeys(fields, "") for _ in range(BLANK_ROWS)]
    return [*rows, *blank][: max(MAX_ROWS, len(rows))]


def agency_rows(unlinked: Sequence[str], stored: Sequence[Mapping[str, Any]]) -> list[Row]:
    """A row per theme no priority answers, with its stored agency; then stored rows for
    themes not in that list (renamed or since linked), so none is dropped without a word."""
    by_theme = {str(a.get("theme", "")).casefold(): a for a in stored}
    rows = []
    for theme in unlinked:
        entry = by_theme.pop(theme.casefold(), {})
        rows.append(
            {
                "theme": theme,
                "agency": str(entry.get("agency", "")),
                "explanation": str(entry.get("explanation", "")),
            }
        )
    rows += [{name: str(a.get(name, "")) for name in AGENCY_FIELDS} for a in by_theme.values()]
    return rows
