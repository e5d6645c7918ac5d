"""What both Welsh catalogue tests check of a translation: the same placeholders, kept."""

from __future__ import annotations

import re
from collections.abc import Iterable

PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|%\{(\w+)\}")  # "%(count)s", and "%{name}" in JS


def lost_placeholders(entries: Iterable[tuple[object, object]]) -> list[tuple[object, object]]:
    """(message id, Welsh form) of every form whose placeholders or "%%" signs differ from its
    English (the plural English for a plural message's forms)."""

    def kept(text: str) -> tuple[set[str], int]:
        return {a or b for a, b in PLACEHOLDER.findall(text)}, text.count("%%")

    wrong = []
    for message, string in entries:
        english = message[-1] if isinstance(message, tuple) else message
        for form in string if isinstance(string, tuple) else (string,):
            if kept(str(english)) != kept(str(form)):
                wrong.append((message, form))
    return wrong
