"""Citizen Space's (Delib's) "Download all responses" export, read conservatively.

Delib's knowledge base describes the downloads ("Download all responses", and "... including
analyst fields" as .xlsx, the analysts' notes in columns of their own) but not, in any source
we could read, the columns themselves. So this is the conservative reading, and the mapping
step can correct it: one header row, a column per question headed with its text, a response
recognised by a Response ID column with a submission date beside it; Respondent ID and
analysts' columns are bookkeeping; any heading naming a person or how to reach them is never
stored; a checkbox question's options may come in one cell or a column each; dates day first,
as a UK tool writes them (25/08/2022 15:47), unless the mapping file says otherwise.
"""

from __future__ import annotations

from survey.core.tool_layouts.tool import BOOKKEEPING, DateOrder, Tool

_SUBMITTED = ("date submitted", "submitted", "submission date", "date of submission")

CITIZEN_SPACE = Tool(
    name="Citizen Space",
    own_columns={
        "response id": BOOKKEEPING,
        "respondent id": BOOKKEEPING,
        "response reference": BOOKKEEPING,
        "status": BOOKKEEPING,
        "date started": BOOKKEEPING,
        "started": BOOKKEEPING,
    }
    | dict.fromkeys(_SUBMITTED),
    own_prefixes={"analyst": BOOKKEEPING},
    signature=tuple(frozenset({"response id", date}) for date in _SUBMITTED),
    date_order=DateOrder.DAY_FIRST,
    contact_headings=True,
)
