"""What a question is: its type, the fixed scales, and the checked definition every layer uses.

Pure core. How each type is checked, stored, counted and asked is in `question_types/`;
reading a consultation definition is `definitions.py`.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from survey.core.wording import N_


class QuestionType(StrEnum):
    """The kinds of question a consultation can ask; each has a module in `question_types/`."""

    AGREEMENT = "agreement"
    LIKERT = "likert"
    MATRIX = "matrix"
    SINGLE_CHOICE = "single_choice"
    MULTI_CHOICE = "multi_choice"
    FREE_TEXT = "free_text"


AGREEMENT_SCALE: tuple[str, ...] = (N_("Yes"), N_("No"), N_("Don't know"))
LIKERT_SCALE: tuple[str, ...] = (
    N_("Strongly agree"),
    N_("Agree"),
    N_("Neither agree nor disagree"),
    N_("Disagree"),
    N_("Strongly disagree"),
    N_("Don't know"),
)
FIXED_SCALES: dict[QuestionType, tuple[str, ...]] = {
    QuestionType.AGREEMENT: AGREEMENT_SCALE,
    QuestionType.LIKERT: LIKERT_SCALE,
    QuestionType.MATRIX: LIKERT_SCALE,
}
OTHER_LABEL = N_("Other")
OTHER_OPTION = -1  # option index stored for "Other - please specify"
FREE_TEXT_LIMIT = 5000  # characters; stated to residents under every free-text box


@dataclass(frozen=True)
class ShowIf:
    """A follow-up question's condition: asked only when the earlier question `question` was
    answered with one of `answers` (its options, in English)."""

    question: str
    answers: tuple[str, ...]


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
    # The same question in Welsh, where officers gave it (options and rows in the same order,
    # so a Welsh answer is stored as the same option index); empty for an English-only one.
    text_cy: str = ""
    hint_cy: str = ""
    options_cy: tuple[str, ...] = ()
    rows_cy: tuple[str, ...] = ()
    context_cy: str = ""
    # A fixed scale's labels and "Other" as the page shows them in another language (the
    # options keep their order, so an answer is stored as the same option index).
    scale: tuple[str, ...] = ()
    other_label: str = OTHER_LABEL
    show_if: ShowIf | None = None

    @property
    def choices(self) -> tuple[str, ...]:
        """The options a resident picks from: its type's fixed scale, or the officer's options."""
        if self.type in FIXED_SCALES:
            return self.scale or FIXED_SCALES[self.type]
        return self.options

    def choice_label(self, index: int) -> str:
        """The text of option `index`, including the "Other" option."""
        return self.other_label if index == OTHER_OPTION else self.choices[index]
