"""What a partnership board would query in a strategy, found before it sees it (unit: pure)."""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from assembly.core.readiness import SECTIONS, Gap, period_end, readiness, strategy_start
from assembly.core.strategy import parse_strategy

COMPLETE: dict[str, Any] = {
    "slug": "safer-together",
    "title": "Safer Together 2027-30",
    "partnership": "Westshire Community Safety Partnership",
    "period": "April 2027 to March 2030",
    "consultation": "safer-streets",
    "audit": "2025-26 audit",
    "foreword": "We are proud to present this strategy.",
    "signatories": [{"name": "Jane Smith", "role": "Chair of the partnership"}],
    "area": "Westshire is a rural county of 180,000 people.",
    "responsible_authorities": ["Westshire Council", "Westshire Police"],
    "structure": "The board meets quarterly; three groups report to it.",
    "consultation_method": "Six weeks online and on paper, with leaflets and two events.",
    "governance": "The board reviews progress every quarter and evaluates yearly.",
    "resources": "Each partner gives staff time.",
    "funding": [
        {"source": "Police and Crime Commissioner", "amount": "£64,589", "use": "Projects"}
    ],
    "equality_impact": "An equality impact assessment found no adverse effects.",
    "rural_proofing": "Mobile services reach the villages.",
    "other_plans": [{"plan": "Police and Crime Plan", "link": "Shares its priorities"}],
    "priorities": [
        {
            "name": "Drug misuse",
            "kind": "local",
            "aim": "To reduce the harm drugs cause.",
            "why": "Residents raised drugs most often, and drug offences rose.",
            "objectives": ["More people in treatment"],
            "targets": [
                {
                    "target": "More users completing treatment",
                    "value": "150 a year",
                    "baseline": "120 in 2025/26",
                    "by": "March 2030",
                    "frequency": "Quarterly",
                }
            ],
            "measures": ["Users completing treatment"],
            "lead": "Public health",
            "lead_officer": "Sam Jones",
            "themes": ["Drug misuse"],
            "audit_categories": ["Drug offences"],
        },
        {
            "name": "Burglary",
            "kind": "national",
            "aim": "To reduce burglary.",
            "why": "Burglary is high against similar areas.",
            "objectives": ["Target-harden homes"],
            "targets": [
                {
                    "target": "Fewer burglaries",
                    "audit_category": "Burglary",
                    "by": "March 2030",
                    "lead_officer": "DI Green",
                }
            ],
            "measures": ["Burglaries recorded"],
            "lead": "Westshire Police",
            "audit_categories": ["Burglary"],
        },
    ],
    "other_agencies": [
        {"theme": "Road safety", "agency": "Highways team", "explanation": "Its road plan."}
    ],
}
PERIODS = ("2023/24", "2024/25", "2025/26")
CONCERNS = ("Drug misuse", "Road safety")
CODEBOOK = ("Alcohol misuse", "Drug misuse", "Road safety", "Speeding", "Victims")


def gaps(
    change: Callable[[dict[str, Any]], object] = lambda raw: None,
    *,
    periods: tuple[str, ...] = PERIODS,
    concerns: tuple[str, ...] = CONCERNS,
) -> list[Gap]:
    raw = copy.deepcopy(COMPLETE)
    change(raw)
    spec = parse_strategy(raw)
    return readiness(spec, audit_periods=periods, concern_themes=concerns, codebook_themes=CODEBOOK)


def section(message: str, field: str, in_section: str) -> Gap:
    return Gap(message=message, page="sections", field=field, section=in_section)


def priority_gap(message: str, field: str, number: int) -> Gap:
    return Gap(message=message, page="priority", field=field, priority=number, section="priority")


def test_a_complete_strategy_has_nothing_for_the_board() -> None:
    assert gaps() == []


@pytest.mark.parametrize(
    ("removed", "expected"),
    [
        (
            ("foreword",),
            section(
                "There is no foreword: a board expects the strategy introduced by its chairs",
                "foreword",
                "foreword",
            ),
        ),
        (
            ("signatories",),
            section(
                "No one signs the foreword: name the chairs who sign it, and their roles",
                "signatories-0-name",
                "foreword",
            ),
        ),
        (("area",), section("The area the strategy covers is not described", "area", "area")),
        (
            ("responsible_authorities",),
            section(
                "The partnership's responsible authorities are not listed",
                "responsible_authorities",
                "partnership",
            ),
        ),
        (
            ("structure",),
            section(
                "The partnership's structure (its board and groups) is not described",
                "structure",
                "partnership",
            ),
        ),
        (
            ("consultation_method",),
            section(
                "How the consultation was run is not described: how long it ran, how it was "
                "publicised and who it reached",
                "consultation_method",
                "consultation",
            ),
        ),
        (
            ("governance",),
            section(
                "How the strategy is governed, reported on and evaluated is not described",
                "governance",
                "governance",
            ),
        ),
        (
            ("resources", "funding"),
            section(
                "No resources or funding are given for delivering the strategy",
                "resources",
                "resources",
            ),
        ),
        (
            ("equality_impact",),
            section("There is no equality impact statement", "equality_impact", "equality"),
        ),
        (
            ("rural_proofing",),
            section("There is no rural proofing statement", "rural_proofing", "equality"),
        ),
        (
            ("other_plans",),
            section(
                "No links to other plans and strategies are given",
                "other_plans-0-plan",
                "other_plans",
            ),
        ),
    ],
)
def test_each_missing_section_is_one_gap_at_its_field(
    removed: tuple[str, ...], expected: Gap
) -> None:
    def remove(raw: dict[str, Any]) -> None:
        for name in removed:
            del raw[name]

    assert gaps(remove) == [expected]


def test_resources_or_funding_alone_is_enough() -> None:
    assert gaps(lambda raw: raw.pop("resources")) == []
    assert gaps(lambda raw: raw.pop("funding")) == []


def target_of(raw: dict[str, Any], number: int) -> dict[str, Any]:
    target: dict[str, Any] = raw["priorities"][number - 1]["targets"][0]
    return target


def test_a_target_without_a_baseline_names_its_priority_and_itself() -> None:
    assert gaps(lambda raw: target_of(raw, 1).pop("baseline")) == [
        priority_gap(
            "Priority 1 'Drug misuse': target 1 'More users completing treatment' has no baseline",
            "targets-0-baseline",
            1,
        )
    ]


def test_an_audit_category_is_a_baseline() -> None:
    assert target_of(COMPLETE, 2)["audit_category"] and "baseline" not in target_of(COMPLETE, 2)
    assert gaps(lambda raw: target_of(raw, 2).pop("audit_category")) == [
        priority_gap(
            "Priority 2 'Burglary': target 1 'Fewer burglaries' has no baseline",
            "targets-0-baseline",
            2,
        )
    ]


def test_a_target_needs_its_own_or_its_prioritys_lead_officer() -> None:
    assert "lead_officer" not in target_of(COMPLETE, 1)  # the priority's answers for it
    assert gaps(lambda raw: raw["priorities"][0].pop("lead_officer")) == [
        priority_gap(
            "Priority 1 'Drug misuse': target 1 'More users completing treatment' has no "
            "lead officer",
            "targets-0-lead_officer",
            1,
        )
    ]
    assert gaps(lambda raw: target_of(raw, 2).pop("lead_officer")) == [
        priority_gap(
            "Priority 2 'Burglary': target 1 'Fewer burglaries' has no lead officer",
            "targets-0-lead_officer",
            2,
        )
    ]


def test_a_target_without_a_date() -> None:
    assert gaps(lambda raw: target_of(raw, 2).pop("by")) == [
        priority_gap(
            "Priority 2 'Burglary': target 1 'Fewer burglaries' has no date to be met by",
            "targets-0-by",
            2,
        )
    ]


def test_a_target_given_as_text_alone_lacks_baseline_lead_and_date() -> None:
    def plain(raw: dict[str, Any]) -> None:
        raw["priorities"][1]["targets"].append("Fewer repeat victims")

    # One line for the target, naming all three, linked to the first to fill in.
    assert gaps(plain) == [
        priority_gap(
            "Priority 2 'Burglary': target 2 'Fewer repeat victims' has no baseline, "
            "lead officer or date to be met by",
            "targets-1-baseline",
            2,
        )
    ]


def test_a_target_lacking_two_details_names_both_in_one_line() -> None:
    def bare(raw: dict[str, Any]) -> None:
        del target_of(raw, 2)["audit_category"], target_of(raw, 2)["by"]

    assert gaps(bare) == [
        priority_gap(
            "Priority 2 'Burglary': target 1 'Fewer burglaries' has no baseline or date to be "
            "met by",
            "targets-0-baseline",
            2,
        )
    ]


def test_a_priority_without_evidence_is_not_also_asked_why() -> None:
    def unlinked(raw: dict[str, Any]) -> None:
        del raw["priorities"][1]["audit_categories"]
        del raw["priorities"][1]["why"]

    assert gaps(unlinked) == [
        priority_gap(
            "Priority 2 'Burglary' has no evidence: link it to the consultation's themes or "
            "the audit's categories that make it a priority",
            "themes",
            2,
        )
    ]


def test_evidence_without_the_officers_reasoning() -> None:
    assert gaps(lambda raw: raw["priorities"][0].pop("why")) == [
        priority_gap(
            "Priority 1 'Drug misuse' does not say why its evidence makes it a priority", "why", 1
        )
    ]


def test_a_concern_neither_answered_nor_passed_on_links_to_its_row() -> None:
    # The other agencies page lists the codebook's themes no priority answers: Alcohol
    # misuse, Road safety, Speeding, Victims; Speeding is its third row.
    assert gaps(concerns=(*CONCERNS, "Speeding", "drug MISUSE")) == [
        Gap(
            message="Residents raised 'Speeding', but no priority answers it and no other "
            "agency is named for it",
            page="other_agencies",
            field="agencies-2-agency",
            section="choosing",
        )
    ]


def test_a_concern_passed_on_is_answered() -> None:
    assert gaps(lambda raw: raw.pop("other_agencies"))[0].message.startswith(
        "Residents raised 'Road safety'"
    )


@pytest.mark.parametrize(
    ("latest", "flagged"),
    [
        ("2025/26", False),  # ended 31 March 2026: a year to the day before 1 April 2027
        ("2024/25", True),
        ("2024-25", True),
        ("2026", False),
        ("2025", True),  # ended 31 December 2025: fifteen months before
        ("Q4 2017", False),  # cannot be read: nothing is guessed
        ("2017/19", False),
    ],
)
def test_an_audit_more_than_a_year_old_when_the_strategy_starts(latest: str, flagged: bool) -> None:
    found = gaps(periods=("2016/17", latest))
    assert bool(found) == flagged
    if flagged:
        assert found[0].page == "details" and found[0].field == "audit"
        assert found[0].section == "assessment"


def test_the_old_audit_is_said_in_dates() -> None:
    (found,) = gaps(periods=("2016/17", "2017/18"))
    assert found.message == (
        "The audit's latest figures are for 2017/18, which ended on 31 March 2018: more than a "
        "year before the strategy starts on 1 April 2027. A board will ask for more recent "
        "figures"
    )


def test_a_period_that_cannot_be_read_says_nothing_of_the_audit() -> None:
    assert gaps(lambda raw: raw.update(period="Three years"), periods=("2001/02",)) == []
    assert gaps(periods=()) == []


@pytest.mark.parametrize(
    ("period", "start"),
    [
        ("2027 to 2030", dt.date(2027, 4, 1)),
        ("2027-30", dt.date(2027, 4, 1)),
        ("April 2027 to March 2030", dt.date(2027, 4, 1)),
        ("Three years", None),
    ],
)
def test_the_strategy_starts_on_1_april_of_its_first_year(
    period: str, start: dt.date | None
) -> None:
    assert strategy_start(period) == start


@pytest.mark.parametrize(
    ("period", "end"),
    [
        ("2025/26", dt.date(2026, 3, 31)),
        ("2025-26", dt.date(2026, 3, 31)),
        ("1999/00", dt.date(2000, 3, 31)),
        ("2025-2026", dt.date(2026, 3, 31)),
        ("2025", dt.date(2025, 12, 31)),
        ("2025/27", None),
        ("Apr-Jun 2025", None),
    ],
)
def test_an_audit_period_ends_on_its_last_day(period: str, end: dt.date | None) -> None:
    assert period_end(period) == end


def test_gaps_come_in_the_order_of_the_drafts_sections() -> None:
    def bare(raw: dict[str, Any]) -> None:
        for name in ("foreword", "signatories", "area", "governance", "other_plans"):
            del raw[name]
        del raw["priorities"][0]["why"]
        del raw["other_agencies"]

    found = gaps(bare, periods=("2017/18",))
    assert [(g.section, g.field) for g in found] == [
        ("foreword", "foreword"),
        ("foreword", "signatories-0-name"),
        ("area", "area"),
        ("assessment", "audit"),
        ("choosing", "agencies-1-agency"),
        ("priority", "why"),
        ("governance", "governance"),
        ("other_plans", "other_plans-0-plan"),
    ]
    assert all(g.section in SECTIONS for g in found)
