"""One interface for whatever suggests themes for answers: learnt from officers, or a model.

Pure core: no Flask, no database. A suggester is given answers' words and the codebook's themes
(names and descriptions) and gives back, per answer, the themes it suggests. The learnt
suggester (`survey.core.learning.Suggester`) and the council's language model
(`survey.jobs.language_model.LanguageModelCoder`) both fit it, so the suggestions job calls
either the same way. A suggestion is never a code: officers accept it in the review queue.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

LEARNT = "learnt"  # learnt from officers' codes
LANGUAGE_MODEL = "llm"  # a language model at the endpoint the council set
SOURCES = (LEARNT, LANGUAGE_MODEL)


@dataclass(frozen=True)
class ThemeBrief:
    """What a suggester is told about one theme of the codebook."""

    name: str
    description: str = ""


@dataclass(frozen=True)
class Suggestion:
    """The themes suggested for one answer, or why it was given none.

    Each theme has a confidence from 0 to 1, or None when its source gives none (a language
    model's own "confidence" is not calibrated, so none is claimed). `problem` says why this
    answer got no usable suggestion (e.g. the reply named a theme not in the codebook).
    """

    themes: Mapping[str, float | None] = field(default_factory=dict)
    problem: str | None = None


class ThemeSuggester(Protocol):
    """Suggests themes, by name, for each of `answers`, in the same order."""

    @property
    def source(self) -> str:
        """LEARNT or LANGUAGE_MODEL: where its suggestions come from, as stored and shown."""
        ...

    def suggest_themes(
        self, answers: Sequence[str], themes: Sequence[ThemeBrief]
    ) -> list[Suggestion]:
        """One Suggestion per answer, naming only themes in `themes`."""
        ...
