"""What the strategy editor's pages share: saving a whole definition, and placing its problems.

Every page builds the changed definition on `strategies.definition_of` and saves it whole with
`strategies.save_strategy`, so a form meets the checks a loaded file meets. A problem about
the part on the page is shown at its field; one about another part links to that part's page.
"""

from __future__ import annotations

import copy
import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from flask import abort, flash, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from assembly.core.readiness import Gap
from assembly.core.strategy import StrategyErrors
from assembly.core.strategy_form import SECTION_LINES, SECTION_ROWS, SECTION_TEXTS
from assembly.core.strategy_form_problems import Placed, placed
from assembly.data import crime_audits, strategies
from assembly.data.models import Strategy
from common import action_log
from common.database import db
from common.display import fewer_than, plural
from common.settings import suppression_threshold
from survey import interface
from survey.core.results import TextResult

CHANGED_MEANWHILE = (
    "Someone else saved a change to this strategy after you opened this page, so nothing was "
    "saved. Your changes are still below: check them, then save again"
)


@dataclass
class PageErrors:
    """The error summary's entries, and each field's message by its id."""

    summary: list[dict[str, str]] = field(default_factory=list)
    at: dict[str, str] = field(default_factory=dict)

    def add(self, text: str, href: str, field_id: str | None = None) -> None:
        self.summary.append({"text": text, "href": href})
        if field_id is not None:
            self.at.setdefault(field_id, text)

    def sort(self, fields: Sequence[str]) -> None:
        """Put the summary in the order of the page's fields; others after them."""
        order = {f"#{name}": position for position, name in enumerate(fields)}
        self.summary.sort(key=lambda entry: order.get(entry["href"], len(order)))

    def __bool__(self) -> bool:
        return bool(self.summary)


# Where a problem is shown: (field id, message) on this page, or None for another page.
Here = Callable[[Placed], tuple[str, str] | None]


def strategy_or_404(slug: str) -> Strategy:
    return strategies.by_strategy_slug(slug) or abort(404)


def refuse_if_frozen() -> ResponseReturnValue | None:
    """Before a page that changes a strategy: an adopted one goes back to its page, saying
    why it can no longer change; None for any other."""
    if not current_user.is_authenticated:
        return None  # the page itself asks them to sign in
    slug = (request.view_args or {}).get("slug")
    strategy = strategies.by_strategy_slug(slug) if isinstance(slug, str) else None
    if strategy is None or not strategy.frozen:
        return None
    reason = strategies.frozen_reason(strategy)
    flash(reason[:1].upper() + reason[1:], "error")
    return redirect(strategy_url(strategy.slug), code=303)


def strategy_url(slug: str) -> str:
    """The strategy's page, where every editor page returns."""
    return url_for("strategies.strategy_page", slug=slug)


def editable(strategy: Strategy) -> dict[str, Any]:
    """A copy of the stored definition to change, leaving the stored one untouched."""
    return copy.deepcopy(strategies.definition_of(strategy))


def version_of(strategy: Strategy) -> str:
    """A fingerprint of the stored definition, to notice a change saved meanwhile."""
    text = json.dumps(strategies.definition_of(strategy), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def save(definition: dict[str, Any], what: str) -> list[str]:
    """Save a whole definition and log it; or its problems, with nothing saved."""
    before = strategies.by_strategy_slug(str(definition.get("slug", "")))
    old = copy.deepcopy(before.definition) if before is not None else None
    try:
        strategy, _ = strategies.save_strategy(definition)
    except StrategyErrors as exc:
        db.session.rollback()
        return list(exc.problems)
    if strategy.definition != old:
        action_log.record("strategy changed", None, strategy.title, what, by=current_user)
    db.session.commit()
    return []


def page_errors(problems: Sequence[str], slug: str, here: Here) -> PageErrors:
    """The error summary and field messages for a page; `here` places what it shows."""
    errors = PageErrors()
    for problem in problems:
        where = placed(problem)
        shown = here(where)
        if shown is not None:
            field_id, message = shown
            errors.add(message, f"#{field_id}", field_id)
        else:
            errors.add(where.problem, part_url(slug, where))
    return errors


def part_url(slug: str, where: Placed) -> str:
    """The page where a problem's part is edited."""
    if where.part == "priority" and where.number is not None:
        return url_for("strategy_editor.edit_priority", slug=slug, number=where.number)
    if where.part == "other_agency":
        return url_for("strategy_editor.other_agencies", slug=slug)
    if where.part == "glossary":
        return url_for("strategy_editor.glossary", slug=slug)
    if where.part in ("signatory", "funding", "other_plan"):
        return url_for("strategy_editor.sections", slug=slug)
    if where.field in (*SECTION_TEXTS, *SECTION_LINES, *SECTION_ROWS):
        return url_for("strategy_editor.sections", slug=slug, _anchor=where.field)
    return url_for("strategy_editor.details", slug=slug, _anchor=where.field)


GAP_PAGES = {
    "details": "strategy_editor.details",
    "sections": "strategy_editor.sections",
    "other_agencies": "strategy_editor.other_agencies",
}


def gap_url(slug: str, gap: Gap) -> str:
    """The page and field that fix a readiness gap."""
    if gap.page == "priority" and gap.priority is not None:
        return url_for(
            "strategy_editor.edit_priority", slug=slug, number=gap.priority, _anchor=gap.field
        )
    return url_for(GAP_PAGES[gap.page], slug=slug, _anchor=gap.field)


def consultation_items(value: str, keep: str = "") -> list[dict[str, Any]]:
    """The consultations to choose from; `keep` (the stored one) is listed even if gone."""
    items: list[dict[str, Any]] = [{"value": "", "text": "Choose a consultation"}]
    slugs = []
    for consultation in interface.consultations():
        slugs.append(consultation.slug)
        items.append({"value": consultation.slug, "text": consultation.title})
    if keep and keep not in slugs:
        items.append({"value": keep, "text": f"{keep} (no longer exists)"})
    return _selected(items, value)


def audit_items(value: str, keep: str = "") -> list[dict[str, Any]]:
    """The imported audits to choose from; `keep` (the stored one) is listed even if gone."""
    items: list[dict[str, Any]] = [{"value": "", "text": "Choose an audit"}]
    names = [audit.name for audit in crime_audits.all_audits()]
    items += [{"value": name, "text": name} for name in names]
    if keep and keep not in names:
        items.append({"value": keep, "text": f"{keep} (no longer imported)"})
    return _selected(items, value)


def _selected(items: list[dict[str, Any]], value: str) -> list[dict[str, Any]]:
    for item in items:
        item["selected"] = item["value"] == value
    return items


def consultation_themes(consultation_slug: str) -> list[str]:
    """The consultation's theme names, or none when it no longer exists."""
    return interface.theme_names(consultation_slug)


def audit_category_names(audit_name: str) -> list[str]:
    """The audit's categories, or none when it is no longer imported."""
    audit = crime_audits.audit_by_name(audit_name)
    return crime_audits.audit_categories(audit) if audit else []


def theme_mentions(consultation_slug: str) -> dict[str, str]:
    """'Mentioned by 12 residents' per theme, suppressed as the results and the draft are."""
    results = interface.results(consultation_slug, minimum=suppression_threshold())
    if results is None:
        return {}
    text_results = [q for q in results.questions if isinstance(q, TextResult)]
    said: dict[str, list[str]] = {}
    for question in text_results:
        for mention in question.themes:
            share = mention.share
            count = (
                f"{fewer_than(share)} residents"
                if share.count is None
                else plural(share.count, "resident")
            )
            where = f" (answering '{question.text}')" if len(text_results) > 1 else ""
            said.setdefault(mention.theme, []).append(count + where)
    return {theme: "Mentioned by " + " and ".join(counts) for theme, counts in said.items()}
