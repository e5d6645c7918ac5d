"""Importing ONS tables and police.uk files through the command line, the job and the page,
on SQLite and PostgreSQL: the partnership's figures and its comparators stored, or nothing."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner

from assembly.core.measures import Measure
from assembly.core.trends import comparison, trends
from assembly.data import crime_audits
from assembly.data.models import AuditFigure, CrimeAudit
from assembly.jobs.audit_imports import start_audit_import
from common.database import db
from common.jobs import JobState, run_job
from tests.support import page, post_form, sign_in

DATA = Path(__file__).resolve().parent / "data"
ONS = DATA / "ons_csp_recorded_crime.csv"
CSP = "Bath and North East Somerset"
STREET_HEADER = (
    "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,"
    "Crime type,Last outcome category,Context\n"
)


def street_file(path: Path, months: list[str], per_month: int = 3) -> Path:
    rows = [
        f"{month}{n:060d},{month},Avon and Somerset Constabulary,Avon and Somerset "
        f"Constabulary,-2.36,51.38,On or near Milk Street,E01014370,{CSP} 001A,Burglary,"
        "Under investigation,\n"
        for month in months
        for n in range(per_month)
    ]
    path.write_text(STREET_HEADER + "".join(rows), encoding="utf-8")
    return path


def test_an_ons_table_imports_the_partnerships_figures_and_keeps_its_comparators(
    runner: FlaskCliRunner,
) -> None:
    result = runner.invoke(args=["audit", "import", str(ONS), "--name", "ONS", "--area", CSP])
    assert result.exit_code == 0, result.output
    assert f"Imported audit 'ONS' for {CSP}" in result.output
    audit = crime_audits.audit_by_name("ONS")
    assert audit is not None and audit.area_code == "E22000234"
    table = crime_audits.audit_table(audit)
    assert {f.area for f in table.comparators} == {"Avon and Somerset", "England and Wales"}
    assert {f.measure for f in table.figures} == {Measure.COUNT, Measure.RATE}
    assert crime_audits.audit_categories(audit) == [
        "Total recorded crime (excluding fraud)",
        "Residential burglary",
        "Homicide",
    ]
    shown = runner.invoke(args=["audit", "show", "ONS"])
    assert (
        "Residential burglary in 2022/23: 4.9 per 1,000 population in Bath and North East "
        "Somerset, against 5.3 in England and Wales." in shown.output
    )


def test_an_ons_table_of_several_areas_and_no_area_chosen_stores_nothing(
    runner: FlaskCliRunner,
) -> None:
    result = runner.invoke(args=["audit", "import", str(ONS), "--name", "ONS"])
    assert result.exit_code != 0
    assert "Avon and Somerset (E23000036); England and Wales (K04000001)" in result.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CrimeAudit)) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditFigure)) == 0


def test_a_police_uk_file_is_counted_from_its_path_by_the_job(app: Flask, tmp_path: Path) -> None:
    months = [f"{2023 + (m + 3) // 12}-{(m + 3) % 12 + 1:02d}" for m in range(15)]  # to Jun 24
    path = street_file(tmp_path / "2024-06-avon-and-somerset-street.csv", months)
    job = start_audit_import("Street", path.name, path, replace=False)
    db.session.commit()
    done = run_job(job.id)
    assert done is not None and done.state == JobState.DONE, done and done.summary
    audit = crime_audits.audit_by_name("Street")
    assert audit is not None
    assert audit.periods == ["2023/24", "Apr to Jun 2023", "Apr to Jun 2024"]
    table = crime_audits.audit_table(audit)
    assert [(f.period, f.value, f.unit) for f in table.figures] == [
        ("2023/24", 36, "offences"),
        ("Apr to Jun 2023", 9, "offences"),
        ("Apr to Jun 2024", 9, "offences"),
    ]
    assert (
        table.figures[0].source
        == "police.uk street-level crime data (Avon and Somerset Constabulary)"
    )
    (trend,) = trends(table)  # a quarter is never compared with a whole year: with its season
    assert (trend.previous_period, trend.latest_period) == ("Apr to Jun 2023", "Apr to Jun 2024")
    assert comparison(table, trend) is None


def test_the_upload_page_takes_the_partnerships_area(client: FlaskClient) -> None:
    sign_in(client, "officer")
    fields = {
        "name": "ONS",
        "file": (io.BytesIO(ONS.read_bytes()), "table.csv"),
        "area": "E22000234",
    }
    response = post_form(client, "/officers/audits", fields)
    assert response.status_code == 303
    audit = crime_audits.audit_by_name("ONS")
    assert audit is not None and audit.area_name == CSP
    shown = page(client.get(f"/officers/audits/{audit.id}")).select_one("#comparisons")
    assert shown is not None and "against 85.7 in Avon and Somerset" in shown.get_text()


def test_the_upload_page_lists_the_areas_when_none_is_chosen(client: FlaskClient) -> None:
    sign_in(client, "officer")
    fields = {"name": "ONS", "file": (io.BytesIO(ONS.read_bytes()), "table.csv")}
    response = post_form(client, "/officers/audits", fields, follow_redirects=True)
    assert "England and Wales (K04000001)" in response.get_data(as_text=True)
    assert crime_audits.audit_by_name("ONS") is None


def test_an_officer_uploads_police_uks_download_as_it_comes(
    client: FlaskClient, tmp_path: Path
) -> None:
    sign_in(client, "officer")
    months = [f"{2023 + (m + 3) // 12}-{(m + 3) % 12 + 1:02d}" for m in range(15)]  # to Jun 24
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as download:
        for month in months:
            one = street_file(tmp_path / f"{month}.csv", [month])
            download.write(one, f"{month}/{month}-avon-and-somerset-street.csv")
    fields = {"name": "Street", "file": (io.BytesIO(archive.getvalue()), "download.zip")}
    response = post_form(client, "/officers/audits", fields, follow_redirects=True)
    assert response.status_code == 200
    audit = crime_audits.audit_by_name("Street")
    assert audit is not None and audit.area_name == CSP
    assert audit.periods == ["2023/24", "Apr to Jun 2023", "Apr to Jun 2024"]
    refused = post_form(
        client,
        "/officers/audits",
        {"name": "Not", "file": (io.BytesIO(b"not a zip"), "download.zip")},
    )
    assert "The file is not a .zip archive that can be opened." in refused.get_data(as_text=True)
    assert crime_audits.audit_by_name("Not") is None
