"""Importing SurveyMonkey condensed, LimeSurvey, SmartSurvey and Citizen Space exports from the
command line and the upload page (db): unedited files, their personal data never stored.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient, FlaskCliRunner

from common.database import db
from survey.data.models import Response
from tests.support import make_consultation, page, sign_in
from tests.test_tool_imports import every_stored_text, stored_answers, tool_file
from tests.test_tool_layouts import (
    CITIZEN_SPACE,
    CONDENSED,
    LIME_CODE_MAPPING,
    LIME_CODES,
    LIME_FULL,
    SMARTSURVEY,
)
from tests.test_transfers import SLUG, response_total, upload

# Every personal value the fixtures hold, none of which may reach the database.
PERSONAL_VALUES = (
    "192.0.2.10",
    "198.51.100.7",
    "resident.one@example.org",
    "Ann Example",
    "ward-7",
    "412345678",
    "tok-ann-7",
    "tok-bob-9",
    "1 Example Street",
    "from=resident.one",
)
FIRST, SECOND = dt.date(2022, 3, 4), dt.date(2022, 8, 25)


@pytest.mark.parametrize(
    ("source", "tool", "left_out"),
    [
        (
            CONDENSED,
            "SurveyMonkey (condensed)",
            "Left out (personal data, never stored): Collector ID (B), IP Address (E), "
            "Email Address (F), First Name (G), Last Name (H), Custom Data 1 (I)",
        ),
        (
            LIME_FULL,
            "LimeSurvey",
            "Left out (personal data, never stored): IP address (H), Referrer URL (I)",
        ),
        (
            SMARTSURVEY,
            "SmartSurvey",
            "Left out (personal data, never stored): Name (C), Email (D), IP Address (E), "
            "Unique ID (F)",
        ),
        (
            CITIZEN_SPACE,
            "Citizen Space",
            "Left out (personal data, never stored): Name (D), Email address (E), "
            "Postal address (F)",
        ),
    ],
    ids=["surveymonkey-condensed", "limesurvey", "smartsurvey", "citizen-space"],
)
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_each_tools_export_imports_unedited_without_its_personal_data(
    runner: FlaskCliRunner, tmp_path: Path, source: Path, tool: str, left_out: str, fmt: str
) -> None:
    make_consultation()
    file = tool_file(tmp_path, source, fmt)
    result = runner.invoke(args=["responses", "import", SLUG, str(file), "--channel", "online"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith(
        f"Imported 2 responses to '{SLUG}' from {file.name} (a {tool} export)."
    )
    assert left_out in result.output
    dates = [r.submitted_at for r in db.session.scalars(sa.select(Response).order_by(Response.id))]
    assert [d.date() for d in dates] == [FIRST, SECOND]  # each in its tool's own order
    answers = [answers for _, answers in stored_answers()]
    assert [a["area"].option for a in answers] == [0, 1]  # type: ignore[attr-defined]
    assert [a["hear"].options for a in answers][1] == (1,)  # type: ignore[attr-defined]
    assert "Cars speeding, near the school" in every_stored_text()
    assert [value for value in PERSONAL_VALUES if value in every_stored_text()] == []


def test_a_code_headed_limesurvey_export_imports_once_the_mapping_names_each_option(
    runner: FlaskCliRunner, tmp_path: Path
) -> None:
    make_consultation()
    refused = runner.invoke(args=["responses", "import", SLUG, str(LIME_CODES)])
    assert refused.exit_code == 1
    assert "row 1, column 'support / SQ001 (M)'" in refused.output
    assert response_total() == 0
    mapping = tmp_path / "mapping.json"
    mapping.write_text(json.dumps(LIME_CODE_MAPPING), encoding="utf-8")
    args = ["responses", "import", SLUG, str(LIME_CODES), "--mapping", str(mapping)]
    done = runner.invoke(args=args)
    assert done.exit_code == 0, done.output
    assert "Left out (personal data, never stored): token (F), ipaddr (I), refurl (J)" in (
        done.output
    )
    assert response_total() == 2
    hear = [answers["hear"] for _, answers in stored_answers()]
    assert [h.options for h in hear] == [(0, -1), (1,)]  # type: ignore[attr-defined]
    assert "tok-ann-7" not in every_stored_text()


def test_show_mapping_says_the_date_order_and_a_mapping_can_change_it(
    runner: FlaskCliRunner, tmp_path: Path
) -> None:
    make_consultation()
    shown = json.loads(
        runner.invoke(args=["responses", "import", SLUG, str(SMARTSURVEY), "--show-mapping"]).output
    )
    assert (shown["layout"], shown["dates"]) == ("smartsurvey", "day first")
    us = tmp_path / "us.csv"
    us.write_text(
        SMARTSURVEY.read_text("utf-8")
        .replace("04/03/2022 10:05:40", "03/04/2022 10:05:40")
        .replace("25/08/2022 15:47:12", "08/25/2022 15:47:12"),
        encoding="utf-8",
    )
    refused = runner.invoke(args=["responses", "import", SLUG, str(us)])
    assert refused.exit_code == 1 and "is not a date as SmartSurvey writes them" in refused.output
    shown["dates"] = "month first"
    mapping = tmp_path / "mapping.json"
    mapping.write_text(json.dumps(shown), encoding="utf-8")
    done = runner.invoke(args=["responses", "import", SLUG, str(us), "--mapping", str(mapping)])
    assert done.exit_code == 0, done.output
    dates = [r.submitted_at.date() for r in db.session.scalars(sa.select(Response))]
    assert sorted(dates) == [FIRST, SECOND]


def test_an_officer_uploads_a_limesurvey_export_and_sees_what_was_left_out(
    client: FlaskClient,
) -> None:
    make_consultation()
    sign_in(client, "officer")
    started = upload(client, LIME_FULL.read_bytes(), "results-survey.csv", channel="online")
    assert started.status_code == 303
    panel = page(client.get(started.headers["Location"])).select_one(".govuk-panel")
    assert panel is not None
    text = " ".join(panel.get_text(" ", strip=True).split())
    assert "(a LimeSurvey export)" in text
    assert "Left out (personal data, never stored): IP address (H), Referrer URL (I)" in text
    assert response_total() == 2
    assert "192.0.2.10" not in every_stored_text()
