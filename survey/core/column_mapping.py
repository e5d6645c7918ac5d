"""Which question each column of a survey tool's file answers: proposed, shown, and overridden.

Pure core. A column is proposed for a question when its heading is the question's text, exactly
or once normalised; a close wording is only offered, and the column stays unmatched (a problem)
until a mapping file says where it goes or that it is left out. Personal-data columns are left
out whatever a mapping file says. The mapping's JSON is what `--show-mapping` prints and what
`--mapping FILE.json` reads: {"layout": ..., "dates": "month first", "columns": [{"column": "J",
"heading": ..., "to": "area", "why": ...}, ...]}; "to" is a column name of the service's own
format (or "question/option" for a column holding one option's ticks), null to leave the
column out, and absent while the column is unmatched; "dates" is the order the tool's dates
are read in, which an officer may correct where a tool's order is not documented.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from common.spreadsheets import Problem
from survey.core.column_matching import How, Match, best_match, matching_option, normalise
from survey.core.question_types import kind_of
from survey.core.question_types.kind import OTHER_PART
from survey.core.questions import QuestionSpec, QuestionType
from survey.core.responses_io import columns_for
from survey.core.tool_layouts import (
    GENERIC_SUBS,
    PERSONAL,
    SUBMITTED_AT,
    DateOrder,
    FileColumn,
    Layout,
    ToolFile,
    own_column,
)

MATCHED = {
    How.EXACT: "the question's text, exactly",
    How.NORMALISED: "the question's text, once case, punctuation and spacing are ignored",
}
BY_MAPPING = "as the mapping file says"


@dataclass(frozen=True)
class ColumnChoice:
    """Where one file column goes: `to` a column of the service's format, or left out (None).

    `decided` is False for an unmatched column (refused unless a mapping file decides);
    `locked` for personal data, which no mapping file can bring in.
    """

    column: FileColumn
    to: str | None
    why: str
    decided: bool = True
    offer: str | None = None
    locked: bool = False


def propose(specs: Sequence[QuestionSpec], file: ToolFile) -> list[ColumnChoice]:
    """Where each of the file's columns goes, by its heading (and its label in row 2)."""
    by_text: dict[str, QuestionSpec] = {spec.text: spec for spec in specs}
    by_text.update({spec.key: spec for spec in specs if spec.key not in by_text})
    has_values = _columns_with_values(file)
    return [
        _propose_one(specs, by_text, file.layout, column, column.index in has_values)
        for column in file.columns
    ]


def _columns_with_values(file: ToolFile) -> set[int]:
    return {i for _, cells in file.rows for i, cell in enumerate(cells) if cell.strip()}


def _propose_one(
    specs: Sequence[QuestionSpec],
    by_text: Mapping[str, QuestionSpec],
    layout: Layout,
    column: FileColumn,
    has_values: bool,
) -> ColumnChoice:
    known, what = own_column(layout, column)
    if known:
        if what is None:
            return ColumnChoice(column, SUBMITTED_AT, "when the response was made")
        return ColumnChoice(column, None, what, locked=what == PERSONAL)
    if not column.heading and not column.sub:
        if not has_values:
            return ColumnChoice(column, None, "no heading and no values")
        return ColumnChoice(column, None, "this column has no heading but has values", False)
    found = best_match(column.heading, by_text)
    if found is None or not found.applies:
        found = _matrix_statement_heading(column.heading, specs) or found
    if found is None:
        return ColumnChoice(column, None, "no question has this text", decided=False)
    twins = [s.key for s in specs if normalise(s.text) == normalise(found.target.text)]
    if len(twins) > 1:
        why = f"questions {', '.join(twins)} all have this text, so the column's is not known"
        return ColumnChoice(column, None, why, decided=False)
    target, problem = _part(found.target, column, found.wording)
    if not found.applies:
        offer = target or found.target.key
        why = f"no question has this text; the closest is '{found.wording}' ({offer})"
        return ColumnChoice(column, None, why, decided=False, offer=offer)
    if target is None:
        return ColumnChoice(column, None, problem, decided=False, offer=problem_offer(problem))
    return ColumnChoice(column, target, MATCHED[found.how])


def _matrix_statement_heading(
    heading: str, specs: Sequence[QuestionSpec]
) -> Match[QuestionSpec] | None:
    """A matrix question named in a heading that goes on to name a statement ("Q.Statement")."""
    wanted = normalise(heading)
    for spec in specs:
        if kind_of(spec.type).takes_rows and wanted.startswith(normalise(spec.text) + " "):
            return Match(spec, spec.text, How.NORMALISED)
    return None


def _part(spec: QuestionSpec, column: FileColumn, wording: str) -> tuple[str | None, str]:
    """The column of the service's format this file column is, or None and why not."""
    sub = column.sub
    if kind_of(spec.type).takes_rows:
        rest = sub
        if normalise(sub) in GENERIC_SUBS:
            rest = normalise(column.heading).removeprefix(normalise(wording)).strip()
        found = best_match(rest, {row: row for row in spec.rows})
        if found is None:
            return None, f"'{spec.key}' has a column per statement; this one names none of them"
        if not found.applies:
            return None, f"did you mean the statement '{spec.key}/{found.target}'?"
        return f"{spec.key}/{found.target}", ""
    if normalise(sub) in GENERIC_SUBS:
        return spec.key, ""
    if normalise(sub).startswith("other"):
        if spec.type is QuestionType.MULTI_CHOICE and spec.other:
            return f"{spec.key}/{OTHER_PART}", ""
        return None, f"question '{spec.key}' has no 'Other' option"
    if spec.type is QuestionType.MULTI_CHOICE and matching_option(sub, spec.choices):
        return spec.key, ""
    return None, f"'{sub}' is not one of the options of question '{spec.key}'"


def problem_offer(why: str) -> str | None:
    """The column offered in a "did you mean" reason, if it has one."""
    if why.startswith("did you mean the statement '"):
        return why.split("'")[1]
    return None


# The mapping as JSON, and a mapping file's overrides.


def mapping_json(layout: Layout, choices: Sequence[ColumnChoice]) -> dict[str, Any]:
    """The mapping as `--show-mapping` prints it and `--mapping` reads it."""
    columns = []
    for choice in choices:
        entry: dict[str, Any] = {"column": choice.column.letter, "heading": choice.column.heading}
        if choice.column.sub:
            entry["label"] = choice.column.sub
        if choice.decided:
            entry["to"] = choice.to
        if choice.offer:
            entry["offer"] = choice.offer
        entry["why"] = choice.why if choice.decided or choice.offer else f"unmatched: {choice.why}"
        columns.append(entry)
    return {"layout": layout.value, "dates": layout.rules.date_order.value, "columns": columns}


def date_order_of(given: object | None) -> DateOrder | None:
    """The date order a mapping file gives ("dates"), or None to keep the tool's own."""
    said = given.get("dates") if isinstance(given, dict) else None
    return DateOrder(said) if said in set(DateOrder) else None


def apply_mapping(
    choices: Sequence[ColumnChoice], given: object, specs: Sequence[QuestionSpec]
) -> tuple[list[ColumnChoice], list[Problem]]:
    """The proposal with a mapping file's decisions applied, and what is wrong with the file."""
    entries = given.get("columns") if isinstance(given, dict) else None
    if not isinstance(entries, list):
        return list(choices), [Problem(0, "", 'the mapping file has no list of "columns"')]
    targets = {column.name for column in columns_for(specs)}
    targets |= {
        f"{spec.key}/{option}"
        for spec in specs
        if spec.type is QuestionType.MULTI_CHOICE
        for option in spec.choices
    }
    by_letter = {choice.column.letter: n for n, choice in enumerate(choices)}
    chosen, problems = list(choices), []
    dates = given.get("dates") if isinstance(given, dict) else None
    if dates is not None and dates not in set(DateOrder):
        orders = ", ".join(f"'{order.value}'" for order in DateOrder)
        problems.append(Problem(0, "", f'"dates" must be one of {orders}, not {dates!r:.40}'))
    for entry in entries:
        if not isinstance(entry, dict) or not isinstance(entry.get("column"), str):
            problems.append(Problem(0, "", f'a mapping entry without a "column": {entry!r:.80}'))
            continue
        letter = entry["column"].strip().upper()
        if letter not in by_letter:
            missing = "the mapping file names a column the file does not have"
            problems.append(Problem(0, f"column {letter}", missing))
            continue
        choice = chosen[by_letter[letter]]
        problem = _override_problem(choice, entry, targets)
        if problem:
            problems.append(Problem(1, choice.column.name, problem))
        elif "to" in entry:
            decided = replace(choice, to=entry["to"], why=BY_MAPPING, decided=True, offer=None)
            chosen[by_letter[letter]] = decided
    return chosen, problems


def _override_problem(choice: ColumnChoice, entry: Mapping[str, Any], targets: set[str]) -> str:
    """Why a mapping entry cannot be applied to its column ("" when it can)."""
    heading = entry.get("heading")
    if isinstance(heading, str) and heading.strip() != choice.column.heading:
        return f"the mapping file expects this column to be headed '{heading.strip()[:60]}'"
    if "to" not in entry:
        return ""
    to = entry["to"]
    if to is not None and not isinstance(to, str):
        return '"to" must be a column name of the service\'s format, or null to leave it out'
    if choice.locked and to is not None:
        return "this column holds personal data, which is never imported"
    if to is not None and to not in targets and to != SUBMITTED_AT:
        shown = ", ".join(sorted(targets))
        return f"the mapping sends this column to '{to[:60]}', which is not a column ({shown})"
    return ""
