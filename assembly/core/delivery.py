"""Delivering an adopted strategy's action plan: statuses, reporting quarters and updates.

Pure core: no Flask, no database. An item's status is what its owner last reported; "overdue"
is never stored: it is worked out when read, from the due date and today's date, so it
can neither go stale nor need a job to set it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from assembly.core.periods import MONTHS
from assembly.core.strategy import ITEM_LIMIT, NAME_LIMIT
from common.display import number
from common.text import clean_line, clean_text

PROGRESS_LIMIT = 5000  # progress made, and issues to be addressed: several lines each
EMAIL_LIMIT = 254


class Status(StrEnum):
    """What an owner reports of an item; OVERDUE is shown, never stored."""

    NOT_STARTED = "not started"
    ON_TRACK = "on track"
    AT_RISK = "at risk"
    DONE = "done"
    OVERDUE = "overdue"


REPORTED = (Status.NOT_STARTED, Status.ON_TRACK, Status.AT_RISK, Status.DONE)
SHOWN = (Status.NOT_STARTED, Status.ON_TRACK, Status.AT_RISK, Status.OVERDUE, Status.DONE)
# Red, amber, green: how a board reads a status at a glance.
RAG = {
    Status.NOT_STARTED: "amber",
    Status.ON_TRACK: "green",
    Status.AT_RISK: "amber",
    Status.OVERDUE: "red",
    Status.DONE: "green",
}

_PERIOD = re.compile(r"(\d{4})-Q([1-4])")


class DeliveryProblems(ValueError):
    """What is wrong with an update or an item, by field; nothing was saved."""

    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__("; ".join(problems.values()))
        self.problems = problems


def shown_status(status: str, due: dt.date | None, today: dt.date) -> Status:
    """The status to show: the reported one, or OVERDUE once past its due date and not done."""
    reported = Status(status)
    if reported is not Status.DONE and due is not None and due < today:
        return Status.OVERDUE
    return reported


def reported_status(text: str) -> Status:
    """The status an owner may report, from its words ("on track", "on-track", "ON_TRACK")."""
    wanted = " ".join(text.replace("-", " ").replace("_", " ").split()).casefold()
    for status in REPORTED:
        if status.value == wanted:
            return status
    if wanted == Status.OVERDUE.value:
        raise ValueError(
            "'overdue' is shown automatically once an item is past its due date and not "
            "done: report it as on track, at risk or done"
        )
    allowed = ", ".join(s.value for s in REPORTED)
    raise ValueError(f"'{clean_line(text)[:40]}' is not a status: use one of {allowed}")


@dataclass(frozen=True, order=True)
class Period:
    """A reporting quarter of the calendar year, written like 2027-Q1 (January to March)."""

    year: int
    quarter: int

    def __str__(self) -> str:
        return f"{self.year}-Q{self.quarter}"

    @property
    def ends(self) -> dt.date:
        """Its last day."""
        month = self.quarter * 3
        following = dt.date(self.year + (month == 12), month % 12 + 1, 1)
        return following - dt.timedelta(days=1)

    @property
    def previous(self) -> Period:
        """The quarter before it."""
        if self.quarter == 1:
            return Period(self.year - 1, 4)
        return Period(self.year, self.quarter - 1)


def parse_period(text: str) -> Period:
    """The quarter `text` names ("2027-Q1"), or ValueError saying what is expected."""
    found = _PERIOD.fullmatch(text.strip().upper())
    if found is None or not 2000 <= int(found.group(1)) <= 2100:
        raise ValueError(
            f"'{clean_line(text)[:40]}' is not a reporting period: write the year and quarter, "
            "like 2027-Q1 (January to March)"
        )
    return Period(int(found.group(1)), int(found.group(2)))


def period_of(day: dt.date) -> Period:
    """The quarter `day` falls in."""
    return Period(day.year, (day.month - 1) // 3 + 1)


_MONTH_YEAR = re.compile(r"([a-z]+)\.?\s+(\d{4})")
_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})\s+([a-z]+)\.?\s+(\d{4})")


def due_date_from(by_when: str) -> dt.date | None:
    """The date an adopted action's "by when" names ("June 2027": its last day; "2027-06-15";
    "15 June 2027"), or None for words that are not a date ("Ongoing", "Quarterly")."""
    text = " ".join(by_when.split()).casefold()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        pass
    found = _DAY_MONTH_YEAR.fullmatch(text)
    if found and found.group(2)[:3] in MONTHS:
        try:
            month = MONTHS.index(found.group(2)[:3]) + 1
            return dt.date(int(found.group(3)), month, int(found.group(1)))
        except ValueError:
            return None
    found = _MONTH_YEAR.fullmatch(text)
    if found and found.group(1)[:3] in MONTHS:
        month = MONTHS.index(found.group(1)[:3]) + 1
        year = int(found.group(2))
        following = dt.date(year + (month == 12), month % 12 + 1, 1)
        return following - dt.timedelta(days=1)
    return None


@dataclass(frozen=True)
class UpdateText:
    """A quarterly update's words, cleaned and checked."""

    progress: str
    issues: str
    who: str
    by_when: str


def checked_update(progress: str, issues: str = "", who: str = "", by_when: str = "") -> UpdateText:
    """The update's words cleaned, or DeliveryProblems naming each field that is wrong."""
    problems: dict[str, str] = {}
    made = clean_text(progress).strip()
    issues_text = clean_text(issues).strip()
    who_text = clean_line(who).strip()
    by_text = clean_line(by_when).strip()
    if not made:
        problems["progress"] = "Enter the progress made this quarter"
    elif len(made) > PROGRESS_LIMIT:
        problems["progress"] = f"Progress made must be {PROGRESS_LIMIT:,} characters or fewer"
    if len(issues_text) > PROGRESS_LIMIT:
        problems["issues"] = (
            f"Issues to be addressed must be {PROGRESS_LIMIT:,} characters or fewer"
        )
    if len(who_text) > NAME_LIMIT:
        problems["who"] = f"Who must be {NAME_LIMIT} characters or fewer"
    if len(by_text) > NAME_LIMIT:
        problems["by_when"] = f"By when must be {NAME_LIMIT} characters or fewer"
    if problems:
        raise DeliveryProblems(problems)
    return UpdateText(made, issues_text, who_text, by_text)


@dataclass(frozen=True)
class ItemText:
    """A new or changed item's words, cleaned and checked."""

    action: str
    owner_name: str
    organisation: str
    owner_email: str


def checked_item(
    action: str, owner_name: str, organisation: str, owner_email: str, priorities: Iterable[str],
    priority: str,
) -> ItemText:  # fmt: skip
    """An item's words cleaned, or DeliveryProblems naming each field that is wrong."""
    problems: dict[str, str] = {}
    text = clean_line(action).strip()
    name = clean_line(owner_name).strip()
    body = clean_line(organisation).strip()
    email = clean_line(owner_email).strip().lower()
    if priority not in set(priorities):
        problems["priority"] = "Select the priority the action delivers"
    if not text:
        problems["action"] = "Enter the action"
    elif len(text) > ITEM_LIMIT:
        problems["action"] = f"The action must be {ITEM_LIMIT} characters or fewer"
    if not body:
        problems["organisation"] = "Enter the organisation that owns the action"
    for field, value, label in (("owner_name", name, "The owner's name"),
                                ("organisation", body, "The organisation")):  # fmt: skip
        if len(value) > NAME_LIMIT and field not in problems:
            problems[field] = f"{label} must be {NAME_LIMIT} characters or fewer"
    if email and ("@" not in email or len(email) > EMAIL_LIMIT or " " in email):
        problems["owner_email"] = "Enter the owner's account email address, like name@example.org"
    if problems:
        raise DeliveryProblems(problems)
    return ItemText(text, name, body, email)


def status_counts(statuses: Iterable[Status]) -> dict[Status, int]:
    """How many items show each status, every status present (zero when none)."""
    counted = Counter(statuses)
    return {status: counted.get(status, 0) for status in SHOWN}


STATUS_HEADINGS = ("Priority", *(f"{s.value.capitalize()} ({RAG[s]})" for s in SHOWN))


def status_rows(
    priorities: Sequence[str], statuses: Sequence[tuple[str, Status]]
) -> list[list[str]]:
    """The status table of the reports and the councillors' page: per priority (then all of
    them) how many actions show each status, from (priority, status) of every action."""
    rows = [
        [name, *(number(n) for n in status_counts(s for p, s in statuses if p == name).values())]
        for name in priorities
    ]
    every = status_counts(s for _, s in statuses).values()
    return [*rows, ["All priorities", *(number(n) for n in every)]]
