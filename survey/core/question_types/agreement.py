"""Agreement: Yes, No or Don't know, as in "Do you agree with these priorities?"."""

from __future__ import annotations

from survey.core.question_types.kind import OneOption, QuestionCounts
from survey.core.questions import QuestionSpec, QuestionType
from survey.core.results import QuestionResult, scale_result


class Agreement(OneOption):
    type = QuestionType.AGREEMENT
    label = "Agreement (Yes / No / Don't know)"
    is_scale = True

    def result(self, spec: QuestionSpec, counts: QuestionCounts, minimum: int) -> QuestionResult:
        return scale_result(spec, counts.per_option(), minimum)


KIND = Agreement()
