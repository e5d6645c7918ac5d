"""Councillors' results pages: the figures, the tables, the filter, the downloads, by role."""

from __future__ import annotations

import csv
import io

from flask.testing import FlaskClient

from common.database import db
from survey.core.answers import AnswerValue, Choice
from survey.data.models import Channel, Consultation, Status
from survey.data.recording import record_response
from tests.support import csrf_token, error_summary, make_consultation, page, sign_in

YES, NO, DONT_KNOW = 0, 1, 2
NORTH, SOUTH = 0, 1
PAGE = "/results/safer-streets"


def add(consultation: Consultation, **values: AnswerValue) -> None:
    record_response(consultation, values, Channel.ONLINE)


def seventy_agreeing() -> Consultation:
    """14 in the north (10 yes, 4 no), 6 in the south (4 yes, 2 don't know)."""
    consultation = make_consultation()
    plan = [(NORTH, YES)] * 10 + [(NORTH, NO)] * 4 + [(SOUTH, YES)] * 4 + [(SOUTH, DONT_KNOW)] * 2
    for area, agree in plan:
        add(consultation, area=Choice(area), agree=Choice(agree))
    db.session.commit()
    return consultation


def table_rows(html_page: object, caption: str) -> list[list[str]]:
    for table in html_page.select("table"):  # type: ignore[attr-defined]
        if table.caption and table.caption.get_text(strip=True) == caption:
            return [
                [cell.get_text(" ", strip=True) for cell in row.select("th, td")]
                for row in table.select("tbody tr")
            ]
    raise AssertionError(f"no table captioned {caption!r}")


def test_a_councillor_lands_on_the_results_of_open_and_closed_consultations(
    client: FlaskClient,
) -> None:
    make_consultation(status=Status.OPEN)
    make_consultation(status=Status.DRAFT, slug="not-yet", title="Not yet")
    sign_in(client, "councillor")
    shown = page(client.get("/results/"))
    links = [a.get_text(strip=True) for a in shown.select("tbody a")]
    assert links == ["Safer streets"]
    assert client.get("/results/not-yet").status_code == 404


def test_the_results_page_states_agreement_with_its_base_interval_and_table(
    client: FlaskClient,
) -> None:
    seventy_agreeing()
    sign_in(client, "councillor")
    shown = page(client.get(PAGE))
    text = shown.get_text(" ", strip=True)
    assert "Agreed: 14 of 20 (70%) (95% interval 48% to 85%)" in text
    assert table_rows(shown, "Do you agree with the priorities?") == [
        ["Yes", "14", "70%"],
        ["No", "fewer than 5", "fewer than 5"],
        ["Don't know", "fewer than 5", "fewer than 5"],
        ["Answered", "20", ""],
        ["Agreeing (95% interval)", "14", "70% (48% to 85%)"],
    ]
    # Everyone's 14 agreeing less North's 10 would be South's 4: North's is not shown either.
    assert table_rows(
        shown,
        "How many agreed with “Do you agree with the priorities?”, "
        "by answer to “Where do you live?”",
    ) == [
        ["North", "14", "not shown", "not shown", ""],
        ["South", "6", "fewer than 5", "fewer than 5", ""],
    ]


def test_the_filter_shows_one_group_and_hides_a_group_too_small(client: FlaskClient) -> None:
    seventy_agreeing()
    sign_in(client, "councillor")
    north = page(client.get(PAGE, query_string={"area": "North"}))
    assert "Responses 14" in north.get_text(" ", strip=True)
    assert "Agreed: not shown" in north.get_text(" ", strip=True)  # 14 - 10 is South's 4
    selected = north.select_one("#area option[selected]")
    assert selected is not None and selected.get_text(strip=True) == "North"
    add(make_consultation(slug="tiny", title="Tiny"), area=Choice(SOUTH), agree=Choice(YES))
    db.session.commit()
    tiny = page(client.get("/results/tiny", query_string={"area": "South"}))
    assert "Fewer than 5 people in this group responded" in tiny.get_text(" ", strip=True)
    assert client.get(PAGE, query_string={"area": "Atlantis"}).status_code == 404


def test_each_table_downloads_as_csv_with_the_same_cells(client: FlaskClient) -> None:
    seventy_agreeing()
    sign_in(client, "councillor")
    download = client.get(f"{PAGE}/agree.csv", query_string={"group": "area:North"})
    assert download.status_code == 200
    assert download.headers["Content-Disposition"].endswith('.csv"')
    rows = list(csv.reader(io.StringIO(download.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0] == ["Do you agree with the priorities?"]
    assert rows[1] == ["Results for those who answered “Where do you live?” with North"]
    assert rows[2] == ["Answer", "Number", "Percentage"]
    assert rows[3] == ["Yes", "not shown", "not shown"]  # 14 agreeing in all - 10 = South's 4
    assert rows[4] == ["No", "fewer than 5", "fewer than 5"]
    assert client.get(f"{PAGE}/nope.csv").status_code == 404


def test_small_counts_never_reach_the_page_or_the_download(client: FlaskClient) -> None:
    consultation = make_consultation()
    for agree in [YES] * 6 + [NO] * 3:
        add(consultation, agree=Choice(agree))
    db.session.commit()
    sign_in(client, "councillor")
    html = client.get(PAGE).get_data(as_text=True)
    download = client.get(f"{PAGE}/agree.csv").get_data(as_text=True)
    for shown in (html, download):
        assert "fewer than 5" in shown
        assert ">3<" not in shown and ",3," not in shown and "33%" not in shown
    assert "Any number from 1 to 4 is shown as “fewer than 5”, so that no resident" in html


def test_with_a_threshold_of_one_the_page_says_nothing_is_hidden(client: FlaskClient) -> None:
    consultation = make_consultation()
    for agree in [YES] * 6 + [NO] * 3:
        add(consultation, agree=Choice(agree))
    db.session.commit()
    client.application.config["SUPPRESSION_THRESHOLD"] = 1
    sign_in(client, "councillor")
    text = page(client.get(PAGE)).get_text(" ", strip=True)
    assert "Every number is shown as it is. Percentages are of the people" in text
    assert "can be identified" not in text
    assert "No 3 33%" in text  # a count of 3 is shown


def test_officers_publish_results_after_closing_and_residents_read_them(
    client: FlaskClient,
) -> None:
    consultation = seventy_agreeing()
    resident = client.application.test_client()
    assert resident.get("/consultations/safer-streets/results").status_code == 404
    sign_in(client, "officer")
    officer_page = "/officers/consultations/safer-streets"
    token = csrf_token(client.get(officer_page))
    refused = client.post(
        f"{officer_page}/published", data={"published": "yes", "csrf_token": token}
    )
    assert error_summary(refused) == ["Close the consultation before publishing its results"]
    consultation.status = Status.CLOSED.value
    db.session.commit()
    client.post(f"{officer_page}/published", data={"published": "yes", "csrf_token": token})
    shown = page(resident.get("/consultations/safer-streets/results"))
    text = shown.get_text(" ", strip=True)
    assert (
        "Of the 20 people who answered “Do you agree with the priorities?”, 14 (70%) agreed."
        in text
    )
    assert table_rows(shown, "Do you agree with the priorities?")[1] == [
        "No",
        "fewer than 5",
        "fewer than 5",
    ]
    assert "Any number from 1 to 4 is shown as “fewer than 5”, so that no one" in text
    start = page(resident.get("/consultations/safer-streets"))
    assert "Read what people said" in start.get_text()
    client.post(f"{officer_page}/published", data={"published": "no", "csrf_token": token})
    assert resident.get("/consultations/safer-streets/results").status_code == 404
