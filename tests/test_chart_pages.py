"""Charts on the councillors' pages and the 'You said' page: images, alt text, downloads, roles."""

from __future__ import annotations

import csv
import io

from flask.testing import FlaskClient

from common.database import db
from survey.data.models import Status
from tests.support import page, sign_in
from tests.test_councillors import PAGE, seventy_agreeing


def test_each_question_chart_is_an_image_with_its_message_as_alt_text(
    client: FlaskClient,
) -> None:
    seventy_agreeing()
    sign_in(client, "councillor")
    shown = page(client.get(PAGE))
    image = shown.select_one('section[aria-labelledby="q-agree"] img')
    assert image is not None
    # 14 of 20 agreed; Wilson 95% interval 48% to 85% (as the page's own summary says)
    assert image["alt"] == (
        "14 of 20 (70%) who answered agreed (95% interval 48% to 85%). "
        "Fewer than 5 of 20 disagreed and fewer than 5 of 20 did not know."
    )
    assert image["src"] == "/results/safer-streets/charts/agree.svg"
    svg = client.get(str(image["src"]))
    assert svg.status_code == 200 and svg.mimetype == "image/svg+xml"
    assert svg.data.startswith(b"<?xml")
    links = [a["href"] for a in shown.select('section[aria-labelledby="q-agree"] figure a')]
    assert links == [
        "/results/safer-streets/charts/agree.png",
        "/results/safer-streets/charts/agree.svg",
        "/results/safer-streets/charts/agree.csv",
    ]
    by_area = [img["alt"] for img in shown.select("img") if "agree-by-area" in str(img["src"])]
    # Everyone's 14 agreeing less North's 10 would be South's 4: North's is not shown either.
    assert by_area == [
        "Agreement by area is not shown: in each group too few agreed, or showing it would "
        "let a smaller count be worked out."
    ]


def test_chart_downloads_need_a_staff_account(client: FlaskClient) -> None:
    seventy_agreeing()
    for kind in ("svg", "png", "csv"):
        response = client.get(f"{PAGE}/charts/agree.{kind}")
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/sign-in")
    sign_in(client, "councillor")
    png = client.get(f"{PAGE}/charts/agree.png")
    assert png.status_code == 200 and png.mimetype == "image/png"
    assert png.data.startswith(b"\x89PNG")
    assert client.get(f"{PAGE}/charts/nothing.png").status_code == 404


def test_the_group_filter_applies_to_the_charts(client: FlaskClient) -> None:
    seventy_agreeing()
    sign_in(client, "councillor")
    north = page(client.get(PAGE, query_string={"area": "North"}))
    image = north.select_one('section[aria-labelledby="q-agree"] img')
    assert image is not None
    assert str(image["alt"]).startswith(  # 10 would give South's 4 away (14 in all agreed)
        "An undisclosed number of 14 who answered agreed. Fewer than 5 of 14 disagreed"
    )
    assert image["src"] == "/results/safer-streets/charts/agree.svg?area=North"
    everyone = client.get(f"{PAGE}/charts/agree.svg").data
    assert client.get(str(image["src"])).data != everyone
    download = client.get(f"{PAGE}/charts/agree.csv", query_string={"group": "area:North"})
    rows = list(csv.reader(io.StringIO(download.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[1] == ["Results for those who answered “Where do you live?” with North"]
    assert rows[3] == ["Yes", "not shown", "not shown"]
    assert (
        'filename="safer-streets-agree-area-North.csv"' in download.headers["Content-Disposition"]
    )


def test_residents_get_the_charts_of_a_published_page_only(client: FlaskClient) -> None:
    consultation = seventy_agreeing()
    url = "/consultations/safer-streets/results/charts/agree.svg"
    assert client.get(url).status_code == 404  # open, not published
    consultation.status = Status.CLOSED.value
    consultation.results_published = True
    db.session.commit()
    shown = page(client.get("/consultations/safer-streets/results"))
    image = shown.select_one('section[aria-labelledby="q-agree"] img')
    assert image is not None and image["src"] == url
    assert str(image["alt"]).startswith("14 of 20 (70%) who answered agreed")
    assert client.get(url).mimetype == "image/svg+xml"
    assert client.get(url.replace(".svg", ".png")).mimetype == "image/png"
    # Not on the public page: the breakdown by area and the weeks.
    assert client.get(url.replace("agree.svg", "agree-by-area.svg")).status_code == 404
    assert client.get(url.replace("agree.svg", "responses-by-week.svg")).status_code == 404
