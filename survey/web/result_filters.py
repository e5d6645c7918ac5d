"""The results page's filters, read from its address: one per breakdown question, and the channel.

`?area=Keynsham&age_band=25+to+44&channel=paper` chooses those in all three at once. A value
that is not one of the choices reads as a 404, as an unknown group always has; an empty one is
"All". The page's older single filter, `?group=area:Keynsham`, is read as `?area=Keynsham`.
"""

from __future__ import annotations

from dataclasses import dataclass

from survey.core.results import BreakdownQuestion, ConsultationResults
from survey.data.models import Channel, Consultation
from survey.data.tallies import UnknownGroup, combination_results, consultation_results
from survey.web.addresses import query_text

CHANNEL = "channel"
OLD_GROUP = "group"


@dataclass(frozen=True)
class Filters:
    """The groups chosen (question key, option label) and the channel, if any."""

    groups: tuple[tuple[str, str], ...] = ()
    channel: str | None = None

    @property
    def query(self) -> dict[str, str]:
        """As the page's address query, for links to its charts and downloads."""
        found = dict(self.groups)
        if self.channel:
            found[CHANNEL] = self.channel
        return found

    @property
    def chosen(self) -> bool:
        return bool(self.groups or self.channel)


def breakdown_keys(consultation: Consultation) -> list[str]:
    return [q.key for q in consultation.questions if q.breakdown]


def old_group() -> dict[str, str] | None:
    """The older `?group=KEY:LABEL` as the query it now is, or None when not given."""
    key, sep, label = query_text(OLD_GROUP).partition(":")
    return {key: label} if sep and key and label else None


def read(consultation: Consultation) -> Filters:
    """The filters in the address: each breakdown question's, then the channel (or the older
    single filter, still read by the chart and table downloads linked to before)."""
    old = old_group()
    if old is not None:
        return Filters(tuple(old.items()))
    groups = tuple(
        (key, value) for key in breakdown_keys(consultation) if (value := query_text(key))
    )
    return Filters(groups, query_text(CHANNEL) or None)


def results(consultation: Consultation, filters: Filters, minimum: int) -> ConsultationResults:
    """The results for these filters: everyone's, one group's (protected with every other
    group's), or a combination's (protected with its whole cross-table). Raises UnknownGroup."""
    if not filters.chosen:
        return consultation_results(consultation, None, minimum=minimum)
    if len(filters.groups) == 1 and filters.channel is None:
        return consultation_results(consultation, filters.groups[0], minimum=minimum)
    return combination_results(consultation, filters.groups, filters.channel, minimum=minimum)


def select_items(question: BreakdownQuestion, filters: Filters) -> list[dict[str, str | bool]]:
    """A breakdown question's select: "All", then each group."""
    chosen = dict(filters.groups).get(question.key, "")
    return [{"value": "", "text": "All"}] + [
        {"value": label, "text": label, "selected": label == chosen} for label in question.groups
    ]


def channel_items(filters: Filters) -> list[dict[str, str | bool]]:
    """The channel's select: "All", then each way a response can arrive."""
    return [{"value": "", "text": "All"}] + [
        {"value": c.value, "text": c.value.capitalize(), "selected": c.value == filters.channel}
        for c in Channel
    ]


__all__ = ["Filters", "UnknownGroup", "read", "results"]
