"""Welsh and English for residents: the language chosen, the link that switches it, and the
translation of what the pure core says (marked with `N_`, translated here at the web edge).

The language comes from `?lang=cy` or `?lang=en` and is kept in the session for the rest of the
journey. Staff pages stay in English. A consultation whose officers gave no Welsh text is shown
in English, with no language link.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from flask import Flask, current_app, g, request, session, url_for
from flask_babel import Babel, force_locale, get_locale, gettext, refresh

from common import display
from common.display import long_date, number
from common.statistics import Share
from common.translation import Say, english
from survey.core.answers import Problem
from survey.core.questions import FIXED_SCALES, OTHER_LABEL, QuestionSpec
from survey.core.results import ConsultationResults
from survey.core.results_language import in_language

LANGUAGES = ("en", "cy")
# Each language's link names the other language in that language, as GOV.UK services do.
SWITCH_TO = {"en": ("cy", "Cymraeg"), "cy": ("en", "English")}
STAFF_PATHS = ("/officers", "/results", "/admin", "/sign-in", "/account")
# The officers' preview shows a residents' page in either language, chosen by `?lang=` on each
# page and never remembered, so the officer's own pages stay English.
PREVIEW_ENDPOINTS = ("officers.preview_question",)
# Residents' pages not yet translated: shown as English (lang="en", no language link), never
# as English text marked as Welsh for a resident who chose Welsh. (None at present.)
ENGLISH_ONLY_ENDPOINTS: tuple[str, ...] = ()

babel = Babel()


def init_app(app: Flask) -> None:
    """Flask-Babel with its catalogues in translations/, the switch and the template helpers."""
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(app.root_path) + "/translations")
    babel.init_app(app, locale_selector=language)
    app.before_request(_remember_choice)
    app.context_processor(_language_context)
    app.add_template_filter(_long_date, "long_date")
    app.add_template_filter(_wait_time, "wait_time")
    # common.display's wording filters, said in the page's language (registered after them).
    app.add_template_filter(_share_count, "share_count")
    app.add_template_filter(_share_percent, "share_percent")
    app.add_template_filter(_share_of, "share_of")
    app.add_template_filter(_suppression_note, "suppression_note")
    app.add_template_global(wording)


def _staff_page() -> bool:
    return request.path.startswith(STAFF_PATHS)


def _previewing() -> bool:
    return request.endpoint in PREVIEW_ENDPOINTS


def _remember_choice() -> None:
    """`?lang=cy` or `?lang=en` on any residents' page chooses the language for the journey."""
    chosen = request.args.get("lang")
    if chosen in LANGUAGES and not _staff_page():
        session["lang"] = chosen


def chosen_language() -> str:
    """The language the resident chose (English unless they chose Welsh)."""
    chosen = request.args.get("lang")
    if chosen in LANGUAGES:
        return str(chosen)
    stored = session.get("lang")
    return stored if stored in LANGUAGES else "en"


def language() -> str:
    """The language this page is in: English on staff pages and for an English-only
    consultation (a view says so with `english_only`), else the resident's choice."""
    if g.get("english_only") or request.endpoint in ENGLISH_ONLY_ENDPOINTS:
        return "en"
    if _previewing():
        return "cy" if request.args.get("lang") == "cy" else "en"
    if _staff_page():
        return "en"
    return chosen_language()


def english_only() -> None:
    """This page shows a consultation that has no Welsh text: English, and no language link."""
    g.english_only = True
    refresh()


def current() -> str:
    """The language of the page being built."""
    return str(get_locale() or "en")


def _long_date(value: Any) -> str:
    return long_date(value, current())


def _wait_time(seconds: int) -> str:
    """common.display.wait_time's rounding, in the page's language."""
    if seconds <= 60:
        return gettext("a minute")
    minutes = -(-seconds // 60)
    if minutes < 60:
        return gettext("%(num)s minutes", num=number(minutes))
    hours = -(-minutes // 60)
    return gettext("an hour") if hours == 1 else gettext("%(num)s hours", num=number(hours))


def _switch_link() -> dict[str, str] | None:
    untranslated = request.endpoint is None or request.endpoint in ENGLISH_ONLY_ENDPOINTS
    if (_staff_page() and not _previewing()) or g.get("english_only") or untranslated:
        return None
    code, name = SWITCH_TO[current()]
    args = {**(request.view_args or {}), **request.args.to_dict(), "lang": code}
    return {"href": url_for(request.endpoint, **args), "text": name, "lang": code}


def _language_context() -> dict[str, Any]:
    return {
        "html_lang": current(),
        "language_link": _switch_link(),
        "partnership_name": partnership_name(),
    }


def partnership_name() -> str:
    """The partnership's name in the page's language, where the council gave it in Welsh."""
    config = current_app.config
    if current() == "cy" and config.get("PARTNERSHIP_NAME_CY"):
        return str(config["PARTNERSHIP_NAME_CY"])
    return str(config["PARTNERSHIP_NAME"])


def say(message: str) -> str:
    """Fixed wording the core marked with `N_`, in the page's language."""
    return gettext(message)


def page_say() -> Say:
    """The `Say` to hand the core for this page: English pages read the core's own words."""
    return say_for(current())


def say_for(language: str) -> Say:
    """A `Say` in `language` whatever page is being built (for what is cached by language)."""
    if language == "en":
        return english

    def said(message: str) -> str:
        with force_locale(language):
            return gettext(message)

    return said


def _share_count(share: Share) -> str:
    return display.share_count(share, page_say())


def _share_percent(share: Share) -> str:
    return display.share_percent(share, page_say())


def _share_of(share: Share) -> str:
    return display.share_of(share, page_say())


def _suppression_note(threshold: int, who: str = "no one") -> str:
    if current() == "en":
        return display.suppression_note(threshold, who)
    return display.suppression_note(threshold, say=page_say())


def results_shown(
    results: ConsultationResults, specs: Sequence[QuestionSpec]
) -> ConsultationResults:
    """Results with the questions' wording in the page's language, where the consultation has
    it (the counts are the same objects: every number reads the same in either language)."""
    if current() == "en":
        return results
    return in_language(results, specs, [shown(spec) for spec in specs])


def problems(found: Sequence[Problem]) -> list[Problem]:
    """The core's problems, their messages in the page's language."""
    return [replace(p, message=gettext(p.template or p.message, **dict(p.values))) for p in found]


def shown(spec: QuestionSpec) -> QuestionSpec:
    """A question as the page shows it: its fixed scale and "Other" in the page's language.

    The options keep their order, so an answer given in Welsh is the same option index.
    """
    if current() == "en":
        return spec
    scale = tuple(gettext(label) for label in FIXED_SCALES.get(spec.type, ()))
    shown_spec = replace(spec, scale=scale, other_label=gettext(OTHER_LABEL))
    if not spec.text_cy:
        return shown_spec
    return replace(
        shown_spec,
        text=spec.text_cy,
        hint=spec.hint_cy,
        options=spec.options_cy or spec.options,
        rows=spec.rows_cy or spec.rows,
        context=spec.context_cy,
    )


@dataclass(frozen=True)
class Wording:
    """A consultation's own text as a page shows it, and the language it is in."""

    title: str
    summary: str
    how_used: str
    privacy: str
    lang: str


def wording(consultation: Any) -> Wording:
    """A consultation's title, summary and notes in the page's language, where officers gave
    them in it; else in English (and marked so, for `lang` attributes)."""
    if current() == "cy" and consultation.title_cy:
        return Wording(
            consultation.title_cy,
            consultation.summary_cy,
            consultation.how_used_cy,
            consultation.privacy_cy,
            "cy",
        )
    return Wording(
        consultation.title, consultation.summary, consultation.how_used, consultation.privacy, "en"
    )


def offer_languages(consultation: Any) -> None:
    """A page about one consultation: in English only (and no language link) when officers
    gave it no Welsh."""
    if not consultation.title_cy:
        english_only()
