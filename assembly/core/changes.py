"""What changed between two builds of a strategy's Word draft, in plain English (or Welsh).

Pure core: no Flask, no database. Every build keeps a record of what it was built from
(`assembly.data.built_drafts.gather`): the strategy definition, the data it used and, for
newer builds, every figure the draft prints ({label: displayed text}). `changes_between`
compares two such records, in the order a reader of the strategy meets them: the definition
section by section, then the data, then the figures. Names are quoted with single quotes;
long passages are never quoted.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from assembly.core.language import ENGLISH, ENGLISH_WORDS, N_, Words
from common.translation import worded

FIGURE_LINES_LIMIT = 40  # figure lines listed before "And N more figures changed"
QUOTE_LIMIT = 60  # a value longer than this (or of several lines) is not quoted

TARGET_FIELDS = {
    "value": N_("value"),
    "baseline": N_("baseline"),
    "audit_category": N_("audit category"),
    "by": N_("date"),
    "frequency": N_("frequency"),
    "lead_officer": N_("lead officer"),
}
ACTION_FIELDS = {"who": N_("owner"), "by_when": N_("timing")}
PRIORITY_FIELDS = (("kind", N_("kind")), ("aim", N_("aim")), ("why", N_("reason it is a priority")))
PRIORITY_LEADS = (("lead", N_("lead body")), ("lead_officer", N_("lead officer")))


def changes_between(
    before: Mapping[str, Any], after: Mapping[str, Any], tr: Words = ENGLISH_WORDS
) -> list[str]:
    """Lines saying what changed from the `before` build to the `after` one; [] if nothing."""
    return (
        _definition(_mapping(before.get("strategy")), _mapping(after.get("strategy")), tr)
        + _data(before, after, tr)
        + _figures(before, after, tr)
    )


def _definition(old: Mapping[str, Any], new: Mapping[str, Any], tr: Words) -> list[str]:
    """The definition's changes, section by section in the order of the draft."""

    def value(field: str, label: str) -> list[str]:
        return _field(tr(label), _text(old, field), _text(new, field), tr)

    def passage(field: str, label: str) -> list[str]:
        return _field(tr(label), _text(old, field), _text(new, field), tr, quote=False)

    def records(field: str, label: str, key: str, fields: Mapping[str, str]) -> list[str]:
        return _records(old.get(field), new.get(field), tr(label), key, fields, tr)

    def entries(field: str, label: str) -> list[str]:
        return _entries(old.get(field), new.get(field), tr(label), tr)

    return [
        *value("title", N_("The title")),
        *value("partnership", N_("The partnership's name")),
        *value("period", N_("The period")),
        *passage("foreword", N_("The foreword")),
        *records("signatories", N_("Signatory"), "name", {"role": N_("role")}),
        *passage("introduction", N_("The introduction")),
        *passage("vision", N_("The vision")),
        *passage("area", N_("The description of the area")),
        *passage("structure", N_("The partnership's structure")),
        *entries("responsible_authorities", N_("Responsible authority")),
        *entries("data_caveats", N_("Data caveat")),
        *passage("consultation_method", N_("How the consultation was run")),
        *records(
            "other_agencies",
            N_("Other agency"),
            "theme",
            {"agency": N_("agency"), "explanation": N_("explanation")},
        ),
        *_priorities(old.get("priorities"), new.get("priorities"), tr),
        *passage("governance", N_("Governance, reporting and evaluation")),
        *passage("resources", N_("Resources")),
        *records(
            "funding", N_("Funding line"), "source", {"amount": N_("amount"), "use": N_("use")}
        ),
        *passage("equality_impact", N_("The equality impact statement")),
        *passage("rural_proofing", N_("Rural proofing")),
        *records("other_plans", N_("Other plan"), "plan", {"link": N_("link")}),
        *records("glossary", N_("Glossary entry"), "term", {"meaning": N_("meaning")}),
    ]


def _priorities(old_value: Any, new_value: Any, tr: Words) -> list[str]:
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
    lines = [
        _removed(tr("Priority"), _quoted(_text(old[place], "name")), tr) for place in unmatched
    ]
    kept_order = [matched[place] for place in sorted(matched)]
    if kept_order != sorted(kept_order):
        names = ", ".join(_quoted(_text(p, "name")) for p in new)
        lines.append(tr("The priorities were reordered: now %(names)s", names=names))
    for place, priority in enumerate(new):
        if place in matched:
            lines += _priority(old[matched[place]], priority, tr)
        else:
            lines.append(_added(tr("Priority"), _quoted(_text(priority, "name")), tr))
    return lines


def _same_aim(old: Mapping[str, Any], new: Mapping[str, Any]) -> bool:
    return bool(_text(old, "aim")) and _key(_text(old, "aim")) == _key(_text(new, "aim"))


def _priority(old: Mapping[str, Any], new: Mapping[str, Any], tr: Words) -> list[str]:
    """What changed within one priority, field by field in the order the draft gives them."""
    where = tr("Priority %(name)s", name=_quoted(_text(new, "name")))
    lines = []
    if _text(old, "name") != _text(new, "name"):
        lines.append(
            tr(
                "Priority %(old)s was renamed %(new)s",
                old=_quoted(_text(old, "name")),
                new=_quoted(_text(new, "name")),
            )
        )

    def item(label: str) -> str:
        return tr("%(named)s: %(item)s", named=where, item=tr(label))

    for field, label in PRIORITY_FIELDS:
        lines += _field(_the(where, label, tr), _text(old, field), _text(new, field), tr)
    lines += _entries(old.get("objectives"), new.get("objectives"), item(N_("objective")), tr)
    old_targets, new_targets = _targets(old.get("targets")), _targets(new.get("targets"))
    lines += _records(old_targets, new_targets, item(N_("target")), "target", TARGET_FIELDS, tr)
    lines += _entries(old.get("measures"), new.get("measures"), item(N_("measure")), tr)
    for field, label in PRIORITY_LEADS:
        lines += _field(_the(where, label, tr), _text(old, field), _text(new, field), tr)
    lines += _entries(old.get("themes"), new.get("themes"), item(N_("theme")), tr)
    lines += _entries(
        old.get("audit_categories"), new.get("audit_categories"), item(N_("audit category")), tr
    )
    lines += _records(
        old.get("actions"), new.get("actions"), item(N_("action")), "action", ACTION_FIELDS, tr
    )
    return lines


def _the(named: str, field: str, tr: Words) -> str:
    """ "Priority 'X': the aim": a field of something named."""
    return tr("%(named)s: the %(field)s", named=named, field=tr(field))


def _targets(value: Any) -> list[dict[str, Any]]:
    """Targets as objects: a target given as text alone is {"target": text}."""
    items = value if isinstance(value, list) else []
    return [
        {"target": t} if isinstance(t, str) else dict(t) for t in items if isinstance(t, str | dict)
    ]


def _data(before: Mapping[str, Any], after: Mapping[str, Any], tr: Words) -> list[str]:
    """The consultation, audit, suppression threshold and house template the build used."""
    lines = _field(
        tr("The consultation"), _text(before, "consultation"), _text(after, "consultation"), tr
    )
    audit = _text(after, "audit")
    lines += _field(tr("The audit"), _text(before, "audit"), audit, tr)
    imported = _text(before, "audit_imported_at"), _text(after, "audit_imported_at")
    if audit == _text(before, "audit") and imported[0] != imported[1]:
        lines.append(tr("The audit %(audit)s was imported again", audit=_quoted(audit)))
    threshold = _number(before, "suppression_threshold"), _number(after, "suppression_threshold")
    if threshold[0] != threshold[1] and None not in threshold:
        lines.append(
            tr(
                "The suppression threshold changed from %(old)s to %(new)s",
                old=threshold[0],
                new=threshold[1],
            )
        )
    lines += _field(
        tr("The house template"),
        _text(before, "house_template"),
        _text(after, "house_template"),
        tr,
    )
    return lines


def _figures(before: Mapping[str, Any], after: Mapping[str, Any], tr: Words) -> list[str]:
    """Each figure changed, newly shown or no longer shown; the number of responses is one."""
    old, new = before.get("figures"), after.get("figures")
    if not isinstance(old, Mapping) or not isinstance(new, Mapping):
        return _unrecorded_figures(before, after, tr)
    lines = []

    def label_of(label: str) -> str:
        return _figure_words(label, tr)

    def value_of(value: Any) -> str:
        return _figure_words(str(value), tr, value=True)

    for label, value in new.items():
        if label not in old:
            lines.append(
                tr(
                    "%(label)s: %(value)s now, not shown before",
                    label=label_of(label),
                    value=value_of(value),
                )
            )
        elif old[label] != value:
            lines.append(
                tr(
                    "%(label)s: %(old)s before, %(new)s now",
                    label=label_of(label),
                    old=value_of(old[label]),
                    new=value_of(value),
                )
            )
    lines += [
        tr(
            "%(label)s: %(value)s before, no longer shown",
            label=label_of(label),
            value=value_of(value),
        )
        for label, value in old.items()
        if label not in new
    ]
    if len(lines) <= FIGURE_LINES_LIMIT:
        return lines
    more = len(lines) - FIGURE_LINES_LIMIT
    return [
        *lines[:FIGURE_LINES_LIMIT],
        tr.ngettext(
            "And %(count)s more figure changed",
            "And %(count)s more figures changed",
            more,
            count=more,
        ),
    ]


def _unrecorded_figures(
    before: Mapping[str, Any], after: Mapping[str, Any], tr: Words
) -> list[str]:
    """A build from before figures were recorded: the number of responses and the results'
    fingerprint are all that can be compared."""
    if not isinstance(before.get("figures"), Mapping):
        lines = [
            tr(
                "Figures from the earlier build were not recorded, so only the number of "
                "responses and whether any of the consultation's figures changed can be compared"
            )
        ]
    else:
        lines = [
            tr(
                "Figures from this build were not recorded, so only the number of responses and "
                "whether any of the consultation's figures changed can be compared"
            )
        ]
    old_responses, new_responses = _number(before, "responses"), _number(after, "responses")
    if old_responses != new_responses and old_responses is not None and new_responses is not None:
        lines.append(
            tr(
                "The number of responses changed from %(old)s to %(new)s",
                old=f"{old_responses:,}",
                new=f"{new_responses:,}",
            )
        )
    old_digest, new_digest = _text(before, "results_sha256"), _text(after, "results_sha256")
    if old_digest and new_digest:
        if old_digest != new_digest:
            lines.append(tr("Some of the consultation's figures changed"))
        else:
            lines.append(tr("None of the consultation's figures changed"))
    return lines


FIGURE_WORDS = {
    "Responses": N_("Responses"),
    "no figure": N_("no figure"),
}
# A hidden count is said in the words common.display says it in everywhere (the residents'
# catalogue), so that the change record and the document beside it agree.
HIDDEN_WORDS = ("not shown", "an undisclosed number")
_LABEL_PATTERNS = (
    (re.compile(r"^Agreed: (.*)$"), N_("Agreed: %(what)s")),
    (re.compile(r"^Concern (.*)$"), N_("Concern %(what)s")),
)
_VALUE_PATTERNS = ((re.compile(r"^(.*) of (\S+)$"), N_("%(what)s of %(base)s")),)
_FEWER_THAN = re.compile(r"^fewer than (\S+)$")


def _figure_words(text: str, tr: Words, *, value: bool = False) -> str:
    """A figure's label (or `value`) as the record keeps it (in English, the words the draft
    printed when it was built), with its fixed words in the language of `tr`."""
    if tr.language == ENGLISH:
        return text
    if text in FIGURE_WORDS:
        return tr(FIGURE_WORDS[text])
    if text in HIDDEN_WORDS:
        return tr.say(text)
    if value and (fewer := _FEWER_THAN.match(text)):
        return worded(tr.say, "fewer than %(count)s", count=fewer.group(1))
    for pattern, message in _VALUE_PATTERNS if value else _LABEL_PATTERNS:
        if found := pattern.match(text):
            parts = [_figure_words(part, tr, value=value) for part in found.groups()]
            return tr(message, what=parts[0], base=parts[1] if len(parts) > 1 else "")
    return text


def _added(subject: str, value: str, tr: Words) -> str:
    return tr("%(subject)s %(value)s was added", subject=_mid(subject, tr), value=value)


def _removed(subject: str, value: str, tr: Words) -> str:
    return tr("%(subject)s %(value)s was removed", subject=_mid(subject, tr), value=value)


def _mid(subject: str, tr: Words) -> str:
    """A subject as a Welsh sentence has it, after its verb ("Ychwanegwyd y teitl"); in
    English the subject starts the sentence, as written."""
    return subject if tr.language == ENGLISH else subject[:1].lower() + subject[1:]


def _field(subject: str, old: str, new: str, tr: Words, *, quote: bool = True) -> list[str]:
    """ "The period changed from 'a' to 'b'"; a long or unquoted value was rewritten, added or
    removed."""
    if old == new:
        return []
    if not old:
        if quote and _short(new):
            return [_added(subject, _quoted(new), tr)]
        return [tr("%(subject)s was added", subject=_mid(subject, tr))]
    if not new:
        if quote and _short(old):
            return [_removed(subject, _quoted(old), tr)]
        return [tr("%(subject)s was removed", subject=_mid(subject, tr))]
    if quote and _short(old) and _short(new):
        return [
            tr(
                "%(subject)s changed from %(old)s to %(new)s",
                subject=_mid(subject, tr),
                old=_quoted(old),
                new=_quoted(new),
            )
        ]
    return [tr("%(subject)s was rewritten", subject=_mid(subject, tr))]


def _entries(old_value: Any, new_value: Any, label: str, tr: Words) -> list[str]:
    """Entries of a list of text removed and added, matched ignoring capitals."""
    old = [v for v in old_value if isinstance(v, str)] if isinstance(old_value, list) else []
    new = [v for v in new_value if isinstance(v, str)] if isinstance(new_value, list) else []
    old_keys, new_keys = {_key(v) for v in old}, {_key(v) for v in new}
    removed = [_removed(label, _quoted(v), tr) for v in old if _key(v) not in new_keys]
    return removed + [_added(label, _quoted(v), tr) for v in new if _key(v) not in old_keys]


def _records(
    old_value: Any, new_value: Any, label: str, key: str, fields: Mapping[str, str], tr: Words
) -> list[str]:
    """Entries of a list of objects, matched by `key` ignoring capitals: removed, added, and
    each of `fields` ({field: its name in a sentence}) changed."""
    old = {_key(_text(r, key)): r for r in _dicts(old_value)}
    new = {_key(_text(r, key)): r for r in _dicts(new_value)}
    lines = [_removed(label, _quoted(_text(r, key)), tr) for k, r in old.items() if k not in new]
    for k, record in new.items():
        named = tr("%(label)s %(name)s", label=label, name=_quoted(_text(record, key)))
        if k not in old:
            lines.append(tr("%(subject)s was added", subject=_mid(named, tr)))
            continue
        for field, name in fields.items():
            lines += _field(_the(named, name, tr), _text(old[k], field), _text(record, field), tr)
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
