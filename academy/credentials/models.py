"""Tables: issued certificate periods, each person's certificate state, the audit log."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from academy.accounts.models import User
from academy.dbtypes import JSONType, UTCDateTime
from academy.extensions import db
from academy.timeutil import utcnow


class Certificate(db.Model):
    """One validity period of one certificate held by one person.

    `code` is the random verification code printed on the certificate.
    `follows` is the code of the person's latest record of this certificate
    when the period was decided ('' for the first ever): two concurrent
    decisions made on the same records carry the same value, so the unique
    constraint on (user, certificate, follows) lets exactly one of them in.
    The title and rule version are stored as they were at issue.
    """

    __tablename__ = "certificates"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    certificate_id: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(200))
    title_en: Mapped[str] = mapped_column(String(200))
    rule_version: Mapped[str] = mapped_column(String(40))
    code: Mapped[str] = mapped_column(String(40), unique=True)
    salt: Mapped[str] = mapped_column(String(40))  # for the Open Badges recipient hash
    reason: Mapped[str] = mapped_column(String(16))  # new | renewal | requalified
    follows: Mapped[str] = mapped_column(String(40), default="")
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    revoke_reason: Mapped[str | None] = mapped_column(Text)
    # {"statements": [ledger ids], "requirements": [{kind, description, done, total, items}]}
    evidence: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    revoked_by: Mapped[User | None] = relationship(foreign_keys=[revoked_by_id])

    __table_args__ = (
        UniqueConstraint("user_id", "certificate_id", "follows"),
        Index("ix_certificates_user_cert", "user_id", "certificate_id", "starts_at"),
        Index("ix_certificates_cert_expiry", "certificate_id", "expires_at"),
    )

    def __repr__(self) -> str:
        return (
            f"<Certificate {self.id} user={self.user_id} {self.certificate_id} "
            f"{self.starts_at:%Y-%m-%d}..{self.expires_at:%Y-%m-%d}>"
        )


class CertificateState(db.Model):
    """Where one person stands with one certificate, as last evaluated.

    `status` is one of ``not_started``, ``in_progress``, ``certified`` (held:
    the period in force, or the last one) and ``revoked``. Whether a held
    certificate is ``expiring`` or ``expired`` depends on the clock, so the
    HR queries derive it from `renewal_opens_at` and `valid_until` at query
    time instead of storing it. Upserted after every evaluation of the person.
    """

    __tablename__ = "certificate_states"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    certificate_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    status: Mapped[str] = mapped_column(String(16))
    valid_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    renewal_opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    issued_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    code: Mapped[str | None] = mapped_column(String(40))  # the record in force, or the last
    done: Mapped[int] = mapped_column(Integer, default=0)
    total: Mapped[int] = mapped_column(Integer, default=0)
    missing: Mapped[dict[str, int]] = mapped_column(JSONType, default=dict)  # action → count
    evaluated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (
        Index("ix_certificate_states_cert_status", "certificate_id", "status", "valid_until"),
        Index("ix_certificate_states_status_expiry", "status", "valid_until"),
    )

    def __repr__(self) -> str:
        return f"<CertificateState user={self.user_id} {self.certificate_id} {self.status}>"


class AuditLog(db.Model):
    """One consequential action: who did what to whom, when and why."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(32))  # revoke | reinstate | assign | …
    target_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    certificate_id: Mapped[str | None] = mapped_column(String(64))
    certificate_code: Mapped[str | None] = mapped_column(String(40))
    reason: Mapped[str | None] = mapped_column(Text)
    detail: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)

    actor: Mapped[User | None] = relationship(foreign_keys=[actor_id])
    target_user: Mapped[User | None] = relationship(foreign_keys=[target_user_id])

    __table_args__ = (
        Index("ix_audit_log_at", "at"),
        Index("ix_audit_log_action_at", "action", "at"),
        Index("ix_audit_log_actor_at", "actor_id", "at"),
        Index("ix_audit_log_target_at", "target_user_id", "at"),
    )

    def __repr__(self) -> str:
        return f"<AuditLog {self.id} {self.action} by={self.actor_id} on={self.target_user_id}>"
