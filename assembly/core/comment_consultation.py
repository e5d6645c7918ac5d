"""A draft strategy put out for comment, as a consultation definition residents can answer.

Pure core: no Flask, no database. For the vision and for each priority an agreement question
and a free-text "Comments on this priority" question, each showing residents a plain summary
of that part of the draft (its aim, what it will do and who leads it); then "Is anything
missing from this strategy?". The definition is in the format `flask consultations load`
reads, so the consultation is an ordinary one in every other way.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from assembly.core.strategy import PrioritySpec, StrategySpec
from common.text import SLUG_PATTERN

CODEBOOK = "community-safety"  # comments are coded with the themes residents' concerns use
VISION = "vision"
MISSING = "missing"
SLUG_LIMIT = 80


class CommentError(ValueError):
    """A draft that cannot be put out for comment (or a comment round refused), for a person."""


@dataclass(frozen=True)
class Section:
    """A part of the draft residents comment on: its question keys, heading and summary."""

    key: str  # "vision", "priority_2"
    heading: str  # "The vision", "Priority 2: Drug misuse"
    summary: str  # several lines; "- " starts a bullet

    @property
    def agree_key(self) -> str:
        return f"{self.key}_agree"

    @property
    def comments_key(self) -> str:
        return f"{self.key}_comments"


def draft_page_path(strategy_slug: str, version: int, suffix: str = "") -> str:
    """Where the public pages publish a draft: its web page, or with '.pdf' its PDF."""
    return f"/strategies/{strategy_slug}/drafts/{version}{suffix}"


def consultation_slug(strategy_slug: str, version: int) -> str:
    """'community-safety-strategy-2027-30-draft-3', cut so it stays a valid slug."""
    tail = f"-draft-{version}"
    head = strategy_slug[: SLUG_LIMIT - len(tail)].rstrip("-")
    slug = head + tail
    assert SLUG_PATTERN.match(slug), slug
    return slug


def sections(spec: StrategySpec) -> tuple[Section, ...]:
    """The vision (when the draft has one) and each priority, in the draft's order."""
    found: list[Section] = []
    if spec.vision:
        found.append(Section(VISION, "The vision", f"The vision\n{spec.vision}"))
    for number, priority in enumerate(spec.priorities, start=1):
        heading = f"Priority {number}: {priority.name}"
        found.append(Section(f"priority_{number}", heading, _priority_summary(heading, priority)))
    return tuple(found)


def _priority_summary(heading: str, priority: PrioritySpec) -> str:
    lines = [heading, f"Aim: {priority.aim}", "What we will do:"]
    lines += [f"- {objective}" for objective in priority.objectives]
    lines.append(f"Led by: {priority.lead}")
    return "\n".join(lines)


def section_of(spec: StrategySpec, question_key: str) -> str:
    """The heading of the part of the draft a question asks about ('' if none)."""
    if question_key.startswith(MISSING):
        return "Anything missing from the strategy"
    for section in sections(spec):
        if question_key in (section.agree_key, section.comments_key):
            return section.heading
    return ""


def comment_definition(
    spec: StrategySpec,
    version: int,
    opens: dt.date,
    closes: dt.date,
    documents: list[dict[str, str]],
) -> dict[str, object]:
    """The consultation on draft `version` of a strategy; raises CommentError for bad dates."""
    if closes < opens:
        raise CommentError(
            f"the closing date ({closes.isoformat()}) is before the opening date "
            f"({opens.isoformat()})"
        )
    questions: list[dict[str, object]] = []
    for section in sections(spec):
        name = "the vision" if section.key == VISION else section.heading.split(":", 1)[1].strip()
        questions.append(
            {
                "key": section.agree_key,
                "type": "agreement",
                "text": "Do you agree with the vision?"
                if section.key == VISION
                else f"Do you agree with this priority ({_cut(name)})?",
                "context": section.summary,
            }
        )
        questions.append(
            {
                "key": section.comments_key,
                "type": "free_text",
                "text": "Comments on the vision"
                if section.key == VISION
                else f"Comments on this priority ({_cut(name)})",
                "required": False,
                "codebook": CODEBOOK,
                "context": section.summary,
            }
        )
    questions.append(
        {
            "key": MISSING,
            "type": "free_text",
            "text": "Is anything missing from this strategy?",
            "hint": "For example a problem in your area that no priority addresses.",
            "required": False,
            "codebook": CODEBOOK,
            "context": "\n".join(
                ["The draft's priorities", *(f"- {p.name}" for p in spec.priorities)]
            ),
        }
    )
    title = f"{spec.title}: draft for comment"
    return {
        "slug": consultation_slug(spec.slug, version),
        "title": _cut(title, 200),
        "summary": (
            f"{spec.partnership} has drafted its strategy for {spec.period}, and would like "
            "to know what you think of it before it is agreed. Read the draft, then tell us "
            "whether you agree with its vision and each of its priorities.\n"
            "The draft is subject to change to reflect what people tell us."
        ),
        "how_used": (
            "The partnership reads every comment and answers each point raised: what it "
            "changed in the strategy, what it did not change and why, or which other body it "
            "passed the point to. It publishes those answers as 'You said, we did' beside the "
            "next version of the strategy. Nothing that could identify you is published."
        ),
        "opens": opens.isoformat(),
        "closes": closes.isoformat(),
        "documents": documents,
        "questions": questions,
    }


def _cut(text: str, limit: int = 150) -> str:
    return text if len(text) <= limit else text[: limit - 3].rstrip() + "..."
