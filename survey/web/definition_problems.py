"""How the core's definition problems read on the officers' forms: which field, what message.

`survey.core.questions` words its problems for people editing JSON files ("question 'area': a
single_choice question needs at least two options"). The forms show the same rules as GOV.UK
error messages next to the field they are about. A problem not recognised here still shows,
in the core's words, so a new rule is never silently lost.
"""

from __future__ import annotations

import re

# field name -> (label to start a sentence, what to "Enter")
DETAIL_FIELDS = {
    "slug": ("Slug", "a slug"),
    "title": ("Title", "a title"),
    "summary": ("Summary", "a summary"),
    "how_used": ("How answers will be used", "how answers will be used"),
    "privacy": ("Privacy notice", "a privacy notice"),
    "opens": ("The date the consultation opens", "the date the consultation opens"),
    "closes": ("The date the consultation closes", "the date the consultation closes"),
    "title_cy": ("Title in Welsh", "the title in Welsh"),
    "summary_cy": ("Summary in Welsh", "the summary in Welsh"),
    "how_used_cy": (
        "How answers will be used, in Welsh,",
        "how answers will be used in Welsh, as you gave your own wording in English",
    ),
    "privacy_cy": (
        "Privacy notice in Welsh",
        "the privacy notice in Welsh, as you gave your own wording in English",
    ),
}
QUESTION_FIELDS = {
    "key": ("Key", "a key"),
    "type": ("Type", "the type of question"),
    "text": ("Question", "the question"),
    "hint": ("Hint", "a hint"),
    "context": ("What residents read first", "what residents read first"),
    "required": ("Required", "whether residents must answer"),
    "options": ("Options", "at least two options, one per line"),
    "other": ("Other", "whether to offer 'Other'"),
    "breakdown": ("Breakdown", "whether this is a breakdown"),
    "rows": ("Statements", "at least one statement, one per line"),
    "codebook": ("Codebook", "a codebook name"),
    "text_cy": ("Question in Welsh", "the question in Welsh"),
    "hint_cy": ("Hint in Welsh", "the hint in Welsh, as the question has one in English"),
    "context_cy": (
        "What residents read first, in Welsh,",
        "what residents read first in Welsh, as the question has it in English",
    ),
    "options_cy": ("Options in Welsh", "the options in Welsh, one per line"),
    "rows_cy": ("Statements in Welsh", "the statements in Welsh, one per line"),
}
EACH = {"options": "option", "rows": "statement", "options_cy": "option", "rows_cy": "statement"}
ENGLISH = {"options_cy": "English options", "rows_cy": "English statements"}

# (pattern, field, message); field None means the one the pattern captures as `field`.
Rule = tuple[str, str | None, str]
TEXT_RULES: list[Rule] = [
    (r"(?P<field>\w+) is (missing|empty)$", None, "Enter {enter}"),
    (
        r"(?P<field>\w+) is longer than (?P<limit>\d+) ",
        None,
        "{label} must be {limit} characters or fewer",
    ),
]
DETAIL_RULES: list[Rule] = [
    (
        r"slug must use only",
        "slug",
        "Slug must use only lower-case letters a-z, numbers 0-9 and hyphens "
        "(80 characters or fewer)",
    ),
    (
        r"(?P<field>opens|closes) .*(is not a date|must be a date)",
        None,
        "{label} must be a real date",
    ),
    (
        r"closes must be on or after opens",
        "closes",
        "The date the consultation closes must be the same as or after the date it opens",
    ),
    (r"(?P<field>\w+_cy) is needed, as the consultation has Welsh", None, "Enter {enter}"),
    (
        r"(?P<field>how_used|privacy)_cy is given but",
        None,
        "Enter {enter} in English too, or clear the Welsh",
    ),
    *TEXT_RULES,
]
QUESTION_RULES: list[Rule] = [
    (r"key must start", "key",
     "Key must start with a lower-case letter and use only a-z, 0-9 and _ "
     "(40 characters or fewer)"),
    (r"unknown type", "type", "Select the type of question"),
    (r"required must be true or false", "required",
     "Select whether residents must answer this question"),
    (r"(?P<field>(?:options|rows)(?:_cy)?) repeats (?P<items>.*)$", None,
     "{label} must all be different: {items} appear more than once"),
    (r"(?P<field>(?:options|rows)(?:_cy)?) may not contain ';'", None,
     "{label} cannot contain a semicolon (;) because it separates answers in files"),
    (r"(?P<field>(?:options|rows)(?:_cy)?) has an empty entry", None,
     "{label} cannot include a blank line"),
    (r"(?P<field>(?:options|rows)(?:_cy)?) has an entry longer than (?P<limit>\d+) ", None,
     "Each {each} must be {limit} characters or fewer"),
    (r"(?P<field>options_cy|rows_cy) needs one entry for each of its (?P<count>\d+) ", None,
     "Enter one Welsh {each} for each of the {count} {english}, one per line in the same "
     "order"),
    (r"a question in Welsh needs its (?P<field>\w+_cy) too", None, "Enter {enter}"),
    (r"Welsh wording needs the question's text_cy too", "text_cy",
     "Enter the question in Welsh, or clear the other Welsh boxes"),
    (r"a \w+ question needs at least two options", "options",
     "Enter at least two options, one per line"),
    (r"a \w+ question takes no options", "options",
     "Only 'Choose one option' and 'Choose one or more options' questions have options: "
     "clear this box or choose one of those types"),
    (r"a matrix question needs at least one statement", "rows",
     "Enter at least one statement, one per line"),
    (r"only a matrix question takes rows", "rows",
     "Only a question with several statements has statements: clear this box or choose "
     "that type"),
    (r"only a single_choice question can be a breakdown", "breakdown",
     "Only a 'Choose one option' question can break down results: untick this or choose "
     "that type"),
    (r"only a multi_choice question can offer 'Other'", "other",
     "Only a 'Choose one or more options' question can offer 'Other': untick this or choose "
     "that type"),
    (r"'Other' is added by the other flag", "options",
     "Remove 'Other' from the options: ticking the box to offer 'Other' adds it"),
    (r"only a free_text question takes a codebook", "codebook",
     "Only a free text question has a codebook"),
    *TEXT_RULES,
]  # fmt: skip


def detail_problem(problem: str) -> tuple[str, str]:
    """(field name, GOV.UK message) for a problem from `parse_details`."""
    return _reword(problem, DETAIL_RULES, DETAIL_FIELDS)


def question_problem(problem: str, key: object) -> tuple[str, str]:
    """(field name, GOV.UK message) for a problem from `parse_question(raw, "question", ...)`."""
    prefixes = [f"question '{key}': "] if isinstance(key, str) and key else []
    prefixes.append("question: ")
    rest = next((problem[len(p) :] for p in prefixes if problem.startswith(p)), problem)
    return _reword(rest, QUESTION_RULES, QUESTION_FIELDS)


def _reword(text: str, rules: list[Rule], fields: dict[str, tuple[str, str]]) -> tuple[str, str]:
    for pattern, field, message in rules:
        found = re.match(pattern, text)
        name = field or (found["field"] if found else None)
        if found is None or name not in fields:
            continue
        label, enter = fields[name]
        values = {**found.groupdict(), "label": label, "enter": enter, "each": EACH.get(name)}
        values["english"] = ENGLISH.get(name)
        if "limit" in values:
            values["limit"] = f"{int(values['limit']):,}"
        return name, message.format(**values)
    first = text.split(" ", 1)[0]
    return (first if first in fields else next(iter(fields))), text[:1].upper() + text[1:]
