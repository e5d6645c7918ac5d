"""The Welsh catalogue keeps up with the wording: every string the residents' pages (and the
core's messages) can show is extracted by pybabel and has Welsh in translations/cy, no
residents' template shows English that is not in the catalogue, and every word the core says on
a Welsh results page is a catalogue message with its Welsh."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po

from common import display
from common.statistics import withheld
from survey.core import charts, tables, whole_report
from survey.core.questions import QuestionSpec, QuestionType
from survey.core.results import (
    FollowUp,
    QuestionResult,
    choice_result,
    matrix_result,
    scale_result,
    text_result,
)
from tests.catalogue_support import lost_placeholders

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "translations" / "cy" / "LC_MESSAGES" / "messages.po"
# Every template a resident can be shown: their pages, the layout, the error pages, the
# question fields (officers' preview and paper entry share these, and stay English there), the
# results sections the 'You said' page shares with the councillors' page, and the public
# strategy pages.
RESIDENTS_TEMPLATES = sorted(
    [
        *(ROOT / "templates" / "residents").glob("*.html"),
        *(ROOT / "templates" / "errors").glob("*.html"),
        *(ROOT / "templates" / "public").glob("*.html"),
        ROOT / "templates" / "base.html",
        ROOT / "templates" / "_question_fields.html",
        ROOT / "templates" / "councillors" / "_sections.html",
        ROOT / "templates" / "councillors" / "_chart.html",
        ROOT / "templates" / "councillors" / "_table.html",
    ]
)
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
    assert not lost_placeholders(welsh.items())


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


T = 5
AGREE = QuestionSpec("agree", QuestionType.AGREEMENT, "Do you agree?")
LIKERT = QuestionSpec("safe", QuestionType.LIKERT, "I feel safe after dark")
MATRIX = QuestionSpec("support", QuestionType.MATRIX, "Support?", rows=("Burglary", "Drugs"))
SINGLE = QuestionSpec("area", QuestionType.SINGLE_CHOICE, "Where?", options=("North", "South"))
MULTI = QuestionSpec(
    "hear", QuestionType.MULTI_CHOICE, "How?", options=("Newsletter", "Website", "Poster")
)
WORRIES = QuestionSpec("worries", QuestionType.FREE_TEXT, "What worries you?")


def every_kind_of_result() -> list[QuestionResult]:
    """Results that between them take every path of the core's results wording: shown,
    suppressed, hidden so as not to give a small count away, too few, none, not yet coded."""
    themes = {"Burglary": 18, "Drugs": 18, "Fraud": 3, "Noise": 0}
    return [
        scale_result(AGREE, {0: 50, 1: 8, 2: 3}, T),
        scale_result(AGREE, {2: 9}, T),
        scale_result(AGREE, {0: 2}, T),
        scale_result(AGREE, {}, T),
        scale_result(LIKERT, {0: 20, 1: 20, 2: 21, 3: 4, 5: 1}, T),
        matrix_result(MATRIX, {(0, 0): 12, (0, 3): 8, (1, 1): 20, (1, 2): 2}, T),
        matrix_result(MATRIX, {(0, 0): 3, (0, 5): 9, (1, 0): 2}, T),
        matrix_result(MATRIX, {(0, 0): 2}, T),
        choice_result(SINGLE, {0: 57, 1: 3}, 60, T),
        choice_result(SINGLE, {0: 3, 1: 4}, 7, T),
        choice_result(MULTI, {0: 30, 1: 30, 2: 2}, 52, T),
        choice_result(MULTI, {0: 2, 1: 3}, 9, T),
        choice_result(MULTI, {0: 7, 1: 6, 2: 9}, 200, T),
        text_result(WORRIES, 52, themes, coded=50, no_theme=19, threshold=T),
        text_result(WORRIES, 52, {"Burglary": 18}, coded=51, no_theme=3, threshold=T),
        text_result(WORRIES, 52, {"Fraud": 2}, coded=52, no_theme=2, threshold=T),
        text_result(WORRIES, 52, {}, coded=0, no_theme=0, threshold=T),
        text_result(WORRIES, 3, {"Fraud": 2}, coded=3, no_theme=1, threshold=T),
    ]


def test_everything_the_core_says_on_a_welsh_results_page_has_welsh(
    welsh: dict[object, object],
) -> None:
    """The core says its results wording through `say`: every message it asks for is in the
    catalogue with Welsh, so none is English made up on the spot (an f-string, say)."""
    asked: list[str] = []

    def say(message: str) -> str:
        asked.append(message)
        return str(welsh.get(message) or "")

    for result in every_kind_of_result():
        tables.question_table(result, T, say)
        whole_report.finding(result, say)
        if result.key in ("agree", "safe"):
            charts.scale_chart(result, T, say)  # type: ignore[arg-type]
        elif result.key == "support":
            charts.matrix_chart(result, T, say)  # type: ignore[arg-type]
        elif result.key in ("area", "hear"):
            charts.choice_chart(result, T, say)  # type: ignore[arg-type]
        else:
            charts.themes_chart(result, T, say)  # type: ignore[arg-type]
    follow_up = FollowUp("Do you agree?", ("No", "Don't know"), None)
    tables.asked_row(follow_up, 3, say)
    for threshold in (1, 2, 5):
        display.suppression_note(threshold, say=say)
    display.share_of(withheld(9, T), say)
    display.in_words(withheld(9, T), say)
    untranslated = sorted({message for message in asked if not welsh.get(message)})
    assert not untranslated, f"said with no Welsh in {CATALOGUE.name}: {untranslated}"
    assert len(set(asked)) > 60  # the check reached the core's wording, not only a few words
