"""Each unit's policy YAML, kept with versions, and who activated which and when."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from baomi.service.db import Base, UtcDateTime, utcnow


class PolicyVersion(Base):
    __tablename__ = "policy_versions"
    __table_args__ = (UniqueConstraint("unit_id", "version"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    yaml: Mapped[str] = mapped_column(Text)
    mode: Mapped[str] = mapped_column(String(10), default="enforce")  # enforce | shadow
    sla_minutes: Mapped[int] = mapped_column(Integer, default=30)
    on_expiry: Mapped[str] = mapped_column(String(10), default="reject")  # release | reject
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class PolicyActivation(Base):
    """The latest activation of a unit is its active policy."""

    __tablename__ = "policy_activations"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    policy_id: Mapped[int] = mapped_column(ForeignKey("policy_versions.id"))
    activated_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    activated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
