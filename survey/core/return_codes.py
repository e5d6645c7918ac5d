"""Codes that let a resident come back to answers they saved: made, shown, read back and hashed.

A code is 12 characters from 31 letters and digits that cannot be mistaken for one another
(no 0 or O, no 1, I or L): about 59 bits, so with the per-address limit on entering codes
it cannot be guessed. It is shown in groups of four (`K7QP-M3XD-9RWT`) and read back
forgiving case, spaces and dashes. Only its SHA-256 is stored: the database never holds a
code that works.
"""

from __future__ import annotations

import hashlib
import secrets

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
LENGTH = 12
GROUP = 4
# What people type between the groups, or by mistake around them: spaces, hyphens, dashes.
_SEPARATORS = str.maketrans("", "", " \t\r\n-\u2010\u2011\u2012\u2013\u2014\u2212")


def new_code() -> str:
    """A fresh random code, unformatted."""
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def shown(code: str) -> str:
    """A code as residents read it: groups of four joined by dashes."""
    return "-".join(code[i : i + GROUP] for i in range(0, len(code), GROUP))


def normalised(typed: str) -> str:
    """What a resident typed, without case, spaces or dashes (not yet checked)."""
    return typed.translate(_SEPARATORS).upper()


def well_formed(code: str) -> bool:
    """True when a normalised code has the length and the letters a code is made of."""
    return len(code) == LENGTH and all(c in ALPHABET for c in code)


def digest(code: str) -> str:
    """The SHA-256 (hex) of a normalised code: what is stored and looked up."""
    return hashlib.sha256(code.encode("ascii")).hexdigest()
