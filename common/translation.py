"""Fixed wording marked for the residents' Welsh catalogue, and how pure code is handed the
page's language: a `Say` that turns a marked English message into the page's language.

Pure code cannot know the reader's language (it has no request): it marks its messages with
`N_` (which `pybabel extract` finds) and says each through the `Say` its caller gives. Staff
pages, the exports and the Word drafts give none, so they read `english`, exactly as written.
"""

from __future__ import annotations

from collections.abc import Callable

Say = Callable[[str], str]


def N_(message: str) -> str:  # noqa: N802 - the name gettext's tools look for
    """Marks `message` for the catalogue; returns it unchanged (English)."""
    return message


def english(message: str) -> str:
    """The `Say` of English pages: every message as written."""
    return message


def worded(say: Say, message: str, **values: str) -> str:
    """`message` in the page's language with `values` put in (`%(name)s`; a literal % is %%)."""
    return say(message) % values
