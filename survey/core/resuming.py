"""Where a resident coming back to saved answers carries on: the first question still to answer.

Pure core. "Still to answer" means asked (its follow-up condition met by the saved answers),
with no answer, and either required or not yet reached: an optional question the resident
left blank before the page they saved on was passed on purpose and is not asked again.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from survey.core.questions import QuestionSpec


def continue_at(
    every: Sequence[QuestionSpec],
    asked: Sequence[QuestionSpec],
    answered: Collection[str],
    saved_on: str | None,
) -> str | None:
    """The key of the question to carry on at; None for "check your answers".

    `every` is the consultation's questions in order, `asked` those the saved answers ask,
    `answered` the keys with an answer, `saved_on` the question whose page the resident
    saved on (None: the check page, so everything was reached).
    """
    position = {spec.key: i for i, spec in enumerate(every)}
    reached = len(every) if saved_on is None else position.get(saved_on, 0)
    for spec in asked:
        if spec.key in answered:
            continue
        if spec.required or position[spec.key] >= reached:
            return spec.key
    return None
