"""Incident and statistics API out."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field


class IncidentOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: str
    unit_id: int
    rules: list[str]
    channel: str
    evidence: list[str]
    count: int
    first_seen: datetime
    last_seen: datetime


class IncidentEventOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    check_id: str | None = Field(description="实时检查的编号（档案审计发现的为空）")
    source: str = Field(description="block / rejected / expired / report / audit")
    unit_id: int
    user_id: int
    sender: str | None
    channel: str
    conversation: str | None
    created_at: datetime
    audit_job_id: str | None = None
    msgid: str | None = None
    chain: dict | None = Field(default=None, description="档案审计还原的传播链（来源与各次转发）")


class IncidentDetail(IncidentOut):
    events: list[IncidentEventOut]


class IncidentPage(BaseModel):
    total: int
    offset: int
    limit: int
    items: list[IncidentOut]


class DecisionRow(BaseModel):
    key: str
    total: int
    allow: int
    warn: int
    review: int
    block: int


class RateRow(BaseModel):
    rule: str
    checks: int
    warns: int
    overrides: int
    override_rate: float
    false_alarms: int
    false_alarm_rate: float


class QueueStats(BaseModel):
    open: int
    pending: int
    claimed: int
    approved: int
    rejected: int
    expired: int
    overdue: int
    oldest_age_seconds: float
    median_age_seconds: float
