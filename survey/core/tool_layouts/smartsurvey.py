"""SmartSurvey's raw-data export (CSV and Excel), read conservatively.

No SmartSurvey help page on the export's columns was among the sources we could read. What is
here comes from public code that reads SmartSurvey's raw-data CSV (the Office for National
Statistics' CARS survey analysis): the first column is UserID, an IP Address column follows,
question headings start with their number ("Q1. ..."), and a question answered in several
columns is headed once, over its first column, its columns labelled in the rows below.
The rest is the conservative reading, and the mapping step can correct it: User No, Name,
Email, Unique ID, Tracking Link and Custom Variables are recognised as the tool's own columns
if present (contact details never stored); any heading naming a person or how to reach them
is never stored; Started and Ended as the tool's dates, Ended the response's; dates day first,
as a UK tool writes them (25/08/2022 15:47:12), unless the mapping file says otherwise.
"""

from __future__ import annotations

from survey.core.tool_layouts.tool import BOOKKEEPING, PERSONAL, DateOrder, Tool

SMARTSURVEY = Tool(
    name="SmartSurvey",
    own_columns={
        "userid": BOOKKEEPING,
        "user id": BOOKKEEPING,
        "user no": BOOKKEEPING,
        "ip address": PERSONAL,
        "unique id": PERSONAL,
        "tracking link": PERSONAL,
        "started": BOOKKEEPING,
        "ended": None,
    },
    own_prefixes={"custom variable": PERSONAL},
    signature=(frozenset({"userid", "ip address"}), frozenset({"user id", "ip address"})),
    date_order=DateOrder.DAY_FIRST,
    label_rows=2,
    spans=True,
    contact_headings=True,
    numbered_headings=True,
)
