"""The fixed wording of the Word documents in English or Welsh: the `documents` gettext domain.

Pure: no Flask. The wording is marked where it is written, as `tr("...")` (and
`tr.ngettext(...)`), with `%(name)s` placeholders and `%%` for a percent sign, so the English
reads exactly as the message and the Welsh comes from the compiled catalogue
translations/cy/LC_MESSAGES/documents.mo (`make setup` compiles it; `make documents-catalogue`
brings the .po up to date after a change of wording). The documents have a catalogue of their
own, apart from the residents' pages' `messages`, so the two are kept up by different people
without colliding. Numbers and dates are still written by `common.display`, given the language.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from pathlib import Path
from typing import Any

from babel.support import NullTranslations, Translations

from common import display
from common.statistics import Share

ENGLISH, WELSH = "en", "cy"
LANGUAGES = (ENGLISH, WELSH)
DOMAIN = "documents"
RESIDENTS_DOMAIN = "messages"  # the residents' pages' catalogue: survey's wording
CATALOGUES = Path(__file__).resolve().parents[2] / "translations"
# The language Word, LibreOffice and screen readers are told the text is in.
WORD_LANGUAGES = {ENGLISH: "en-GB", WELSH: "cy-GB"}


def N_(message: str) -> str:  # noqa: N802 - gettext's name for "marked, translated later"
    """Mark fixed wording kept in a constant for extraction; `tr` translates it when used."""
    return message


class MissingCatalogue(RuntimeError):
    """The compiled catalogue of a language is not there: `make setup` compiles it."""


class Words:
    """The documents' fixed wording in one language: `tr("Of the %(n)s ...", n=...)`."""

    def __init__(self, language: str = ENGLISH) -> None:
        if language not in LANGUAGES:
            raise ValueError(f"no documents in {language!r}: one of {', '.join(LANGUAGES)}")
        self.language = language
        self.word_language = WORD_LANGUAGES[language]
        self._catalogue = _catalogue(language)

    def __call__(self, message: str, /, **values: Any) -> str:
        return str(self._catalogue.gettext(message)) % values

    def say(self, message: str) -> str:
        """`message` in this language, as it is (a `common.translation.Say`): what survey's
        results and charts say in a document, from the residents' catalogue where the
        documents' own has no such message."""
        return str(self._catalogue.gettext(message))

    def ngettext(self, singular: str, plural: str, n: int, /, **values: Any) -> str:
        """`singular` or `plural` by `n` (Welsh has six forms), filled with `values`."""
        return str(self._catalogue.ngettext(singular, plural, n)) % values


def available() -> tuple[str, ...]:
    """The languages a document can be built in here: English, and each language whose
    compiled catalogue is present (`make setup` compiles them)."""
    return tuple(
        code
        for code in LANGUAGES
        if code == ENGLISH or (CATALOGUES / code / "LC_MESSAGES" / f"{DOMAIN}.mo").is_file()
    )


@cache
def _catalogue(language: str) -> NullTranslations:
    if language == ENGLISH:
        return NullTranslations()
    compiled = CATALOGUES / language / "LC_MESSAGES" / f"{DOMAIN}.mo"
    if not compiled.is_file():
        raise MissingCatalogue(f"{compiled} is missing: run make setup to compile it")
    words = Translations.load(str(CATALOGUES), [language], DOMAIN)
    # survey's own wording (its charts and tables, hidden counts) is in the residents' catalogue
    words.add_fallback(Translations.load(str(CATALOGUES), [language], RESIDENTS_DOMAIN))
    return words


ENGLISH_WORDS = Words(ENGLISH)


# How `common.display` writes hidden counts and dates, in the document's language: English
# is display's own words, unchanged; Welsh is the same numbers, written by display, in
# catalogue wording.


def fewer_than(share: Share, tr: Words) -> str:
    """display.fewer_than: 'fewer than 5', or 'not shown'."""
    if tr.language == ENGLISH:
        return display.fewer_than(share)
    if share.withheld:
        return tr("not shown")
    return tr("fewer than %(number)s", number=display.number(share.threshold))


def in_words(share: Share, tr: Words) -> str:
    """display.in_words: 'fewer than 5', or 'an undisclosed number'."""
    if tr.language == ENGLISH:
        return display.in_words(share)
    return tr("an undisclosed number") if share.withheld else fewer_than(share, tr)


def share_count(share: Share, tr: Words) -> str:
    """display.share_count: '50', or 'fewer than 5'."""
    return fewer_than(share, tr) if share.count is None else display.number(share.count)


def share_percent(share: Share, tr: Words) -> str:
    """display.share_percent: '82%', or 'fewer than 5'."""
    if share.percent is None and share.count is None:
        return fewer_than(share, tr)
    return display.share_percent(share)


def interval(share: Share, tr: Words) -> str:
    """display.interval: '72% to 89%'."""
    if tr.language == ENGLISH or share.interval is None:
        return display.interval(share)
    low, high = share.interval
    return tr("%(low)s to %(high)s", low=display.percent(low), high=display.percent(high))


def long_date(value: dt.date, tr: Words) -> str:
    """display.long_date in the document's language: 5 January 2026, 5 Ionawr 2026."""
    return display.long_date(value, tr.language)


def date_time(value: dt.datetime, tr: Words) -> str:
    """display.date_time: 5 January 2026 at 2:05pm (Welsh: 5 Ionawr 2026 am 2:05pm)."""
    if tr.language == ENGLISH:
        return display.date_time(value)
    local = value.astimezone(display.LOCAL_ZONE)
    hour = local.hour % 12 or 12
    return tr(
        "%(date)s at %(time)s",
        date=long_date(local.date(), tr),
        time=f"{hour}:{local:%M}{'am' if local.hour < 12 else 'pm'}",
    )


def suppression_note(threshold: int, tr: Words) -> str:
    """display.suppression_note, for 'no one'."""
    if tr.language == ENGLISH:
        return display.suppression_note(threshold)
    if threshold <= 1:
        return tr("Every number is shown as it is.")
    if threshold == 2:
        rule = tr(
            "The number 1 is shown as “fewer than %(threshold)s”, so that no one can be "
            "identified.",
            threshold=display.number(threshold),
        )
    else:
        rule = tr(
            "Any number from 1 to %(highest)s is shown as “fewer than %(threshold)s”, so that "
            "no one can be identified.",
            highest=display.number(threshold - 1),
            threshold=display.number(threshold),
        )
    withheld = tr(
        "Where other numbers, here or in another group’s results, would let it be worked out, "
        "more are “not shown”."
    )
    return f"{rule} {withheld}"
