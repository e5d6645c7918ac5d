"""Delivery on one page, for councillors: per priority how many actions show each status,
the actions overdue or at risk, and the measures against targets.

Pure core. Its status table and measure rows are made by the functions the progress report
and the annual report use (`status_rows`, `measure_cells`), from statuses worked out by the
same rule, so the page and both reports for the same day show the same numbers.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from assembly.core.delivery import Status, status_rows
from assembly.core.progress_report import measure_cells
from assembly.core.target_progress import TargetProgress

NEEDS_ATTENTION = (Status.OVERDUE, Status.AT_RISK)


@dataclass(frozen=True)
class ActionPosition:
    """One action as it stands: its status and the update that status comes from."""

    number: int
    priority: str
    action: str
    owner: str
    due: str  # "31 March 2027", or the plan's words
    status: Status
    period: str  # the quarter of that update, "" when none
    progress: str
    issues: str


@dataclass(frozen=True)
class DeliveryPosition:
    """A strategy's delivery as it stands on `as_of`."""

    title: str
    as_of: dt.date
    priorities: tuple[str, ...]
    actions: tuple[ActionPosition, ...]
    measures: tuple[TargetProgress, ...]

    def status_rows(self) -> list[list[str]]:
        """The status table's rows, as both reports print them."""
        return status_rows(self.priorities, [(a.priority, a.status) for a in self.actions])

    def needing_attention(self) -> list[tuple[str, list[ActionPosition]]]:
        """Per priority (those with any), its overdue actions then its at-risk ones."""
        found = []
        for priority in self.priorities:
            mine = [
                a
                for status in NEEDS_ATTENTION
                for a in self.actions
                if a.priority == priority and a.status is status
            ]
            if mine:
                found.append((priority, mine))
        return found

    def measure_rows(self) -> list[list[str]]:
        """The measures table's rows, as both reports print them."""
        return [measure_cells(m) for m in self.measures]
