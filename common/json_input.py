"""JSON that people give (definitions, mappings, files for commands), read so that every
problem is said plainly: Python's own wording ("use sys.set_int_max_str_digits()") never
reaches a page or a command's output."""

from __future__ import annotations

import json
import math
from typing import Any

# Far beyond any number a definition or a mapping holds, and far below Python's own limit
# (4,300 digits), past which converting the digits costs time and ends in Python's message.
MAX_DIGITS = 100


class JsonProblem(ValueError):
    """Text that is not usable JSON; the message says why, to follow "The file is"."""

    def __init__(self, message: str, not_json: bool) -> None:
        super().__init__(message)
        self.not_json = not_json  # not JSON at all (rather than JSON this service cannot use)


# Python's json messages, in words for the person who wrote the file.
PLAIN = {
    "Expecting value": "a value is missing, or is not JSON (text goes in double quotes)",
    "Expecting ',' delimiter": "a comma is missing between two items",
    "Expecting ':' delimiter": "a colon is missing after a name",
    "Expecting property name enclosed in double quotes": (
        "a name must be in double quotes, and a list or object cannot end with a comma"
    ),
    "Unterminated string starting at": "text in quotes is not closed",
    "Invalid control character at": (
        "text in quotes has a line break or a control character in it (write \\n for a new line)"
    ),
    "Invalid \\escape": "a backslash starts an escape JSON does not have (write \\\\ for one)",
    "Invalid \\uXXXX escape": "a \\u escape needs four hexadecimal digits",
    "Extra data": "there is more after the end of the JSON",
}


class _NumberTooLong(Exception):
    def __init__(self, digits: int) -> None:
        self.digits = digits


def _whole_number(text: str) -> int:
    digits = len(text.lstrip("-"))
    if digits > MAX_DIGITS:
        raise _NumberTooLong(digits)
    return int(text)


class _NotFinite(Exception):
    def __init__(self, text: str) -> None:
        self.text = text


def _finite_number(text: str) -> float:
    value = float(text)
    if math.isinf(value):
        raise _NotFinite(text)
    return value


def _no_constant(text: str) -> float:
    raise _NotFinite(text)  # NaN, Infinity, -Infinity: Python reads them, JSON has none


def parse_json(text: str) -> Any:
    """The value `text` holds; JsonProblem saying what is wrong with it, for a person.

    A byte order mark at the start (a file saved by Notepad, or pasted) is skipped.
    """
    try:
        return json.loads(
            text.removeprefix("\ufeff"),
            parse_int=_whole_number,
            parse_float=_finite_number,
            parse_constant=_no_constant,
        )
    except json.JSONDecodeError as exc:
        plain = PLAIN.get(exc.msg, "it cannot be read as JSON")
        raise JsonProblem(
            f"not valid JSON (line {exc.lineno}, column {exc.colno}: {plain})", not_json=True
        ) from None
    except _NotFinite as exc:
        raise JsonProblem(
            f"not usable: it has the number {exc.text[:20]!r}, too large to use or not a number",
            not_json=False,
        ) from None
    except _NumberTooLong as exc:
        raise JsonProblem(
            f"not usable: it has a number {exc.digits:,} digits long (at most {MAX_DIGITS})",
            not_json=False,
        ) from None
    except RecursionError:
        raise JsonProblem(
            "not usable: its lists and objects nest too deeply", not_json=False
        ) from None
