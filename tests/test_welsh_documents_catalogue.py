"""The documents' Welsh catalogue keeps up with their wording: every string assembly marks
(`tr(...)`, `tr.ngettext(...)`, `N_(...)`) is extracted as `make documents-catalogue` extracts
it and has Welsh in translations/cy/LC_MESSAGES/documents.po, apart from the residents'."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po

from tests.catalogue_support import lost_placeholders

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "translations" / "cy" / "LC_MESSAGES" / "documents.po"


def _extract_arguments() -> list[str]:
    """The Makefile's DOCUMENTS_EXTRACT, after `pybabel extract`: one list of keywords."""
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8").replace("\\\n", " ")
    found = re.search(r"^DOCUMENTS_EXTRACT := \$\(BIN\)/pybabel extract (.*)$", makefile, re.M)
    assert found, "the Makefile has no DOCUMENTS_EXTRACT"
    return shlex.split(found.group(1))


def _extract(source: Path, out: Path) -> dict[object, set[str]]:
    arguments = [
        a.replace("babel-documents.cfg", str(ROOT / "babel-documents.cfg"))
        for a in _extract_arguments()
    ]
    CommandLineInterface().run(
        ["pybabel", "-q", "extract", *arguments, "-o", str(out), str(source)]
    )
    with out.open("rb") as file:
        return {m.id: set(m.flags) for m in read_po(file) if m.id}


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> dict[object, set[str]]:
    """What `make documents-catalogue` finds now, by message id."""
    return _extract(ROOT, tmp_path_factory.mktemp("documents") / "documents.pot")


@pytest.fixture(scope="module")
def welsh() -> dict[object, tuple[object, set[str]]]:
    with CATALOGUE.open("rb") as file:
        return {m.id: (m.string, set(m.flags)) for m in read_po(file) if m.id}


def test_the_documents_wording_is_extracted(extracted: dict[object, set[str]]) -> None:
    assert "Executive summary" in extracted
    assert "Anti-social behaviour" in extracted  # a glossary explanation, marked with N_
    assert any(isinstance(m, tuple) and m[0].startswith("In all, %(count)s") for m in extracted)


def test_every_extracted_string_is_in_the_welsh_catalogue(
    extracted: dict[object, set[str]], welsh: dict[object, tuple[object, set[str]]]
) -> None:
    missing = [message for message in extracted if message not in welsh]
    assert not missing, f"not in {CATALOGUE.name} (run make documents-catalogue): {missing}"


def test_every_string_in_the_catalogue_has_welsh(
    welsh: dict[object, tuple[object, set[str]]],
) -> None:
    def blank(string: object) -> bool:
        forms = string if isinstance(string, tuple) else (string,)
        return not all(isinstance(f, str) and f.strip() for f in forms)

    untranslated = [m for m, (string, flags) in welsh.items() if blank(string) or "fuzzy" in flags]
    assert not untranslated, f"no Welsh (or only a fuzzy guess, never compiled) for: {untranslated}"


def test_welsh_keeps_every_placeholder_and_percent_sign(
    welsh: dict[object, tuple[object, set[str]]],
) -> None:
    assert not lost_placeholders((m, string) for m, (string, _) in welsh.items())


def test_the_catalogue_holds_nothing_no_longer_used(
    extracted: dict[object, set[str]], welsh: dict[object, tuple[object, set[str]]]
) -> None:
    unused = [message for message in welsh if message not in extracted]
    assert not unused, f"no longer in the code (run make documents-catalogue): {unused}"


def test_the_check_finds_a_marked_string_with_no_welsh(
    tmp_path: Path, welsh: dict[object, tuple[object, set[str]]]
) -> None:
    """Not vacuous: each way of marking wording is extracted, and new wording is missing."""
    source = tmp_path / "assembly" / "new.py"
    source.parent.mkdir()
    source.write_text(
        'LABEL = N_("A new label")\n'
        "def f(tr, n):\n"
        '    tr("A new heading")\n'
        '    return tr.ngettext("%(n)s new thing", "%(n)s new things", n, n=n)\n',
        encoding="utf-8",
    )
    found = _extract(tmp_path, tmp_path / "new.pot")
    assert set(found) == {"A new label", "A new heading", ("%(n)s new thing", "%(n)s new things")}
    assert not any(message in welsh for message in found)


def test_wording_both_catalogues_hold_is_the_same_welsh_in_both(
    welsh: dict[object, tuple[object, set[str]]],
) -> None:
    """A document says what the residents' pages also say (a heading, a hidden count's words)
    exactly as the Welsh pages say it, so that a page and the document beside it agree."""
    with (ROOT / "translations" / "cy" / "LC_MESSAGES" / "messages.po").open("rb") as file:
        residents = {m.id: m.string for m in read_po(file) if m.id}
    shared = [message for message in welsh if message in residents]
    differ = [m for m in shared if welsh[m][0] != residents[m]]
    assert not differ, f"Welsh in documents.po differs from messages.po for: {differ}"


def test_the_placeholder_check_finds_a_lost_or_renamed_one() -> None:
    kept = [("%(n)s answers", "%(n)s ateb"), (("%(n)s thing", "%(n)s things"), ("%(n)s peth",))]
    assert lost_placeholders(kept) == []
    assert lost_placeholders([("%(n)s answers", "atebion")]) == [("%(n)s answers", "atebion")]
    assert lost_placeholders([("%(count)s%%", "%(n)s%%")])  # renamed
    assert lost_placeholders([("%(count)s%%", "%(count)s%")])  # a percent sign lost
    assert lost_placeholders([(("one", "%(n)s more"), ("un", "mwy"))])  # a plural form's
