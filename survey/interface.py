"""What assembly may read of survey: consultations and their results, as plain dataclasses.

assembly imports nothing else of survey but its pure result types (`survey.core`); an
import-linter contract keeps it so. Every function here only reads, so a strategy's inputs
can be gathered from a read-only database, except `add_consultation`: a draft strategy put
out for comment becomes an ordinary consultation, made by the path `flask consultations
load` takes. `minimum` is the suppression threshold: counts below it are hidden, as on the
results pages.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from survey.core.definitions import DefinitionErrors, parse_definition
from survey.core.results import Breakdown, ConsultationResults
from survey.data import tallies, themes
from survey.data.consultations import all_consultations, by_slug, save_definition
from survey.data.models import Consultation, Status


class ConsultationRefused(ValueError):
    """A consultation that could not be made, with every problem; nothing was saved."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("; ".join(problems))


@dataclass(frozen=True)
class ConsultationRef:
    """A consultation as assembly names it: its id (for the action log), slug and title,
    and where it is in its life (draft, open, closed) and its dates."""

    id: int
    slug: str
    title: str
    status: str = Status.DRAFT.value
    opens: dt.date | None = None
    closes: dt.date | None = None


def _ref(consultation: Consultation) -> ConsultationRef:
    return ConsultationRef(
        consultation.id,
        consultation.slug,
        consultation.title,
        consultation.status,
        consultation.opens,
        consultation.closes,
    )


def add_consultation(definition: dict[str, Any]) -> ConsultationRef:
    """Add a new consultation (a draft, for an officer to open) from a definition in the
    format `flask consultations load` reads; raises ConsultationRefused naming every problem,
    or that the slug is taken. The caller commits."""
    try:
        spec = parse_definition(definition)
    except DefinitionErrors as exc:
        raise ConsultationRefused(list(exc.problems)) from None
    if by_slug(spec.slug) is not None:
        raise ConsultationRefused([f"a consultation with the slug '{spec.slug}' already exists"])
    consultation, _ = save_definition(spec)
    return _ref(consultation)


def consultations() -> list[ConsultationRef]:
    """Every consultation, newest opening date first."""
    return [_ref(c) for c in all_consultations()]


def consultation(slug: str) -> ConsultationRef | None:
    """The consultation with this slug, if it exists."""
    found = by_slug(slug)
    return _ref(found) if found is not None else None


def results(slug: str, *, minimum: int) -> ConsultationResults | None:
    """Every result of the consultation, or None when it does not exist."""
    found = by_slug(slug)
    return tallies.consultation_results(found, minimum=minimum) if found is not None else None


def breakdown(slug: str, by_key: str, question_key: str, *, minimum: int) -> Breakdown | None:
    """Agreement with one scale question in each group of `by_key`; None when the consultation
    does not exist. Raises tallies.UnknownGroup for a question it does not have."""
    found = by_slug(slug)
    if found is None:
        return None
    return tallies.breakdown(found, by_key, question_key, minimum=minimum)


def theme_names(slug: str) -> list[str]:
    """The names of the themes its free-text answers are coded with; none when it is gone."""
    found = by_slug(slug)
    return themes.theme_names(found) if found is not None else []


def welsh_texts(slug: str) -> dict[str, str]:
    """The consultation's own Welsh: its title ("title") and each question's text by key,
    where officers gave it; empty when it has none or is gone."""
    found = by_slug(slug)
    if found is None:
        return {}
    texts = {question.key: question.text_cy for question in found.questions if question.text_cy}
    return {"title": found.title_cy, **texts} if found.title_cy else texts
