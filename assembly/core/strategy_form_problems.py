"""Where a strategy definition's problems belong on the officers' forms, in GOV.UK words.

Pure: no Flask. `assembly.core.strategy` words its problems for someone editing a JSON file
("Priority 2 'Hate crime': aim is missing"). The forms show the same rules next to the field
they are about ("Enter the aim"). A problem not recognised here still shows, in the core's
words, against the first field of its part, so a new rule is never silently lost.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# field -> (label to start a sentence, what to "Enter")
LABELS = {
    "title": ("Title", "a title"),
    "partnership": ("Partnership", "the partnership's name"),
    "period": ("Period", "the years the strategy covers"),
    "audit": ("Audit", "the audit"),
    "introduction": ("Introduction", "an introduction"),
    "vision": ("Vision", "a vision"),
    "name": ("Name", "the priority's name"),
    "aim": ("Aim", "the aim"),
    "lead": ("Lead body", "the lead body"),
    "action": ("What will be done", "what will be done"),
    "who": ("Who does it", "who does it"),
    "by_when": ("By when", "when it will be done"),
    "theme": ("Theme", "the theme"),
    "agency": ("Agency", "the agency that addresses it"),
    "explanation": ("How it is addressed", "how the agency addresses it"),
    "term": ("Term", "the term"),
    "meaning": ("Meaning", "what the term means"),
    "why": ("Why it is a priority", "why the evidence makes it a priority"),
    "lead_officer": ("Lead officer", "the lead officer's name"),
    "target": ("Target", "the target"),
    "value": ("Target value", "the target value"),
    "baseline": ("Baseline", "the baseline"),
    "audit_category": ("Audit category", "the audit category"),
    "by": ("By when", "when the target is to be met"),
    "frequency": ("How often reported", "how often it is reported"),
    "foreword": ("Foreword", "a foreword"),
    "area": ("The area", "a description of the area"),
    "structure": ("Partnership structure", "the partnership's structure"),
    "consultation_method": ("How the consultation was run", "how the consultation was run"),
    "governance": ("Governance", "how the strategy is governed"),
    "resources": ("Resources", "the resources"),
    "equality_impact": ("Equality impact", "the equality impact statement"),
    "rural_proofing": ("Rural proofing", "the rural proofing statement"),
    "role": ("Role", "the signatory's role"),
    "source": ("Source", "where the money comes from"),
    "amount": ("Amount", "the amount"),
    "use": ("What it pays for", "what the money pays for"),
    "plan": ("Plan", "the plan's name"),
    "link": ("How it links", "how the strategy links to the plan"),
}
# The signatory's "name" is a person's: said so at its field instead of "the priority's name".
RECORD_NAMES = {"signatory": "the signatory's name"}
SINGULAR = {"objectives": "objective", "targets": "target", "measures": "measure"}
# A strategy's lists of one-line texts, one per line on the sections page.
LINE_LISTS = {
    "responsible authority": "responsible_authorities",
    "data caveat": "data_caveats",
}
PLURAL = {
    "objective": "objectives",
    "target": "targets",
    "measure": "measures",
    "theme": "themes",
    "audit category": "audit_categories",
}
PARTS = (
    ("priority", re.compile(r"^Priority (\d+)(?: '.*?')?: (.*)$", re.S)),
    ("other_agency", re.compile(r"^Other agency (\d+)(?: '.*?')?: (.*)$", re.S)),
    ("glossary", re.compile(r"^Glossary entry (\d+)(?: '.*?')?: (.*)$", re.S)),
    ("signatory", re.compile(r"^Signatory (\d+)(?: '.*?')?: (.*)$", re.S)),
    ("funding", re.compile(r"^Funding line (\d+)(?: '.*?')?: (.*)$", re.S)),
    ("other_plan", re.compile(r"^Other plan (\d+)(?: '.*?')?: (.*)$", re.S)),
)
FIRST_FIELD = {
    "strategy": "title",
    "priority": "name",
    "other_agency": "agency",
    "glossary": "term",
    "signatory": "name",
    "funding": "source",
    "other_plan": "plan",
}


@dataclass(frozen=True)
class Placed:
    """A problem placed on a form: its part, the entry's number in the definition, the field.

    `number` counts from 1 among the entries saved (blank rows are not saved). `field` is a
    field of the part; an action's fields are `action-N-who` and a target's `target-N-baseline`,
    with N the action's or target's number. `problem` is the core's own words, for a page that
    cannot show the field.
    """

    part: str  # strategy, priority, other_agency, glossary, signatory, funding or other_plan
    number: int | None
    field: str
    message: str
    problem: str


def capitalised(text: str) -> str:
    """A message starting with a capital, as an error message does."""
    return text[:1].upper() + text[1:]


def placed(problem: str) -> Placed:
    """Where a problem belongs, and what to tell the officer there."""
    # A strategy-level list's problems may start ": " (the core's prefix for no part).
    problem = problem.removeprefix(": ")
    for part, pattern in PARTS:
        found = pattern.match(problem)
        if found:
            number, rest = int(found.group(1)), found.group(2)
            if part == "priority":
                field, message = _priority(rest, FIRST_FIELD[part])
            else:
                field, message = _entry(rest, FIRST_FIELD[part], RECORD_NAMES.get(part))
            return Placed(part, number, field, message, capitalised(problem))
    field, message = _strategy(problem)
    return Placed("strategy", None, field, message, capitalised(problem))


def _text_rule(rest: str, name_is: str | None = None) -> tuple[str, str] | None:
    """A missing, empty or too long text field, said as GOV.UK says it; `name_is` says what a
    "name" field holds when it is not a priority's name."""
    if found := re.match(r"^(\w+) (?:is missing|is empty|must be text)$", rest):
        name = found.group(1)
        if name == "name" and name_is:
            return name, f"Enter {name_is}"
        if name in LABELS:
            return name, f"Enter {LABELS[name][1]}"
    if found := re.match(r"^(\w+) is longer than (\d+) characters$", rest):
        name, limit = found.groups()
        if name in LABELS:
            return name, f"{LABELS[name][0]} must be {int(limit):,} characters or fewer"
    return None


def _strategy(problem: str) -> tuple[str, str]:
    if problem.startswith("slug must use only"):
        return "slug", (
            "Slug must use only lower-case letters a-z, numbers 0-9 and hyphens "
            "(80 characters or fewer)"
        )
    if re.match(r"^consultation (must be a slug|is missing|is empty)", problem):
        return "consultation", "Select the consultation the strategy answers"
    if re.match(r"^consultation '.*' does not exist$", problem, re.S):
        return "consultation", capitalised(problem) + ": select another"
    if re.match(r"^audit (is missing|is empty|must be text)$", problem):
        return "audit", "Select the audit the strategy draws on"
    if re.match(r"^audit '.*' does not exist", problem, re.S):
        return "audit", capitalised(problem.split(":")[0]) + ": select another"
    if rule := _text_rule(problem):
        return rule
    if found := re.match(
        r"^(responsible authority|data caveat) (\d+) is longer than (\d+) ", problem
    ):
        singular, number, limit = found.groups()
        return LINE_LISTS[singular], (
            f"{capitalised(singular)} {number} must be {int(limit):,} characters or fewer"
        )
    if found := re.match(r"^(responsible authority|data caveat) ", problem):
        return LINE_LISTS[found.group(1)], capitalised(problem)
    field = problem.split(" ", 1)[0]
    known = field in LABELS or field == "priorities" or field in LISTS
    return (field if known else "title"), capitalised(problem)


# A strategy's lists, named by their own problems ("funding must be a list").
LISTS = ("signatories", "responsible_authorities", "data_caveats", "funding", "other_plans")


def _priority(rest: str, first: str) -> tuple[str, str]:
    if rule := _text_rule(rest):
        return rule
    if rest.startswith("'kind' must be"):
        return "kind", "Select whether the priority is national or local"
    if found := re.match(r"^target (\d+): (.*)$", rest, re.S):
        return _target_rule(*found.groups())
    if found := re.match(r"^targets (is missing|must have at least|must be a list)", rest):
        return "targets", "Enter at least one target"
    if found := re.match(
        r"^(objectives|measures) (is missing|must have at least|must be a list)", rest
    ):
        name = found.group(1)
        return name, f"Enter at least one {SINGULAR[name]}, one per line"
    if found := re.match(r"^(objective|target|measure) (\d+) is longer than (\d+) ", rest):
        singular, number, limit = found.groups()
        return PLURAL[singular], (
            f"{capitalised(singular)} {number} must be {int(limit):,} characters or fewer"
        )
    if found := re.match(r"^(objective|target|measure|theme|audit category) ", rest):
        return PLURAL[found.group(1)], capitalised(rest)
    if found := re.match(r"^(objectives|targets|measures|themes|audit_categories) ", rest):
        return found.group(1), capitalised(rest)
    if found := re.match(r"^action (\d+): (.*)$", rest, re.S):
        number, inner = found.groups()
        field, message = _text_rule(inner) or ("action", capitalised(inner))
        return f"action-{number}-{field}", message
    if rest.startswith("actions "):
        return "action-1-action", capitalised(rest)
    if found := re.match(r"^the name is also used by priority (\d+)", rest):
        return "name", (
            f"Priority {found.group(1)} already has this name: priority names must differ, "
            "ignoring capitals"
        )
    return first, capitalised(rest)


def _target_rule(number: str, inner: str) -> tuple[str, str]:
    """A problem with one of a priority's targets, at `target-N-field`."""
    if re.match(r"^audit category '.*' is not in ", inner, re.S):
        return f"target-{number}-audit_category", capitalised(inner)
    field, message = _text_rule(inner) or ("target", capitalised(inner))
    return f"target-{number}-{field}", message


def _entry(rest: str, first: str, name_is: str | None = None) -> tuple[str, str]:
    """An other agency's, a glossary entry's, a signatory's, a funding line's or an other
    plan's problem."""
    rule = _text_rule(rest, name_is)
    if rule and rule[0] != "theme":
        return rule
    if rest.startswith("the term is also in glossary entry"):
        return "term", capitalised(rest)
    return first, capitalised(rest)
