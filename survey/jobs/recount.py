"""Counting large consultations' changed results in the background, each minute, so that
councillors' and residents' pages read them from the shared results cache rather than count
while someone waits (survey.data.result_cache says when pages read an earlier count)."""

from __future__ import annotations

import logging

from common.database import db
from survey.data import consultations, tallies
from survey.data.models import Status

RECOUNT = "recount_results"
_log = logging.getLogger(__name__)


def recount_changed(*, minimum: int) -> int:
    """Count every published consultation whose results are slow to count and have changed
    since they were last counted, with `minimum` the suppression threshold pages use; how many
    were counted."""
    counted = 0
    for consultation in consultations.all_consultations():
        if consultation.status == Status.DRAFT:
            continue
        if tallies.recount(consultation, minimum=minimum):
            counted += 1
    db.session.rollback()  # counting only reads: end the read transaction
    if counted:
        _log.info("Results counted again for %d changed consultation(s)", counted)
    return counted
