"""Values read from a page's address, checked before any of them reaches a query.

PostgreSQL refuses text holding NUL, and both databases refuse whole numbers beyond 64 bits, so
an address such as `/officers/consultations/a%00b` or `?page=99999999999999999999` would end in
a database error (a 500) if passed on as it came. Path segments holding control characters match
no route (a 404); query values that are malformed read as absent, so a filter falls back to
showing everything.
"""

from __future__ import annotations

import re

from flask import request
from werkzeug.routing import Map
from werkzeug.routing.converters import UnicodeConverter

# Far beyond any page, row id or count here, and within every database's integer types.
LARGEST_NUMBER = 2**31 - 1
_CONTROLS = "\x00-\x1f\x7f-\x9f"  # C0 and C1 controls, as a character-class range
_CONTROL = re.compile(f"[{_CONTROLS}]")


class AddressText(UnicodeConverter):
    """The default `<name>` converter, without control characters (never part of a name)."""

    def __init__(
        self,
        map: Map,
        minlength: int = 1,
        maxlength: int | None = None,
        length: int | None = None,
    ) -> None:
        super().__init__(map, minlength, maxlength, length)
        self.regex = self.regex.replace("[^/]", f"[^/{_CONTROLS}]", 1)


def query_text(name: str) -> str:
    """The query parameter `name`, or "" when it is missing or holds control characters."""
    value = request.args.get(name, "")
    return "" if _CONTROL.search(value) else value


def query_number(name: str) -> int | None:
    """The query parameter `name` as a whole number from 0 to LARGEST_NUMBER, else None."""
    value = request.args.get(name, "")
    if not (value.isascii() and value.isdigit()):
        return None
    number = int(value)
    return number if number <= LARGEST_NUMBER else None
