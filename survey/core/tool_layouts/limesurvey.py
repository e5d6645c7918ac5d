"""LimeSurvey's "Export responses" CSV (and Excel), with question-code or full-text headings.

Written from LimeSurvey's own export code (application/helpers/admin/export/Writer.php,
SurveyObj.php and createFieldMap in common_helper.php): one header row; its own columns are
Response ID, Date submitted, Last page, Start language, Seed, then (when the survey keeps
them) Access code, Date started, Date last action, IP address and Referrer URL, or by code id,
submitdate, lastpage, startlanguage, seed, token, startdate, datestamp, ipaddr, refurl. A
question with subquestions has a column per subquestion, headed `Q2[SQ001]` with codes or
`Question text [Subquestion]` with full text, its "Other" text in `[Other]` (`[other]`). With
full answers a multi-choice column holds "Yes" for ticked and "No" for not (codes: Y and
blank); a list's answer is its text. Dates are the database's, year first (2022-08-25
15:47:12), in the server's time, read here as UK time.
"""

from __future__ import annotations

from survey.core.tool_layouts.tool import BOOKKEEPING, PERSONAL, DateOrder, Tool

_FULL: dict[str, str | None] = {
    "response id": BOOKKEEPING,
    "date submitted": None,
    "last page": BOOKKEEPING,
    "start language": BOOKKEEPING,
    "seed": BOOKKEEPING,
    "access code": PERSONAL,
    "token": PERSONAL,
    "date started": BOOKKEEPING,
    "date last action": BOOKKEEPING,
    "ip address": PERSONAL,
    "referrer url": PERSONAL,
    # A survey that is not anonymous adds its participant list's fields.
    "first name": PERSONAL,
    "last name": PERSONAL,
    "email address": PERSONAL,
}
_CODES: dict[str, str | None] = {
    "id": BOOKKEEPING,
    "submitdate": None,
    "lastpage": BOOKKEEPING,
    "startlanguage": BOOKKEEPING,
    "seed": BOOKKEEPING,
    "startdate": BOOKKEEPING,
    "datestamp": BOOKKEEPING,
    "ipaddr": PERSONAL,
    "refurl": PERSONAL,
    "firstname": PERSONAL,
    "lastname": PERSONAL,
    "email": PERSONAL,
}

LIMESURVEY = Tool(
    name="LimeSurvey",
    own_columns=_FULL | _CODES,
    own_prefixes={"attribute ": PERSONAL},
    signature=(
        frozenset({"response id", "date submitted", "last page"}),
        frozenset({"id", "submitdate", "lastpage"}),
    ),
    date_order=DateOrder.YEAR_FIRST,
    sub_in_heading=True,
)
