"""What a question is: its type, the fixed scales, and the checked definition every layer uses.

Pure core. How each type is checked, stored, counted and asked is in `question_types/`;
reading a consultation definition is `definitions.py`.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class QuestionType(StrEnum):
    """The kinds of question a consultation can ask; each has a module in `question_types/`."""

    AGREEMENT = "agreement"
    LIKERT = "likert"
    MATRIX = "matrix"
    SINGLE_CHOICE = "single_choice"
    MULTI_CHOICE = "multi_choice"
    FREE_TEXT = "free_text"


AGREEMENT_SCALE: tuple[str, ...] = ("Yes", "No", "Don't know")
LIKERT_SCALE: tuple[str, ...] = (
    "Strongly agree",
    "Agree",
    "Neither agree nor disagree",
    "Disagree",
    "Strongly disagree",
    "Don't know",
)
FIXED_SCALES: dict[QuestionType, tuple[str, ...]] = {
    QuestionType.AGREEMENT: AGREEMENT_SCALE,
    QuestionType.LIKERT: LIKERT_SCALE,
    QuestionType.MATRIX: LIKERT_SCALE,
}
OTHER_LABEL = "Other"
OTHER_OPTION = -1  # option index stored for "Other - please specify"
FREE_TEXT_LIMIT = 5000  # characters; stated to residents under every free-text box


@dataclass(frozen=True)
class QuestionSpec:
    """One question as residents see it and as its answers are checked."""

    key: str
    type: QuestionType
    text: str
    hint: str = ""
    required: bool = True
    options: tuple[str, ...] = ()
    rows: tuple[str, ...] = ()
    breakdown: bool = False
    codebook: str | None = None
    other: bool = False
    # What residents read before answering (several lines; the first is its heading), such as
    # the part of a draft strategy the question asks about.
    context: str = ""

    @property
    def choices(self) -> tuple[str, ...]:
        """The options a resident picks from: its type's fixed scale, or the officer's options."""
        return FIXED_SCALES.get(self.type, self.options)

    def choice_label(self, index: int) -> str:
        """The text of option `index`, including the "Other" option."""
        return OTHER_LABEL if index == OTHER_OPTION else self.choices[index]
