"""What changed between two builds of a strategy's Word draft, in plain English.

Pure core: no Flask, no database. Every build keeps a record of what it was built from
(`assembly.data.built_drafts.gather`): the strategy definition, the data it used and, for
newer builds, every figure the draft prints ({label: displayed text}). `changes_between`
compares two such records, in the order a reader of the strategy meets them: the definition
section by section, then the data, then the figures. Names are quoted with single quotes;
long passages are never quoted.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

FIGURE_LINES_LIMIT = 40  # figure lines listed before "And N more figures changed"
QUOTE_LIMIT = 60  # a value longer than this (or of several lines) is not quoted

TARGET_FIELDS = {
    "value": "value",
    "baseline": "baseline",
    "audit_category": "audit category",
    "by": "date",
    "frequency": "frequency",
    "lead_officer": "lead officer",
}
ACTION_FIELDS = {"who": "owner", "by_when": "timing"}


def changes_between(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[str]:
    """Lines saying what changed from the `before` build to the `after` one; [] if nothing."""
    return (
        _definition(_mapping(before.get("strategy")), _mapping(after.get("strategy")))
        + _data(before, after)
        + _figures(before, after)
    )


def _definition(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[str]:
    """The definition's changes, section by section in the order of the draft."""

    def value(field: str, label: str) -> list[str]:
        return _field(label, _text(old, field), _text(new, field))

    def passage(field: str, label: str) -> list[str]:
        return _field(label, _text(old, field), _text(new, field), quote=False)

    def records(field: str, label: str, key: str, fields: Mapping[str, str]) -> list[str]:
        return _records(old.get(field), new.get(field), label, key, fields)

    def entries(field: str, label: str) -> list[str]:
        return _entries(old.get(field), new.get(field), label)

    return [
        *value("title", "The title"),
        *value("partnership", "The partnership's name"),
        *value("period", "The period"),
        *passage("foreword", "The foreword"),
        *records("signatories", "Signatory", "name", {"role": "role"}),
        *passage("introduction", "The introduction"),
        *passage("vision", "The vision"),
        *passage("area", "The description of the area"),
        *passage("structure", "The partnership's structure"),
        *entries("responsible_authorities", "Responsible authority"),
        *entries("data_caveats", "Data caveat"),
        *passage("consultation_method", "How the consultation was run"),
        *records(
            "other_agencies",
            "Other agency",
            "theme",
            {"agency": "agency", "explanation": "explanation"},
        ),
        *_priorities(old.get("priorities"), new.get("priorities")),
        *passage("governance", "Governance, reporting and evaluation"),
        *passage("resources", "Resources"),
        *records("funding", "Funding line", "source", {"amount": "amount", "use": "use"}),
        *passage("equality_impact", "The equality impact statement"),
        *passage("rural_proofing", "Rural proofing"),
        *records("other_plans", "Other plan", "plan", {"link": "link"}),
        *records("glossary", "Glossary entry", "term", {"meaning": "meaning"}),
    ]


def _priorities(old_value: Any, new_value: Any) -> list[str]:
    """Priorities removed, reordered, added, renamed (same aim, new name) and changed."""
    old, new = _dicts(old_value), _dicts(new_value)
    old_places = {_key(_text(p, "name")): place for place, p in enumerate(old)}
    matched: dict[int, int] = {}  # place in `new` -> place in `old`
    for place, priority in enumerate(new):
        if _key(_text(priority, "name")) in old_places:
            matched[place] = old_places[_key(_text(priority, "name"))]
    unmatched = [place for place in range(len(old)) if place not in matched.values()]
    for place, priority in enumerate(new):  # a priority renamed keeps its aim
        same_aim = [p for p in unmatched if _same_aim(old[p], priority)]
        if place not in matched and same_aim:
            matched[place] = same_aim[0]
            unmatched.remove(same_aim[0])
    lines = [f"Priority {_quoted(_text(old[place], 'name'))} was removed" for place in unmatched]
    kept_order = [matched[place] for place in sorted(matched)]
    if kept_order != sorted(kept_order):
        names = ", ".join(_quoted(_text(p, "name")) for p in new)
        lines.append(f"The priorities were reordered: now {names}")
    for place, priority in enumerate(new):
        if place in matched:
            lines += _priority(old[matched[place]], priority)
        else:
            lines.append(f"Priority {_quoted(_text(priority, 'name'))} was added")
    return lines


def _same_aim(old: Mapping[str, Any], new: Mapping[str, Any]) -> bool:
    return bool(_text(old, "aim")) and _key(_text(old, "aim")) == _key(_text(new, "aim"))


def _priority(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[str]:
    """What changed within one priority, field by field in the order the draft gives them."""
    where = f"Priority {_quoted(_text(new, 'name'))}"
    lines = []
    if _text(old, "name") != _text(new, "name"):
        lines.append(
            f"Priority {_quoted(_text(old, 'name'))} was renamed {_quoted(_text(new, 'name'))}"
        )
    for field, label in (("kind", "kind"), ("aim", "aim"), ("why", "reason it is a priority")):
        lines += _field(f"{where}: the {label}", _text(old, field), _text(new, field))
    lines += _entries(old.get("objectives"), new.get("objectives"), f"{where}: objective")
    old_targets, new_targets = _targets(old.get("targets")), _targets(new.get("targets"))
    lines += _records(old_targets, new_targets, f"{where}: target", "target", TARGET_FIELDS)
    lines += _entries(old.get("measures"), new.get("measures"), f"{where}: measure")
    for field, label in (("lead", "lead body"), ("lead_officer", "lead officer")):
        lines += _field(f"{where}: the {label}", _text(old, field), _text(new, field))
    lines += _entries(old.get("themes"), new.get("themes"), f"{where}: theme")
    lines += _entries(
        old.get("audit_categories"), new.get("audit_categories"), f"{where}: audit category"
    )
    lines += _records(
        old.get("actions"), new.get("actions"), f"{where}: action", "action", ACTION_FIELDS
    )
    return lines


def _targets(value: Any) -> list[dict[str, Any]]:
    """Targets as objects: a target given as text alone is {"target": text}."""
    items = value if isinstance(value, list) else []
    return [
        {"target": t} if isinstance(t, str) else dict(t) for t in items if isinstance(t, str | dict)
    ]


def _data(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[str]:
    """The consultation, audit, suppression threshold and house template the build used."""
    lines = _field("The consultation", _text(before, "consultation"), _text(after, "consultation"))
    audit = _text(after, "audit")
    lines += _field("The audit", _text(before, "audit"), audit)
    imported = _text(before, "audit_imported_at"), _text(after, "audit_imported_at")
    if audit == _text(before, "audit") and imported[0] != imported[1]:
        lines.append(f"The audit {_quoted(audit)} was imported again")
    threshold = _number(before, "suppression_threshold"), _number(after, "suppression_threshold")
    if threshold[0] != threshold[1] and None not in threshold:
        lines.append(f"The suppression threshold changed from {threshold[0]} to {threshold[1]}")
    lines += _field(
        "The house template", _text(before, "house_template"), _text(after, "house_template")
    )
    return lines


def _figures(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[str]:
    """Each figure changed, newly shown or no longer shown; the number of responses is one."""
    old, new = before.get("figures"), after.get("figures")
    if not isinstance(old, Mapping) or not isinstance(new, Mapping):
        return _unrecorded_figures(before, after)
    lines = []
    for label, value in new.items():
        if label not in old:
            lines.append(f"{label}: {value} now, not shown before")
        elif old[label] != value:
            lines.append(f"{label}: {old[label]} before, {value} now")
    lines += [
        f"{label}: {value} before, no longer shown"
        for label, value in old.items()
        if label not in new
    ]
    if len(lines) <= FIGURE_LINES_LIMIT:
        return lines
    more = len(lines) - FIGURE_LINES_LIMIT
    return [*lines[:FIGURE_LINES_LIMIT], f"And {more} more figure{'s' if more > 1 else ''} changed"]


def _unrecorded_figures(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[str]:
    """A build from before figures were recorded: the number of responses and the results'
    fingerprint are all that can be compared."""
    which = "the earlier build" if not isinstance(before.get("figures"), Mapping) else "this build"
    lines = [
        f"Figures from {which} were not recorded, so only the number of responses and "
        "whether any of the consultation's figures changed can be compared"
    ]
    old_responses, new_responses = _number(before, "responses"), _number(after, "responses")
    if old_responses != new_responses and old_responses is not None and new_responses is not None:
        lines.append(f"The number of responses changed from {old_responses:,} to {new_responses:,}")
    old_digest, new_digest = _text(before, "results_sha256"), _text(after, "results_sha256")
    if old_digest and new_digest:
        changed = old_digest != new_digest
        lines.append(f"{'Some' if changed else 'None'} of the consultation's figures changed")
    return lines


def _field(subject: str, old: str, new: str, *, quote: bool = True) -> list[str]:
    """ "The period changed from 'a' to 'b'"; a long or unquoted value was rewritten, added or
    removed."""
    if old == new:
        return []
    if not old:
        return [
            f"{subject} {_quoted(new)} was added"
            if quote and _short(new)
            else f"{subject} was added"
        ]
    if not new:
        return [
            f"{subject} {_quoted(old)} was removed"
            if quote and _short(old)
            else f"{subject} was removed"
        ]
    if quote and _short(old) and _short(new):
        return [f"{subject} changed from {_quoted(old)} to {_quoted(new)}"]
    return [f"{subject} was rewritten"]


def _entries(old_value: Any, new_value: Any, label: str) -> list[str]:
    """Entries of a list of text removed and added, matched ignoring capitals."""
    old = [v for v in old_value if isinstance(v, str)] if isinstance(old_value, list) else []
    new = [v for v in new_value if isinstance(v, str)] if isinstance(new_value, list) else []
    old_keys, new_keys = {_key(v) for v in old}, {_key(v) for v in new}
    removed = [f"{label} {_quoted(v)} was removed" for v in old if _key(v) not in new_keys]
    return removed + [f"{label} {_quoted(v)} was added" for v in new if _key(v) not in old_keys]


def _records(
    old_value: Any, new_value: Any, label: str, key: str, fields: Mapping[str, str]
) -> list[str]:
    """Entries of a list of objects, matched by `key` ignoring capitals: removed, added, and
    each of `fields` ({field: its name in a sentence}) changed."""
    old = {_key(_text(r, key)): r for r in _dicts(old_value)}
    new = {_key(_text(r, key)): r for r in _dicts(new_value)}
    lines = [
        f"{label} {_quoted(_text(r, key))} was removed" for k, r in old.items() if k not in new
    ]
    for k, record in new.items():
        named = f"{label} {_quoted(_text(record, key))}"
        if k not in old:
            lines.append(f"{named} was added")
            continue
        for field, name in fields.items():
            lines += _field(f"{named}: the {name}", _text(old[k], field), _text(record, field))
    return lines


def _quoted(text: str) -> str:
    """A name in single quotes, on one line, cut short if long."""
    line = " ".join(text.split())
    if len(line) > QUOTE_LIMIT:
        line = line[: QUOTE_LIMIT - 3] + "..."
    return f"'{line}'"


def _short(text: str) -> bool:
    return "\n" not in text and len(text) <= QUOTE_LIMIT


def _key(text: str) -> str:
    """How names are matched: ignoring capitals and runs of spaces."""
    return " ".join(text.split()).casefold()


def _text(record: Mapping[str, Any], field: str) -> str:
    value = record.get(field)
    return value if isinstance(value, str) else ""


def _number(record: Mapping[str, Any], field: str) -> int | None:
    value = record.get(field)
    return value if isinstance(value, int) else None


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _dicts(value: Any) -> list[Mapping[str, Any]]:
    return [v for v in value if isinstance(v, Mapping)] if isinstance(value, list) else []
