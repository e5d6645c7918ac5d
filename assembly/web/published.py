"""Public pages of strategies: a draft out for comment (a web page and its PDF), an adopted
strategy's final Word and PDF, and "You said, we did".

Only what was published is shown: a draft version that was put out for comment or adopted.
Every count comes from survey's results, suppressed and formatted as everywhere else.
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, render_template
from flask.typing import ResponseReturnValue
from flask_babel import get_locale

from assembly.core.language import ENGLISH, ENGLISH_WORDS, Words, available
from assembly.core.strategy import parse_strategy
from assembly.core.you_said import RESIDENTS, Point
from assembly.data import built_drafts, comment_rounds, strategies, you_said
from assembly.data.models import Strategy, StrategyDraft
from common.settings import suppression_threshold
from survey import interface

bp = Blueprint("published", __name__)

PDF = "application/pdf"


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def is_adopted_version(strategy: Strategy, version: int) -> bool:
    return strategy.frozen and strategy.adopted_version == version


def published_draft(slug: str, version: int) -> tuple[Strategy, StrategyDraft]:
    """A draft version the public may read: one put out for comment, or the one adopted."""
    strategy = strategies.by_strategy_slug(slug) or abort(404)
    adopted = is_adopted_version(strategy, version)
    if not adopted and comment_rounds.round_of(strategy, version) is None:
        abort(404)
    draft = built_drafts.draft_version(strategy, version) or abort(404)
    return strategy, draft


@bp.get("/strategies/<slug>")
def strategy_page(slug: str) -> ResponseReturnValue:
    """A strategy's public page: the adopted version's Word and PDF, and every draft that went
    out for comment with what the consultation on it changed."""
    strategy = strategies.by_strategy_slug(slug) or abort(404)
    rounds = comment_rounds.rounds_of(strategy)
    if not strategy.frozen and not rounds:
        abort(404)
    adopted = (
        built_drafts.draft_version(strategy, strategy.adopted_version)
        if strategy.frozen and strategy.adopted_version is not None
        else None
    )
    refreshes = [r for r in strategies.refreshes_of(strategy) if r.frozen]
    return render_template(
        "public/strategy.html",
        strategy=strategy,
        status=strategies.status_of(strategy),
        adopted=adopted,
        rounds=rounds,
        refreshes=refreshes,
    )


@bp.get("/strategies/<slug>/drafts/<int:version>.docx")
def adopted_docx(slug: str, version: int) -> ResponseReturnValue:
    """The adopted strategy's Word document, exactly as it was built and agreed."""
    strategy, draft = published_draft(slug, version)
    if not is_adopted_version(strategy, version):
        abort(404)
    filename = f"{strategy.slug}.docx"
    return Response(
        draft.docx,
        content_type=DOCX,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@bp.get("/strategies/<slug>/drafts/<int:version>")
def draft_page(slug: str, version: int) -> ResponseReturnValue:
    """A published draft as a web page: the definition that version was built from."""
    strategy, draft = published_draft(slug, version)
    spec = parse_strategy(draft.inputs["strategy"])
    made = comment_rounds.round_of(strategy, version)
    consultation = interface.consultation(made.consultation_slug) if made else None
    return render_template(
        "public/strategy_draft.html",
        strategy=strategy,
        spec=spec,
        draft=draft,
        adopted=is_adopted_version(strategy, version),
        status=strategies.status_of(strategy),
        consultation=consultation,
        pdf_size=len(draft.pdf or b""),
    )


@bp.get("/strategies/<slug>/drafts/<int:version>.pdf")
def draft_pdf(slug: str, version: int) -> ResponseReturnValue:
    """A published draft's PDF, exactly as it was built."""
    strategy, draft = published_draft(slug, version)
    if draft.pdf is None:
        abort(404)
    filename = built_drafts.filename_of(strategy, draft).removesuffix(".docx") + ".pdf"
    return Response(
        draft.pdf,
        content_type=PDF,
        headers={"Content-Disposition": f'inline; filename="{filename}"'},
    )


@bp.get("/consultations/<consultation_slug>/you-said-we-did")
def you_said_page(consultation_slug: str) -> ResponseReturnValue:
    """What people said about a draft and what the partnership did: the points that have a
    response, once an officer has published them. Counts are survey's, suppressed there."""
    made = comment_rounds.round_by_consultation(consultation_slug)
    if made is None or not made.you_said_published:
        abort(404)
    strategy = made.strategy
    page_language = str(get_locale() or ENGLISH)
    tr = Words(page_language) if page_language in available() else ENGLISH_WORDS
    points = [
        p
        for p in you_said.points_of(made, minimum=suppression_threshold(), tr=tr)
        if p.answer is not None
    ]
    by_section: dict[str, list[Point]] = {}
    for point in points:
        by_section.setdefault(point.section, []).append(point)
    return render_template(
        "public/you_said.html",
        strategy=strategy,
        made=made,
        consultation=interface.consultation(consultation_slug),
        by_section=by_section,
        threshold=suppression_threshold(),
        tr=tr,
        residents=RESIDENTS,
    )
