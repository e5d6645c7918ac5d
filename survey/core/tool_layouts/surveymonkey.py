"""SurveyMonkey's "All responses data" export, expanded and condensed (CSV and XLSX).

Written from SurveyMonkey's help ("Exporting All Responses", "Understanding exports"): the file
starts with Respondent ID, Collector ID, Start Date, End Date, IP Address, Email Address, First
Name, Last Name and Custom Data columns and writes US dates (08/25/2022 03:47:12 PM). The
expanded layout has a second header row naming each column's option, statement or "Response"
and spreads a multi-choice question over a column per option, its heading over the first only.
The condensed layout gives each question one column, a multi-choice question's chosen answers
together in its one cell.
"""

from __future__ import annotations

from dataclasses import replace

from survey.core.tool_layouts.tool import BOOKKEEPING, PERSONAL, DateOrder, Tool

_OWN: dict[str, str | None] = {
    "respondent id": BOOKKEEPING,
    "collector id": PERSONAL,
    "start date": BOOKKEEPING,
    "end date": None,
    "ip address": PERSONAL,
    "email address": PERSONAL,
    "first name": PERSONAL,
    "last name": PERSONAL,
}
EXPANDED = Tool(
    name="SurveyMonkey",
    own_columns=_OWN,
    own_prefixes={"custom data": PERSONAL},
    signature=(frozenset({"respondent id", "collector id"}),),
    date_order=DateOrder.MONTH_FIRST,
    label_rows=1,
    spans=True,
)
CONDENSED = replace(EXPANDED, name="SurveyMonkey (condensed)", label_rows=0, spans=False)
