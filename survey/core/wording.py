"""Fixed wording the pure core gives residents, marked for the translation catalogue.

The core has no Flask and no request, so it cannot know the resident's language: it marks its
messages with `N_` (which `pybabel extract` finds) and the web edge translates them.
"""

from __future__ import annotations


def N_(message: str) -> str:  # noqa: N802 - the name gettext's tools look for
    """Marks `message` for the catalogue; returns it unchanged (English)."""
    return message
