"""What changed between two builds of a strategy's draft: exact lines, in reading order."""

from __future__ import annotations

from typing import Any

from assembly.core.changes import FIGURE_LINES_LIMIT, changes_between

FOREWORD = "We are pleased to present this strategy.\nIt answers what residents told us."


def record() -> dict[str, Any]:
    """A build record as `assembly.data.built_drafts.gather` keeps it, with its figures."""
    return {
        "strategy": {
            "slug": "community-safety-2027-30",
            "title": "Community Safety Strategy 2027-30",
            "partnership": "Bath and North East Somerset Community Safety Partnership",
            "period": "2027 to 2030",
            "consultation": "community-safety-strategy",
            "audit": "2025-26 audit",
            "foreword": FOREWORD,
            "signatories": [{"name": "Cllr Jo Bloggs", "role": "Chair"}],
            "responsible_authorities": ["Avon and Somerset Constabulary", "The council"],
            "data_caveats": ["Recording practice changed in 2024"],
            "priorities": [
                {
                    "name": "Anti-social behaviour",
                    "kind": "national",
                    "aim": "To reduce anti-social behaviour.",
                    "objectives": ["To agree one ASB strategy"],
                    "targets": [
                        "An ASB strategy by April 2028",
                        {"target": "Fewer ASB reports", "baseline": "1,070", "by": "March 2030"},
                    ],
                    "measures": ["ASB incidents recorded by the police"],
                    "lead": "Avon and Somerset Constabulary",
                    "themes": ["Anti-social behaviour"],
                    "actions": [
                        {"action": "Write the ASB strategy", "who": "CST", "by_when": "April 2028"}
                    ],
                },
                {
                    "name": "Drug misuse",
                    "kind": "local",
                    "aim": "To reduce drug-related harm.",
                    "objectives": ["To reduce supply"],
                    "targets": ["More users in treatment"],
                    "measures": ["Numbers into treatment"],
                    "lead": "Drug and Alcohol Action Team",
                },
            ],
            "funding": [{"source": "Home Office", "amount": "£64,589", "use": "Projects"}],
            "glossary": [{"term": "ASB", "meaning": "Anti-social behaviour"}],
        },
        "consultation": "community-safety-strategy",
        "responses": 64,
        "results_sha256": "a" * 64,
        "suppression_threshold": 5,
        "audit": "2025-26 audit",
        "audit_imported_at": "2026-04-01T09:00:00Z",
        "house_template": None,
        "figures": {
            "Responses": "64",
            "Agreement with the priorities": "50 of 61 (82%)",
            "Burglary, 2025/26": "1,070",
        },
    }


def changed(**edits: Any) -> dict[str, Any]:
    """A copy of `record()` with the record's fields (the data) or the definition's replaced."""
    after = record()
    for field, value in edits.items():
        if field in after:
            after[field] = value
        else:
            after["strategy"][field] = value
    return after


def priority_changes(**edits: Any) -> list[str]:
    """The lines for the first priority with `edits` applied."""
    after = record()
    after["strategy"]["priorities"][0].update(edits)
    return changes_between(record(), after)


def test_identical_records_have_no_changes() -> None:
    assert changes_between(record(), record()) == []


def test_short_values_are_quoted_and_passages_are_not() -> None:
    after = changed(period="2028 to 2031", foreword=FOREWORD + " Thank you.", area="Rural.")
    del after["strategy"]["data_caveats"]
    assert changes_between(record(), after) == [
        "The period changed from '2027 to 2030' to '2028 to 2031'",
        "The foreword was rewritten",
        "The description of the area was added",
        "Data caveat 'Recording practice changed in 2024' was removed",
    ]
    assert changes_between(after, record())[1:3] == [
        "The foreword was rewritten",
        "The description of the area was removed",
    ]
    short_passages = changed(vision="A safer area"), changed(vision="A safer, fairer area")
    assert changes_between(*short_passages) == ["The vision was rewritten"]


def test_list_fields_name_entries_added_removed_and_changed() -> None:
    after = changed(
        signatories=[
            {"name": "Cllr Jo Bloggs", "role": "Co-chair"},
            {"name": "Supt Sam Lee", "role": "Co-chair"},
        ],
        responsible_authorities=["avon and somerset constabulary", "Avon Fire and Rescue"],
        funding=[{"source": "Home Office", "amount": "£70,000", "use": "Projects"}],
        other_plans=[{"plan": "Health and Wellbeing Strategy", "link": "Shared aims"}],
        glossary=[{"term": "asb", "meaning": "Anti-social behaviour, as the police record it"}],
        other_agencies=[{"theme": "Road safety", "agency": "The council", "explanation": "Plan"}],
    )
    assert changes_between(record(), after) == [
        "Signatory 'Cllr Jo Bloggs': the role changed from 'Chair' to 'Co-chair'",
        "Signatory 'Supt Sam Lee' was added",
        "Responsible authority 'The council' was removed",
        "Responsible authority 'Avon Fire and Rescue' was added",
        "Other agency 'Road safety' was added",
        "Funding line 'Home Office': the amount changed from '£64,589' to '£70,000'",
        "Other plan 'Health and Wellbeing Strategy' was added",
        "Glossary entry 'asb': the meaning changed from 'Anti-social behaviour' to "
        "'Anti-social behaviour, as the police record it'",
    ]


def test_long_values_are_not_quoted() -> None:
    long_meaning = "Behaviour that causes or is likely to cause harassment, alarm or distress"
    after = changed(glossary=[{"term": "ASB", "meaning": long_meaning}])
    assert changes_between(record(), after) == ["Glossary entry 'ASB': the meaning was rewritten"]


def test_priorities_added_removed_and_reordered() -> None:
    before = record()
    asb, drugs = before["strategy"]["priorities"]
    hate = {**drugs, "name": "Hate crime", "aim": "To increase reporting of hate crime."}
    assert changes_between(before, changed(priorities=[drugs, asb])) == [
        "The priorities were reordered: now 'Drug misuse', 'Anti-social behaviour'"
    ]
    assert changes_between(before, changed(priorities=[asb, hate])) == [
        "Priority 'Drug misuse' was removed",
        "Priority 'Hate crime' was added",
    ]


def test_a_priority_renamed_with_the_same_aim_is_matched() -> None:
    assert priority_changes(name="ASB", lead_officer="Sam Patel") == [
        "Priority 'Anti-social behaviour' was renamed 'ASB'",
        "Priority 'ASB': the lead officer 'Sam Patel' was added",
    ]


def test_each_field_of_a_priority() -> None:
    assert priority_changes(
        kind="local",
        aim="To reduce anti-social behaviour and the fear of it.",
        why="Reports rose by a fifth while agreement fell.",
        objectives=["To agree one ASB strategy", "To tell residents what works"],
        measures=[],
        lead="The council",
        themes=["Anti-social behaviour", "Young people"],
        audit_categories=["Arson"],
    ) == [
        "Priority 'Anti-social behaviour': the kind changed from 'national' to 'local'",
        "Priority 'Anti-social behaviour': the aim changed from 'To reduce anti-social "
        "behaviour.' to 'To reduce anti-social behaviour and the fear of it.'",
        "Priority 'Anti-social behaviour': the reason it is a priority "
        "'Reports rose by a fifth while agreement fell.' was added",
        "Priority 'Anti-social behaviour': objective 'To tell residents what works' was added",
        "Priority 'Anti-social behaviour': measure 'ASB incidents recorded by the police' "
        "was removed",
        "Priority 'Anti-social behaviour': the lead body changed from "
        "'Avon and Somerset Constabulary' to 'The council'",
        "Priority 'Anti-social behaviour': theme 'Young people' was added",
        "Priority 'Anti-social behaviour': audit category 'Arson' was added",
    ]


def test_targets_as_text_or_objects() -> None:
    assert priority_changes(
        targets=[
            {"target": "An ASB strategy by April 2028"},  # the same target, as an object
            {"target": "Fewer ASB reports", "baseline": "1,102", "frequency": "Quarterly"},
            "ASB reports answered within a day",
        ]
    ) == [
        "Priority 'Anti-social behaviour': target 'Fewer ASB reports': the baseline changed "
        "from '1,070' to '1,102'",
        "Priority 'Anti-social behaviour': target 'Fewer ASB reports': the date "
        "'March 2030' was removed",
        "Priority 'Anti-social behaviour': target 'Fewer ASB reports': the frequency "
        "'Quarterly' was added",
        "Priority 'Anti-social behaviour': target 'ASB reports answered within a day' was added",
    ]
    assert priority_changes(targets=["Fewer ASB reports"]) == [
        "Priority 'Anti-social behaviour': target 'An ASB strategy by April 2028' was removed",
        "Priority 'Anti-social behaviour': target 'Fewer ASB reports': the baseline "
        "'1,070' was removed",
        "Priority 'Anti-social behaviour': target 'Fewer ASB reports': the date "
        "'March 2030' was removed",
    ]


def test_actions() -> None:
    assert priority_changes(
        actions=[
            {"action": "Write the ASB strategy", "who": "ASB group", "by_when": "April 2028"},
            {"action": "Hold an ASB event", "who": "CST", "by_when": "Twice a year"},
        ]
    ) == [
        "Priority 'Anti-social behaviour': action 'Write the ASB strategy': the owner changed "
        "from 'CST' to 'ASB group'",
        "Priority 'Anti-social behaviour': action 'Hold an ASB event' was added",
    ]
    assert priority_changes(actions=[]) == [
        "Priority 'Anti-social behaviour': action 'Write the ASB strategy' was removed"
    ]


def test_the_data_a_build_used() -> None:
    after = changed(
        consultation="safer-streets",
        audit_imported_at="2026-05-01T09:00:00Z",
        suppression_threshold=10,
        house_template="house.docx",
    )
    assert changes_between(record(), after) == [
        "The consultation changed from 'community-safety-strategy' to 'safer-streets'",
        "The audit '2025-26 audit' was imported again",
        "The suppression threshold changed from 5 to 10",
        "The house template 'house.docx' was added",
    ]
    another_audit = changed(audit="2026-27 audit", audit_imported_at="2027-04-01T09:00:00Z")
    assert changes_between(record(), another_audit) == [
        "The audit changed from '2025-26 audit' to '2026-27 audit'"
    ]


def test_figures_changed_added_and_no_longer_shown() -> None:
    after = changed(
        figures={
            "Responses": "70",
            "Burglary, 2025/26": "1,070",
            "Theme 'Drug misuse'": "12 of 58",
        }
    )
    assert changes_between(record(), after) == [
        "Responses: 64 before, 70 now",
        "Theme 'Drug misuse': 12 of 58 now, not shown before",
        "Agreement with the priorities: 50 of 61 (82%) before, no longer shown",
    ]


def test_definition_then_data_then_figures() -> None:
    after = changed(title="Safer Communities Strategy", suppression_threshold=10)
    after["figures"]["Responses"] = "60"
    assert changes_between(record(), after) == [
        "The title changed from 'Community Safety Strategy 2027-30' to "
        "'Safer Communities Strategy'",
        "The suppression threshold changed from 5 to 10",
        "Responses: 64 before, 60 now",
    ]


def test_an_older_record_without_figures() -> None:
    before = record()
    del before["figures"]
    note = (
        "Figures from the earlier build were not recorded, so only the number of responses "
        "and whether any of the consultation's figures changed can be compared"
    )
    assert changes_between(before, record()) == [
        note,
        "None of the consultation's figures changed",
    ]
    after = changed(responses=1064, results_sha256="b" * 64, period="2028 to 2031")
    assert changes_between(before, after) == [
        "The period changed from '2027 to 2030' to '2028 to 2031'",
        note,
        "The number of responses changed from 64 to 1,064",
        "Some of the consultation's figures changed",
    ]


def test_many_changed_figures_are_capped() -> None:
    before, after = record(), record()
    before["figures"] = {f"Ward {n}": str(n) for n in range(100)}
    after["figures"] = {f"Ward {n}": str(n + 1) for n in range(FIGURE_LINES_LIMIT + 3)}
    lines = changes_between(before, after)
    assert len(lines) == FIGURE_LINES_LIMIT + 1
    assert lines[0] == "Ward 0: 0 before, 1 now"
    assert lines[FIGURE_LINES_LIMIT - 1] == "Ward 39: 39 before, 40 now"
    assert lines[-1] == "And 60 more figures changed"
    before["figures"] = {f"Ward {n}": str(n) for n in range(FIGURE_LINES_LIMIT + 1)}
    after["figures"] = {f"Ward {n}": str(n + 1) for n in range(FIGURE_LINES_LIMIT + 1)}
    assert changes_between(before, after)[-1] == "And 1 more figure changed"
