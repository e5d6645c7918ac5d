"""Typed SQLAlchemy 2.0 models both packages share: staff accounts and the action log."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column

from common.database import UTCDateTime, db, utcnow


class Role(StrEnum):
    """What an account may do: partners report on their own delivery actions, councillors
    read, officers run consultations and strategies, admins manage accounts."""

    PARTNER = "partner"  # police, health, probation or fire staff who own actions
    COUNCILLOR = "councillor"
    OFFICER = "officer"
    ADMIN = "admin"


class User(UserMixin, db.Model):  # type: ignore[name-defined,misc]
    """A partner, councillor, officer or admin account. Residents never have one."""

    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    role: Mapped[str] = mapped_column(sa.String(20))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Copied into each session at sign-in; raising it ends every session signed in before.
    session_version: Mapped[int] = mapped_column(default=1, server_default="1")

    @property
    def is_active(self) -> bool:
        return self.active

    def get_id(self) -> str:
        """What Flask-Login keeps in the session: the account and its session version, so a
        session signed in before the version was raised no longer loads the account."""
        return f"{self.id}:{self.session_version}"

    def can(self, needed: Role) -> bool:
        """True when this account's role includes `needed` (admin > officer > councillor >
        partner): a partner reaches only the pages every account may, its own actions."""
        order = [Role.PARTNER, Role.COUNCILLOR, Role.OFFICER, Role.ADMIN]
        return order.index(Role(self.role)) >= order.index(needed)


class SignInFailures(db.Model):  # type: ignore[name-defined,misc]
    """Failed sign-ins in a row under one key: a client address, an email address typed from
    an unknown browser, or one known browser's attempts at its account (common.accounts)."""

    __tablename__ = "sign_in_failures"

    key: Mapped[str] = mapped_column(sa.String(400), primary_key=True)
    failures: Mapped[int]
    last_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class AuditEvent(db.Model):  # type: ignore[name-defined,misc]
    """One thing an officer or admin did, for the audit log that admins read.

    The actor's email is copied so the record still says who it was after the account goes.
    """

    __tablename__ = "audit_event"
    __table_args__ = (sa.Index("ix_audit_event_at", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )
    actor: Mapped[str] = mapped_column(sa.String(254))
    action: Mapped[str] = mapped_column(sa.String(60), index=True)
    consultation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("consultation.id", ondelete="SET NULL")
    )
    subject: Mapped[str] = mapped_column(sa.String(300), default="")
    detail: Mapped[str] = mapped_column(sa.Text, default="")
