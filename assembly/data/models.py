"""Typed SQLAlchemy 2.0 models for crime and disorder audits, strategies and built drafts.

"Audit" here is the partnership's statutory audit of crime and disorder (figures per category
and period), not the log of officers' actions in `common.action_log`.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from common.database import UTCDateTime, db, utcnow
from common.models import User

WHOLE_AREA = ""  # the `area` of a figure for the whole partnership area


class CrimeAudit(db.Model):  # type: ignore[name-defined,misc]
    """One audit's figures, imported from a file; several audits can exist side by side."""

    __tablename__ = "crime_audit"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(120), unique=True)
    filename: Mapped[str] = mapped_column(sa.String(255), default="")
    periods: Mapped[list[str]] = mapped_column(sa.JSON)  # in the file's order
    # The partnership's area when the file named one (ONS tables, police.uk by LSOA).
    area_name: Mapped[str | None] = mapped_column(sa.String(120))
    area_code: Mapped[str | None] = mapped_column(sa.String(20))
    imported_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    imported_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )

    figures: Mapped[list[AuditFigure]] = relationship(
        back_populates="audit",
        cascade="all, delete-orphan",
        order_by="AuditFigure.position",
        passive_deletes=True,
    )
    findings: Mapped[list[AuditFinding]] = relationship(
        back_populates="audit", cascade="all, delete-orphan", passive_deletes=True
    )
    imported_by: Mapped[User | None] = relationship()


class AuditFigure(db.Model):  # type: ignore[name-defined,misc]
    """One figure of an audit: a category's value in a period, for an area or the whole.

    A comparator's figure (its police force area, England and Wales) is for setting beside
    the partnership's, never part of its own trends.
    """

    __tablename__ = "audit_figure"
    __table_args__ = (
        sa.UniqueConstraint("audit_id", "category", "area", "period", "measure", "comparator"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    audit_id: Mapped[int] = mapped_column(
        sa.ForeignKey("crime_audit.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column()  # the row's order in the file
    category: Mapped[str] = mapped_column(sa.String(200))
    area: Mapped[str] = mapped_column(sa.String(120), default=WHOLE_AREA)
    period: Mapped[str] = mapped_column(sa.String(40))
    value: Mapped[Decimal | None] = mapped_column(sa.Numeric(24, 6))  # None: not available
    unit: Mapped[str | None] = mapped_column(sa.String(60))
    source: Mapped[str | None] = mapped_column(sa.String(300))
    notes: Mapped[str | None] = mapped_column(sa.Text)
    measure: Mapped[str] = mapped_column(sa.String(20), default="count")  # core Measure
    comparator: Mapped[bool] = mapped_column(default=False)

    audit: Mapped[CrimeAudit] = relationship(back_populates="figures")


class AuditFinding(db.Model):  # type: ignore[name-defined,misc]
    """An officer's narrative key finding for one category of an audit."""

    __tablename__ = "audit_finding"
    __table_args__ = (sa.UniqueConstraint("audit_id", "category"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    audit_id: Mapped[int] = mapped_column(
        sa.ForeignKey("crime_audit.id", ondelete="CASCADE"), index=True
    )
    category: Mapped[str] = mapped_column(sa.String(200))
    text: Mapped[str] = mapped_column(sa.Text)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    audit: Mapped[CrimeAudit] = relationship(back_populates="findings")


class StrategyStatus(StrEnum):
    """Where a strategy is in its life; adopted and refreshed strategies can no longer change."""

    DRAFT = "draft"
    OUT_FOR_COMMENT = "out for comment"
    ADOPTED = "adopted"
    REFRESHED = "refreshed"  # adopted, and a refresh of it has been started


FROZEN = (StrategyStatus.ADOPTED.value, StrategyStatus.REFRESHED.value)


class Strategy(db.Model):  # type: ignore[name-defined,misc]
    """A strategy definition, stored as the checked JSON that `assembly.core.strategy` reads."""

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(80), unique=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    definition: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    status: Mapped[str] = mapped_column(
        sa.String(20), default=StrategyStatus.DRAFT.value, server_default="draft"
    )
    # The decision that adopted it: when, by which body, its minute, and the draft adopted.
    adopted_on: Mapped[dt.date | None] = mapped_column(sa.Date)
    adopted_by: Mapped[str | None] = mapped_column(sa.String(200))
    adoption_minute: Mapped[str | None] = mapped_column(sa.String(200))
    adopted_version: Mapped[int | None] = mapped_column()
    # A refresh is a new strategy started from an adopted one ("2019 refresh").
    refreshed_from_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("strategy.id", ondelete="SET NULL")
    )
    refresh_year: Mapped[int | None] = mapped_column()

    refreshed_from: Mapped[Strategy | None] = relationship(remote_side=[id])

    @property
    def frozen(self) -> bool:
        """True once adopted: its definition and built drafts can no longer change."""
        return self.status in FROZEN

    drafts: Mapped[list[StrategyDraft]] = relationship(
        back_populates="strategy",
        cascade="all, delete-orphan",
        order_by="StrategyDraft.version",
        passive_deletes=True,
    )


class StrategyDraft(db.Model):  # type: ignore[name-defined,misc]
    """One built Word draft, kept with what it was built from so it can be fetched again."""

    __tablename__ = "strategy_draft"
    __table_args__ = (sa.UniqueConstraint("strategy_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    strategy_id: Mapped[int] = mapped_column(
        sa.ForeignKey("strategy.id", ondelete="CASCADE"), index=True
    )
    version: Mapped[int] = mapped_column()
    built_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    built_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )
    built_by: Mapped[str] = mapped_column(sa.String(254))  # an email, or "command line"
    inputs: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    docx: Mapped[bytes] = mapped_column(sa.LargeBinary)
    # Its PDF, kept when it was built with one: a draft put out for comment or adopted is
    # published as both.
    pdf: Mapped[bytes | None] = mapped_column(sa.LargeBinary, deferred=True)

    strategy: Mapped[Strategy] = relationship(back_populates="drafts")


class StrategyConsultation(db.Model):  # type: ignore[name-defined,misc]
    """A draft version put out for comment: the consultation residents answer about it.

    The consultation is survey's, named by its slug (assembly reads it through
    `survey.interface`); one per draft version.
    """

    __tablename__ = "strategy_consultation"
    __table_args__ = (sa.UniqueConstraint("strategy_id", "draft_version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    strategy_id: Mapped[int] = mapped_column(
        sa.ForeignKey("strategy.id", ondelete="CASCADE"), index=True
    )
    draft_version: Mapped[int] = mapped_column()
    consultation_slug: Mapped[str] = mapped_column(sa.String(80), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by: Mapped[str] = mapped_column(sa.String(254))  # an email, or "command line"
    # Whether the public "You said, we did" page shows the partnership's responses.
    you_said_published: Mapped[bool] = mapped_column(default=False, server_default=sa.false())

    strategy: Mapped[Strategy] = relationship()


class StrategyComment(db.Model):  # type: ignore[name-defined,misc]
    """A partner's or committee's comment on a section of a draft out for comment, recorded
    by an officer; a committee's recommendation is marked as one."""

    __tablename__ = "strategy_comment"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(
        sa.ForeignKey("strategy_consultation.id", ondelete="CASCADE"), index=True
    )
    section: Mapped[str] = mapped_column(sa.String(250))  # "Priority 2: Drug misuse"
    organisation: Mapped[str] = mapped_column(sa.String(200))
    kind: Mapped[str] = mapped_column(sa.String(30))  # core you_said.KINDS
    made_by: Mapped[str] = mapped_column(sa.String(200))  # who, e.g. "the Chair"
    made_on: Mapped[dt.date] = mapped_column(sa.Date)
    text: Mapped[str] = mapped_column(sa.Text)
    recommendation: Mapped[bool] = mapped_column(default=False)
    recorded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    recorded_by: Mapped[str] = mapped_column(sa.String(254))


class StrategyResponse(db.Model):  # type: ignore[name-defined,misc]
    """The partnership's response to one comment theme or one recorded comment."""

    __tablename__ = "strategy_response"
    __table_args__ = (sa.UniqueConstraint("round_id", "subject"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(
        sa.ForeignKey("strategy_consultation.id", ondelete="CASCADE"), index=True
    )
    subject: Mapped[str] = mapped_column(sa.String(300))  # core you_said subject keys
    outcome: Mapped[str] = mapped_column(sa.String(20))  # core you_said.OUTCOMES
    detail: Mapped[str] = mapped_column(sa.Text)
    passed_to: Mapped[str] = mapped_column(sa.String(200), default="")
    responded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    responded_by: Mapped[str] = mapped_column(sa.String(254))


class HouseTemplate(db.Model):  # type: ignore[name-defined,misc]
    """A Word file whose styles, header, footer and logo drafts are built on."""

    __tablename__ = "house_template"

    id: Mapped[int] = mapped_column(primary_key=True)
    filename: Mapped[str] = mapped_column(sa.String(255))
    docx: Mapped[bytes] = mapped_column(sa.LargeBinary)
    uploaded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    uploaded_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )


class DeliveryItem(db.Model):  # type: ignore[name-defined,misc]
    """One action of an adopted strategy's plan, as work someone owns and reports on.

    Its status is read from its updates (data `delivery.standing`): the one for the latest
    quarter, "overdue" once past its due date and not done. An action added during delivery
    is marked new in the report for `first_period`, the quarter it was added in.
    """

    __tablename__ = "delivery_item"
    __table_args__ = (sa.UniqueConstraint("strategy_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    strategy_id: Mapped[int] = mapped_column(
        sa.ForeignKey("strategy.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int] = mapped_column()  # 1, 2, 3 within the strategy: how people name it
    priority: Mapped[str] = mapped_column(sa.String(200))  # the priority's name
    action: Mapped[str] = mapped_column(sa.String(500))
    owner_name: Mapped[str] = mapped_column(sa.String(200), default="")
    organisation: Mapped[str] = mapped_column(sa.String(200))
    # The account (a partner's, usually) that reports on it; partners see only their own.
    owner_email: Mapped[str] = mapped_column(sa.String(254), default="", index=True)
    due: Mapped[dt.date | None] = mapped_column(sa.Date)
    by_when: Mapped[str] = mapped_column(sa.String(200), default="")  # as the plan words it
    first_period: Mapped[str] = mapped_column(sa.String(7))  # "2027-Q1"
    added_during_delivery: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    strategy: Mapped[Strategy] = relationship()
    updates: Mapped[list[DeliveryUpdate]] = relationship(
        back_populates="item",
        cascade="all, delete-orphan",
        order_by="DeliveryUpdate.id.desc()",
        passive_deletes=True,
    )


class DeliveryUpdate(db.Model):  # type: ignore[name-defined,misc]
    """One quarterly update of an item, kept: the latest for a period is the one reported."""

    __tablename__ = "delivery_update"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(
        sa.ForeignKey("delivery_item.id", ondelete="CASCADE"), index=True
    )
    period: Mapped[str] = mapped_column(sa.String(7))
    status: Mapped[str] = mapped_column(sa.String(20))
    progress: Mapped[str] = mapped_column(sa.Text)
    issues: Mapped[str] = mapped_column(sa.Text, default="")
    who: Mapped[str] = mapped_column(sa.String(200), default="")
    by_when: Mapped[str] = mapped_column(sa.String(200), default="")
    recorded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    recorded_by: Mapped[str] = mapped_column(sa.String(254))  # an email, or "command line"

    item: Mapped[DeliveryItem] = relationship(back_populates="updates")


class TargetFigure(db.Model):  # type: ignore[name-defined,misc]
    """An actual figure an officer entered for one target of an adopted strategy and one
    period; figures for a target linked to an audit category come from imported audits."""

    __tablename__ = "target_figure"
    __table_args__ = (sa.UniqueConstraint("strategy_id", "target_number", "period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    strategy_id: Mapped[int] = mapped_column(
        sa.ForeignKey("strategy.id", ondelete="CASCADE"), index=True
    )
    target_number: Mapped[int] = mapped_column()  # 1, 2, 3 across the strategy's priorities
    period: Mapped[str] = mapped_column(sa.String(40))  # as audits write it: "2026/27"
    value: Mapped[Decimal] = mapped_column(sa.Numeric(24, 6))
    recorded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    recorded_by: Mapped[str] = mapped_column(sa.String(254))  # an email, or "command line"
