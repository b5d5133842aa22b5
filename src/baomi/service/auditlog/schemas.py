"""Audit-log API out."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict


class VerifyOut(BaseModel):
    ok: bool
    checked: int
    first_bad: int | None
    problem: str


class AuditEntryOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    seq: int
    ts: datetime
    actor_id: int | None
    actor: str
    action: str
    target: str
    unit_id: int | None
    details: str
    hash: str


class AuditPage(BaseModel):
    total: int
    offset: int
    limit: int
    items: list[AuditEntryOut]
