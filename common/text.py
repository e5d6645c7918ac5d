"""The one place where text from residents and files is made safe to store and display.

Removes what no database, CSV or Word file can hold (NUL and other control characters, lone
surrogates, non-characters) and normalises line endings and Unicode composition. Everything
else, including emoji, right-to-left text and combining marks, is kept as typed.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

# C0 and C1 controls except tab and newline, lone surrogates, and the non-characters U+FFFE/F.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_LINE_BREAKS = re.compile("\r\n?|[\u2028\u2029\x85]")
SLUG_PATTERN = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,78}[a-z0-9])?$")
SHORT_TEXT_LIMIT = 500  # one-line texts: titles, question text, hints, options, statements


def clean_text(value: str) -> str:
    """Text safe to store, export and put in Word; keeps newlines and tabs."""
    value = _LINE_BREAKS.sub("\n", value)
    value = _UNSAFE.sub("", value)
    return unicodedata.normalize("NFC", value)


def clean_line(value: str) -> str:
    """As `clean_text`, for one-line values: newlines and tabs become single spaces."""
    return re.sub(r"[\t\n]+", " ", clean_text(value))


def checked_text(value: Any, where: str, problems: list[str], *, limit: int, required: bool) -> str:
    """A definition's text field cleaned, or "" with what is wrong added to `problems`;
    up to SHORT_TEXT_LIMIT it is one line."""
    if value is None or value == "":
        if required:
            problems.append(f"{where} is missing")
        return ""
    if not isinstance(value, str):
        problems.append(f"{where} must be text")
        return ""
    cleaned = clean_text(value) if limit > SHORT_TEXT_LIMIT else clean_line(value)
    if required and not cleaned.strip():
        problems.append(f"{where} is empty")
    if len(cleaned) > limit:
        problems.append(f"{where} is longer than {limit} characters")
    return cleaned.strip()


def suggest_slug(title: str) -> str:
    """A slug made from a title: accents dropped, runs of anything else become one hyphen."""
    plain = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-")[:80].rstrip("-")
