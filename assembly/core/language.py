"""The fixed wording of the Word documents in English or Welsh: the `documents` gettext domain.

Pure: no Flask. The wording is marked where it is written, as `tr("...")` (and
`tr.ngettext(...)`), with `%(name)s` placeholders and `%%` for a percent sign, so the English
reads exactly as the message and the Welsh comes from the compiled catalogue
translations/cy/LC_MESSAGES/documents.mo (`make setup` compiles it; `make documents-catalogue`
brings the .po up to date after a change of wording). The documents have a catalogue of their
own, apart from the residents' pages' `messages`, so the two are kept up by different people
without colliding. Numbers, hidden counts and dates are written by `common.display`, as on the
pages: given `tr.say` (hidden counts, in the residents' catalogue's wording) or `tr.language`
(dates), so a Welsh document says them exactly as the Welsh pages do.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from babel.support import NullTranslations, Translations

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
