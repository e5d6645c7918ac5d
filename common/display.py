"""How numbers, dates and times are written, everywhere a person reads them.

The pages, the exports and (later) the Word drafts all format through these functions, so
they can never disagree.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from common.translation import N_, Say, english, worded

if TYPE_CHECKING:  # only `register_filters` needs Flask; the pure core formats through here too
    from flask import Flask

    from common.statistics import Share

LOCAL_ZONE = ZoneInfo("Europe/London")


def number(value: int) -> str:
    """A whole number with thousands separators: 1,070."""
    return f"{value:,}"


def figure(value: Decimal) -> str:
    """A non-negative figure from a file, as written: '1,070', or '1,070.25' with its decimals."""
    if value == value.to_integral_value():
        return number(int(value))
    exponent = value.normalize().as_tuple().exponent
    places = -exponent if isinstance(exponent, int) else 0
    whole, _, fraction = rounded(float(value), places).partition(".")
    return f"{number(int(whole))}.{fraction}"


WELSH_MONTHS = (
    "Ionawr",
    "Chwefror",
    "Mawrth",
    "Ebrill",
    "Mai",
    "Mehefin",
    "Gorffennaf",
    "Awst",
    "Medi",
    "Hydref",
    "Tachwedd",
    "Rhagfyr",
)


def long_date(value: dt.date, language: str = "en") -> str:
    """A date in GOV.UK style: 5 January 2026, or in Welsh 5 Ionawr 2026."""
    if language == "cy":
        return f"{value.day} {WELSH_MONTHS[value.month - 1]} {value.year}"
    return f"{value.day} {value:%B %Y}"


def date_time(value: dt.datetime, language: str = "en") -> str:
    """A moment in UK time, GOV.UK style: 5 January 2026 at 2:05pm, or in Welsh 5 Ionawr 2026
    am 2:05pm."""
    local = value.astimezone(LOCAL_ZONE)
    hour = local.hour % 12 or 12
    suffix = "am" if local.hour < 12 else "pm"
    at = "am" if language == "cy" else "at"
    return f"{long_date(local.date(), language)} {at} {hour}:{local:%M}{suffix}"


def iso_timestamp(value: dt.datetime) -> str:
    """A moment as ISO 8601 in UTC, for files: 2026-01-05T14:05:00+00:00."""
    return value.astimezone(dt.UTC).isoformat(timespec="seconds")


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """'1 response', '2 responses', '1,070 responses'."""
    word = singular if count == 1 else (plural_form or singular + "s")
    return f"{number(count)} {word}"


def wait_time(seconds: int) -> str:
    """How long to wait, rounded up to what a person would say: 'a minute' (up to 60
    seconds), '40 minutes', 'an hour', '3 hours'."""
    if seconds <= 60:
        return "a minute"
    minutes = -(-seconds // 60)
    if minutes < 60:
        return f"{minutes} minutes"
    hours = -(-minutes // 60)
    return "an hour" if hours == 1 else f"{number(hours)} hours"


def rounded(value: float, places: int = 0) -> str:
    """A number rounded half away from zero (82.5 -> 83, not Python's banker's 82)."""
    exponent = Decimal(1).scaleb(-places)
    text = str(Decimal(repr(value)).quantize(exponent, rounding=ROUND_HALF_UP))
    return text.lstrip("-") if text.strip("-0.") == "" else text  # never "-0"


def percent(value: float, places: int = 0) -> str:
    """A percentage: 82%, or 22.7% with places=1."""
    return f"{rounded(value, places)}%"


def fewer_than(share: Share, say: Say = english) -> str:
    """How a suppressed count is written: 'fewer than 5', or 'not shown' for one hidden so
    that a small count beside it cannot be worked out."""
    if share.withheld:
        return say(N_("not shown"))
    return below(share.threshold, say)


def below(threshold: int, say: Say = english) -> str:
    """A count too small to show, by its threshold: 'fewer than 5'."""
    return worded(say, N_("fewer than %(count)s"), count=number(threshold))


def in_words(share: Share, say: Say = english) -> str:
    """A hidden count as a sentence says it: 'fewer than 5', or 'an undisclosed number' for
    one hidden so that a small count beside it cannot be worked out."""
    return say(N_("an undisclosed number")) if share.withheld else fewer_than(share, say)


WITHHELD_NOTE = N_(
    "Where other numbers, here or in another group’s results, would let it be worked out, "
    "more are “not shown”."
)


WITHHELD_GROUP = (
    "This group’s results are not shown on their own: with everyone’s and the other groups’ "
    "results they would let a small number be worked out."
)


def suppression_note(threshold: int, who: str = "no one", say: Say = english) -> str:
    """The rule as readers are told it: 'Any number from 1 to 4 is shown as “fewer than 5”, so
    that no one can be identified.'

    Zero is shown as it is (it identifies no one), so the rule does not say "below 5". With a
    threshold of 1 nothing is hidden, and the sentence says so rather than give a reason.
    The second sentence explains secondary suppression (common.disclosure). Translated (`say`),
    it is said of no one: `who` is English wording for staff documents.
    """
    if threshold <= 1:
        return say(N_("Every number is shown as it is."))
    if say is not english:
        return f"{_rule_for_residents(threshold, say)} {say(WITHHELD_NOTE)}"
    shown = f"is shown as “fewer than {number(threshold)}”, so that {who} can be identified."
    rule = (
        f"The number 1 {shown}"
        if threshold == 2
        else f"Any number from 1 to {number(threshold - 1)} {shown}"
    )
    return f"{rule} {WITHHELD_NOTE}"


def _rule_for_residents(threshold: int, say: Say) -> str:
    if threshold == 2:
        return say(N_("The number 1 is shown as “fewer than 2”, so that no one can be identified."))
    return worded(
        say,
        N_(
            "Any number from 1 to %(highest)s is shown as “fewer than %(threshold)s”, so that "
            "no one can be identified."
        ),
        highest=number(threshold - 1),
        threshold=number(threshold),
    )


def share_count(share: Share, say: Say = english) -> str:
    """The count of a share: '50', or 'fewer than 5' when suppressed."""
    return fewer_than(share, say) if share.count is None else number(share.count)


def share_percent(share: Share, say: Say = english) -> str:
    """The percentage of a share: '82%', or 'fewer than 5' when suppressed."""
    if share.percent is None:
        return fewer_than(share, say) if share.count is None else "-"
    return percent(share.percent)


def share_of(share: Share, say: Say = english) -> str:
    """A share with its base: '50 of 61 (82%)', or 'fewer than 5 of 61'; a base too small
    to show is not shown either ('fewer than 5', never 'fewer than 5 of 3'), nor beside a
    count 'not shown'."""
    if share.count is None:
        if 0 < share.base < share.threshold or share.withheld:
            return fewer_than(share, say)
        return worded(
            say, N_("%(count)s of %(base)s"), count=fewer_than(share, say), base=number(share.base)
        )
    if share.base == 0:
        return worded(say, N_("%(count)s of %(base)s"), count="0", base="0")
    return worded(
        say,
        N_("%(count)s of %(base)s (%(percent)s)"),
        count=number(share.count),
        base=number(share.base),
        percent=share_percent(share),
    )


def interval(share: Share, say: Say = english) -> str:
    """The 95% interval of a share: '72% to 89%', or '' when there is none."""
    if share.interval is None:
        return ""
    low, high = share.interval
    return worded(say, N_("%(low)s to %(high)s"), low=percent(low), high=percent(high))


def points(value: float, say: Say = english) -> str:
    """A difference of percentages in points, signed: '+45 points', '-3 points', '0 points'."""
    text = rounded(value)
    sign = "+" if not text.startswith("-") and text != "0" else ""
    if text.lstrip("-") == "1":
        return worded(say, N_("%(signed)s point"), signed=f"{sign}{text}")
    return worded(say, N_("%(signed)s points"), signed=f"{sign}{text}")


def register_filters(app: Flask) -> None:
    """Make the formatting functions available to templates."""
    app.add_template_filter(number)
    app.add_template_filter(long_date)
    app.add_template_filter(date_time)
    app.add_template_filter(plural)
    app.add_template_filter(wait_time)
    app.add_template_filter(suppression_note)
    for formatter in (percent, share_count, share_percent, share_of, interval, points):
        app.add_template_filter(formatter)
    app.jinja_env.globals["withheld_group"] = WITHHELD_GROUP
