"""Adopting a strategy freezes it and publishes it; a refresh starts from it (CLI, web, db)."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from flask.testing import FlaskClient, FlaskCliRunner

from assembly.cli import DEMO_DATA
from assembly.data import strategies
from assembly.data.models import StrategyStatus
from common.database import db
from tests.support import csrf_token, page, sign_in
from tests.test_strategy_consultation import FAKE_PDF, STRATEGY, build, consult

pytestmark = pytest.mark.db

FROZEN = "was adopted by Full Council on 12 May 2027 (minute C/45/27), so it can no longer change"
REFRESH = f"{STRATEGY}-2028-refresh"


@pytest.fixture
def adopted(runner: FlaskCliRunner, tmp_path: Path) -> FlaskCliRunner:
    assert runner.invoke(args=["demo"]).exit_code == 0
    build(runner, tmp_path)
    done = adopt(runner)
    assert done.exit_code == 0, done.output
    return runner


def adopt(runner: FlaskCliRunner, *more: str):
    return runner.invoke(
        args=[
            "strategy",
            "adopt",
            STRATEGY,
            "--on",
            "2027-05-12",
            "--by",
            "Full Council",
            "--minute",
            "C/45/27",
            *more,
        ]  # fmt: skip
    )


def test_adoption_records_the_decision_and_the_version(adopted: FlaskCliRunner) -> None:
    strategy = strategies.by_strategy_slug(STRATEGY)
    assert strategy is not None
    assert strategy.status == StrategyStatus.ADOPTED
    assert (strategy.adopted_by, strategy.adoption_minute, strategy.adopted_version) == (
        "Full Council",
        "C/45/27",
        1,
    )
    assert (
        strategies.status_of(strategy) == "Adopted by Full Council on 12 May 2027 (minute C/45/27)"
    )


def test_an_adopted_strategy_refuses_every_change_from_the_command_line(
    adopted: FlaskCliRunner, tmp_path: Path
) -> None:
    before = dict(strategies.by_strategy_slug(STRATEGY).definition)  # type: ignore[union-attr]
    for args in (
        ["strategy", "load", str(DEMO_DATA / "strategy.json")],
        ["draft", "build", "--strategy", STRATEGY, "--out", str(tmp_path / "x.docx")],
        ["strategy", "consult", STRATEGY, "--opens", "2027-06-01", "--closes", "2027-07-01"],
        ["strategy", "adopt", STRATEGY, "--on", "2027-06-01", "--by", "Cabinet"],
    ):
        done = adopted.invoke(args=args)
        assert done.exit_code != 0, args
        assert FROZEN in done.output, done.output
    db.session.expire_all()
    strategy = strategies.by_strategy_slug(STRATEGY)
    assert strategy is not None and strategy.definition == before
    assert [d.version for d in strategy.drafts] == [1]
    assert strategy.adopted_by == "Full Council"


def test_an_adopted_strategy_refuses_every_change_on_the_web(
    adopted: FlaskCliRunner, client: FlaskClient
) -> None:
    sign_in(client, "officer", "strategy.officer@example.org")
    url = f"/officers/strategies/{STRATEGY}"
    for path in ("/details", "/priorities/1", "/glossary", "/edit"):
        shown = client.get(url + path, follow_redirects=True)
        assert FROZEN in shown.get_data(as_text=True), path
    forms = [f.get("action", "") for f in page(client.get(url)).select("main form")]
    assert forms == [], "an adopted strategy's page offers no form to change it"
    token = csrf_token(client.get("/officers/strategies"))
    refused = client.post(f"{url}/drafts", data={"csrf_token": token}, follow_redirects=True)
    assert FROZEN in refused.get_data(as_text=True)
    assert len(strategies.by_strategy_slug(STRATEGY).drafts) == 1  # type: ignore[union-attr]


def test_adopting_needs_the_newest_draft_built_from_the_definition_with_its_pdf(
    runner: FlaskCliRunner, tmp_path: Path
) -> None:
    assert runner.invoke(args=["demo"]).exit_code == 0
    assert "has no draft to adopt" in adopt(runner).output
    build(runner, tmp_path, pdf=False)
    assert "was built without a PDF" in adopt(runner).output
    build(runner, tmp_path)
    strategy = strategies.by_strategy_slug(STRATEGY)
    assert strategy is not None
    strategy.definition = {**strategy.definition, "vision": "A changed vision."}
    db.session.commit()
    assert "has changed since draft 2 was built" in adopt(runner).output
    assert strategies.by_strategy_slug(STRATEGY).status == "draft"  # type: ignore[union-attr]


def test_the_adopted_word_and_pdf_are_published_and_earlier_drafts_are_not(
    adopted: FlaskCliRunner, client: FlaskClient
) -> None:
    public = client.get(f"/strategies/{STRATEGY}")
    assert public.status_code == 200
    shown = page(public)
    assert "Adopted by Full Council on 12 May 2027 (minute C/45/27)" in shown.get_text()
    links = {a.get_text(strip=True): a["href"] for a in shown.select("main a")}
    assert client.get(links["Download the strategy (PDF)"]).data == FAKE_PDF
    word = client.get(links["Download the strategy (Word)"])
    assert word.data[:2] == b"PK"
    assert client.get(links["Read the strategy (web page)"]).status_code == 200


def test_a_strategy_neither_adopted_nor_out_for_comment_has_no_public_page(
    runner: FlaskCliRunner, client: FlaskClient, tmp_path: Path
) -> None:
    assert runner.invoke(args=["demo"]).exit_code == 0
    build(runner, tmp_path)
    assert client.get(f"/strategies/{STRATEGY}").status_code == 404
    assert client.get(f"/strategies/{STRATEGY}/drafts/1.docx").status_code == 404
    assert consult(runner).exit_code == 0
    assert client.get(f"/strategies/{STRATEGY}").status_code == 200
    assert client.get(f"/strategies/{STRATEGY}/drafts/1.docx").status_code == 404


def test_a_refresh_starts_from_the_adopted_version_on_the_newest_audit(
    adopted: FlaskCliRunner, tmp_path: Path
) -> None:
    newer = tmp_path / "audit.csv"
    newer.write_bytes((DEMO_DATA / "audit.csv").read_bytes())
    imported = adopted.invoke(args=["audit", "import", str(newer), "--name", "Audit 2026/27"])
    assert imported.exit_code == 0, imported.output
    done = adopted.invoke(args=["strategy", "refresh", STRATEGY, "--year", "2028"])
    assert done.exit_code == 0, done.output
    assert done.output.strip() == REFRESH
    made = strategies.by_strategy_slug(REFRESH)
    old = strategies.by_strategy_slug(STRATEGY)
    assert made is not None and old is not None
    assert made.title == "Community Safety Strategy 2027-30 (2028 refresh)"
    assert made.definition["audit"] == "Audit 2026/27"
    assert made.definition["priorities"] == old.definition["priorities"]
    assert old.status == StrategyStatus.REFRESHED and old.frozen
    out = tmp_path / "refresh.docx"
    built = adopted.invoke(args=["draft", "build", "--strategy", REFRESH, "--out", str(out)])
    assert built.exit_code == 0, built.output
    text = [p.text for p in docx.Document(str(out)).paragraphs]
    heading = "Appendix: what changed since the adopted strategy (draft 1, adopted on 12 May 2027)"
    assert heading in text
    after = text[text.index(heading) + 1 :]
    assert any("(2028 refresh)" in line and "title changed" in line for line in after)
    assert any("Audit 2026/27" in line for line in after)
    again = adopted.invoke(args=["strategy", "refresh", STRATEGY, "--year", "2028"])
    assert again.exit_code != 0 and "refreshed already" in again.output


def test_only_an_adopted_strategy_can_be_refreshed(runner: FlaskCliRunner) -> None:
    assert runner.invoke(args=["demo"]).exit_code == 0
    done = runner.invoke(args=["strategy", "refresh", STRATEGY, "--year", "2028"])
    assert done.exit_code != 0
    assert "has not been adopted" in done.output
    assert strategies.by_strategy_slug(REFRESH) is None
