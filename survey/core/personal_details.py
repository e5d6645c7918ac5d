"""Personal details in a piece of residents' text: what an officer must take out of a quote.

One function, `personal_details`, finds email addresses, web addresses, phone numbers,
postcodes, street addresses with a house number, and people's names, and says each in words
an officer can act on ("Remove the phone number 01225 477000").

These are pattern checks, not understanding, and their limits are deliberate:
- Phone numbers are UK ones (10 or 11 digits starting 0, or +44), however spaced or
  hyphenated; a number written in words ("oh one two...") is not found.
- Postcodes are whole UK postcodes (BA1 1AA); a district alone (BA1) names an area, not a home.
- Street addresses need a house number and a street word ("12 High Street", "4a Mill Lane");
  "the corner of the High Street" is a place, not an address, and is allowed.
- Names are found only as capitalised words: a title followed by a capitalised word
  ("Mr Smith", "PC Jones"), or a common first name (`FIRST_NAMES`, about 200 of those most
  given in England and Wales). A first name that is also an ordinary word ("Will", "May",
  "Rose") counts only away from the start of a sentence or when a capitalised surname follows.
  A surname alone, a rare first name, a nickname or a name typed in lower case is missed, and a
  place named after a person ("Victoria Road") is not taken for a name. The officer still
  reads every quote: this catches the common slips, it does not make text anonymous.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


class Kind(StrEnum):
    """A kind of personal detail, as an officer's instruction names it."""

    EMAIL = "email address"
    URL = "web address"
    PHONE = "phone number"
    POSTCODE = "postcode"
    ADDRESS = "street address"
    NAME = "name"


@dataclass(frozen=True)
class Finding:
    """One personal detail found: what it is, the words found and where they start."""

    kind: Kind
    text: str
    start: int

    @property
    def message(self) -> str:
        """What the officer should do, as a GOV.UK error message."""
        if self.kind is Kind.NAME:
            return f"Remove the name {self.text}, or replace it with [name]"
        return f"Remove the {self.kind.value} {self.text}"


_EMAIL = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+")
_URL = re.compile(
    r"\b(?:https?://|www\.)\S+"
    r"|\b[\w-]+(?:\.[\w-]+)*\.(?:com|org|net|uk|info|io|biz|co)\b(?:/\S*)?",
    re.IGNORECASE,
)
# 0 then 9 or 10 more digits, or +44 then 9 or 10; spaces, hyphens, dots and brackets between.
_PHONE = re.compile(r"(?<![\w+])(?:\+44[\s.-]*(?:\(0\)[\s.-]*)?|\(?0)(?:[\s.()-]*\d){9,10}(?!\d)")
# The inward code's letters are never C, I, K, M, O or V: "B4 9am" is not a postcode.
_POSTCODE = re.compile(
    r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d(?!(?:st|nd|rd|th)\b)[ABD-HJLNP-UW-Z]{2}\b", re.IGNORECASE
)
_STREET_WORDS = (
    "road|rd|street|st|avenue|ave|lane|ln|close|drive|dr|way|crescent|cres|place|pl|court|ct|"
    "gardens|gdns|terrace|grove|hill|park|square|sq|row|walk|mews|rise|view|parade|green|"
    "vale|meadow|meadows|fields|estate|buildings|cottages|villas"
)
_ADDRESS = re.compile(
    rf"\b\d{{1,4}}[a-z]?,?\s+((?:[A-Za-z'-]+\s+){{1,3}})(?:{_STREET_WORDS})\b\.?",
    re.IGNORECASE,
)
# Words that cannot be part of a street's name: "5 people on the street" is not an address.
_NOT_STREET_NAMES = _words(
    "a an the on in at of to for and or by near from per every each more than times people "
    "cars car kids children youths houses homes doors years days weeks months minutes hours "
    "down up along across round around into onto off over this that our my your their his her"
)
_TITLE = re.compile(
    r"\b(?:Mr|Mrs|Ms|Miss|Mx|Dr|Sir|Dame|Lady|Lord|Cllr|Councillor|PC|PCSO|DC|DS|DI|Sgt|"
    r"Sergeant|Inspector|Constable|Officer|Rev|Revd|Father|Sister|Nurse)\.?\s+([A-Z][\w'-]+)"
)
_CAPITALISED = re.compile(r"\b[A-Z][a-z'-]+\b")
_SAINT = re.compile(r"\b(?:St\.?|Saint)\s+$")
_SENTENCE_START = re.compile(r"(?:^|[.!?:;\"“(]\s*|\n\s*)$")

FIRST_NAMES = _words(
    """
    aaron abdul abigail adam adrian agnes ahmed aidan alan albert alex alexander alfie alfred
    alice alison amanda amber amelia amy andrea andrew angela ann anna anne anthony archie
    arthur ashley barbara barry ben benjamin beth bethany bill billy bob brenda brian bruce
    callum carl carol caroline catherine charlie charlotte chloe chris christine christopher
    claire colin connor craig daisy daniel danny darren dave david dawn dean debbie deborah
    dennis derek diane donna dorothy doug douglas dylan edward eileen elaine eleanor elizabeth
    ella ellie emily emma eric ethan evie fatima finley fiona frank freddie freya gail gareth
    gary gavin geoff geoffrey george georgia gemma gillian glenn gordon graham grace hannah
    harry harvey hayley heather helen henry holly ian isaac isabel isabella isla jack jackie
    jacob jade james jamie jane janet jason jayden jean jeff jennifer jenny jessica jill jim
    jimmy joan joanne joe john jonathan jordan joseph josh joshua joyce judith julia julie
    karen kate katie kathleen keith kelly kevin kieran kim kyle laura lauren leah lee leo leon
    lesley lewis liam lily linda lisa logan lola louise lucy luke lynn maisie malcolm margaret
    maria marie mark martin mary matthew maureen megan melanie michael michelle mike mohammed
    mohammad muhammad nathan neil nicholas nicola nigel noah norman oliver olivia oscar owen
    pamela patricia paul pauline peter phil philip phoebe rachel raymond rebecca richard rob
    robert robin rose roger ronald ross ruby ruth ryan sally sam samantha samuel sandra sarah
    scott sean sharon shaun sheila simon sophie stacey stephen steve steven stuart susan
    teresa terry thomas tim timothy tina toby tom tommy tony tracey tracy trevor valerie
    vicky victoria wayne william will yvonne zara zoe dai dafydd gethin rhys sian megan
    """
)
# First names that are also ordinary English words, taken for names only where a name must be.
_ALSO_WORDS = _words("will bill mark rose grace hope joy jack sue pat dawn")


def personal_details(text: str) -> list[Finding]:
    """Every personal detail found in `text`, in the order they appear, none inside another."""
    found: list[Finding] = []
    taken: list[tuple[int, int]] = []

    def add(kind: Kind, start: int, end: int) -> None:
        if any(start < t_end and t_start < end for t_start, t_end in taken):
            return  # inside one found already: an email's domain is not a web address too
        taken.append((start, end))
        found.append(Finding(kind, text[start:end].strip().rstrip(".,;:"), start))

    for match in _EMAIL.finditer(text):
        add(Kind.EMAIL, match.start(), match.end())
    for match in _URL.finditer(text):
        add(Kind.URL, match.start(), match.end())
    for match in _PHONE.finditer(text):
        add(Kind.PHONE, match.start(), match.end())
    for match in _POSTCODE.finditer(text):
        add(Kind.POSTCODE, match.start(), match.end())
    for match in _ADDRESS.finditer(text):
        if not set(match.group(1).casefold().split()) & _NOT_STREET_NAMES:
            add(Kind.ADDRESS, match.start(), match.end())
    for match in _TITLE.finditer(text):
        add(Kind.NAME, match.start(), match.end())
    for start, end in _first_names(text):
        add(Kind.NAME, start, end)
    return sorted(found, key=lambda finding: finding.start)


def _first_names(text: str) -> list[tuple[int, int]]:
    """Where common first names are, with a capitalised surname after one if there is one."""
    spans = []
    words = list(_CAPITALISED.finditer(text))
    for index, word in enumerate(words):
        name = word.group().casefold().removesuffix("'s")
        if name not in FIRST_NAMES or _SAINT.search(text[: word.start()]):
            continue  # "St Mary's": a church or a school
        after = words[index + 1] if index + 1 < len(words) else None
        surname = after is not None and text[word.end() : after.start()] == " "
        if surname and after is not None and after.group().casefold() in _STREET_NAMES:
            continue  # "Victoria Road": a place
        at_start = bool(_SENTENCE_START.search(text[: word.start()]))
        if name in _ALSO_WORDS and at_start and not surname:
            continue  # "Will the council..." or "May I say..."
        end = after.end() if surname and after is not None else word.start() + len(name)
        spans.append((word.start(), end))
    return spans


_STREET_NAMES = frozenset(_STREET_WORDS.split("|")) | {"station", "square", "bridge", "centre"}
