"""Reading a consultation's definition (a JSON file or the officers' forms), and writing it back.

Pure core: definitions arrive as plain dicts and leave as frozen dataclasses. Every problem is
collected, so an officer sees them all at once; what each type of question takes is its
module's `definition_problems`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from common.text import SHORT_TEXT_LIMIT, SLUG_PATTERN, checked_text, clean_line, suggest_slug
from survey.core.follow_ups import condition_problems, parse_show_if
from survey.core.question_types import kind_of
from survey.core.questions import FREE_TEXT_LIMIT, QuestionSpec, QuestionType

KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
DEFINITION_FIELDS = frozenset({"slug", "title", "summary", "opens", "closes", "questions"})
# Welsh: a consultation with a title_cy is offered in Welsh too, and each question then needs
# its text_cy (and options_cy / rows_cy, one for each option / statement, in the same order).
WELSH_DETAILS = ("title_cy", "summary_cy", "how_used_cy", "privacy_cy")
OPTIONAL_DEFINITION_FIELDS = frozenset({"how_used", "privacy", "documents", *WELSH_DETAILS})
QUESTION_FIELDS = frozenset({"key", "type", "text"})
OPTIONAL_QUESTION_FIELDS = frozenset(
    {"hint", "required", "options", "rows", "breakdown", "codebook", "other", "context", "show_if"}
    | {"text_cy", "hint_cy", "options_cy", "rows_cy", "context_cy"}
)
DOCUMENT_FIELDS = frozenset({"title", "href", "title_cy"})
DOCUMENTS_LIMIT = 10
# A document residents are offered is on this service (a path) or elsewhere over https.
HREF_PATTERN = re.compile(r"^(/[^/\\\s][^\s]*|https://[^\s]+)$")


@dataclass(frozen=True)
class Document:
    """Something residents are offered to read before answering: its title (and its Welsh
    title, in a consultation offered in Welsh) and address."""

    title: str
    href: str
    title_cy: str = ""


@dataclass(frozen=True)
class ConsultationSpec:
    """A whole consultation definition, as loaded from JSON or exported to it."""

    slug: str
    title: str
    summary: str
    opens: dt.date
    closes: dt.date
    questions: tuple[QuestionSpec, ...]
    how_used: str = ""
    privacy: str = ""
    documents: tuple[Document, ...] = ()
    title_cy: str = ""
    summary_cy: str = ""
    how_used_cy: str = ""
    privacy_cy: str = ""

    @property
    def welsh(self) -> bool:
        """True when officers gave the consultation in Welsh as well as English."""
        return bool(self.title_cy)


@dataclass
class DefinitionErrors(Exception):
    """Every problem found in a definition; nothing is saved while any exist."""

    problems: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return "; ".join(self.problems)


def _text_list(value: Any, where: str, problems: list[str]) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        problems.append(f"{where} must be a list of text")
        return ()
    items = tuple(clean_line(v).strip() for v in value)
    if any(not item for item in items):
        problems.append(f"{where} has an empty entry")
    lowered = [item.casefold() for item in items]
    duplicates = sorted({item for item in items if lowered.count(item.casefold()) > 1})
    if duplicates:
        problems.append(f"{where} repeats {', '.join(repr(d) for d in duplicates)}")
    if any(";" in item for item in items):
        problems.append(f"{where} may not contain ';' (it separates choices in files)")
    if any(len(item) > SHORT_TEXT_LIMIT for item in items):
        problems.append(f"{where} has an entry longer than {SHORT_TEXT_LIMIT} characters")
    return items


def _flag(value: Any, where: str, problems: list[str], default: bool) -> bool:
    if value is None:
        return default
    if not isinstance(value, bool):
        problems.append(f"{where} must be true or false")
        return default
    return value


def suggest_key(text: str, taken: Collection[str]) -> str:
    """A key made from a question's text, whole words up to 40 characters, not one of `taken`:
    "Do you feel safe?" gives do_you_feel_safe (then do_you_feel_safe_2, and so on)."""
    words = suggest_slug(text).split("-")
    key = ""
    for word in (w for w in words if w):
        if len(key) + len(word) + 1 > 36:  # room for a "_2" to keep it unique
            break
        key = f"{key}_{word}" if key else word
    if not key or not key[0].isalpha():
        key = f"q_{key}".rstrip("_")[:36]
    candidate, number = key, 2
    while candidate in taken:
        candidate, number = f"{key}_{number}", number + 1
    return candidate


def parse_question(raw: Any, where: str, problems: list[str]) -> QuestionSpec | None:
    """Check one question definition; add each problem to `problems` naming `where`."""
    if not isinstance(raw, dict):
        problems.append(f"{where} must be an object")
        return None
    start = len(problems)
    key = raw.get("key")
    if isinstance(key, str) and key:
        where = f"question '{key}'"
    unknown = sorted(set(raw) - QUESTION_FIELDS - OPTIONAL_QUESTION_FIELDS)
    if unknown:
        problems.append(f"{where}: unknown field {', '.join(repr(u) for u in unknown)}")
    if not isinstance(key, str) or not KEY_PATTERN.match(key):
        problems.append(
            f"{where}: key must start with a lower-case letter and use only a-z, 0-9 and _ "
            "(at most 40 characters)"
        )
    qtype = _question_type(raw.get("type"), where, problems)
    text = checked_text(
        raw.get("text"), f"{where}: text", problems, limit=SHORT_TEXT_LIMIT, required=True
    )
    hint = checked_text(
        raw.get("hint"), f"{where}: hint", problems, limit=SHORT_TEXT_LIMIT, required=False
    )
    required = _flag(raw.get("required"), f"{where}: required", problems, True)
    breakdown = _flag(raw.get("breakdown"), f"{where}: breakdown", problems, False)
    other = _flag(raw.get("other"), f"{where}: other", problems, False)
    options = _text_list(raw.get("options"), f"{where}: options", problems)
    rows = _text_list(raw.get("rows"), f"{where}: rows", problems)
    context = checked_text(
        raw.get("context"), f"{where}: context", problems, limit=FREE_TEXT_LIMIT, required=False
    )
    welsh = _welsh_question(raw, where, options, rows, problems)
    codebook_raw = raw.get("codebook")
    codebook = None
    if codebook_raw is not None:
        codebook = checked_text(
            codebook_raw, f"{where}: codebook", problems, limit=80, required=True
        )
    show_if = parse_show_if(raw.get("show_if"), where, problems)
    if qtype is not None:
        problems += kind_of(qtype).definition_problems(
            where, options, rows, breakdown, other, codebook
        )
    if len(problems) > start or qtype is None:
        return None
    assert isinstance(key, str)
    return QuestionSpec(
        key=key,
        type=qtype,
        text=text,
        hint=hint,
        required=required,
        options=options,
        rows=rows,
        breakdown=breakdown,
        codebook=codebook or None,
        other=other,
        context=context,
        show_if=show_if,
        **welsh,
    )


def _welsh_question(
    raw: Mapping[str, Any],
    where: str,
    options: tuple[str, ...],
    rows: tuple[str, ...],
    problems: list[str],
) -> dict[str, Any]:
    """A question's Welsh wording: optional, but its lists match the English one for one."""
    welsh: dict[str, Any] = {}
    for name, limit in (("text_cy", SHORT_TEXT_LIMIT), ("hint_cy", SHORT_TEXT_LIMIT)):
        welsh[name] = checked_text(
            raw.get(name), f"{where}: {name}", problems, limit=limit, required=False
        )
    welsh["context_cy"] = checked_text(
        raw.get("context_cy"),
        f"{where}: context_cy",
        problems,
        limit=FREE_TEXT_LIMIT,
        required=False,
    )
    for name, english in (("options_cy", options), ("rows_cy", rows)):
        given = _text_list(raw.get(name), f"{where}: {name}", problems)
        if given and len(given) != len(english):
            problems.append(
                f"{where}: {name} needs one entry for each of its {len(english)} "
                f"{name[:-3]}, in the same order"
            )
        welsh[name] = given
    if welsh["text_cy"]:
        english_of: dict[str, Any] = {"options_cy": options, "rows_cy": rows}
        english_of.update(hint_cy=raw.get("hint"), context_cy=raw.get("context"))
        for name, english in english_of.items():
            if english and not welsh[name]:
                problems.append(f"{where}: a question in Welsh needs its {name} too")
    elif any(welsh[name] for name in ("hint_cy", "context_cy", "options_cy", "rows_cy")):
        problems.append(f"{where}: Welsh wording needs the question's text_cy too")
    return welsh


def _question_type(value: Any, where: str, problems: list[str]) -> QuestionType | None:
    if isinstance(value, str) and value in {t.value for t in QuestionType}:
        return QuestionType(value)
    known = ", ".join(t.value for t in QuestionType)
    problems.append(f"{where}: unknown type {value!r} (use one of {known})")
    return None


def parse_questions(raw: Any, problems: list[str]) -> tuple[QuestionSpec, ...]:
    """Check a list of question definitions, including that keys are unique."""
    if not isinstance(raw, list) or not raw:
        problems.append("questions must be a non-empty list")
        return ()
    specs = []
    for number, item in enumerate(raw, start=1):
        spec = parse_question(item, f"question {number}", problems)
        if spec is not None:
            specs.append(spec)
    keys = [q.get("key") for q in raw if isinstance(q, dict)]
    repeated = sorted({k for k in keys if isinstance(k, str) and keys.count(k) > 1})
    for key in repeated:
        problems.append(f"question '{key}': the key is used more than once")
    problems += condition_problems(specs)
    return tuple(specs)


def parse_date(value: Any, where: str, problems: list[str]) -> dt.date | None:
    """An ISO 8601 date (YYYY-MM-DD), or a problem naming `where`."""
    if not isinstance(value, str):
        problems.append(f"{where} must be a date like 2026-01-31")
        return None
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        problems.append(f"{where} {value!r} is not a date like 2026-01-31")
        return None


def parse_definition(raw: Any) -> ConsultationSpec:
    """Check a whole consultation definition; raise DefinitionErrors listing every problem."""
    problems: list[str] = []
    if not isinstance(raw, dict):
        raise DefinitionErrors(["the definition must be a JSON object"])
    unknown = sorted(set(raw) - DEFINITION_FIELDS - OPTIONAL_DEFINITION_FIELDS)
    if unknown:
        problems.append(f"unknown field {', '.join(repr(u) for u in unknown)}")
    details = parse_details(raw, problems)
    questions = parse_questions(raw.get("questions"), problems)
    if details is not None:
        problems += _welsh_problems(details, questions)
    if problems:
        raise DefinitionErrors(problems)
    assert details is not None
    return replace(details, questions=questions)


def parse_details(raw: Mapping[str, Any], problems: list[str]) -> ConsultationSpec | None:
    """Check a consultation's slug, text and dates (not its questions); None if any problem.

    The JSON loader and the officers' details form share these rules.
    """
    start = len(problems)
    slug = raw.get("slug")
    if not isinstance(slug, str) or not SLUG_PATTERN.match(slug):
        problems.append("slug must use only a-z, 0-9 and hyphens (at most 80 characters)")
    title = checked_text(raw.get("title"), "title", problems, limit=200, required=True)
    summary = checked_text(
        raw.get("summary"), "summary", problems, limit=FREE_TEXT_LIMIT, required=True
    )
    how_used = checked_text(
        raw.get("how_used"), "how_used", problems, limit=FREE_TEXT_LIMIT, required=False
    )
    privacy = checked_text(
        raw.get("privacy"), "privacy", problems, limit=FREE_TEXT_LIMIT, required=False
    )
    opens = parse_date(raw.get("opens"), "opens", problems)
    closes = parse_date(raw.get("closes"), "closes", problems)
    if opens and closes and closes < opens:
        problems.append("closes must be on or after opens")
    documents = parse_documents(raw.get("documents"), problems)
    welsh = {
        name: checked_text(
            raw.get(name),
            name,
            problems,
            limit=200 if name == "title_cy" else FREE_TEXT_LIMIT,
            required=False,
        )
        for name in WELSH_DETAILS
    }
    problems += welsh_detail_problems({"how_used": how_used, "privacy": privacy}, welsh)
    if len(problems) > start:
        return None
    assert isinstance(slug, str) and opens and closes
    return ConsultationSpec(
        slug, title, summary, opens, closes, (), how_used, privacy, documents, **welsh
    )


def welsh_detail_problems(english: Mapping[str, str], welsh: Mapping[str, str]) -> list[str]:
    """All or nothing: once any Welsh is given, every text residents read needs its Welsh (the
    title and summary always; how answers are used and the privacy notice when given in
    English), so a Welsh page is never half English. An English-only consultation gives none."""
    if not any(welsh.values()):
        return []
    problems = [
        f"{name}_cy is needed, as the consultation has Welsh wording"
        for name in ("title", "summary")
        if not welsh[f"{name}_cy"]
    ]
    for name in ("how_used", "privacy"):
        if english[name] and not welsh[f"{name}_cy"]:
            problems.append(f"{name}_cy is needed, as the consultation has Welsh wording")
        if welsh[f"{name}_cy"] and not english[name]:
            problems.append(f"{name}_cy is given but {name} is not: give both or neither")
    return problems


def _welsh_problems(details: ConsultationSpec, questions: tuple[QuestionSpec, ...]) -> list[str]:
    """A consultation is in Welsh throughout or not at all: residents never meet a question
    in English in the middle of a Welsh journey, nor Welsh questions with no way to see them."""
    if details.welsh:
        return [
            f"question '{q.key}': text_cy is needed, as the consultation has a title_cy"
            for q in questions
            if not q.text_cy
        ] + [
            f"document {number}: title_cy is needed, as the consultation has a title_cy"
            for number, d in enumerate(details.documents, start=1)
            if not d.title_cy
        ]
    if any(q.text_cy for q in questions) or any(d.title_cy for d in details.documents):
        return ["questions in Welsh need the consultation's title_cy and summary_cy too"]
    return []


def parse_documents(value: Any, problems: list[str]) -> tuple[Document, ...]:
    """The documents residents are offered: a list of {"title", "href"} objects."""
    if value is None:
        return ()
    if not isinstance(value, list) or len(value) > DOCUMENTS_LIMIT:
        problems.append(f"documents must be a list of at most {DOCUMENTS_LIMIT} objects")
        return ()
    documents = []
    for number, raw in enumerate(value, start=1):
        where = f"document {number}"
        if not isinstance(raw, dict):
            problems.append(f"{where} must be an object with a title and an href")
            continue
        unknown = sorted(set(raw) - DOCUMENT_FIELDS)
        if unknown:
            problems.append(f"{where}: unknown field {', '.join(repr(u) for u in unknown)}")
        title = checked_text(
            raw.get("title"), f"{where}: title", problems, limit=200, required=True
        )
        title_cy = checked_text(
            raw.get("title_cy"), f"{where}: title_cy", problems, limit=200, required=False
        )
        href = raw.get("href")
        if not isinstance(href, str) or len(href) > 500 or not HREF_PATTERN.match(href):
            problems.append(
                f"{where}: href must be a path on this service (/...) or an https:// address"
            )
            continue
        documents.append(Document(title, href, title_cy))
    return tuple(documents)


def question_to_dict(spec: QuestionSpec) -> dict[str, Any]:
    """The JSON form of a question, leaving out fields at their defaults."""
    out: dict[str, Any] = {"key": spec.key, "type": spec.type.value, "text": spec.text}
    if spec.hint:
        out["hint"] = spec.hint
    if not spec.required:
        out["required"] = False
    if spec.options:
        out["options"] = list(spec.options)
    if spec.rows:
        out["rows"] = list(spec.rows)
    if spec.breakdown:
        out["breakdown"] = True
    if spec.codebook:
        out["codebook"] = spec.codebook
    if spec.other:
        out["other"] = True
    if spec.context:
        out["context"] = spec.context
    if spec.show_if is not None:
        out["show_if"] = {"question": spec.show_if.question, "answers": list(spec.show_if.answers)}
    for name in ("text_cy", "hint_cy", "context_cy"):
        if getattr(spec, name):
            out[name] = getattr(spec, name)
    for name in ("options_cy", "rows_cy"):
        if getattr(spec, name):
            out[name] = list(getattr(spec, name))
    return out


def definition_to_dict(spec: ConsultationSpec) -> dict[str, Any]:
    """The JSON form of a consultation; `parse_definition` reads it back unchanged."""
    out: dict[str, Any] = {
        "slug": spec.slug,
        "title": spec.title,
        "summary": spec.summary,
        "opens": spec.opens.isoformat(),
        "closes": spec.closes.isoformat(),
    }
    if spec.how_used:
        out["how_used"] = spec.how_used
    if spec.privacy:
        out["privacy"] = spec.privacy
    if spec.documents:
        out["documents"] = [_document_dict(d) for d in spec.documents]
    for name in WELSH_DETAILS:
        if getattr(spec, name):
            out[name] = getattr(spec, name)
    out["questions"] = [question_to_dict(q) for q in spec.questions]
    return out


def _document_dict(document: Document) -> dict[str, str]:
    out = {"title": document.title, "href": document.href}
    if document.title_cy:
        out["title_cy"] = document.title_cy
    return out


def structure_changes(old: QuestionSpec, new: QuestionSpec) -> list[str]:
    """What `new` changes beyond wording; once a consultation has answers these are refused."""
    changes = []
    if old.key != new.key:
        changes.append("its key")
    if old.type is not new.type:
        changes.append("its type")
    if old.options != new.options or old.other != new.other:
        changes.append("its options")
    if old.rows != new.rows:
        changes.append("its statements")
    if old.breakdown != new.breakdown:
        changes.append("whether it is a breakdown")
    if old.show_if != new.show_if:
        changes.append("when it is asked")
    return changes
