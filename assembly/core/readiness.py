"""What a partnership board or scrutiny committee would query in a strategy, before it sees it.

Pure core: no Flask, no database. The strategy page lists these gaps, each linking to the form
field that fixes it, and the Word draft carries them as comments on the section they concern.
A gap is only reported when the definition shows it for certain: a date that cannot be read is
never guessed at.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from assembly.core.strategy import PrioritySpec, StrategySpec, TargetSpec

SHOWN_NAME_LIMIT = 60  # a name quoted in a message is cut to this length

# The draft's sections, in its order: gaps are listed in this order too.
SECTIONS = (
    "foreword",
    "summary",
    "area",
    "partnership",
    "purpose",
    "assessment",
    "consultation",
    "choosing",
    "priority",
    "governance",
    "resources",
    "equality",
    "other_plans",
)


@dataclass(frozen=True, kw_only=True)
class Gap:
    """Something a board would query: what, the form page and field that fix it, and the
    draft's section it concerns. `page` is "details", "sections", "priority" or
    "other_agencies"; `field` is the id of a field on it; `priority` counts from 1."""

    message: str
    page: str
    field: str
    priority: int | None = None
    section: str


def readiness(
    spec: StrategySpec,
    *,
    audit_periods: Sequence[str],
    concern_themes: Sequence[str],
    codebook_themes: Sequence[str] = (),
) -> list[Gap]:
    """Every gap in the strategy, in the order of the draft's sections.

    `audit_periods` are the audit's periods in file order (the last is the latest);
    `concern_themes` the themes residents mentioned; `codebook_themes` every theme of the
    consultation in the order the other agencies page lists them, to link to a theme's row.
    """
    gaps = [
        *_sections_before(spec),
        *_audit_age(spec.period, audit_periods),
        *_sections_of_consultation(spec),
        *_unanswered(spec, concern_themes, codebook_themes),
    ]
    for number, priority in enumerate(spec.priorities, start=1):
        gaps += _priority_gaps(priority, number)
    gaps += _sections_after(spec)
    order = {name: position for position, name in enumerate(SECTIONS)}
    return sorted(gaps, key=lambda gap: order[gap.section])  # stable: keeps order within one


def _section(message: str, field: str, section: str) -> Gap:
    return Gap(message=message, page="sections", field=field, section=section)


def _sections_before(spec: StrategySpec) -> Iterator[Gap]:
    """The foreword, the area and the partnership."""
    if not spec.foreword:
        yield _section(
            "There is no foreword: a board expects the strategy introduced by its chairs",
            "foreword",
            "foreword",
        )
    if not spec.signatories:
        yield _section(
            "No one signs the foreword: name the chairs who sign it, and their roles",
            "signatories-0-name",
            "foreword",
        )
    if not spec.area:
        yield _section("The area the strategy covers is not described", "area", "area")
    if not spec.responsible_authorities:
        yield _section(
            "The partnership's responsible authorities are not listed",
            "responsible_authorities",
            "partnership",
        )
    if not spec.structure:
        yield _section(
            "The partnership's structure (its board and groups) is not described",
            "structure",
            "partnership",
        )


def _sections_of_consultation(spec: StrategySpec) -> Iterator[Gap]:
    if not spec.consultation_method:
        yield _section(
            "How the consultation was run is not described: how long it ran, how it was "
            "publicised and who it reached",
            "consultation_method",
            "consultation",
        )


def _sections_after(spec: StrategySpec) -> Iterator[Gap]:
    """Governance, resources, equality and links to other plans."""
    if not spec.governance:
        yield _section(
            "How the strategy is governed, reported on and evaluated is not described",
            "governance",
            "governance",
        )
    if not spec.resources and not spec.funding:
        yield _section(
            "No resources or funding are given for delivering the strategy",
            "resources",
            "resources",
        )
    if not spec.equality_impact:
        yield _section("There is no equality impact statement", "equality_impact", "equality")
    if not spec.rural_proofing:
        yield _section("There is no rural proofing statement", "rural_proofing", "equality")
    if not spec.other_plans:
        yield _section(
            "No links to other plans and strategies are given", "other_plans-0-plan", "other_plans"
        )


# The audit's age.

_YEAR = re.compile(r"\b((?:19|20)\d\d)\b")
_FINANCIAL_YEAR = re.compile(r"^((?:19|20)\d\d)\s*(?:/|-|–|to)\s*(\d\d|(?:19|20)\d\d)$")
_CALENDAR_YEAR = re.compile(r"^((?:19|20)\d\d)$")


def strategy_start(period: str) -> dt.date | None:
    """1 April of the first year the period names ("2027 to 2030", "2027-30"); None if none."""
    found = _YEAR.search(period)
    return dt.date(int(found.group(1)), 4, 1) if found else None


def period_end(period: str) -> dt.date | None:
    """The last day of an audit period: 31 March for "2025/26" or "2025-26", 31 December for
    "2025"; None for any other form."""
    text = period.strip()
    if found := _CALENDAR_YEAR.match(text):
        return dt.date(int(found.group(1)), 12, 31)
    if found := _FINANCIAL_YEAR.match(text):
        first, second = int(found.group(1)), found.group(2)
        following = first + 1
        if (len(second) == 2 and int(second) == following % 100) or int(second) == following:
            return dt.date(following, 3, 31)
    return None


def _audit_age(period: str, audit_periods: Sequence[str]) -> Iterator[Gap]:
    """The audit's latest period ending more than a year before the strategy starts."""
    if not audit_periods:
        return
    latest = audit_periods[-1]
    start, end = strategy_start(period), period_end(latest)
    if start is None or end is None:
        return
    after_end = end + dt.timedelta(days=1)
    if _a_year_after(after_end) < start:
        yield Gap(
            message=(
                f"The audit's latest figures are for {latest}, which ended on {_date(end)}: "
                f"more than a year before the strategy starts on {_date(start)}. A board will "
                "ask for more recent figures"
            ),
            page="details",
            field="audit",
            section="assessment",
        )


def _a_year_after(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


def _date(day: dt.date) -> str:
    """A date as GOV.UK writes it: 1 April 2027."""
    return f"{day.day} {day:%B %Y}"


# Concerns and priorities.


def _unanswered(
    spec: StrategySpec, concern_themes: Sequence[str], codebook_themes: Sequence[str]
) -> Iterator[Gap]:
    """Each concern residents raised that no priority answers and no other agency takes on."""
    linked = {_key(theme) for theme in spec.linked_themes()}
    passed_on = {_key(agency.theme) for agency in spec.other_agencies}
    rows = [t for t in codebook_themes if _key(t) not in linked]  # the other agencies page's
    row_of = {_key(theme): index for index, theme in enumerate(rows)}
    for theme in dict.fromkeys(concern_themes):
        if _key(theme) in linked or _key(theme) in passed_on:
            continue
        yield Gap(
            message=(
                f"Residents raised {_quoted(theme)}, but no priority answers it and no other "
                "agency is named for it"
            ),
            page="other_agencies",
            field=f"agencies-{row_of.get(_key(theme), 0)}-agency",
            section="choosing",
        )


def _priority_gaps(priority: PrioritySpec, number: int) -> list[Gap]:
    """A priority's evidence, its reasoning, and each target's baseline, lead and date."""
    named = f"Priority {number} {_quoted(priority.name)}"
    found: list[tuple[str, str]] = []
    if not priority.themes and not priority.audit_categories:
        found.append(
            (
                f"{named} has no evidence: link it to the consultation's themes or the "
                "audit's categories that make it a priority",
                "themes",
            )
        )
    elif not priority.why:
        found.append((f"{named} does not say why its evidence makes it a priority", "why"))
    for index, target in enumerate(priority.targets):
        found += _target_gaps(target, priority, f"{named}: target {index + 1}", index)
    return [
        Gap(message=message, page="priority", field=field, priority=number, section="priority")
        for message, field in found
    ]


def _target_gaps(
    target: TargetSpec, priority: PrioritySpec, where: str, index: int
) -> list[tuple[str, str]]:
    """One gap naming everything a target lacks (a board asks of a target as a whole), linked
    to the first missing field."""
    missing = []
    if not target.baseline and not target.audit_category:
        missing.append(("baseline", f"targets-{index}-baseline"))
    if not target.lead_officer and not priority.lead_officer:
        missing.append(("lead officer", f"targets-{index}-lead_officer"))
    if not target.by:
        missing.append(("date to be met by", f"targets-{index}-by"))
    if not missing:
        return []
    names = [name for name, _ in missing]
    listed = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"
    return [(f"{where} {_quoted(target.target)} has no {listed}", missing[0][1])]


def _key(name: str) -> str:
    """How names are compared: ignoring case and runs of spaces."""
    return " ".join(name.split()).casefold()


def _quoted(name: str) -> str:
    """A name in quotes, on one line, cut short if long."""
    line = " ".join(name.split())
    if len(line) > SHOWN_NAME_LIMIT:
        line = line[: SHOWN_NAME_LIMIT - 3] + "..."
    return f"'{line}'"
