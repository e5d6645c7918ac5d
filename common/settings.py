"""Settings that adapters (pages, commands, jobs) read from the running app's configuration,
to pass into data access and the core, which never read configuration themselves."""

from __future__ import annotations

from flask import current_app

from common.statistics import DEFAULT_THRESHOLD


def suppression_threshold() -> int:
    """The smallest count that may be shown (SUPPRESSION_THRESHOLD, default 5)."""
    return int(current_app.config.get("SUPPRESSION_THRESHOLD", DEFAULT_THRESHOLD))
