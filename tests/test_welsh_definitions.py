"""A consultation's Welsh and English text round-trip through the definition file, the
database and the export (`flask consultations load` / `export`)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from common.database import db
from survey.core.definitions import DefinitionErrors, definition_to_dict, parse_definition
from survey.data.consultations import spec_of
from survey.data.models import Consultation
from tests.support import make_consultation, page
from tests.test_residents_welsh import welsh_definition


def test_welsh_text_round_trips_through_the_definition_file() -> None:
    definition = welsh_definition()
    assert definition_to_dict(parse_definition(definition)) == definition


def test_welsh_text_round_trips_through_load_and_export(app: Flask, tmp_path: Path) -> None:
    definition = welsh_definition()
    definition["how_used"] = "Officers read every response."
    definition["how_used_cy"] = "Bydd swyddogion yn darllen pob ymateb."
    definition["questions"][0]["hint_cy"] = "Y blaenoriaethau yw: Byrgleriaeth; Goryrru."
    source, exported = tmp_path / "in.json", tmp_path / "out.json"
    source.write_text(json.dumps(definition, ensure_ascii=False), encoding="utf-8")
    runner = app.test_cli_runner()
    loaded = runner.invoke(args=["consultations", "load", str(source)])
    assert loaded.exit_code == 0, loaded.output
    stored = db.session.query(Consultation).one()
    assert stored.title_cy == "Strydoedd mwy diogel"
    assert stored.questions[3].options_cy == ["Gogledd", "De"]
    written = runner.invoke(
        args=["consultations", "export", "safer-streets", "--out", str(exported)]
    )
    assert written.exit_code == 0, written.output
    assert json.loads(exported.read_text(encoding="utf-8")) == definition


def test_an_english_only_definition_exports_no_welsh_fields() -> None:
    english = welsh_definition()
    for name in ("title_cy", "summary_cy"):
        del english[name]
    for question in english["questions"]:
        for name in [n for n in question if n.endswith("_cy")]:
            del question[name]
    out = definition_to_dict(parse_definition(english))
    assert not [name for name in json.dumps(out).split('"') if name.endswith("_cy")]


def test_documents_welsh_titles_round_trip_and_are_what_welsh_residents_read(
    client: FlaskClient,
) -> None:
    definition = welsh_definition()
    definition["documents"] = [
        {"title": "Draft strategy", "href": "/files/draft.pdf", "title_cy": "Strategaeth ddrafft"},
    ]
    assert definition_to_dict(parse_definition(definition)) == definition
    make_consultation(**{k: v for k, v in definition.items() if k != "slug"})
    stored = db.session.query(Consultation).one()
    assert spec_of(stored).documents[0].title_cy == "Strategaeth ddrafft"
    welsh = page(client.get("/consultations/safer-streets?lang=cy")).find(
        "a", href="/files/draft.pdf"
    )
    assert welsh.get_text(strip=True) == "Strategaeth ddrafft"
    english = page(client.get("/consultations/safer-streets?lang=en")).find(
        "a", href="/files/draft.pdf"
    )
    assert english.get_text(strip=True) == "Draft strategy"


def test_a_welsh_consultation_needs_each_documents_welsh_title() -> None:
    definition = welsh_definition()
    definition["documents"] = [{"title": "Draft strategy", "href": "/files/draft.pdf"}]
    with pytest.raises(DefinitionErrors) as refused:
        parse_definition(definition)
    assert refused.value.problems == [
        "document 1: title_cy is needed, as the consultation has a title_cy"
    ]
