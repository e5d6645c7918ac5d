"""The public strategy pages in Welsh: a strategy's page, a draft out for comment, the adopted
strategy and 'You said, we did', each with the language link, `lang="cy"`, Welsh headings and
dates, and what officers wrote (in English only) marked `lang="en"`."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask.testing import FlaskClient, FlaskCliRunner

from tests.support import csrf_token, page

# The fixtures that make a strategy out for comment, adopted, or with points responded to.
from tests.test_strategy_adoption import adopted  # noqa: F401
from tests.test_strategy_consultation import (  # noqa: F401
    CONSULTATION,
    STRATEGY,
    build,
    consult,
    demo,
)
from tests.test_you_said import COMMENTS, out_for_comment, points, respond  # noqa: F401

pytestmark = pytest.mark.db

PUBLIC = f"/strategies/{STRATEGY}"
YOU_SAID = f"/consultations/{CONSULTATION}/you-said-we-did"


def words(element) -> str:  # type: ignore[no-untyped-def]
    """An element's text as a reader hears it: its words, single-spaced."""
    return " ".join(element.get_text().split())


def language_link(shown) -> str:  # type: ignore[no-untyped-def]
    link = shown.select_one(".app-language-switch a")
    assert link is not None, "no language link"
    return str(link.get_text(strip=True))


def test_a_draft_out_for_comment_reads_in_welsh(
    demo: FlaskCliRunner,  # noqa: F811
    client: FlaskClient,
    tmp_path: Path,
) -> None:
    build(demo, tmp_path)
    assert consult(demo).exit_code == 0
    strategy = page(client.get(f"{PUBLIC}?lang=cy"))
    assert strategy.html["lang"] == "cy" and language_link(strategy) == "English"
    assert strategy.h1["lang"] == "en"  # the title officers gave, in English only
    assert strategy.select_one("#status").get_text(strip=True) == (
        "Nid yw’r strategaeth hon wedi’i mabwysiadu eto: aeth ei drafft isod allan i gael sylwadau."
    )
    assert [h.get_text(strip=True) for h in strategy.select("main h2")] == [
        "Drafftiau a aeth allan i gael sylwadau"
    ]
    read = strategy.select_one("main li a")
    assert read.get_text(strip=True) == "ei ddarllen"
    draft = page(client.get(str(read["href"])))
    assert draft.html["lang"] == "cy" and language_link(draft) == "English"
    assert draft.select_one(".govuk-caption-xl").get_text(strip=True) == "Drafft 1, i gael sylwadau"
    headings = [words(h) for h in draft.select("main h2")]
    assert headings[:3] == ["Cynnwys", "Cyflwyniad", "Y weledigaeth"]
    assert headings[3].startswith("Blaenoriaeth 1: ")
    assert draft.select_one("main h2 span[lang=en]") is not None  # the priority's own name
    assert "Drafft yw hwn." in draft.select_one(".govuk-inset-text").get_text()
    assert "30 Ebrill 2027" in draft.select_one(".govuk-inset-text").get_text()  # Welsh month
    assert "Nod" in [dt.get_text(strip=True) for dt in draft.select("main dt")]
    # The same pages in English, as before.
    english = page(client.get(f"{PUBLIC}?lang=en"))
    assert english.html["lang"] == "en" and language_link(english) == "Cymraeg"
    assert english.h1.get("lang") is None
    assert english.select_one("#status").get_text(strip=True) == (
        "This strategy is not yet adopted: its draft below went out for comment."
    )
    draft = page(client.get(f"{PUBLIC}/drafts/1"))
    assert draft.select_one(".govuk-caption-xl").get_text(strip=True) == "Draft 1, for comment"
    assert "by 30 April 2027." in draft.select_one(".govuk-inset-text").get_text()


def test_an_adopted_strategy_reads_in_welsh(
    adopted: FlaskCliRunner,  # noqa: F811
    client: FlaskClient,
) -> None:
    welsh = page(client.get(f"{PUBLIC}?lang=cy"))
    assert welsh.html["lang"] == "cy"
    status = welsh.select_one("#status")
    assert words(status) == ("Mabwysiadwyd gan Full Council ar 12 Mai 2027 (cofnod C/45/27).")
    assert status.select_one("span[lang=en]").get_text() == "Full Council"
    links = [a.get_text(strip=True) for a in welsh.select("main li a")]
    assert links == [
        "Darllen y strategaeth (tudalen we)",
        "Lawrlwytho’r strategaeth (PDF)",
        "Lawrlwytho’r strategaeth (Word)",
    ]
    adopted_page = page(client.get(str(welsh.select_one("main li a")["href"])))
    caption = words(adopted_page.select_one(".govuk-caption-xl"))
    assert caption == "Mabwysiadwyd gan Full Council ar 12 Mai 2027 (cofnod C/45/27)"
    english = page(client.get(f"{PUBLIC}?lang=en"))
    assert english.select_one("#status").get_text(strip=True) == (
        "Adopted by Full Council on 12 May 2027 (minute C/45/27)."
    )


def test_you_said_we_did_reads_in_welsh(
    out_for_comment: FlaskClient,  # noqa: F811
    client: FlaskClient,
) -> None:
    found = points()
    for point in found:
        respond(out_for_comment, point.subject, outcome="changed", detail="Added a target")
    token = csrf_token(out_for_comment.get(COMMENTS))
    out_for_comment.post(f"{COMMENTS}/publish", data={"csrf_token": token, "publish": "yes"})
    out_for_comment.get("/sign-out")
    welsh = page(client.get(f"{YOU_SAID}?lang=cy"))
    assert welsh.html["lang"] == "cy" and language_link(welsh) == "English"
    assert welsh.h1.get_text(strip=True) == "Dywedoch chi, gwnaethom ni"
    body = [p.get_text(" ", strip=True) for p in welsh.select("main p.govuk-body")]
    assert body[0].startswith("Gofynnom am sylwadau ar ddrafft 1 o’r strategaeth o ")
    assert "Mawrth 2027 tan " in body[0] and "Ebrill 2027." in body[0]
    assert body[1].startswith("Mae unrhyw rif o 1 i 4 yn cael ei ddangos fel “llai na 5”")
    assert {th.get_text(strip=True) for th in welsh.select("thead th")} == {
        "Dywedoch chi",
        "Gwnaethom ni",
    }
    assert "Blaenoriaeth 6: Drug misuse" in [
        h.get_text(" ", strip=True) for h in welsh.select("h2")
    ]
    assert "Trigolion" in [s.get_text(strip=True) for s in welsh.select(".govuk-hint")]
    said = [str(td.get_text(" ", strip=True)) for td in welsh.select("tbody td:first-child")]
    english = page(client.get(f"{YOU_SAID}?lang=en"))
    assert english.html["lang"] == "en"
    assert english.h1.get_text(strip=True) == "You said, we did"
    assert "Residents" in [s.get_text(strip=True) for s in english.select(".govuk-hint")]
    said_in_english = [
        td.get_text(" ", strip=True) for td in english.select("tbody td:first-child")
    ]
    # The same points with the same counts: only the fixed words differ.
    assert [re.findall(r"\d+", s) for s in said] == [re.findall(r"\d+", s) for s in said_in_english]
    assert any("(mentioned by 6 residents)" in s for s in said_in_english)
    # What residents said and what was done, in Welsh around the officers' own words.
    assert any("(soniodd 6 o drigolion amdano)" in s for s in said)
    did = [td.get_text(" ", strip=True) for td in welsh.select("tbody td:last-child")]
    assert did and all(d == "Newidiwyd: Added a target" for d in did)
    did_in_english = [td.get_text(" ", strip=True) for td in english.select("tbody td:last-child")]
    assert did_in_english and all(d == "Changed: Added a target" for d in did_in_english)
