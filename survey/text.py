"""The one place where text from residents and files is made safe to store and display.

Removes what no database, CSV or Word file can hold (NUL and other control characters, lone
surrogates, non-characters) and normalises line endings and Unicode composition. Everything
else, including emoji, right-to-left text and combining marks, is kept as typed.
"""

from __future__ import annotations

import re
import unicodedata

# C0 and C1 controls except tab and newline, lone surrogates, and the non-characters U+FFFE/F.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_LINE_BREAKS = re.compile("\r\n?|[\u2028\u2029\x85]")


def clean_text(value: str) -> str:
    """Text safe to store, export and put in Word; keeps newlines and tabs."""
    value = _LINE_BREAKS.sub("\n", value)
    value = _UNSAFE.sub("", value)
    return unicodedata.normalize("NFC", value)


def clean_line(value: str) -> str:
    """As `clean_text`, for one-line values: newlines and tabs become single spaces."""
    return re.sub(r"[\t\n]+", " ", clean_text(value))
