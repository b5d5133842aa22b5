"""Incidents: blocks and rejected holds, grouped by the keyed content hash."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from baomi.service.db import Base, UtcDateTime, utcnow


class Incident(Base):
    """One content (keyed hash) stopped once or more, by anyone; `unit_id` is where it was first
    seen, and each unit sees an incident through its own events."""

    __tablename__ = "incidents"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    content_hash: Mapped[str] = mapped_column(String(64), unique=True)
    rules: Mapped[list] = mapped_column(JSON, default=list)
    channel: Mapped[str] = mapped_column(String(20))
    evidence: Mapped[list] = mapped_column(JSON, default=list)  # masked evidence of the first event
    count: Mapped[int] = mapped_column(Integer, default=0)
    first_seen: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)
    last_seen: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class IncidentEvent(Base):
    """One check (block, rejected or expired hold, confirmed report) or one flagged message of
    an archive audit (`audit_job_id`, `msgid` and its propagation `chain`) joining an incident."""

    __tablename__ = "incident_events"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    incident_id: Mapped[str] = mapped_column(ForeignKey("incidents.id"), index=True)
    check_id: Mapped[str | None] = mapped_column(ForeignKey("checks.id"), unique=True)
    source: Mapped[str] = mapped_column(String(10))  # block | rejected | expired | report | audit
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    sender: Mapped[str | None] = mapped_column(String(200))
    channel: Mapped[str] = mapped_column(String(20))
    conversation: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    audit_job_id: Mapped[str | None] = mapped_column(ForeignKey("audit_jobs.id"), index=True)
    msgid: Mapped[str | None] = mapped_column(String(200))
    chain: Mapped[dict | None] = mapped_column(JSON)
