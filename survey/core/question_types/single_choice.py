"""Choose one of the officer's options; results can be broken down by it (an area, an age)."""

from __future__ import annotations

from survey.core.question_types.kind import OneOption, QuestionCounts
from survey.core.questions import QuestionSpec, QuestionType
from survey.core.results import QuestionResult, choice_result


class SingleChoice(OneOption):
    type = QuestionType.SINGLE_CHOICE
    label = "Choose one option"
    needs_options = True
    can_break_down = True

    def result(self, spec: QuestionSpec, counts: QuestionCounts, minimum: int) -> QuestionResult:
        per_option = counts.per_option()
        return choice_result(spec, per_option, sum(per_option.values()), minimum)


KIND = SingleChoice()
