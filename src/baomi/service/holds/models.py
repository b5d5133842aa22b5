"""Holds (the review queue) and their encrypted content, the one plaintext kept."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from baomi.service.db import Base, UtcDateTime, utcnow


class Hold(Base):
    __tablename__ = "holds"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    check_id: Mapped[str] = mapped_column(ForeignKey("checks.id"), unique=True)
    kind: Mapped[str] = mapped_column(String(10), default="check")  # check | report
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    state: Mapped[str] = mapped_column(String(10), default="pending", index=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    due_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    on_expiry: Mapped[str] = mapped_column(String(10), default="reject")
    claimed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    claimed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    reason_code: Mapped[str | None] = mapped_column(String(40))
    reason_text: Mapped[str | None] = mapped_column(Text)
    purge_after: Mapped[datetime | None] = mapped_column(UtcDateTime, index=True)
    purged_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)


class HeldContent(Base):
    """AES-GCM ciphertext of the held message (text and attachments); deleted at purge."""

    __tablename__ = "held_contents"
    hold_id: Mapped[str] = mapped_column(ForeignKey("holds.id", ondelete="CASCADE"), primary_key=True)
    key_id: Mapped[str] = mapped_column(String(40))
    nonce: Mapped[bytes] = mapped_column(LargeBinary)
    ciphertext: Mapped[bytes] = mapped_column(LargeBinary)
