"""Check API in and out. Findings carry masked evidence and spans, never the text."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from baomi.service.checks.models import Check
from baomi.service.holds.models import Hold

ChannelName = Literal["direct", "work_group", "external_group", "moments", "publish"]


class CheckIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: str = Field(default="", max_length=1_000_000, description="消息文本")
    channel: ChannelName = Field(description="发往的渠道")
    sender: str | None = Field(default=None, max_length=200)
    conversation: str | None = Field(default=None, max_length=200)
    idempotency_key: str | None = Field(default=None, min_length=1, max_length=200)


class BatchIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    items: list[CheckIn] = Field(min_length=1, max_length=1000)


class ReportIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: str = Field(default="", max_length=1_000_000, description="看到的消息文本")
    channel: ChannelName = Field(default="work_group", description="消息所在的渠道")
    conversation: str | None = Field(default=None, max_length=200, description="所在的群")
    seen_at: datetime | None = Field(default=None, description="看到的时间")
    sender: str | None = Field(default=None, max_length=200, description="发消息的人")
    idempotency_key: str | None = Field(default=None, min_length=1, max_length=200)


class OverrideIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    justification: str = Field(min_length=1, max_length=1000)


class FalseAlarmIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    note: str = Field(default="", max_length=1000)


class FindingOut(BaseModel):
    rule: str
    source: str
    span: list[int]
    evidence: str
    detector: str
    score: float
    reasons: list[str]
    normalisations: list[str]


class HoldBrief(BaseModel):
    id: str
    state: str
    version: int
    due_at: datetime
    reason: str | None = None


class CheckOut(BaseModel):
    check_id: str
    kind: str
    decision: str
    engine_decision: str
    shadow: bool
    rules: list[str]
    findings: list[FindingOut]
    tip: str
    channel: str
    status: str = Field(description="done | held | released | rejected")
    hold_id: str | None = None
    hold: HoldBrief | None = None
    overridable: bool
    overridden: bool
    false_alarm: bool
    created_at: datetime


class BatchOut(BaseModel):
    items: list[CheckOut]


def check_out(check: Check, hold: Hold | None) -> CheckOut:
    return CheckOut(
        check_id=check.id,
        kind=check.kind,
        decision=check.decision,
        engine_decision=check.engine_decision,
        shadow=check.shadow,
        rules=check.rules,
        findings=check.findings,
        tip=check.tip,
        channel=check.channel,
        status=check.status,
        hold_id=hold.id if hold else None,
        hold=HoldBrief(
            id=hold.id, state=hold.state, version=hold.version, due_at=hold.due_at, reason=hold.reason_code
        )
        if hold
        else None,
        overridable=check.decision == "warn" and check.overridden_at is None,
        overridden=check.overridden_at is not None,
        false_alarm=check.false_alarm_at is not None,
        created_at=check.created_at,
    )
