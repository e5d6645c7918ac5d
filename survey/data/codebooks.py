"""The codebooks an officer can give a free-text question, each with the themes it brings.

Those the app ships (survey/core/codebooks/) and any the consultation already uses (its own
copy, perhaps changed by officers, or one it named that the app does not ship). Only reads.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from common.database import db
from survey.core.coding import CodebookError, codebook_names, load_codebook
from survey.data.models import Consultation, Theme


@dataclass(frozen=True)
class CodebookChoice:
    """One codebook to choose: its name (stored on the question), title and theme names."""

    name: str
    title: str
    themes: tuple[str, ...]


def codebook_choices(
    consultation: Consultation | None, also: str | None = None
) -> list[CodebookChoice]:
    """The shipped codebooks, then those the consultation uses (and `also`, a question's own),
    each with the themes its answers would be coded with: the consultation's copy if it has
    one, else the shipped codebook's."""
    stored: dict[str, list[str]] = {}
    if consultation is not None and consultation.id is not None:
        rows = db.session.execute(
            sa.select(Theme.codebook, Theme.name)
            .where(Theme.consultation_id == consultation.id)
            .order_by(Theme.codebook, Theme.position, Theme.id)
        )
        for codebook, name in rows:
            stored.setdefault(codebook, []).append(name)
    used = [q.codebook for q in consultation.questions if q.codebook] if consultation else []
    names = dict.fromkeys([*codebook_names(), *stored, *used, *([also] if also else [])])
    return [_choice(name, stored.get(name)) for name in names]


def _choice(name: str, stored: list[str] | None) -> CodebookChoice:
    try:
        shipped = load_codebook(name)
    except CodebookError:
        return CodebookChoice(name, name, tuple(stored or ()))
    themes = stored if stored else [theme.name for theme in shipped.themes]
    return CodebookChoice(name, shipped.title, tuple(themes))
