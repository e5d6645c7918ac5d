"""JSON that people give (definitions, mappings, files for commands), read so that every
problem is said plainly: Python's own wording ("use sys.set_int_max_str_digits()") never
reaches a page or a command's output."""

from __future__ import annotations

import json
from typing import Any

# Far beyond any number a definition or a mapping holds, and far below Python's own limit
# (4,300 digits), past which converting the digits costs time and ends in Python's message.
MAX_DIGITS = 100


class JsonProblem(ValueError):
    """Text that is not usable JSON; the message says why, to follow "The file is"."""

    def __init__(self, message: str, not_json: bool) -> None:
        super().__init__(message)
        self.not_json = not_json  # not JSON at all (rather than JSON this service cannot use)


class _NumberTooLong(Exception):
    def __init__(self, digits: int) -> None:
        self.digits = digits


def _whole_number(text: str) -> int:
    digits = len(text.lstrip("-"))
    if digits > MAX_DIGITS:
        raise _NumberTooLong(digits)
    return int(text)


def parse_json(text: str) -> Any:
    """The value `text` holds; JsonProblem saying what is wrong with it, for a person."""
    try:
        return json.loads(text, parse_int=_whole_number)
    except json.JSONDecodeError as exc:
        raise JsonProblem(
            f"not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})", not_json=True
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
