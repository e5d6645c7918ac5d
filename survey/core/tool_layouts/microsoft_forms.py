"""Microsoft Forms' "Open results in Excel" workbook (and the same cells saved as CSV).

Written from Microsoft's help ("View results of your form"): one header row, ID, Start time,
Completion time, Email, Name (Last modified time in newer workbooks), then a column per question
headed with its text; several options ticked are joined with ';' and end in ';', and what a
respondent typed for "Other" stands in place of the word; dates month first in US workbooks
(8/25/2022 15:47:12).
"""

from __future__ import annotations

from survey.core.tool_layouts.tool import BOOKKEEPING, PERSONAL, DateOrder, Tool

FORMS = Tool(
    name="Microsoft Forms",
    own_columns={
        "id": BOOKKEEPING,
        "start time": BOOKKEEPING,
        "completion time": None,
        "last modified time": BOOKKEEPING,
        "email": PERSONAL,
        "name": PERSONAL,
    },
    signature=(frozenset({"id", "start time", "completion time"}),),
    date_order=DateOrder.MONTH_FIRST,
    date_example="8/25/2022 15:47:12",
    other_in_answer=True,
)
