"""Fixed wording the pure core gives residents, marked for the translation catalogue.

The core has no Flask and no request, so it cannot know the resident's language: it marks its
messages with `N_` (which `pybabel extract` finds) and the web edge translates them, or hands
the core a `Say` (common.translation) that does.
"""

from __future__ import annotations

from common.translation import N_, Say, english, worded

__all__ = ["N_", "Say", "english", "worded"]
