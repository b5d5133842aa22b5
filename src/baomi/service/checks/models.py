"""Checks (and colleagues' reports): masked findings and a keyed hash, never the text."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from baomi.service.db import Base, UtcDateTime, utcnow


class Check(Base):
    __tablename__ = "checks"
    __table_args__ = (UniqueConstraint("user_id", "idempotency_key"),)
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    kind: Mapped[str] = mapped_column(String(10), default="check")  # check | report
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    channel: Mapped[str] = mapped_column(String(20))
    sender: Mapped[str | None] = mapped_column(String(200))
    conversation: Mapped[str | None] = mapped_column(String(200))
    content_hash: Mapped[str] = mapped_column(String(64), index=True)
    chars: Mapped[int] = mapped_column(Integer, default=0)
    attachments: Mapped[int] = mapped_column(Integer, default=0)
    decision: Mapped[str] = mapped_column(String(10))  # what the sender was told
    engine_decision: Mapped[str] = mapped_column(String(10))  # what the policy said (shadow differs)
    rules: Mapped[list] = mapped_column(JSON, default=list)
    findings: Mapped[list] = mapped_column(JSON, default=list)  # Finding.to_dict(): masked
    tip: Mapped[str] = mapped_column(Text, default="")
    shadow: Mapped[bool] = mapped_column(Boolean, default=False)
    classified_sender: Mapped[bool] = mapped_column(Boolean, default=False)
    policy_id: Mapped[int | None] = mapped_column(ForeignKey("policy_versions.id"))
    idempotency_key: Mapped[str | None] = mapped_column(String(200))
    # done | held | released | rejected
    status: Mapped[str] = mapped_column(String(10), default="done")
    seen_at: Mapped[datetime | None] = mapped_column(UtcDateTime)  # reports: when it was seen
    override_justification: Mapped[str | None] = mapped_column(Text)
    overridden_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    false_alarm_note: Mapped[str | None] = mapped_column(Text)
    false_alarm_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)


class CheckRule(Base):
    """One row per rule of a check, for statistics by rule."""

    __tablename__ = "check_rules"
    check_id: Mapped[str] = mapped_column(ForeignKey("checks.id", ondelete="CASCADE"), primary_key=True)
    rule: Mapped[str] = mapped_column(String(8), primary_key=True, index=True)
