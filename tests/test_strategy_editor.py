"""The form-based strategy editor: officers change a strategy without writing JSON (web, db).

Every page saves the whole definition through the same checks as a loaded file: these tests
read what was stored, and check that a refused form saves nothing and keeps what was typed.
"""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from werkzeug.test import TestResponse

from assembly.cli import DEMO_DATA
from assembly.core.strategy_form import lines_of
from assembly.core.strategy_form_problems import placed
from assembly.data import crime_audits, strategies
from assembly.data.models import Strategy
from common.database import db
from common.models import AuditEvent
from survey.core.answers import Text
from survey.data import themes
from survey.data.models import Channel
from survey.data.recording import record_response
from tests.support import csrf_token, error_summary, heading, make_consultation, page, sign_in
from tests.test_readiness import COMPLETE

pytestmark = pytest.mark.db

SLUG = "safer-streets-strategy"
BASE = f"/officers/strategies/{SLUG}"
AUDIT = "2017-18 audit"


def demo_definition(**changes: Any) -> dict[str, Any]:
    """The demo strategy, answering the test consultation and the audit imported here."""
    raw = json.loads((DEMO_DATA / "strategy.json").read_text(encoding="utf-8"))
    raw.update(slug=SLUG, consultation="safer-streets", audit=AUDIT, **changes)
    return raw


@pytest.fixture
def officer(client: FlaskClient) -> FlaskClient:
    """An officer signed in, with a consultation, an audit and the demo strategy on them."""
    consultation = make_consultation()
    for worry in ("Burglary on our road", "Speeding cars"):
        record_response(consultation, {"worries": Text(worry)}, Channel.PAPER)
    crime_audits.import_audit(AUDIT, "audit.csv", (DEMO_DATA / "audit.csv").read_bytes(), None)
    strategies.save_strategy(demo_definition())
    db.session.commit()
    sign_in(client, "officer")
    return client


def stored(slug: str = SLUG) -> dict[str, Any]:
    """The stored definition, as read from the database now (a copy to change freely)."""
    db.session.expire_all()
    strategy = strategies.by_strategy_slug(slug)
    assert strategy is not None
    return copy.deepcopy(strategies.definition_of(strategy))


def changes_logged() -> list[tuple[str, str]]:
    rows = db.session.execute(
        sa.select(AuditEvent.action, AuditEvent.detail).order_by(AuditEvent.id)
    )
    return [(action, detail) for action, detail in rows if action == "strategy changed"]


def form_values(response: TestResponse, action: str) -> dict[str, Any]:
    """What a browser would send from the page's form to `action` as shown (ticks as lists)."""
    form = page(response).find("form", action=action)
    assert form is not None, f"no form posting to {action}"
    values: dict[str, Any] = {}
    for control in form.select("input, textarea, select"):
        name, kind = control.get("name"), control.get("type")
        if not name or kind in ("submit", "button") or control.name == "button":
            continue
        if kind in ("checkbox", "radio"):
            if control.has_attr("checked"):
                values.setdefault(name, []).append(control.get("value", "on"))
        elif control.name == "textarea":
            values[name] = control.get_text().removeprefix("\n")
        elif control.name == "select":
            chosen = control.select_one("option[selected]") or control.select_one("option")
            values[name] = chosen.get("value", "") if chosen else ""
        else:
            values[name] = control.get("value", "")
    return values


def submit(client: FlaskClient, url: str, changes: dict[str, Any]) -> TestResponse:
    """GET a page, change some of its form's fields, and POST it as a browser would."""
    shown = client.get(url)
    assert shown.status_code == 200, f"GET {url} gave {shown.status_code}"
    data = form_values(shown, url) | changes
    data["csrf_token"] = csrf_token(shown)
    return client.post(url, data=data)


def summary_links(response: TestResponse) -> list[tuple[str, str]]:
    return [
        (" ".join(a.get_text(" ", strip=True).split()), str(a["href"]))
        for a in page(response).select(".govuk-error-summary__list a")
    ]


def field_error(response: TestResponse, field_id: str) -> str:
    """The error message shown with a field, as a person reads it ('' when none)."""
    field = page(response).find(id=field_id)
    assert field is not None, f"no field {field_id}"
    group = field.find_parent(class_="govuk-form-group")
    message = group.select_one(".govuk-error-message") if group else None
    text = message.get_text(" ", strip=True) if message else ""
    return " ".join(text.removeprefix("Error:").split())


# The pure parts: form text into a definition, and problems onto fields.


def test_one_entry_per_line_ignoring_blank_lines() -> None:
    assert lines_of("  First \n\n\r\nSecond\n   \n") == ["First", "Second"]


@pytest.mark.parametrize(
    ("problem", "part", "number", "field", "message"),
    [
        ("title is missing", "strategy", None, "title", "Enter a title"),
        ("Priority 2 'Hate crime': aim is empty", "priority", 2, "aim", "Enter the aim"),
        (
            "Priority 1: objectives must have at least one objective",
            "priority",
            1,
            "objectives",
            "Enter at least one objective, one per line",
        ),
        (
            "Priority 3 'it's: here': action 2: who is missing",
            "priority",
            3,
            "action-2-who",
            "Enter who does it",
        ),
        (
            "Priority 1 'ASB': theme 'Burglery' is not in the consultation's codebook "
            "(did you mean 'Burglary'?)",
            "priority",
            1,
            "themes",
            "Theme 'Burglery' is not in the consultation's codebook (did you mean 'Burglary'?)",
        ),
        (
            "Glossary entry 3 'asb': the term is also in glossary entry 1 "
            "(terms must differ, ignoring capitals)",
            "glossary",
            3,
            "term",
            "The term is also in glossary entry 1 (terms must differ, ignoring capitals)",
        ),
        (
            "Other agency 1 'Homelessness': explanation is longer than 2000 characters",
            "other_agency",
            1,
            "explanation",
            "How it is addressed must be 2,000 characters or fewer",
        ),
        (
            "Priority 1 'X': target 2: baseline is longer than 200 characters",
            "priority",
            1,
            "target-2-baseline",
            "Baseline must be 200 characters or fewer",
        ),
        (
            "Priority 4: target 1: audit category 'Arsn' is not in audit 'A' (did you mean "
            "'Arson'?)",
            "priority",
            4,
            "target-1-audit_category",
            "Audit category 'Arsn' is not in audit 'A' (did you mean 'Arson'?)",
        ),
        (
            "Priority 2: targets must have at least one target",
            "priority",
            2,
            "targets",
            "Enter at least one target",
        ),
        (
            "Signatory 1 'Jane': role is missing",
            "signatory",
            1,
            "role",
            "Enter the signatory's role",
        ),
        ("Signatory 2: name is empty", "signatory", 2, "name", "Enter the signatory's name"),
        ("Funding line 2: amount is missing", "funding", 2, "amount", "Enter the amount"),
        (
            "Other plan 1: link is missing",
            "other_plan",
            1,
            "link",
            "Enter how the strategy links to the plan",
        ),
        (
            ": responsible authority 2 is longer than 200 characters",
            "strategy",
            None,
            "responsible_authorities",
            "Responsible authority 2 must be 200 characters or fewer",
        ),
        (
            "equality_impact is longer than 10000 characters",
            "strategy",
            None,
            "equality_impact",
            "Equality impact must be 10,000 characters or fewer",
        ),
        ("a rule added tomorrow", "strategy", None, "title", "A rule added tomorrow"),
    ],
)
def test_each_problem_is_placed_at_its_field(
    problem: str, part: str, number: int | None, field: str, message: str
) -> None:
    where = placed(problem)
    assert (where.part, where.number, where.field, where.message) == (
        part,
        number,
        field,
        message,
    )


# A new strategy.


NEW_STRATEGY = {
    "title": "Safer Together 2027-30",
    "slug": "",
    "partnership": "North Somerset Community Safety Partnership",
    "period": "April 2027 to March 2030",
    "consultation": "safer-streets",
    "audit": AUDIT,
    "introduction": "Why this strategy.\nWhat it answers.",
    "vision": "",
    "name": "Burglary",
    "kind": "local",
    "aim": "To reduce burglary.",
    "objectives": "Target-harden homes\n\nVisit every victim",
    "targets": "Burglary below its 2016/17 level",
    "measures": "Burglaries recorded by the police",
    "lead": "Avon and Somerset Police",
}


def test_a_new_strategy_is_added_with_its_first_priority(officer: FlaskClient) -> None:
    response = submit(officer, "/officers/strategies/new", NEW_STRATEGY)
    assert response.status_code == 302
    assert response.headers["Location"] == "/officers/strategies/safer-together-2027-30"
    added = strategies.by_strategy_slug("safer-together-2027-30")
    assert added is not None and added.title == "Safer Together 2027-30"
    assert strategies.definition_of(added) == {
        "slug": "safer-together-2027-30",
        "title": "Safer Together 2027-30",
        "partnership": "North Somerset Community Safety Partnership",
        "period": "April 2027 to March 2030",
        "consultation": "safer-streets",
        "audit": AUDIT,
        "introduction": "Why this strategy.\nWhat it answers.",
        "priorities": [
            {
                "name": "Burglary",
                "kind": "local",
                "aim": "To reduce burglary.",
                "objectives": ["Target-harden homes", "Visit every victim"],
                "targets": ["Burglary below its 2016/17 level"],
                "measures": ["Burglaries recorded by the police"],
                "lead": "Avon and Somerset Police",
            }
        ],
    }
    assert changes_logged() == [("strategy changed", "added")]


def test_a_refused_new_strategy_lists_every_problem_saves_nothing_and_keeps_the_typing(
    officer: FlaskClient,
) -> None:
    typed = NEW_STRATEGY | {"slug": SLUG, "aim": "  ", "consultation": "", "period": "x" * 201}
    response = submit(officer, "/officers/strategies/new", typed)
    assert response.status_code == 200
    assert summary_links(response) == [
        (f"A strategy with the slug '{SLUG}' already exists: choose another slug", "#slug"),
        ("Period must be 200 characters or fewer", "#period"),
        ("Select the consultation the strategy answers", "#consultation"),
        ("Enter the aim", "#aim"),
    ]
    assert field_error(response, "aim") == "Enter the aim"
    assert page(response).find(id="name")["value"] == "Burglary"
    assert page(response).find(id="objectives").get_text() == NEW_STRATEGY["objectives"]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Strategy)) == 1
    assert stored() == strategies.definition_of(strategies.by_strategy_slug(SLUG))
    assert changes_logged() == []


def test_the_slug_new_is_kept_for_the_page_that_adds_a_strategy(officer: FlaskClient) -> None:
    response = submit(officer, "/officers/strategies/new", NEW_STRATEGY | {"slug": "new"})
    assert summary_links(response) == [
        ("The slug cannot be 'new': that is the address of this page", "#slug")
    ]
    assert strategies.by_strategy_slug("new") is None


def test_a_slug_with_control_characters_is_refused_not_looked_up(officer: FlaskClient) -> None:
    # PostgreSQL refuses text holding NUL: the slug must be checked before any query.
    response = submit(officer, "/officers/strategies/new", NEW_STRATEGY | {"slug": "a\x00b\x1b"})
    assert response.status_code == 200
    assert [href for _, href in summary_links(response)] == ["#slug"]
    assert changes_logged() == []


def test_a_title_without_letters_needs_a_slug(officer: FlaskClient) -> None:
    response = submit(officer, "/officers/strategies/new", NEW_STRATEGY | {"title": "2027-30"})
    assert response.status_code == 302  # digits make a slug
    response = submit(officer, "/officers/strategies/new", NEW_STRATEGY | {"title": "***"})
    assert error_summary(response) == [
        "Enter a slug: the title has no letters or numbers to make one from"
    ]


# Details.


def test_details_are_changed_and_everything_else_is_kept(officer: FlaskClient) -> None:
    before = stored()
    shown = officer.get(f"{BASE}/details")
    assert heading(shown) == f"{before['title']} Change strategy details"
    response = submit(
        officer, f"{BASE}/details", {"title": "Safer Streets 2027-30", "vision": "", "slug": "x"}
    )
    assert response.status_code == 302 and response.headers["Location"] == BASE
    after = stored()
    expected = copy.deepcopy(before) | {"title": "Safer Streets 2027-30"}
    del expected["vision"]
    assert after == expected
    assert strategies.by_strategy_slug(SLUG).title == "Safer Streets 2027-30"
    assert changes_logged() == [("strategy changed", "details changed")]


def test_saving_unchanged_details_logs_nothing(officer: FlaskClient) -> None:
    before = stored()
    assert submit(officer, f"{BASE}/details", {}).status_code == 302
    assert stored() == before and changes_logged() == []


def test_another_audit_whose_categories_do_not_fit_links_to_each_priority(
    officer: FlaskClient,
) -> None:
    crime_audits.import_audit(
        "Small audit", "small.csv", b"category,2016/17,2017/18\nArson,5,6\n", None
    )
    db.session.commit()
    before = stored()
    response = submit(officer, f"{BASE}/details", {"audit": "Small audit"})
    links = summary_links(response)
    assert links and all(href.startswith(f"{BASE}/priorities/") for _, href in links)
    assert (
        "Priority 1 'Anti-social behaviour': audit category 'Anti-social behaviour' is not in "
        "audit 'Small audit' (its categories are: Arson)",
        f"{BASE}/priorities/1",
    ) in links
    assert stored() == before


# A priority.


def blank_rows(client: FlaskClient, url: str, prefix: str) -> dict[str, str]:
    """Every field of the page's rows of `prefix` emptied, to type rows afresh."""
    shown = form_values(client.get(url), url)
    return {name: "" for name in shown if name.startswith(f"{prefix}-")}


def test_a_priority_is_stored_exactly_as_typed(officer: FlaskClient) -> None:
    url = f"{BASE}/priorities/2"
    shown = officer.get(url)
    assert heading(shown).endswith("Change priority 2: Domestic violence")
    typed = blank_rows(officer, url, "targets") | {
        "name": "Domestic abuse",
        "kind": "national",
        "aim": "To reduce domestic abuse.",
        "why": "",
        "lead_officer": "",
        "objectives": "Support survivors\n\n  Train staff  \n",
        "targets-0-target": "Six training events a year",
        "measures": "Cases heard at MARAC\nTraining events held",
        "lead": "The council",
        "themes": ["Domestic violence", "Young people"],
        "audit_categories": ["Violence against the person", "Sexual offences"],
        "actions-0-action": "Commission an IDVA service",
        "actions-0-who": "Domestic Abuse Partnership",
        "actions-0-by_when": "September 2027",
        "actions-1-action": "",
        "actions-1-who": "",
        "actions-1-by_when": "",
        "actions-2-action": "Run a campaign",
        "actions-2-who": "Communications team",
        "actions-2-by_when": "Twice a year",
    }
    response = submit(officer, url, typed)
    assert response.status_code == 302 and response.headers["Location"] == BASE
    priorities = stored()["priorities"]
    assert priorities[1] == {
        "name": "Domestic abuse",
        "kind": "national",
        "aim": "To reduce domestic abuse.",
        "objectives": ["Support survivors", "Train staff"],
        "targets": ["Six training events a year"],
        "measures": ["Cases heard at MARAC", "Training events held"],
        "lead": "The council",
        "themes": ["Domestic violence", "Young people"],
        "audit_categories": ["Violence against the person", "Sexual offences"],
        "actions": [
            {
                "action": "Commission an IDVA service",
                "who": "Domestic Abuse Partnership",
                "by_when": "September 2027",
            },
            {"action": "Run a campaign", "who": "Communications team", "by_when": "Twice a year"},
        ],
    }
    assert [p["name"] for p in priorities][:3] == [
        "Anti-social behaviour",
        "Domestic abuse",
        "Hate crime",
    ]
    assert changes_logged() == [("strategy changed", "priority 2 'Domestic abuse' changed")]


def test_a_priority_page_shows_the_stored_priority(officer: FlaskClient) -> None:
    shown = form_values(officer.get(f"{BASE}/priorities/1"), f"{BASE}/priorities/1")
    first = demo_definition()["priorities"][0]
    assert shown["name"] == first["name"] and shown["kind"] == [first["kind"]]
    assert shown["objectives"] == "\n".join(first["objectives"])
    assert shown["themes"] == first["themes"]
    assert shown["audit_categories"] == first["audit_categories"]
    assert shown["actions-1-who"] == first["actions"][1]["who"]
    assert shown["actions-4-action"] == "" and "actions-5-action" not in shown  # 3 blank rows


def test_a_blank_aim_is_refused_at_its_field_and_nothing_is_saved(officer: FlaskClient) -> None:
    before = stored()
    response = submit(officer, f"{BASE}/priorities/1", {"aim": "   ", "name": "ASB"})
    assert response.status_code == 200
    assert summary_links(response) == [("Enter the aim", "#aim")]
    assert field_error(response, "aim") == "Enter the aim"
    assert page(response).find(id="name")["value"] == "ASB"  # what was typed is kept
    assert page(response).title.get_text().startswith("Error: ")
    assert stored() == before and changes_logged() == []


def test_a_half_filled_action_row_is_refused_at_that_row(officer: FlaskClient) -> None:
    before = stored()
    response = submit(
        officer,
        f"{BASE}/priorities/1",
        {"actions-2-action": "", "actions-3-action": "Patrol the park", "actions-3-who": ""},
    )
    # Row 3 is blank and ignored, so row 4 is the definition's action 3.
    assert summary_links(response) == [
        ("Action 4: Enter who does it", "#actions-3-who"),
        ("Action 4: Enter when it will be done", "#actions-3-by_when"),
    ]
    assert field_error(response, "actions-3-who") == "Action 4: Enter who does it"
    assert stored() == before


def test_a_name_taken_by_a_later_priority_is_shown_on_this_page(officer: FlaskClient) -> None:
    response = submit(officer, f"{BASE}/priorities/1", {"name": "hate CRIME"})
    assert summary_links(response) == [
        (
            "Priority 3 already has this name: priority names must differ, ignoring capitals",
            "#name",
        )
    ]


def test_a_forged_theme_is_refused_and_shown_ticked(officer: FlaskClient) -> None:
    response = submit(officer, f"{BASE}/priorities/1", {"themes": ["Burglery"]})
    assert summary_links(response)[0][1] == "#themes"
    assert "is not in the consultation's codebook" in summary_links(response)[0][0]
    assert form_values(response, f"{BASE}/priorities/1")["themes"] == ["Burglery"]


def test_a_theme_another_agency_addresses_links_to_that_page(officer: FlaskClient) -> None:
    before = stored()
    response = submit(officer, f"{BASE}/priorities/1", {"themes": ["Victims"]})
    assert summary_links(response) == [
        (
            "Other agency 6 'Victims': the theme is also linked to priority 1 'Anti-social "
            "behaviour'; decide which addresses it, and remove it from the other",
            f"{BASE}/other-agencies",
        )
    ]
    assert stored() == before


def test_add_more_rows_shows_three_more_and_saves_nothing(officer: FlaskClient) -> None:
    before = stored()
    response = submit(
        officer, f"{BASE}/priorities/1", {"more_rows": "actions", "actions-4-action": "Typed"}
    )
    assert response.status_code == 200 and error_summary(response) == []
    shown = form_values(response, f"{BASE}/priorities/1")
    assert shown["actions-4-action"] == "Typed" and "actions-7-action" in shown
    assert "actions-8-action" not in shown
    assert "Nothing is saved until you select Save priority" in page(response).get_text()
    button = page(response).find("button", attrs={"name": "more_rows", "value": "actions"})
    assert button["formaction"] == f"{BASE}/priorities/1#actions-8-action"  # the next new row
    assert stored() == before


def test_an_unknown_priority_is_not_found(officer: FlaskClient) -> None:
    assert officer.get(f"{BASE}/priorities/9").status_code == 404
    assert officer.get(f"{BASE}/priorities/0").status_code == 404
    assert officer.get("/officers/strategies/nope/priorities/1").status_code == 404


# Order, adding and removing.


def post_button(client: FlaskClient, page_url: str, action: str, **data: str) -> TestResponse:
    shown = client.get(page_url)
    values = form_values(shown, action) | data
    return client.post(action, data=values | {"csrf_token": csrf_token(shown)})


def names() -> list[str]:
    return [p["name"] for p in stored()["priorities"]]


def test_priorities_move_up_and_down(officer: FlaskClient) -> None:
    start = names()
    listing = f"{BASE}/priorities"
    moved = post_button(officer, listing, f"{BASE}/priorities/2/move", direction="up")
    assert moved.status_code == 302
    assert names() == [start[1], start[0], *start[2:]]
    post_button(officer, listing, f"{BASE}/priorities/2/move", direction="down")
    assert names() == [start[1], start[2], start[0], *start[3:]]
    last = len(start)
    edge = post_button(officer, listing, f"{BASE}/priorities/{last}/move", direction="down")
    assert edge.status_code == 302 and names()[-1] == start[-1]
    assert changes_logged() == [
        ("strategy changed", f"priority '{start[1]}' moved up"),
        ("strategy changed", f"priority '{start[0]}' moved down"),
    ]


def test_a_move_after_someone_else_saved_is_refused(officer: FlaskClient) -> None:
    listing = f"{BASE}/priorities"
    shown = officer.get(listing)
    values = form_values(shown, f"{BASE}/priorities/2/move")
    definition = stored()
    definition["priorities"].reverse()
    strategies.save_strategy(definition)
    db.session.commit()
    before = stored()
    refused = officer.post(
        f"{BASE}/priorities/2/move", data=values | {"csrf_token": csrf_token(shown)}
    )
    assert refused.status_code == 200
    assert error_summary(refused)[0].startswith("Someone else saved a change to this strategy")
    assert stored() == before


def test_a_priority_is_added_at_the_end(officer: FlaskClient) -> None:
    count = len(names())
    typed = {
        "name": "Knife crime",
        "kind": "local",
        "aim": "To reduce knife crime.",
        "objectives": "Knife amnesties",
        "targets-0-target": "Fewer knife offences",
        "measures": "Knife offences recorded",
        "lead": "Police",
        "themes": ["Young people"],
    }
    response = submit(officer, f"{BASE}/priorities/new", typed)
    assert response.status_code == 302
    assert names()[-1] == "Knife crime" and len(names()) == count + 1
    assert stored()["priorities"][-1]["themes"] == ["Young people"]


def test_a_priority_is_removed_but_never_the_last(officer: FlaskClient) -> None:
    start = names()
    confirm = officer.get(f"{BASE}/priorities/2/remove")
    assert heading(confirm).endswith("Are you sure you want to remove this priority?")
    removed = post_button(officer, f"{BASE}/priorities/2/remove", f"{BASE}/priorities/2/remove")
    assert removed.status_code == 302
    assert names() == [start[0], *start[2:]]
    while len(names()) > 1:
        url = f"{BASE}/priorities/{len(names())}/remove"
        assert post_button(officer, url, url).status_code == 302
    only = officer.get(f"{BASE}/priorities/1/remove")
    assert heading(only).endswith("You cannot remove the only priority")
    assert page(only).select("form[action$='/remove']") == []
    refused = officer.post(
        f"{BASE}/priorities/1/remove", data={"csrf_token": csrf_token(only), "version": "x"}
    )
    assert refused.status_code == 200
    assert error_summary(refused) == [
        "You cannot remove the only priority: a strategy needs at least one"
    ]
    assert names() == [start[0]]


# Other agencies and the glossary.


def test_other_agencies_are_saved_and_blank_ones_are_not_listed(officer: FlaskClient) -> None:
    url = f"{BASE}/other-agencies"
    shown = form_values(officer.get(url), url)
    themes = {value: key for key, value in shown.items() if key.endswith("-theme")}
    linked = {t for p in stored()["priorities"] for t in p.get("themes", [])}
    assert linked.isdisjoint(themes)
    assert {"Road safety", "Homelessness"} <= set(themes)
    road = themes["Road safety"].removesuffix("-theme")
    homes = themes["Homelessness"].removesuffix("-theme")
    response = submit(
        officer,
        url,
        {
            f"{road}-agency": "Highways team",
            f"{road}-explanation": "Through the road safety plan.",
            f"{homes}-agency": "",
            f"{homes}-explanation": "",
        },
    )
    assert response.status_code == 302
    agencies = {a["theme"]: a for a in stored()["other_agencies"]}
    assert agencies["Road safety"] == {
        "theme": "Road safety",
        "agency": "Highways team",
        "explanation": "Through the road safety plan.",
    }
    assert "Homelessness" not in agencies
    assert changes_logged() == [("strategy changed", "other agencies changed")]


def test_an_agency_without_an_explanation_is_refused_at_its_field(officer: FlaskClient) -> None:
    url = f"{BASE}/other-agencies"
    shown = form_values(officer.get(url), url)
    road = next(k for k, v in shown.items() if v == "Road safety").removesuffix("-theme")
    before = stored()
    response = submit(officer, url, {f"{road}-explanation": " "})
    assert summary_links(response) == [
        ("Road safety: Enter how the agency addresses it", f"#{road}-explanation")
    ]
    assert stored() == before


def test_the_glossary_is_saved_and_blank_rows_ignored(officer: FlaskClient) -> None:
    url = f"{BASE}/glossary"
    first = {"term": "CSP", "meaning": "Community Safety Partnership"}
    typed = blank_rows(officer, url, "glossary") | {
        "glossary-0-term": first["term"],
        "glossary-0-meaning": first["meaning"],
        "glossary-2-term": "ASB",
        "glossary-2-meaning": "Anti-social behaviour",
    }
    response = submit(officer, url, typed)
    assert response.status_code == 302
    assert stored()["glossary"] == [first, {"term": "ASB", "meaning": "Anti-social behaviour"}]
    refused = submit(officer, url, {"glossary-2-term": "asb", "glossary-2-meaning": "Again"})
    assert summary_links(refused) == [
        (
            "Entry 3: The term is also in glossary entry 2 (terms must differ, ignoring capitals)",
            "#glossary-2-term",
        )
    ]
    cleared = submit(officer, url, blank_rows(officer, url, "glossary"))
    assert cleared.status_code == 302 and "glossary" not in stored()


# A statutory strategy: its sections, targets in rows (a definition built here, not the demo).

STATUTORY = "statutory-strategy"
STATUTORY_BASE = f"/officers/strategies/{STATUTORY}"
SECTIONS = f"{STATUTORY_BASE}/sections"
AUDIT_2025 = b"category,2024/25,2025/26\nBurglary,120,100\nDrug offences,40,55\n"


def statutory_definition() -> dict[str, Any]:
    """A strategy with every section and target detail a board asks for."""
    return copy.deepcopy(COMPLETE) | {"slug": STATUTORY, "audit": "2025-26 audit"}


@pytest.fixture
def statutory(client: FlaskClient) -> FlaskClient:
    """An officer, a consultation whose residents raised road safety and drugs, a 2025/26
    audit, and a complete statutory strategy on them."""
    consultation = make_consultation()
    for worry in ["Speeding cars"] * 5 + ["Drug dealing"] * 5:
        record_response(consultation, {"worries": Text(worry)}, Channel.PAPER)
    themes.autocode(consultation)
    crime_audits.import_audit("2025-26 audit", "audit.csv", AUDIT_2025, None)
    strategies.save_strategy(statutory_definition())
    db.session.commit()
    sign_in(client, "officer")
    return client


def test_the_sections_page_shows_and_saves_every_section(statutory: FlaskClient) -> None:
    before = stored(STATUTORY)
    shown = form_values(statutory.get(SECTIONS), SECTIONS)
    assert shown["foreword"] == COMPLETE["foreword"]
    assert shown["responsible_authorities"] == "Westshire Council\nWestshire Police"
    assert (shown["signatories-0-name"], shown["signatories-3-name"]) == ("Jane Smith", "")
    assert "signatories-4-name" not in shown  # the stored row and three blank ones
    assert shown["funding-0-amount"] == "£64,589"
    response = submit(
        statutory,
        SECTIONS,
        {
            "foreword": "A new foreword.\nIts second paragraph.",
            "signatories-2-name": "Ray Patel",
            "signatories-2-role": "Vice-chair",
            "responsible_authorities": "Westshire Council\n\n  Westshire Fire Service \n",
            "data_caveats": "Violence was recorded differently from 2024.",
            "funding-0-source": "",
            "funding-0-amount": "",
            "funding-0-use": "",
            "rural_proofing": " ",
            "other_plans-1-plan": "Health and Wellbeing Strategy",
            "other_plans-1-link": "Shares its drug treatment aims",
        },
    )
    assert response.status_code == 302 and response.headers["Location"] == STATUTORY_BASE
    after = stored(STATUTORY)
    assert after["foreword"] == "A new foreword.\nIts second paragraph."
    assert after["signatories"] == [
        {"name": "Jane Smith", "role": "Chair of the partnership"},
        {"name": "Ray Patel", "role": "Vice-chair"},
    ]
    assert after["responsible_authorities"] == ["Westshire Council", "Westshire Fire Service"]
    assert after["data_caveats"] == ["Violence was recorded differently from 2024."]
    assert "funding" not in after and "rural_proofing" not in after
    assert after["other_plans"][1] == {
        "plan": "Health and Wellbeing Strategy",
        "link": "Shares its drug treatment aims",
    }
    assert after["priorities"] == before["priorities"] and after["area"] == before["area"]
    assert changes_logged() == [("strategy changed", "sections changed")]


def test_a_refused_section_shows_each_problem_at_its_field(statutory: FlaskClient) -> None:
    before = stored(STATUTORY)
    response = submit(
        statutory,
        SECTIONS,
        {
            "foreword": "x" * 10_001,
            "signatories-2-name": "Ray Patel",  # row 2 blank: the definition's signatory 2
            "funding-1-source": "Westshire Council",
            "funding-1-use": "Youth work",
            "other_plans-0-link": "",
        },
    )
    assert response.status_code == 200
    assert summary_links(response) == [
        ("Foreword must be 10,000 characters or fewer", "#foreword"),
        ("Signatory 3: Enter the signatory's role", "#signatories-2-role"),
        ("Funding line 2: Enter the amount", "#funding-1-amount"),
        ("Other plan 1: Enter how the strategy links to the plan", "#other_plans-0-link"),
    ]
    assert field_error(response, "signatories-2-role") == "Signatory 3: Enter the signatory's role"
    assert field_error(response, "funding-1-amount") == "Funding line 2: Enter the amount"
    kept = form_values(response, SECTIONS)
    assert (kept["signatories-2-name"], kept["funding-1-use"]) == ("Ray Patel", "Youth work")
    assert stored(STATUTORY) == before and changes_logged() == []


def test_add_more_rows_on_the_sections_page_saves_nothing(statutory: FlaskClient) -> None:
    before = stored(STATUTORY)
    response = submit(
        statutory, SECTIONS, {"more_rows": "funding", "funding-1-source": "Typed", "area": "New"}
    )
    assert response.status_code == 200 and error_summary(response) == []
    shown = form_values(response, SECTIONS)
    assert (shown["funding-1-source"], shown["area"]) == ("Typed", "New")
    assert "funding-6-source" in shown and "funding-7-source" not in shown
    assert "signatories-4-name" not in shown  # only the funding rows grew
    assert "Nothing is saved until you select Save sections" in page(response).get_text()
    button = page(response).find("button", attrs={"name": "more_rows", "value": "funding"})
    assert button["formaction"] == f"{SECTIONS}#funding-7-source"
    assert stored(STATUTORY) == before


def test_targets_are_rows_and_a_target_given_as_text_is_a_row_of_its_text(
    statutory: FlaskClient,
) -> None:
    definition = stored(STATUTORY)
    definition["priorities"][1]["targets"].append("Fewer repeat victims")
    strategies.save_strategy(definition)
    db.session.commit()
    url = f"{STATUTORY_BASE}/priorities/2"
    shown = form_values(statutory.get(url), url)
    assert (shown["targets-0-target"], shown["targets-0-audit_category"]) == (
        "Fewer burglaries",
        "Burglary",
    )
    assert (shown["targets-0-by"], shown["targets-0-lead_officer"]) == ("March 2030", "DI Green")
    assert shown["targets-1-target"] == "Fewer repeat victims"
    assert all(shown[f"targets-1-{name}"] == "" for name in ("baseline", "by", "audit_category"))
    assert "targets-4-target" in shown and "targets-5-target" not in shown
    options = page(statutory.get(url)).find(id="targets-1-audit_category").select("option")
    assert [o["value"] for o in options] == ["", "Burglary", "Drug offences"]
    response = submit(
        statutory,
        url,
        {
            "why": "Burglary rose against similar areas.",
            "lead_officer": "DCI Rose Hill",
            "targets-1-value": "10% fewer",
            "targets-1-baseline": "80 in 2025/26",
            "targets-1-by": "March 2029",
            "targets-1-frequency": "Yearly",
            "targets-3-target": "Fewer burglaries of sheds",
            "targets-3-audit_category": "Burglary",
        },
    )
    assert response.status_code == 302
    priority = stored(STATUTORY)["priorities"][1]
    assert priority["targets"] == [
        COMPLETE["priorities"][1]["targets"][0],
        {
            "target": "Fewer repeat victims",
            "value": "10% fewer",
            "baseline": "80 in 2025/26",
            "by": "March 2029",
            "frequency": "Yearly",
        },
        {"target": "Fewer burglaries of sheds", "audit_category": "Burglary"},
    ]
    assert priority["why"] == "Burglary rose against similar areas."
    assert priority["lead_officer"] == "DCI Rose Hill"


def test_a_target_problem_is_shown_at_its_row(statutory: FlaskClient) -> None:
    before = stored(STATUTORY)
    url = f"{STATUTORY_BASE}/priorities/1"
    response = submit(
        statutory,
        url,
        {
            "targets-1-target": "Fewer deaths",
            "targets-1-baseline": "b" * 201,
            "targets-2-frequency": "Monthly",  # a row without its target
            "targets-3-target": "more users completing  TREATMENT",
        },
    )
    assert response.status_code == 200
    assert summary_links(response) == [
        ("Target 2: Baseline must be 200 characters or fewer", "#targets-1-baseline"),
        ("Target 3: Enter the target", "#targets-2-target"),
        (
            "Target 4: this is the same as target 1: targets must differ, ignoring capitals",
            "#targets-3-target",
        ),
    ]
    assert field_error(response, "targets-2-target") == "Target 3: Enter the target"
    assert form_values(response, url)["targets-2-frequency"] == "Monthly"
    forged = submit(statutory, url, {"targets-0-audit_category": "Arson"})
    assert summary_links(forged) == [
        (
            "Target 1: Audit category 'Arson' is not in audit '2025-26 audit' (its categories "
            "are: Burglary; Drug offences)",
            "#targets-0-audit_category",
        )
    ]
    chosen = page(forged).find(id="targets-0-audit_category").select_one("option[selected]")
    assert chosen.get_text() == "Arson (not a category of the audit)"
    assert stored(STATUTORY) == before and changes_logged() == []


def test_add_more_target_rows_keeps_the_action_rows(statutory: FlaskClient) -> None:
    url = f"{STATUTORY_BASE}/priorities/1"
    response = submit(statutory, url, {"more_rows": "targets", "targets-2-target": "Typed"})
    shown = form_values(response, url)
    assert shown["targets-2-target"] == "Typed"
    assert "targets-6-target" in shown and "targets-7-target" not in shown
    assert "actions-2-action" in shown and "actions-3-action" not in shown


# The demo, as an officer meets it.


def test_the_demo_strategy_shows_how_many_residents_mention_each_theme(
    runner: FlaskCliRunner, client: FlaskClient
) -> None:
    assert runner.invoke(args=["demo"]).exit_code == 0
    sign_in(client, "officer", "editor@example.org")
    base = "/officers/strategies/community-safety-strategy-2027-30"
    shown = client.get(f"{base}/priorities/1")
    themes, categories = (
        [h.get_text(" ", strip=True) for h in group.select(".govuk-checkboxes__hint")]
        for group in page(shown).select(".govuk-checkboxes")
    )
    assert themes and all(h.startswith("Mentioned by ") for h in themes)
    assert any(h.endswith("fewer than 5 residents") for h in themes)
    assert categories == []  # a category is not something residents mention
    response = submit(client, f"{base}/details", {"period": "2027 to 2030"})
    assert response.status_code == 302
    assert (
        strategies.spec_of(strategies.by_strategy_slug("community-safety-strategy-2027-30")).period
        == "2027 to 2030"
    )


# Finding the editor.


def test_the_strategy_pages_link_to_every_editor_page(officer: FlaskClient) -> None:
    listed = page(officer.get("/officers/strategies"))
    assert "/officers/strategies/new" in [a["href"] for a in listed.select("a")]
    shown = page(officer.get(BASE))
    links = {
        " ".join(a.get_text(" ", strip=True).split()): str(a["href"]) for a in shown.select("a")
    }
    priorities = stored()["priorities"]
    for number, priority in enumerate(priorities, start=1):
        assert links[f"Change : {priority['name']}"] == f"{BASE}/priorities/{number}"
    assert links["Change title"] == f"{BASE}/details#title"
    assert links["Change audit"] == f"{BASE}/details#audit"
    assert links["Change the details, introduction and vision"] == f"{BASE}/details"
    assert (
        links[
            "Change the foreword, area, partnership, consultation method, governance, "
            "resources, equality and links to other plans"
        ]
        == f"{BASE}/sections"
    )
    assert links["Add a priority"] == f"{BASE}/priorities/new"
    assert links["Change the order of the priorities, or remove one"] == f"{BASE}/priorities"
    assert links["Change other agencies"] == f"{BASE}/other-agencies"
    assert links["Change glossary"] == f"{BASE}/glossary"
    for target in links.values():  # every editor page it links to opens
        if target.startswith(BASE + "/") and "/drafts/" not in target:
            assert officer.get(target).status_code == 200, target


# Who may.


ROUTES = [
    ("GET", "/officers/strategies/new"),
    ("POST", "/officers/strategies/new"),
    ("GET", f"{BASE}/details"),
    ("POST", f"{BASE}/details"),
    ("GET", f"{BASE}/priorities"),
    ("GET", f"{BASE}/priorities/1"),
    ("POST", f"{BASE}/priorities/1"),
    ("GET", f"{BASE}/priorities/new"),
    ("POST", f"{BASE}/priorities/new"),
    ("GET", f"{BASE}/priorities/1/remove"),
    ("POST", f"{BASE}/priorities/1/remove"),
    ("POST", f"{BASE}/priorities/1/move"),
    ("GET", f"{BASE}/other-agencies"),
    ("POST", f"{BASE}/other-agencies"),
    ("GET", f"{BASE}/glossary"),
    ("POST", f"{BASE}/glossary"),
    ("GET", f"{BASE}/sections"),
    ("POST", f"{BASE}/sections"),
]


def test_every_editor_route_is_covered_here(app: Flask) -> None:
    mine = {
        (method, rule.rule)
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("strategy_editor.")
        for method in (rule.methods or set()) - {"HEAD", "OPTIONS"}
    }
    listed = {
        (method, url.replace(SLUG, "<slug>").replace("/1", "/<int:number>"))
        for method, url in ROUTES
    }
    assert mine == listed


def test_councillors_are_refused_and_visitors_sent_to_sign_in(
    officer: FlaskClient, app: Flask
) -> None:
    visitor = app.test_client()
    visitor_token = csrf_token(visitor.get("/sign-in"))
    for method, url in ROUTES:
        response = visitor.open(url, method=method, data={"csrf_token": visitor_token})
        assert response.status_code == 302, f"{method} {url}"
        assert response.headers["Location"].startswith("/sign-in"), f"{method} {url}"
    councillor = app.test_client()
    sign_in(councillor, "councillor")
    token = csrf_token(councillor.get("/results/"))
    before = stored()
    for method, url in ROUTES:
        data = {"csrf_token": token, "direction": "up", "name": "x"}
        assert councillor.open(url, method=method, data=data).status_code == 403, url
    assert stored() == before
