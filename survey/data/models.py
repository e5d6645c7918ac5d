"""Typed SQLAlchemy 2.0 models for consultations, questions, responses, answers and themes."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from common.database import UTCDateTime, db, utcnow
from survey.core.questions import QuestionSpec, QuestionType, ShowIf


class Status(StrEnum):
    """Where a consultation is in its life."""

    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"


class Channel(StrEnum):
    """How a response reached the partnership."""

    ONLINE = "online"
    PAPER = "paper"
    EMAIL = "email"
    EVENT = "event"


class Consultation(db.Model):  # type: ignore[name-defined,misc]
    """A public consultation: its text, dates, status and questions."""

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(80), unique=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    summary: Mapped[str] = mapped_column(sa.Text)
    how_used: Mapped[str] = mapped_column(sa.Text, default="")
    privacy: Mapped[str] = mapped_column(sa.Text, default="")
    opens: Mapped[dt.date] = mapped_column(sa.Date)
    closes: Mapped[dt.date] = mapped_column(sa.Date)
    status: Mapped[str] = mapped_column(sa.String(10), default=Status.DRAFT.value)
    # An officer may publish the results ("You said") once the consultation has closed.
    results_published: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    # What residents are offered to read before answering: [{"title": ..., "href": ...}].
    documents: Mapped[list[dict[str, str]] | None] = mapped_column(sa.JSON)
    # The same in Welsh; a consultation without a Welsh title is offered in English only.
    title_cy: Mapped[str] = mapped_column(sa.String(200), default="", server_default="")
    summary_cy: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    how_used_cy: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    privacy_cy: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    questions: Mapped[list[Question]] = relationship(
        back_populates="consultation",
        order_by="Question.position",
        cascade="all, delete-orphan",
    )

    def accepting(self, today: dt.date) -> bool:
        """True when residents can answer: opened by an officer and within its dates."""
        return accepting(self.status, self.opens, self.closes, today)


def accepting(status: str, opens: dt.date, closes: dt.date, today: dt.date) -> bool:
    """True when a consultation with these settings takes residents' answers today."""
    return status == Status.OPEN and opens <= today <= closes


class Question(db.Model):  # type: ignore[name-defined,misc]
    """One question of a consultation, in its place in the order."""

    __table_args__ = (sa.UniqueConstraint("consultation_id", "key", name="uq_question_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("consultation.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int]
    key: Mapped[str] = mapped_column(sa.String(40))
    type: Mapped[str] = mapped_column(sa.String(20))
    text: Mapped[str] = mapped_column(sa.String(500))
    hint: Mapped[str] = mapped_column(sa.String(500), default="")
    required: Mapped[bool] = mapped_column(default=True)
    options: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    rows: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    breakdown: Mapped[bool] = mapped_column(default=False)
    codebook: Mapped[str | None] = mapped_column(sa.String(80))
    other: Mapped[bool] = mapped_column(default=False)
    context: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    # The question in Welsh (options and rows in the same order as the English ones).
    text_cy: Mapped[str] = mapped_column(sa.String(500), default="", server_default="")
    hint_cy: Mapped[str] = mapped_column(sa.String(500), default="", server_default="")
    options_cy: Mapped[list[str] | None] = mapped_column(sa.JSON)
    rows_cy: Mapped[list[str] | None] = mapped_column(sa.JSON)
    context_cy: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    # A follow-up's condition: {"question": earlier key, "answers": [its options]}, or null.
    show_if: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)

    consultation: Mapped[Consultation] = relationship(back_populates="questions")

    def spec(self) -> QuestionSpec:
        """The pure-core view of this question."""
        return QuestionSpec(
            key=self.key,
            type=QuestionType(self.type),
            text=self.text,
            hint=self.hint or "",
            required=self.required,
            options=tuple(self.options or ()),
            rows=tuple(self.rows or ()),
            breakdown=self.breakdown,
            codebook=self.codebook,
            other=self.other,
            context=self.context or "",
            text_cy=self.text_cy or "",
            hint_cy=self.hint_cy or "",
            options_cy=tuple(self.options_cy or ()),
            rows_cy=tuple(self.rows_cy or ()),
            context_cy=self.context_cy or "",
            show_if=(
                ShowIf(self.show_if["question"], tuple(self.show_if["answers"]))
                if self.show_if
                else None
            ),
        )

    def apply(self, spec: QuestionSpec) -> None:
        """Copy a checked specification onto this row."""
        self.key = spec.key
        self.type = spec.type.value
        self.text = spec.text
        self.hint = spec.hint
        self.required = spec.required
        self.options = list(spec.options)
        self.rows = list(spec.rows)
        self.breakdown = spec.breakdown
        self.codebook = spec.codebook
        self.other = spec.other
        self.context = spec.context
        self.text_cy = spec.text_cy
        self.hint_cy = spec.hint_cy
        self.options_cy = list(spec.options_cy) or None
        self.rows_cy = list(spec.rows_cy) or None
        self.context_cy = spec.context_cy
        self.show_if = (
            {"question": spec.show_if.question, "answers": list(spec.show_if.answers)}
            if spec.show_if
            else None
        )


class Response(db.Model):  # type: ignore[name-defined,misc]
    """One resident's response, however it arrived."""

    __table_args__ = (
        sa.Index("ix_response_consultation_submitted", "consultation_id", "submitted_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("consultation.id", ondelete="CASCADE")
    )
    reference: Mapped[str] = mapped_column(sa.String(8), unique=True)
    submitted_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    channel: Mapped[str] = mapped_column(sa.String(10))
    # The resident's draft token: a second submit of the same draft finds this row instead of
    # recording the response twice.
    submission_token: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    entered_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )
    # Why an officer should look at this response (a probable duplicate, an automated
    # submission), and the reference of the response it resembles; None once reviewed.
    review_reason: Mapped[str | None] = mapped_column(sa.String(300))
    review_like: Mapped[str | None] = mapped_column(sa.String(8))

    answers: Mapped[list[Answer]] = relationship(
        back_populates="response", cascade="all, delete-orphan", passive_deletes=True
    )


TEXT_START = 64  # characters of a free-text answer kept in its index


class Answer(db.Model):  # type: ignore[name-defined,misc]
    """One chosen option (or free text) of one question in one response.

    A multi-choice answer has a row per option ticked and a matrix answer a row per statement,
    so every count is `GROUP BY question_id, row, option`.
    """

    __table_args__ = (
        # The counts: GROUP BY question, row, option. Its keys repeat, so PostgreSQL keeps
        # them deduplicated: a small index, read instead of the table.
        sa.Index("ix_answer_question_row_option", "question_id", "row", "option"),
        # A question's responses in order, with each answer's id: who answered a multi-choice
        # question, and the free-text answers joined to their codes, from the index alone.
        sa.Index("ix_answer_question_response", "question_id", "response_id", "id"),
        # The responses in a group (one option of a breakdown question), and the order of
        # the "Other" answers, without touching the table.
        sa.Index(
            "ix_answer_question_row_option_response", "question_id", "row", "option", "response_id"
        ),
        # Finds the same free text quickly (survey.data.screening), however many answers there are:
        # the start of the text, as a whole text can be longer than an index entry may be;
        # then the id, so that the newest answers holding a text are read first.
        sa.Index(
            "ix_answer_question_text_start",
            "question_id",
            sa.text(f"substr(text, 1, {TEXT_START})"),
            "id",
            postgresql_where=sa.text("text IS NOT NULL"),
            sqlite_where=sa.text("text IS NOT NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(
        sa.ForeignKey("response.id", ondelete="CASCADE"), index=True
    )
    question_id: Mapped[int] = mapped_column(sa.ForeignKey("question.id", ondelete="CASCADE"))
    row: Mapped[int | None]
    option: Mapped[int | None]
    text: Mapped[str | None] = mapped_column(sa.Text)

    response: Mapped[Response] = relationship(back_populates="answers")


class Draft(db.Model):  # type: ignore[name-defined,misc]
    """A resident's answers in progress, kept server-side (a cookie could not hold free text)."""

    token: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("consultation.id", ondelete="CASCADE"), index=True
    )
    answers: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    # Saved to come back to later: the SHA-256 of the resident's code (never the code), and
    # the question whose page they saved on (null: the check page). A saved draft is kept
    # until its consultation has closed and the retention period passed, not `KEEP_FOR`.
    code_digest: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    saved_on: Mapped[str | None] = mapped_column(sa.String(40))


class Coding(StrEnum):
    """Who decided an answer's themes: the codebook's phrases, or an officer."""

    AUTO = "auto"
    OFFICER = "officer"


class Theme(db.Model):  # type: ignore[name-defined,misc]
    """A theme of one consultation's codebook, that free-text answers are coded with.

    Each consultation gets its own copy of a codebook's themes, so officers can add, rename,
    merge and describe themes for it without changing any other consultation.
    """

    __table_args__ = (
        sa.UniqueConstraint("consultation_id", "codebook", "name", name="uq_theme_name"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("consultation.id", ondelete="CASCADE"), index=True
    )
    codebook: Mapped[str] = mapped_column(sa.String(80))
    name: Mapped[str] = mapped_column(sa.String(120))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    # Words and phrases residents use for this theme, for auto-coding.
    phrases: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    position: Mapped[int] = mapped_column(default=0)


class AnswerCoding(db.Model):  # type: ignore[name-defined,misc]
    """Who last decided one free-text answer's themes, and when (its themes are AnswerTheme rows).

    An answer with no row here is not yet coded. An officer's decision, even "no theme",
    is never overwritten by auto-coding.
    """

    __tablename__ = "answer_coding"

    answer_id: Mapped[int] = mapped_column(
        sa.ForeignKey("answer.id", ondelete="CASCADE"), primary_key=True
    )
    source: Mapped[str] = mapped_column(sa.String(10))
    coded_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )
    coded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class AnswerTheme(db.Model):  # type: ignore[name-defined,misc]
    """One theme that one free-text answer mentions; an answer may have several."""

    __tablename__ = "answer_theme"
    __table_args__ = (sa.Index("ix_answer_theme_theme_answer", "theme_id", "answer_id"),)

    answer_id: Mapped[int] = mapped_column(
        sa.ForeignKey("answer.id", ondelete="CASCADE"), primary_key=True
    )
    theme_id: Mapped[int] = mapped_column(
        sa.ForeignKey("theme.id", ondelete="CASCADE"), primary_key=True
    )


class ThemeSuggestion(db.Model):  # type: ignore[name-defined,misc]
    """A theme suggested for an answer, by its source: learnt from officers' codes (with a
    confidence) or the council's language model (none: its own is not calibrated).

    Suggestions are shown to officers in the review queue; they are not codes and do not count
    in results until an officer accepts them. Each source's run replaces only its own.
    """

    __tablename__ = "theme_suggestion"

    answer_id: Mapped[int] = mapped_column(
        sa.ForeignKey("answer.id", ondelete="CASCADE"), primary_key=True
    )
    theme_id: Mapped[int] = mapped_column(
        sa.ForeignKey("theme.id", ondelete="CASCADE"), primary_key=True
    )
    # survey.core.suggesting.SOURCES: "learnt" or "llm".
    source: Mapped[str] = mapped_column(
        sa.String(10), primary_key=True, default="learnt", server_default="learnt"
    )
    confidence: Mapped[float | None]


class CandidateState(StrEnum):
    """What an officer made of a group of answers offered as a possible new theme."""

    OPEN = "open"  # offered, not yet decided
    NAMED = "named"  # named as a new theme of the codebook
    DISMISSED = "dismissed"  # not a theme: its answers are not grouped again


class ThemeCandidate(db.Model):  # type: ignore[name-defined,misc]
    """A group of similar answers no theme matches, offered to officers as a possible new theme.

    Found by the "new themes" job (survey.core.new_themes); open groups are replaced when it
    runs again, while named and dismissed ones are kept, so a dismissed group is not offered
    again.
    """

    __tablename__ = "theme_candidate"

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(
        sa.ForeignKey("question.id", ondelete="CASCADE"), index=True
    )
    # The group's answers, most typical first, and its distinctive words, most distinctive first.
    answer_ids: Mapped[list[int]] = mapped_column(sa.JSON, default=list)
    words: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    state: Mapped[str] = mapped_column(sa.String(10), default=CandidateState.OPEN.value)
    theme_id: Mapped[int | None] = mapped_column(sa.ForeignKey("theme.id", ondelete="SET NULL"))
    found_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )
    decided_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


class CodingChange(db.Model):  # type: ignore[name-defined,misc]
    """An officer's last change to the codes of a question's answers, kept so it can be undone.

    One per officer and question: a new change replaces it and undoing it removes it.
    `answers` holds, per answer, its codes before and the themes it was left with:
    [{"answer": id, "before": {"themes": [ids], "source": ..., "by": id, "at": iso},
    "after": [ids]}] (a "source" of null: the answer was not coded).
    """

    __tablename__ = "coding_change"
    # AUTOINCREMENT: SQLite would otherwise give a replaced change's id to the next one, and an
    # Undo button still showing the old change would undo the new.
    __table_args__ = (
        sa.UniqueConstraint("user_id", "question_id"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id", ondelete="CASCADE"))
    question_id: Mapped[int] = mapped_column(
        sa.ForeignKey("question.id", ondelete="CASCADE"), index=True
    )
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    description: Mapped[str] = mapped_column(sa.String(300))
    answers: Mapped[list[dict[str, Any]]] = mapped_column(sa.JSON, default=list)


class ResultsVersion(db.Model):  # type: ignore[name-defined,misc]
    """A consultation's results version: a token replaced whenever what its results count
    changes, under which its counts are cached (see survey.data.result_cache)."""

    __tablename__ = "results_version"

    consultation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("consultation.id", ondelete="CASCADE"), primary_key=True
    )
    token: Mapped[str] = mapped_column(sa.String(32))


class RememberedMapping(db.Model):  # type: ignore[name-defined,misc]
    """Where the columns of a survey tool's file go, as an officer confirmed it, for the next
    file of the same shape (the same headings) imported to the consultation."""

    __tablename__ = "remembered_mapping"
    __table_args__ = (sa.UniqueConstraint("consultation_id", "shape"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("consultation.id", ondelete="CASCADE"), index=True
    )
    shape: Mapped[str] = mapped_column(sa.String(64))
    mapping: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    saved_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    saved_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )


class ThemeQuote(db.Model):  # type: ignore[name-defined,misc]
    """An answer an officer chose to quote under one of its themes, in the officer's words.

    `text` is the quote as shown: the answer's words, shortened or with a name replaced by
    "[name]"; the answer itself is never changed. It carries nothing else of the response.
    Gone with its theme (merged away) or its answer (the response deleted).
    """

    __tablename__ = "theme_quote"
    __table_args__ = (sa.UniqueConstraint("theme_id", "answer_id", name="uq_theme_quote_answer"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    theme_id: Mapped[int] = mapped_column(sa.ForeignKey("theme.id", ondelete="CASCADE"), index=True)
    answer_id: Mapped[int] = mapped_column(
        sa.ForeignKey("answer.id", ondelete="CASCADE"), index=True
    )
    text: Mapped[str] = mapped_column(sa.Text)
    chosen_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )
    chosen_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
