"""Strategy definitions: checked whole, every problem named where an officer will find it."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import pytest

from assembly.core.strategy import (
    ActionSpec,
    GlossaryEntry,
    OtherAgencySpec,
    StrategyErrors,
    StrategySpec,
    parse_strategy,
    strategy_to_dict,
)

ROOT = Path(__file__).resolve().parent.parent

# The shipped codebook's themes (checked against the file below) and the demo audit's categories.
THEMES = (
    "Alcohol misuse",
    "Anti-social behaviour",
    "Community confidence",
    "Domestic violence",
    "Drug misuse",
    "Hate crime",
    "Volume crime",
    "Young people",
    "Credit card fraud",
    "Homelessness",
    "Police staffing",
    "Prison aftercare",
    "Road safety",
    "Victims",
)
CATEGORIES = (
    "All recorded crime",
    "Anti-social behaviour",
    "Burglary",
    "Vehicle crime",
    "Theft",
    "Robbery",
    "Violence against the person",
    "Sexual offences",
    "Hate crime",
    "Drug offences",
    "Arson",
)

# Modelled on the 2005-08 Bath and North East Somerset strategy; docs/strategy.md shows it too.
EXAMPLE: dict[str, Any] = {
    "slug": "community-safety-2018-21",
    "title": "Community Safety and Drugs Strategy 2018-21",
    "partnership": "Bath and North East Somerset Community Safety and Drugs Partnership",
    "period": "2018 to 2021",
    "consultation": "community-safety-strategy",
    "audit": "2017-18 audit",
    "introduction": "This strategy builds on the work the partnership and all its partners have "
    "delivered over the last three years.\n"
    "It answers what residents told us in the consultation and what the audit of "
    "crime and disorder found.",
    "vision": "To reduce crime and anti-social behaviour, at the same time as increasing "
    "community confidence, so that the area is a safer place to live, work and visit.",
    "priorities": [
        {
            "name": "Anti-social behaviour",
            "kind": "national",
            "aim": "To reduce incidents of anti-social behaviour through collaborative "
            "working and positive, proactive interventions.",
            "objectives": [
                "To agree one strategy directing the work and processes of the ASB teams",
                "To promote awareness and use of ASB interventions within partner organisations",
                "To help residents understand the interventions through positive press work",
            ],
            "targets": [
                "An ASB strategy and annual action plan by April 2019",
                "A communications plan agreed by all partners by April 2019",
            ],
            "measures": [
                "Anti-social behaviour incidents recorded by the police",
                "Deliberately lit fires and hoax calls recorded by the fire service",
                "Number of ASB partnership events held",
            ],
            "lead": "Avon and Somerset Constabulary",
            "themes": ["Anti-social behaviour", "Young people", "Community confidence"],
            "audit_categories": ["Anti-social behaviour", "Arson"],
            "actions": [
                {
                    "action": "Write the ASB strategy with the ASB working group",
                    "who": "Community Safety Team",
                    "by_when": "April 2019",
                },
                {
                    "action": "Hold a partnership event on ASB interventions",
                    "who": "ASB coordinator",
                    "by_when": "Twice a year",
                },
            ],
        },
        {
            "name": "Domestic violence",
            "kind": "national",
            "aim": "To raise awareness of domestic violence and abuse, increase "
            "reporting, and ensure suitable help for survivors and intervention "
            "with perpetrators.",
            "objectives": [
                "To improve access to support for women, children and men who "
                "survive domestic abuse",
                "To make legal protection through civil and criminal law more effective",
                "To run prevention programmes for the public, agencies, children and perpetrators",
            ],
            "targets": [
                "Joint policies and procedures across agencies, reviewed every year",
                "Six training events on domestic violence and abuse across the "
                "partnership each year",
            ],
            "measures": [
                "Number of training events held",
                "Number of joint policies and procedures in place",
                "Cases heard at MARAC",
            ],
            "lead": "Bath and North East Somerset Council",
            "themes": ["Domestic violence"],
            "actions": [
                {
                    "action": "Commission an IDVA service for high-risk victims",
                    "who": "Domestic Abuse Partnership",
                    "by_when": "September 2018",
                }
            ],
        },
        {
            "name": "Hate crime",
            "kind": "national",
            "aim": "To increase the reporting and effective prosecution of hate crime, "
            "and give effective support to its victims.",
            "objectives": [
                "To map the hate crime services and reporting routes available now",
                "To write a hate crime action plan in line with national guidance",
            ],
            "targets": [
                "A baseline for hate crime by October 2018, with more interventions year on year",
                "A hate crime action plan by October 2018",
            ],
            "measures": [
                "Hate crimes recorded by the police",
                "Number of third-party reporting centres",
            ],
            "lead": "Avon and Somerset Constabulary",
            "themes": ["Hate crime"],
            "audit_categories": ["Hate crime"],
        },
        {
            "name": "Drug misuse",
            "kind": "local",
            "aim": "To reduce drug-related use, illness and crime through effective "
            "prevention, treatment and enforcement.",
            "objectives": [
                "To reduce the supply of illegal drugs",
                "To reduce drug use and drug-related offending through treatment and support",
                "To prevent young people from becoming problematic drug users",
            ],
            "targets": [
                "More problem drug users in treatment each year",
                "More users completing treatment programmes each year",
            ],
            "measures": [
                "Class A drug seizures",
                "Numbers into treatment and waiting times",
                "Screening and referral of young people",
            ],
            "lead": "Drug and Alcohol Action Team",
            "themes": ["Drug misuse", "Young people"],
            "audit_categories": ["Drug offences"],
            "actions": [
                {
                    "action": "Publish the annual treatment plan",
                    "who": "Drug and Alcohol Action Team",
                    "by_when": "March each year",
                }
            ],
        },
        {
            "name": "Alcohol misuse",
            "kind": "local",
            "aim": "To reduce the harm alcohol misuse does to communities and to health.",
            "objectives": [
                "To map alcohol services, interventions, regulation and treatment",
                "To write an alcohol strategy and action plan in line with the national strategy",
            ],
            "targets": [
                "A baseline for alcohol misuse by October 2018",
                "An alcohol strategy and annual action plan by March 2019",
            ],
            "measures": [
                "Mapping complete",
                "Alcohol-related violent crime recorded by the police",
            ],
            "lead": "Public Health, Bath and North East Somerset Council",
            "themes": ["Alcohol misuse"],
            "audit_categories": ["Violence against the person"],
        },
        {
            "name": "Volume crime",
            "kind": "local",
            "aim": "To reduce volume crime against people and property.",
            "objectives": [
                "To build on the work of the Prolific and other Priority Offenders unit",
                "To work with vulnerable groups to reduce their chances of becoming victims",
            ],
            "targets": [
                "At least 25 prolific and other priority offenders managed each year",
                "Burglary back below its 2015-16 level by 2021",
            ],
            "measures": [
                "Number of interventions by the PPO unit",
                "Burglary, vehicle crime, theft and robbery recorded by the police",
            ],
            "lead": "Avon and Somerset Constabulary",
            "themes": ["Volume crime", "Community confidence"],
            "audit_categories": ["Burglary", "Vehicle crime", "Theft", "Robbery"],
            "actions": [
                {
                    "action": "Extend the safer homes scheme to older residents",
                    "who": "Neighbourhood policing teams",
                    "by_when": "Quarterly",
                }
            ],
        },
    ],
    "other_agencies": [
        {
            "theme": "Credit card fraud",
            "agency": "Avon and Somerset Constabulary",
            "explanation": "The police tackle card fraud directly, with Action Fraud.",
        },
        {
            "theme": "Homelessness",
            "agency": "Homelessness Partnership",
            "explanation": "Addressed through Supporting People and the Homelessness Partnership.",
        },
        {
            "theme": "Police staffing",
            "agency": "Avon and Somerset Police and Crime Commissioner",
            "explanation": "Police numbers are set by the Commissioner and the "
            "Constabulary, both members of the partnership.",
        },
        {
            "theme": "Prison aftercare",
            "agency": "National Probation Service",
            "explanation": "The Probation Service, a statutory member of the "
            "partnership, supports people leaving prison.",
        },
        {
            "theme": "Road safety",
            "agency": "Bath and North East Somerset Council",
            "explanation": "Addressed through the council's Road Safety Plan and the "
            "Local Transport Plan.",
        },
        {
            "theme": "Victims",
            "agency": "All partners",
            "explanation": "Victims are an underlying theme throughout this strategy "
            "and are addressed within every priority.",
        },
    ],
    "glossary": [
        {"term": "ASB", "meaning": "Anti-social behaviour"},
        {"term": "IDVA", "meaning": "Independent domestic violence adviser"},
        {"term": "MARAC", "meaning": "Multi-agency risk assessment conference"},
        {"term": "PPO", "meaning": "Prolific and other priority offender"},
    ],
}


def example() -> dict[str, Any]:
    return copy.deepcopy(EXAMPLE)


def parse(definition: object) -> StrategySpec:
    return parse_strategy(definition, theme_names=THEMES, audit_categories=CATEGORIES)


def problems_of(definition: object) -> list[str]:
    with pytest.raises(StrategyErrors) as caught:
        parse(definition)
    return caught.value.problems


def minimal() -> dict[str, Any]:
    """A definition with only the required fields."""
    return {
        "slug": "csp-2026",
        "title": "Safer together 2026-29",
        "partnership": "Keynsham Community Safety Partnership",
        "period": "2026 to 2029",
        "consultation": "safer-streets-2026",
        "audit": "2025-26 audit",
        "priorities": [
            {
                "name": "Burglary",
                "kind": "local",
                "aim": "Fewer homes burgled",
                "objectives": ["Target-harden homes burgled twice"],
                "targets": ["Repeat burglary down a tenth by 2029"],
                "measures": ["Repeat burglaries recorded"],
                "lead": "Avon and Somerset Constabulary",
            }
        ],
    }


# What a definition holds, and the way back


def test_the_example_reads_into_plain_dataclasses() -> None:
    spec = parse(example())
    assert spec.slug == "community-safety-2018-21"
    assert spec.audit == "2017-18 audit"
    assert [(p.name, p.kind) for p in spec.priorities][:4] == [
        ("Anti-social behaviour", "national"),
        ("Domestic violence", "national"),
        ("Hate crime", "national"),
        ("Drug misuse", "local"),
    ]
    asb = spec.priorities[0]
    assert asb.lead == "Avon and Somerset Constabulary"
    assert asb.audit_categories == ("Anti-social behaviour", "Arson")
    assert asb.actions[1] == ActionSpec(
        "Hold a partnership event on ASB interventions", "ASB coordinator", "Twice a year"
    )
    assert spec.priorities[2].actions == ()
    assert spec.other_agencies[4] == OtherAgencySpec(
        "Road safety",
        "Bath and North East Somerset Council",
        "Addressed through the council's Road Safety Plan and the Local Transport Plan.",
    )
    assert spec.glossary[0] == GlossaryEntry("ASB", "Anti-social behaviour")
    assert "\n" in spec.introduction


def test_the_example_answers_every_theme_of_the_shipped_codebook() -> None:
    codebook = json.loads((ROOT / "survey/core/codebooks/community-safety.json").read_text("utf-8"))
    assert tuple(t["name"] for t in codebook["themes"]) == THEMES
    spec = parse(example())
    answered = list(spec.linked_themes()) + [a.theme for a in spec.other_agencies]
    assert sorted(answered) == sorted(THEMES)


def test_parsing_what_strategy_to_dict_gives_back_gives_the_same_strategy() -> None:
    spec = parse(example())
    assert parse(strategy_to_dict(spec)) == spec
    assert strategy_to_dict(spec) == EXAMPLE


def test_empty_optional_fields_are_left_out_and_still_round_trip() -> None:
    spec = parse_strategy(minimal())
    out = strategy_to_dict(spec)
    assert out == minimal()
    assert parse_strategy(out) == spec
    assert spec.introduction == "" and spec.other_agencies == () and spec.glossary == ()
    assert spec.priorities[0].themes == () and spec.priorities[0].actions == ()


def test_linked_themes_lists_each_theme_once_in_priority_order() -> None:
    assert parse(example()).linked_themes() == (
        "Anti-social behaviour",
        "Young people",
        "Community confidence",
        "Domestic violence",
        "Hate crime",
        "Drug misuse",
        "Alcohol misuse",
        "Volume crime",
    )


def test_priorities_for_theme_ignores_capitals_and_keeps_strategy_order() -> None:
    spec = parse(example())
    assert [p.name for p in spec.priorities_for_theme("young PEOPLE")] == [
        "Anti-social behaviour",
        "Drug misuse",
    ]
    assert spec.priorities_for_theme("Road safety") == ()


def test_the_example_in_docs_strategy_md_is_the_tested_example_and_loads() -> None:
    text = (ROOT / "docs/strategy.md").read_text("utf-8")
    blocks = re.findall(r"```json\n(.*?)\n```", text, flags=re.DOTALL)
    assert blocks, "docs/strategy.md has no JSON example"
    documented = json.loads(blocks[0])
    parse(documented)
    assert documented == EXAMPLE


# Matching names and tidying text


def test_themes_and_categories_match_ignoring_capitals_and_store_the_canonical_spelling() -> None:
    definition = example()
    definition["priorities"][0]["themes"] = ["anti-social BEHAVIOUR", "  young people "]
    definition["priorities"][0]["audit_categories"] = ["arson"]
    definition["other_agencies"][1]["theme"] = "HOMELESSNESS"
    spec = parse(definition)
    assert spec.priorities[0].themes == ("Anti-social behaviour", "Young people")
    assert spec.priorities[0].audit_categories == ("Arson",)
    assert spec.other_agencies[1].theme == "Homelessness"


def test_references_are_not_checked_when_no_names_are_given() -> None:
    definition = minimal()
    definition["priorities"][0]["themes"] = ["Burglery"]
    definition["priorities"][0]["audit_categories"] = ["Not in any audit"]
    spec = parse_strategy(definition)
    assert spec.priorities[0].themes == ("Burglery",)
    assert spec.priorities[0].audit_categories == ("Not in any audit",)


def test_control_characters_never_reach_the_spec() -> None:
    definition = minimal()
    definition["title"] = "Safer\x00 together\x07"
    definition["introduction"] = "First line\r\nSecond\x0b line\x1b"
    definition["priorities"][0]["name"] = "Bur\u200bglary\x7f\nand theft"
    definition["priorities"][0]["objectives"] = ["\x1b[31mTarget-harden\thomes"]
    definition["priorities"][0]["actions"] = [
        {"action": "Visit\x08 victims", "who": "Police\x00", "by_when": "March\n2027"}
    ]
    spec = parse_strategy(definition)
    priority = spec.priorities[0]
    assert spec.title == "Safer together"
    assert spec.introduction == "First line\nSecond line"
    assert priority.name == "Bur\u200bglary and theft"
    assert priority.objectives == ("[31mTarget-harden homes",)
    assert priority.actions == (ActionSpec("Visit victims", "Police", "March 2027"),)


def test_kind_is_accepted_in_any_capitals_and_stored_in_lower_case() -> None:
    definition = minimal()
    definition["priorities"][0]["kind"] = " National "
    assert parse_strategy(definition).priorities[0].kind == "national"


# Every kind of problem, with its exact message


def test_a_definition_that_is_not_an_object_is_refused() -> None:
    assert problems_of(["a", "list"]) == ["the definition must be a JSON object"]


def test_unknown_fields_are_named_with_the_field_probably_meant() -> None:
    definition = minimal()
    definition["prioritys"] = []
    definition["colour"] = "blue"
    definition["priorities"][0]["leed"] = "Police"
    assert problems_of(definition) == [
        "unknown field 'colour'",
        "unknown field 'prioritys' (did you mean 'priorities'?)",
        "Priority 1 'Burglary': unknown field 'leed' (did you mean 'lead'?)",
    ]


def test_unknown_fields_in_actions_agencies_and_glossary_are_named() -> None:
    definition = example()
    definition["priorities"][1]["actions"][0]["deadline"] = "2019"
    definition["other_agencies"][0]["contact"] = "101"
    definition["glossary"][0]["meening"] = "Anti-social behaviour"
    assert problems_of(definition) == [
        "Priority 2 'Domestic violence': action 1: unknown field 'deadline'",
        "Other agency 1 'Credit card fraud': unknown field 'contact'",
        "Glossary entry 1 'ASB': unknown field 'meening' (did you mean 'meaning'?)",
    ]


def test_missing_required_fields_are_named() -> None:
    definition = minimal()
    del definition["title"], definition["audit"]
    for field in ("aim", "targets", "lead"):
        del definition["priorities"][0][field]
    assert problems_of(definition) == [
        "title is missing",
        "audit is missing",
        "Priority 1 'Burglary': aim is missing",
        "Priority 1 'Burglary': targets is missing",
        "Priority 1 'Burglary': lead is missing",
    ]


def test_a_priority_without_a_name_is_named_by_its_number() -> None:
    definition = minimal()
    del definition["priorities"][0]["name"]
    assert problems_of(definition) == ["Priority 1: name is missing"]


def test_kind_must_be_national_or_local() -> None:
    definition = minimal()
    definition["priorities"][0]["kind"] = "regional"
    assert problems_of(definition) == [
        "Priority 1 'Burglary': 'kind' must be 'national' or 'local'"
    ]


def test_wrong_types_are_named() -> None:
    definition = example()
    definition["title"] = 2018
    definition["priorities"][0]["objectives"] = "To agree one strategy"
    definition["priorities"][1]["actions"] = [{"action": "x", "who": "y", "by_when": 2019}, "z"]
    definition["priorities"][2] = "Hate crime"
    definition["other_agencies"] = {"theme": "Victims"}
    assert problems_of(definition) == [
        "title must be text",
        "Priority 1 'Anti-social behaviour': objectives must be a list of text",
        "Priority 2 'Domestic violence': action 1: by_when must be text",
        "Priority 2 'Domestic violence': action 2 must be an object",
        "Priority 3 must be an object",
        "other_agencies must be a list",
    ]


def test_priorities_must_be_a_non_empty_list() -> None:
    not_lists: tuple[object, ...] = ([], None, {"name": "Burglary"})
    for priorities in not_lists:
        definition = minimal()
        definition["priorities"] = priorities
        assert problems_of(definition) == ["priorities must be a non-empty list"]


def test_empty_text_and_empty_lists_are_refused() -> None:
    definition = minimal()
    definition["title"] = "   "
    definition["priorities"][0]["objectives"] = ["Target-harden homes", " "]
    definition["priorities"][0]["measures"] = []
    definition["priorities"][0]["actions"] = [{"action": "", "who": "Police", "by_when": "2027"}]
    assert problems_of(definition) == [
        "title is empty",
        "Priority 1 'Burglary': objective 2 is empty",
        "Priority 1 'Burglary': measures must have at least one measure",
        "Priority 1 'Burglary': action 1: action is missing",
    ]


def test_a_list_may_not_repeat_an_entry_ignoring_capitals() -> None:
    definition = example()
    definition["priorities"][0]["themes"] = ["Young people", "young  people"]
    definition["priorities"][3]["targets"].append("More Problem drug users in treatment each year")
    assert problems_of(definition) == [
        "Priority 1 'Anti-social behaviour': theme 'young people' is listed more than once",
        "Priority 4 'Drug misuse': target 'More Problem drug users in treatment each year' "
        "is listed more than once",
    ]


def test_priority_names_must_differ_ignoring_capitals() -> None:
    definition = example()
    definition["priorities"][4]["name"] = "HATE crime"
    assert problems_of(definition) == [
        "Priority 5 'HATE crime': the name is also used by priority 3 "
        "(priority names must differ, ignoring capitals)"
    ]


def test_an_unknown_theme_suggests_the_nearest_one() -> None:
    definition = example()
    definition["priorities"][0]["themes"] = ["Anti social behavior"]
    assert problems_of(definition) == [
        "Priority 1 'Anti-social behaviour': theme 'Anti social behavior' is not in the "
        "consultation's codebook (did you mean 'Anti-social behaviour'?)"
    ]


def test_an_unknown_theme_with_nothing_near_lists_the_codebook() -> None:
    definition = example()
    definition["priorities"][5]["themes"] = ["Burglery"]
    assert problems_of(definition) == [
        "Priority 6 'Volume crime': theme 'Burglery' is not in the consultation's codebook "
        f"(its themes are: {'; '.join(THEMES)})"
    ]


def test_an_unknown_audit_category_names_the_audit() -> None:
    definition = example()
    definition["priorities"][3]["audit_categories"] = ["Drug offenses"]
    assert problems_of(definition) == [
        "Priority 4 'Drug misuse': audit category 'Drug offenses' is not in audit "
        "'2017-18 audit' (did you mean 'Drug offences'?)"
    ]


def test_an_audit_with_no_categories_says_so() -> None:
    with pytest.raises(StrategyErrors) as caught:
        parse_strategy(example(), theme_names=THEMES, audit_categories=[])
    assert caught.value.problems[0] == (
        "Priority 1 'Anti-social behaviour': audit category 'Anti-social behaviour' is not in "
        "audit '2017-18 audit' (it has none)"
    )


def test_a_theme_under_other_agencies_may_not_also_be_linked_to_a_priority() -> None:
    definition = example()
    definition["other_agencies"][5]["theme"] = "young people"
    assert problems_of(definition) == [
        "Other agency 6 'young people': the theme is also linked to priority 1 "
        "'Anti-social behaviour'; decide which addresses it, and remove it from the other"
    ]


def test_the_linked_theme_conflict_is_found_without_a_codebook_too() -> None:
    definition = minimal()
    definition["priorities"][0]["themes"] = ["Volume crime"]
    definition["other_agencies"] = [
        {"theme": "VOLUME CRIME", "agency": "Police", "explanation": "They lead on it."}
    ]
    with pytest.raises(StrategyErrors) as caught:
        parse_strategy(definition)
    assert caught.value.problems == [
        "Other agency 1 'VOLUME CRIME': the theme is also linked to priority 1 'Burglary'; "
        "decide which addresses it, and remove it from the other"
    ]


def test_other_agencies_name_known_themes_once_each() -> None:
    definition = example()
    definition["other_agencies"][0]["theme"] = "Credit card frawd"
    definition["other_agencies"][4]["theme"] = "homelessness"
    definition["other_agencies"][5]["agency"] = ""
    assert problems_of(definition) == [
        "Other agency 1 'Credit card frawd': the theme is not in the consultation's codebook "
        "(did you mean 'Credit card fraud'?)",
        "Other agency 5 'homelessness': the theme is also listed in other agency 2",
        "Other agency 6 'Victims': agency is missing",
    ]


def test_glossary_terms_must_differ_ignoring_capitals() -> None:
    definition = example()
    definition["glossary"].append({"term": "asb", "meaning": "Anti-social behaviour"})
    assert problems_of(definition) == [
        "Glossary entry 5 'asb': the term is also in glossary entry 1 "
        "(terms must differ, ignoring capitals)"
    ]


@pytest.mark.parametrize(
    "slug", ["Community-Safety", "community safety", "-csp", "csp-", "a" * 81, "", 2018]
)
def test_a_slug_uses_only_lower_case_letters_digits_and_hyphens(slug: object) -> None:
    definition = minimal()
    definition["slug"] = slug
    definition["consultation"] = slug
    assert problems_of(definition) == [
        "slug must use only a-z, 0-9 and hyphens (at most 80 characters)",
        "consultation must be a slug: use only a-z, 0-9 and hyphens (at most 80 characters)",
    ]


def test_text_up_to_each_limit_is_accepted() -> None:
    definition = minimal()
    definition["slug"] = "a" * 80
    definition["title"] = "t" * 200
    definition["audit"] = "a" * 120
    definition["introduction"] = "i" * 10_000
    definition["priorities"][0]["aim"] = "a" * 500
    definition["priorities"][0]["objectives"] = [f"objective {n}" for n in range(100)]
    definition["other_agencies"] = [
        {"theme": "Victims", "agency": "All", "explanation": "e" * 2000}
    ]
    assert parse_strategy(definition).title == "t" * 200


def test_text_over_its_limit_is_refused_saying_the_limit() -> None:
    definition = minimal()
    definition["title"] = "t" * 201
    definition["audit"] = "a" * 121
    definition["vision"] = "v" * 10_001
    definition["priorities"][0]["aim"] = "a" * 501
    definition["priorities"][0]["targets"] = ["Fewer burglaries", "t" * 501]
    definition["priorities"][0]["actions"] = [
        {"action": "Visit", "who": "w" * 201, "by_when": "2027"}
    ]
    definition["other_agencies"] = [
        {"theme": "Victims", "agency": "All", "explanation": "e" * 2001}
    ]
    definition["glossary"] = [{"term": "ASB", "meaning": "m" * 501}]
    assert problems_of(definition) == [
        "title is longer than 200 characters",
        "audit is longer than 120 characters",
        "vision is longer than 10000 characters",
        "Priority 1 'Burglary': aim is longer than 500 characters",
        "Priority 1 'Burglary': target 2 is longer than 500 characters",
        "Priority 1 'Burglary': action 1: who is longer than 200 characters",
        "Other agency 1 'Victims': explanation is longer than 2000 characters",
        "Glossary entry 1 'ASB': meaning is longer than 500 characters",
    ]


def test_a_list_of_more_than_a_hundred_entries_is_refused() -> None:
    definition = minimal()
    definition["priorities"][0]["measures"] = [f"measure {n}" for n in range(101)]
    definition["glossary"] = [{"term": f"T{n}", "meaning": "m"} for n in range(101)]
    assert problems_of(definition) == [
        "Priority 1 'Burglary': measures has more than 100 entries",
        "glossary has more than 100 entries",
    ]


def test_a_long_name_is_cut_short_where_a_message_quotes_it() -> None:
    definition = minimal()
    definition["priorities"][0]["name"] = "N" * 300
    assert problems_of(definition) == [
        f"Priority 1 '{'N' * 57}...': name is longer than 200 characters"
    ]


def test_every_problem_is_reported_together_in_file_order() -> None:
    definition = example()
    definition["slug"] = "Strategy 2018"
    definition["priorities"][1]["kind"] = "statutory"
    definition["priorities"][3]["audit_categories"] = ["Drug offenses"]
    definition["other_agencies"][3]["theme"] = "Drug misuse"
    definition["glossary"][2]["meaning"] = ""
    with pytest.raises(StrategyErrors) as caught:
        parse(definition)
    problems = [
        "slug must use only a-z, 0-9 and hyphens (at most 80 characters)",
        "Priority 2 'Domestic violence': 'kind' must be 'national' or 'local'",
        "Priority 4 'Drug misuse': audit category 'Drug offenses' is not in audit "
        "'2017-18 audit' (did you mean 'Drug offences'?)",
        "Other agency 4 'Drug misuse': the theme is also linked to priority 4 'Drug misuse'; "
        "decide which addresses it, and remove it from the other",
        "Glossary entry 3 'MARAC': meaning is missing",
    ]
    assert caught.value.problems == problems
    assert isinstance(caught.value, ValueError)
    assert str(caught.value) == "; ".join(problems)
