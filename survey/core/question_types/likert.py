"""Likert: Strongly agree to Strongly disagree, and Don't know, on one statement."""

from __future__ import annotations

from survey.core.question_types.kind import OneOption, QuestionCounts
from survey.core.questions import QuestionSpec, QuestionType
from survey.core.results import QuestionResult, scale_result


class Likert(OneOption):
    type = QuestionType.LIKERT
    label = "Agreement scale (Strongly agree to Strongly disagree)"
    is_scale = True

    def result(self, spec: QuestionSpec, counts: QuestionCounts, minimum: int) -> QuestionResult:
        return scale_result(spec, counts.per_option(), minimum)


KIND = Likert()
