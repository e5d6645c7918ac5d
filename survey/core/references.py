"""Public reference numbers residents are given for their response."""

from __future__ import annotations

import secrets

# No vowels (so no words), and none of 0/O, 1/I/L, 5/S, 8/B, U/V that are misread or misheard.
ALPHABET = "CDFGHJKMNPQRTWXYZ234679"
LENGTH = 8


def new_reference() -> str:
    """A random 8-character reference from the unambiguous alphabet."""
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalise_reference(text: str) -> str:
    """A reference as typed by a person: spaces and hyphens removed, upper case."""
    return "".join(ch for ch in text.upper() if ch not in " -")


def is_reference(text: str) -> bool:
    """True when `text` has the shape of a reference."""
    return len(text) == LENGTH and all(ch in ALPHABET for ch in text)
