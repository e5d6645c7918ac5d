"""The Welsh catalogue keeps up with the wording: every string the residents' pages (and the
core's messages) can show is extracted by pybabel and has Welsh in translations/cy, and no
residents' template shows English that is not in the catalogue."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "translations" / "cy" / "LC_MESSAGES" / "messages.po"
# Every template a resident can be shown: their pages, the layout, the error pages and the
# question fields (officers' preview and paper entry share these, and stay English there).
RESIDENTS_TEMPLATES = sorted(
    [
        *(ROOT / "templates" / "residents").glob("*.html"),
        *(ROOT / "templates" / "errors").glob("*.html"),
        ROOT / "templates" / "base.html",
        ROOT / "templates" / "_question_fields.html",
    ]
)
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|%\{(\w+)\}")
JINJA = re.compile(r"{{.*?}}|{%.*?%}|{#.*?#}", re.DOTALL)
TAG = re.compile(r"<[^>]*>", re.DOTALL)
# A GOV.UK macro parameter given as a bare English literal, not through _().
LITERAL_PARAM = re.compile(
    r'"(?:text|titleText|iconFallbackText|html|visuallyHiddenText)"\s*:\s*"[A-Za-z]'
)


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> dict[object, set[str]]:
    """What `pybabel extract` finds now (as `make catalogue` runs it), by message id."""
    pot = tmp_path_factory.mktemp("catalogue") / "messages.pot"
    CommandLineInterface().run(
        ["pybabel", "-q", "extract", "-F", str(ROOT / "babel.cfg"), "-k", "N_"]
        + ["-k", "lazy_gettext", "-o", str(pot), str(ROOT)]
    )
    with pot.open("rb") as file:
        return {m.id: set(m.flags) for m in read_po(file) if m.id}


@pytest.fixture(scope="module")
def welsh() -> dict[object, object]:
    with CATALOGUE.open("rb") as file:
        return {m.id: m.string for m in read_po(file) if m.id}


def test_every_extracted_string_is_in_the_welsh_catalogue(
    extracted: dict[object, set[str]], welsh: dict[object, object]
) -> None:
    missing = [message for message in extracted if message not in welsh]
    assert not missing, f"not in {CATALOGUE.name} (run make catalogue): {missing}"


def test_every_string_in_the_catalogue_has_welsh(welsh: dict[object, object]) -> None:
    def blank(string: object) -> bool:
        forms = string if isinstance(string, tuple) else (string,)
        return not all(isinstance(f, str) and f.strip() for f in forms)

    untranslated = [message for message, string in welsh.items() if blank(string)]
    assert not untranslated, f"no Welsh for: {untranslated}"


def test_welsh_keeps_every_placeholder(welsh: dict[object, object]) -> None:
    def names(text: str) -> set[str]:
        return {a or b for a, b in PLACEHOLDER.findall(text)}

    wrong = []
    for message, string in welsh.items():
        english = message[-1] if isinstance(message, tuple) else message
        for form in string if isinstance(string, tuple) else (string,):
            if names(str(english)) != names(str(form)):
                wrong.append((message, form))
    assert not wrong


def test_the_catalogue_holds_nothing_no_longer_used(
    extracted: dict[object, set[str]], welsh: dict[object, object]
) -> None:
    unused = [message for message in welsh if message not in extracted]
    assert not unused, f"no longer in the code (run make catalogue): {unused}"


@pytest.mark.parametrize("template", RESIDENTS_TEMPLATES, ids=lambda p: p.name)
def test_residents_templates_show_no_english_outside_the_catalogue(template: Path) -> None:
    source = template.read_text(encoding="utf-8")
    text = TAG.sub(" ", JINJA.sub(" ", source))
    words = [w for w in re.findall(r"[A-Za-z][A-Za-z']+", text)]
    assert not words, f"{template.name} shows English not wrapped in _(): {words[:12]}"
    literals = [m.group(0) for m in LITERAL_PARAM.finditer(source)]
    assert not literals, f"{template.name} passes English to a macro: {literals}"


def test_the_check_finds_an_unwrapped_string(tmp_path: Path) -> None:
    """The template check above is not vacuous: plain English in a template is found."""
    source = '{% block x %}<p class="govuk-body">{{ _("Fine") }} Not wrapped</p>{% endblock %}'
    text = TAG.sub(" ", JINJA.sub(" ", source))
    assert re.findall(r"[A-Za-z][A-Za-z']+", text) == ["Not", "wrapped"]
    assert LITERAL_PARAM.search('{{ govukButton({"text": "Continue"}) }}')
