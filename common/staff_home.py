"""What needs doing, for the officers' home: each package says what of its own is waiting.

Survey and assembly each register a provider (`register(app, provider)`); the officers' home
asks every provider, so neither package imports the other. A provider reads only.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from flask import Flask, current_app

EXTENSION = "staff_home_providers"


@dataclass(frozen=True)
class ToDo:
    """One thing waiting for an officer: a sentence, where to do it, and how pressing."""

    text: str
    href: str
    link_text: str
    kind: str  # a short heading it is listed under, e.g. "Responses to review"
    urgent: bool = False


Provider = Callable[[], Sequence[ToDo]]


def register(app: Flask, provider: Provider) -> None:
    """Add a provider of things to do; called once per app by each package."""
    app.extensions.setdefault(EXTENSION, []).append(provider)


def things_to_do() -> list[ToDo]:
    """Everything waiting, the urgent first, then in the providers' order."""
    found = [item for provider in current_app.extensions.get(EXTENSION, []) for item in provider()]
    return sorted(found, key=lambda item: not item.urgent)
