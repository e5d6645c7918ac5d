"""Strategy definitions: a partnership's three-year priorities, checked whole, as dataclasses.

Pure core: no Flask, no database. A definition arrives as a plain dict (from a JSON file or
the database) and leaves as frozen dataclasses the Word draft is built from. The caller may
pass the consultation's theme names and the audit's categories to check references against.
Every problem is reported at once, saying where it is in words an officer understands.
"""

from __future__ import annotations

import difflib
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from common.text import SLUG_PATTERN, checked_text, clean_line

# `checked_text` keeps text to one line (clean_line) for limits up to survey's
# SHORT_TEXT_LIMIT (500) and allows several lines (clean_text) above it, so every one-line
# limit here is at most 500 and every several-line limit is above it.
NAME_LIMIT = 200  # title, partnership, period, names, lead, who, by when, theme, term
AUDIT_NAME_LIMIT = 120  # the longest audit name assembly.data.crime_audits accepts
ITEM_LIMIT = 500  # aim, each objective, target and measure, an action, a glossary meaning
EXPLANATION_LIMIT = 2000  # why another agency addresses a concern; several lines
PASSAGE_LIMIT = 10_000  # introduction and vision; several lines
ENTRIES_LIMIT = 100  # entries in any one list
SHOWN_NAME_LIMIT = 60  # a name quoted in a message is cut to this length

PriorityKind = Literal["national", "local"]
KINDS: tuple[PriorityKind, ...] = ("national", "local")

# Passages of several lines a published strategy has; each optional, each its own section.
PASSAGES = (
    "foreword",
    "introduction",
    "vision",
    "area",
    "structure",
    "consultation_method",
    "governance",
    "resources",
    "equality_impact",
    "rural_proofing",
)
STRATEGY_FIELDS = (
    "slug",
    "title",
    "partnership",
    "period",
    "consultation",
    "audit",
    *PASSAGES,
    "signatories",
    "responsible_authorities",
    "data_caveats",
    "priorities",
    "other_agencies",
    "funding",
    "other_plans",
    "glossary",
)
PRIORITY_FIELDS = (
    "name",
    "kind",
    "aim",
    "why",
    "objectives",
    "targets",
    "measures",
    "lead",
    "lead_officer",
    "themes",
    "audit_categories",
    "actions",
)
ACTION_FIELDS = ("action", "who", "by_when")
TARGET_FIELDS = ("target", "value", "baseline", "audit_category", "by", "frequency", "lead_officer")
OTHER_AGENCY_FIELDS = ("theme", "agency", "explanation")
GLOSSARY_FIELDS = ("term", "meaning")
SIGNATORY_FIELDS = ("name", "role")
FUNDING_FIELDS = ("source", "amount", "use")
PLAN_FIELDS = ("plan", "link")


@dataclass(frozen=True)
class ActionSpec:
    """One line of a priority's action plan: what, who does it, and by when (free text)."""

    action: str
    who: str
    by_when: str


@dataclass(frozen=True)
class TargetSpec:
    """A target, and what a board asks of it: from what baseline, to what, by when, how often
    it is reported and who answers for it. The baseline is either given as text or read from
    the audit's latest figure for `audit_category`. Only `target` is required."""

    target: str
    value: str = ""
    baseline: str = ""
    audit_category: str = ""
    by: str = ""
    frequency: str = ""
    lead_officer: str = ""


@dataclass(frozen=True)
class PrioritySpec:
    """A strategic priority: its aim, what it will do, who leads it and what it answers."""

    name: str
    kind: PriorityKind
    aim: str
    objectives: tuple[str, ...]
    targets: tuple[TargetSpec, ...]
    measures: tuple[str, ...]
    lead: str
    themes: tuple[str, ...] = ()
    audit_categories: tuple[str, ...] = ()
    actions: tuple[ActionSpec, ...] = ()
    why: str = ""  # the officer's reasoning: why this evidence makes it a priority
    lead_officer: str = ""  # a named person beside the lead body


@dataclass(frozen=True)
class OtherAgencySpec:
    """A concern residents raised that another agency addresses instead of a priority."""

    theme: str
    agency: str
    explanation: str


@dataclass(frozen=True)
class GlossaryEntry:
    """A term the strategy uses, and what it means."""

    term: str
    meaning: str


@dataclass(frozen=True)
class Signatory:
    """Who signs the foreword: a named chair and their role."""

    name: str
    role: str


@dataclass(frozen=True)
class FundingLine:
    """Money the partnership has for the strategy: from whom, how much, for what."""

    source: str
    amount: str
    use: str


@dataclass(frozen=True)
class PlanLink:
    """Another plan or strategy this one links to, and how."""

    plan: str
    link: str


@dataclass(frozen=True)
class StrategySpec:
    """A whole strategy definition, as loaded from JSON or exported to it."""

    slug: str
    title: str
    partnership: str
    period: str
    consultation: str
    audit: str
    priorities: tuple[PrioritySpec, ...]
    introduction: str = ""
    vision: str = ""
    other_agencies: tuple[OtherAgencySpec, ...] = ()
    glossary: tuple[GlossaryEntry, ...] = ()
    foreword: str = ""
    signatories: tuple[Signatory, ...] = ()
    area: str = ""
    structure: str = ""
    responsible_authorities: tuple[str, ...] = ()
    consultation_method: str = ""
    data_caveats: tuple[str, ...] = ()
    governance: str = ""
    resources: str = ""
    funding: tuple[FundingLine, ...] = ()
    equality_impact: str = ""
    rural_proofing: str = ""
    other_plans: tuple[PlanLink, ...] = ()

    def linked_themes(self) -> tuple[str, ...]:
        """Every theme linked to any priority, once each, in the order the priorities give."""
        seen: dict[str, str] = {}
        for priority in self.priorities:
            for theme in priority.themes:
                seen.setdefault(_key(theme), theme)
        return tuple(seen.values())

    def priorities_for_theme(self, name: str) -> tuple[PrioritySpec, ...]:
        """The priorities a theme is linked to (ignoring case), in strategy order."""
        wanted = _key(name)
        return tuple(p for p in self.priorities if wanted in {_key(t) for t in p.themes})


class StrategyErrors(ValueError):
    """Every problem found in a strategy definition; nothing is saved while any exist."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        super().__init__("; ".join(self.problems))


@dataclass(frozen=True)
class _Names:
    """Names a definition may refer to (themes or audit categories), matched ignoring case."""

    canonical: Mapping[str, str]  # compared form -> the spelling to store
    place: str  # "the consultation's codebook"
    listing: str  # "the codebook's themes"

    @classmethod
    def of(cls, names: Collection[str] | None, place: str, listing: str) -> _Names | None:
        if names is None:
            return None
        canonical: dict[str, str] = {}
        for name in names:
            canonical.setdefault(_key(name), name)
        return cls(canonical, place, listing)

    def hint(self, name: str) -> str:
        """A close spelling to suggest, or every name when none is close."""
        close = difflib.get_close_matches(_key(name), list(self.canonical), n=1)
        if close:
            return f"did you mean '{self.canonical[close[0]]}'?"
        if not self.canonical:
            return "it has none"
        return f"{self.listing}: {'; '.join(self.canonical.values())}"


def _key(name: str) -> str:
    """How names are compared: ignoring case and runs of spaces."""
    return " ".join(name.split()).casefold()


def _shown(value: Any) -> str:
    """A name as quoted in a message: one line, cut short if long; '' when not text."""
    if not isinstance(value, str):
        return ""
    line = " ".join(clean_line(value).split())
    if len(line) > SHOWN_NAME_LIMIT:
        line = line[: SHOWN_NAME_LIMIT - 3] + "..."
    return line


def _named(label: str, name: Any) -> str:
    """'Priority 2' or, when it has a name, "Priority 2 'Drug misuse'"."""
    shown = _shown(name)
    return f"{label} '{shown}'" if shown else label


def _unknown_fields(
    raw: Mapping[str, Any], where: str, known: Sequence[str], problems: list[str]
) -> None:
    prefix = f"{where}: " if where else ""
    for name in sorted(str(n) for n in raw if n not in known):
        close = difflib.get_close_matches(name, known, n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        problems.append(f"{prefix}unknown field '{name}'{hint}")


def _text(
    raw: Mapping[str, Any],
    field: str,
    where: str,
    problems: list[str],
    *,
    limit: int,
    required: bool = True,
) -> str:
    label = f"{where}: {field}" if where else field
    return checked_text(raw.get(field), label, problems, limit=limit, required=required)


def _slug(value: Any, field: str, what: str, problems: list[str]) -> str:
    if isinstance(value, str) and SLUG_PATTERN.match(value):
        return value
    problems.append(f"{field} must {what}use only a-z, 0-9 and hyphens (at most 80 characters)")
    return ""


def _objects(
    value: Any, field: str, where: str, label: str, problems: list[str], *, required: bool
) -> Iterator[tuple[int, Mapping[str, Any]]]:
    """The entries of a list of objects with their numbers; a problem for anything else."""
    prefix = f"{where}: " if where else ""
    if value is None and not required:
        return
    if not isinstance(value, list) or (required and not value):
        problems.append(f"{prefix}{field} must be a {'non-empty ' if required else ''}list")
        return
    if len(value) > ENTRIES_LIMIT:
        problems.append(f"{prefix}{field} has more than {ENTRIES_LIMIT} entries")
    for number, item in enumerate(value, start=1):
        if isinstance(item, dict):
            yield number, item
        else:
            problems.append(f"{prefix}{label} {number} must be an object")


def _items(
    raw: Mapping[str, Any],
    field: str,
    singular: str,
    where: str,
    problems: list[str],
    *,
    limit: int,
    required: bool,
) -> tuple[str, ...]:
    """A list of one-line texts: none empty, too long or repeated (ignoring case)."""
    prefix = f"{where}: " if where else ""
    value = raw.get(field)
    if value is None and not required:
        return ()
    if value is None:
        problems.append(f"{prefix}{field} is missing")
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        problems.append(f"{prefix}{field} must be a list of text")
        return ()
    if required and not value:
        problems.append(f"{prefix}{field} must have at least one {singular}")
    if len(value) > ENTRIES_LIMIT:
        problems.append(f"{prefix}{field} has more than {ENTRIES_LIMIT} entries")
    items: list[str] = []
    seen: set[str] = set()
    for number, item in enumerate(value, start=1):
        text = clean_line(item).strip()
        if not text:
            problems.append(f"{prefix}{singular} {number} is empty")
        elif len(text) > limit:
            problems.append(f"{prefix}{singular} {number} is longer than {limit} characters")
        elif _key(text) in seen:
            problems.append(f"{prefix}{singular} '{_shown(text)}' is listed more than once")
        seen.add(_key(text))
        items.append(text)
    return tuple(items)


def _references(
    names: tuple[str, ...], singular: str, known: _Names | None, where: str, problems: list[str]
) -> tuple[str, ...]:
    """Names checked against what they refer to, in its spelling; unchanged if not given."""
    if known is None:
        return names
    matched: list[str] = []
    for name in names:
        canonical = known.canonical.get(_key(name))
        if canonical is None and name:
            problems.append(
                f"{where}: {singular} '{_shown(name)}' is not in {known.place} ({known.hint(name)})"
            )
        matched.append(canonical or name)
    return tuple(matched)


def _action(raw: Mapping[str, Any], where: str, problems: list[str]) -> ActionSpec:
    _unknown_fields(raw, where, ACTION_FIELDS, problems)
    return ActionSpec(
        action=_text(raw, "action", where, problems, limit=ITEM_LIMIT),
        who=_text(raw, "who", where, problems, limit=NAME_LIMIT),
        by_when=_text(raw, "by_when", where, problems, limit=NAME_LIMIT),
    )


def _targets(
    raw: Mapping[str, Any], where: str, categories: _Names | None, problems: list[str]
) -> tuple[TargetSpec, ...]:
    """A priority's targets: each a line of text, or an object with its baseline, value, date,
    frequency and lead officer; at least one, none repeated."""
    value = raw.get("targets")
    if value is None:
        problems.append(f"{where}: targets is missing")
        return ()
    if not isinstance(value, list):
        problems.append(f"{where}: targets must be a list of text or objects")
        return ()
    if not value:
        problems.append(f"{where}: targets must have at least one target")
    if len(value) > ENTRIES_LIMIT:
        problems.append(f"{where}: targets has more than {ENTRIES_LIMIT} entries")
    targets: list[TargetSpec] = []
    seen: set[str] = set()
    for number, entry in enumerate(value, start=1):
        label = f"{where}: target {number}"
        if isinstance(entry, str):
            text = clean_line(entry).strip()
            if not text:
                problems.append(f"{label} is empty")
            elif len(text) > ITEM_LIMIT:
                problems.append(f"{label} is longer than {ITEM_LIMIT} characters")
            entry = {"target": text}
        elif isinstance(entry, dict):
            _unknown_fields(entry, label, TARGET_FIELDS, problems)
            text = _text(entry, "target", label, problems, limit=ITEM_LIMIT)
        else:
            problems.append(f"{label} must be text or an object")
            continue
        if text and _key(text) in seen:
            problems.append(f"{where}: target '{_shown(text)}' is listed more than once")
        seen.add(_key(text))
        fields = {
            name: _text(entry, name, label, problems, limit=NAME_LIMIT, required=False)
            for name in TARGET_FIELDS[1:]
        }
        if fields["audit_category"]:
            (fields["audit_category"],) = _references(
                (fields["audit_category"],), "audit category", categories, label, problems
            )
        targets.append(TargetSpec(target=text, **fields))
    return tuple(targets)


def _records(
    value: Any,
    field: str,
    label: str,
    fields: Mapping[str, int],
    problems: list[str],
) -> Iterator[dict[str, str]]:
    """The entries of a list of small objects of required text fields (name -> limit)."""
    for number, raw in _objects(value, field, "", label, problems, required=False):
        first = next(iter(fields))
        where = _named(f"{label} {number}", raw.get(first))
        _unknown_fields(raw, where, tuple(fields), problems)
        yield {
            name: _text(raw, name, where, problems, limit=limit) for name, limit in fields.items()
        }


def _priority(
    raw: Mapping[str, Any],
    where: str,
    themes: _Names | None,
    categories: _Names | None,
    problems: list[str],
) -> PrioritySpec:
    """One priority, read as far as it can be; its problems are added to `problems`."""
    _unknown_fields(raw, where, PRIORITY_FIELDS, problems)

    def text(field: str, limit: int) -> str:
        return _text(raw, field, where, problems, limit=limit)

    def items(field: str, singular: str, required: bool) -> tuple[str, ...]:
        limit = ITEM_LIMIT if required else NAME_LIMIT
        return _items(raw, field, singular, where, problems, limit=limit, required=required)

    def named(field: str, singular: str, known: _Names | None) -> tuple[str, ...]:
        found = items(field, singular, False)
        return _references(found, singular, known, where, problems)

    entries = _objects(raw.get("actions"), "actions", where, "action", problems, required=False)
    return PrioritySpec(
        name=text("name", NAME_LIMIT),
        kind=_kind(raw.get("kind"), where, problems),
        aim=text("aim", ITEM_LIMIT),
        objectives=items("objectives", "objective", True),
        targets=_targets(raw, where, categories, problems),
        measures=items("measures", "measure", True),
        lead=text("lead", NAME_LIMIT),
        why=_text(raw, "why", where, problems, limit=EXPLANATION_LIMIT, required=False),
        lead_officer=_text(raw, "lead_officer", where, problems, limit=NAME_LIMIT, required=False),
        themes=named("themes", "theme", themes),
        audit_categories=named("audit_categories", "audit category", categories),
        actions=tuple(_action(a, f"{where}: action {n}", problems) for n, a in entries),
    )


def _kind(value: Any, where: str, problems: list[str]) -> PriorityKind:
    """'national' or 'local', in any case; 'local' with a problem for anything else."""
    kind = value.strip().lower() if isinstance(value, str) else None
    if kind == "national":
        return "national"
    if kind != "local":
        problems.append(f"{where}: 'kind' must be 'national' or 'local'")
    return "local"


def _priorities(
    value: Any, themes: _Names | None, categories: _Names | None, problems: list[str]
) -> tuple[PrioritySpec, ...]:
    priorities: list[PrioritySpec] = []
    first_with_name: dict[str, int] = {}
    for number, raw in _objects(value, "priorities", "", "Priority", problems, required=True):
        where = _named(f"Priority {number}", raw.get("name"))
        priority = _priority(raw, where, themes, categories, problems)
        if priority.name:
            first = first_with_name.setdefault(_key(priority.name), number)
            if first != number:
                problems.append(
                    f"{where}: the name is also used by priority {first} "
                    "(priority names must differ, ignoring capitals)"
                )
        priorities.append(priority)
    return tuple(priorities)


def _other_agencies(
    value: Any,
    priorities: tuple[PrioritySpec, ...],
    themes: _Names | None,
    problems: list[str],
) -> tuple[OtherAgencySpec, ...]:
    linked: dict[str, str] = {}
    for number, priority in enumerate(priorities, start=1):
        for theme in priority.themes:
            linked.setdefault(_key(theme), _named(f"priority {number}", priority.name))
    agencies: list[OtherAgencySpec] = []
    first_with_theme: dict[str, int] = {}
    entries = _objects(value, "other_agencies", "", "Other agency", problems, required=False)
    for number, raw in entries:
        where = _named(f"Other agency {number}", raw.get("theme"))
        _unknown_fields(raw, where, OTHER_AGENCY_FIELDS, problems)
        theme = _text(raw, "theme", where, problems, limit=NAME_LIMIT)
        if theme and themes is not None and _key(theme) not in themes.canonical:
            problems.append(f"{where}: the theme is not in {themes.place} ({themes.hint(theme)})")
        elif theme:
            theme = themes.canonical[_key(theme)] if themes is not None else theme
            first = first_with_theme.setdefault(_key(theme), number)
            if first != number:
                problems.append(f"{where}: the theme is also listed in other agency {first}")
            if _key(theme) in linked:
                problems.append(
                    f"{where}: the theme is also linked to {linked[_key(theme)]}; decide which "
                    "addresses it, and remove it from the other"
                )
        agency = _text(raw, "agency", where, problems, limit=NAME_LIMIT)
        explanation = _text(raw, "explanation", where, problems, limit=EXPLANATION_LIMIT)
        agencies.append(OtherAgencySpec(theme, agency, explanation))
    return tuple(agencies)


def _glossary(value: Any, problems: list[str]) -> tuple[GlossaryEntry, ...]:
    entries: list[GlossaryEntry] = []
    first_with_term: dict[str, int] = {}
    for number, raw in _objects(value, "glossary", "", "Glossary entry", problems, required=False):
        where = _named(f"Glossary entry {number}", raw.get("term"))
        _unknown_fields(raw, where, GLOSSARY_FIELDS, problems)
        term = _text(raw, "term", where, problems, limit=NAME_LIMIT)
        meaning = _text(raw, "meaning", where, problems, limit=ITEM_LIMIT)
        if term:
            first = first_with_term.setdefault(_key(term), number)
            if first != number:
                problems.append(
                    f"{where}: the term is also in glossary entry {first} "
                    "(terms must differ, ignoring capitals)"
                )
        entries.append(GlossaryEntry(term, meaning))
    return tuple(entries)


def parse_strategy(
    raw: object,
    *,
    theme_names: Collection[str] | None = None,
    audit_categories: Collection[str] | None = None,
) -> StrategySpec:
    """Check a whole strategy definition; raise StrategyErrors listing every problem.

    `theme_names` (the consultation's themes) and `audit_categories` (the audit's) are what
    priorities and other agencies may name; when None, those references are not checked.
    Names are matched ignoring case and stored as spelled in these collections.
    """
    if not isinstance(raw, dict):
        raise StrategyErrors(["the definition must be a JSON object"])
    problems: list[str] = []
    _unknown_fields(raw, "", STRATEGY_FIELDS, problems)
    slug = _slug(raw.get("slug"), "slug", "", problems)
    title = _text(raw, "title", "", problems, limit=NAME_LIMIT)
    partnership = _text(raw, "partnership", "", problems, limit=NAME_LIMIT)
    period = _text(raw, "period", "", problems, limit=NAME_LIMIT)
    consultation = _slug(raw.get("consultation"), "consultation", "be a slug: ", problems)
    audit = _text(raw, "audit", "", problems, limit=AUDIT_NAME_LIMIT)
    passages = {
        name: _text(raw, name, "", problems, limit=PASSAGE_LIMIT, required=False)
        for name in PASSAGES
    }
    themes = _Names.of(theme_names, "the consultation's codebook", "its themes are")
    categories = _Names.of(audit_categories, f"audit '{_shown(audit)}'", "its categories are")
    priorities = _priorities(raw.get("priorities"), themes, categories, problems)
    other_agencies = _other_agencies(raw.get("other_agencies"), priorities, themes, problems)
    glossary = _glossary(raw.get("glossary"), problems)
    signatories = _records(
        raw.get("signatories"),
        "signatories",
        "Signatory",
        dict.fromkeys(SIGNATORY_FIELDS, NAME_LIMIT),
        problems,
    )
    funding = _records(
        raw.get("funding"),
        "funding",
        "Funding line",
        {"source": NAME_LIMIT, "amount": NAME_LIMIT, "use": ITEM_LIMIT},
        problems,
    )
    plans = _records(
        raw.get("other_plans"),
        "other_plans",
        "Other plan",
        {"plan": NAME_LIMIT, "link": ITEM_LIMIT},
        problems,
    )
    signed = tuple(Signatory(**r) for r in signatories)
    funded = tuple(FundingLine(**r) for r in funding)
    linked = tuple(PlanLink(**r) for r in plans)
    authorities = _items(
        raw,
        "responsible_authorities",
        "responsible authority",
        "",
        problems,
        limit=NAME_LIMIT,
        required=False,
    )
    caveats = _items(
        raw, "data_caveats", "data caveat", "", problems, limit=ITEM_LIMIT, required=False
    )
    if problems:
        raise StrategyErrors(problems)
    return StrategySpec(
        slug=slug,
        title=title,
        partnership=partnership,
        period=period,
        consultation=consultation,
        audit=audit,
        priorities=priorities,
        other_agencies=other_agencies,
        glossary=glossary,
        signatories=signed,
        funding=funded,
        other_plans=linked,
        responsible_authorities=authorities,
        data_caveats=caveats,
        **passages,
    )


def _target_to_json(target: TargetSpec) -> str | dict[str, str]:
    """A target as the file has it: its text alone when it has nothing more."""
    fields = {name: getattr(target, name) for name in TARGET_FIELDS}
    filled = {name: value for name, value in fields.items() if value}
    return target.target if list(filled) == ["target"] else filled


def _priority_to_dict(priority: PrioritySpec) -> dict[str, Any]:
    out: dict[str, Any] = {
        "name": priority.name,
        "kind": priority.kind,
        "aim": priority.aim,
        "objectives": list(priority.objectives),
        "targets": [_target_to_json(t) for t in priority.targets],
        "measures": list(priority.measures),
        "lead": priority.lead,
    }
    if priority.why:
        out["why"] = priority.why
    if priority.lead_officer:
        out["lead_officer"] = priority.lead_officer
    if priority.themes:
        out["themes"] = list(priority.themes)
    if priority.audit_categories:
        out["audit_categories"] = list(priority.audit_categories)
    if priority.actions:
        out["actions"] = [
            {"action": a.action, "who": a.who, "by_when": a.by_when} for a in priority.actions
        ]
    return out


def strategy_to_dict(spec: StrategySpec) -> dict[str, Any]:
    """The JSON form of a strategy, leaving out empty optional fields; parses back unchanged."""
    out: dict[str, Any] = {
        "slug": spec.slug,
        "title": spec.title,
        "partnership": spec.partnership,
        "period": spec.period,
        "consultation": spec.consultation,
        "audit": spec.audit,
    }
    for name in PASSAGES:
        if getattr(spec, name):
            out[name] = getattr(spec, name)
    if spec.signatories:
        out["signatories"] = [{"name": s.name, "role": s.role} for s in spec.signatories]
    for name in ("responsible_authorities", "data_caveats"):
        if getattr(spec, name):
            out[name] = list(getattr(spec, name))
    out["priorities"] = [_priority_to_dict(p) for p in spec.priorities]
    if spec.other_agencies:
        out["other_agencies"] = [
            {"theme": a.theme, "agency": a.agency, "explanation": a.explanation}
            for a in spec.other_agencies
        ]
    if spec.funding:
        out["funding"] = [
            {"source": f.source, "amount": f.amount, "use": f.use} for f in spec.funding
        ]
    if spec.other_plans:
        out["other_plans"] = [{"plan": p.plan, "link": p.link} for p in spec.other_plans]
    if spec.glossary:
        out["glossary"] = [{"term": g.term, "meaning": g.meaning} for g in spec.glossary]
    return out
