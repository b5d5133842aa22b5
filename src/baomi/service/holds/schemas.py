"""Review-queue API in and out."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from baomi.service.checks.models import Check
from baomi.service.checks.schemas import FindingOut
from baomi.service.holds.models import Hold


class ActionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    version: int = Field(ge=1, le=2**31 - 1, description="客户端看到的版本号")
    reason: str | None = Field(default=None, max_length=40, description="理由代码（见 /v1/holds/reasons）")
    reason_text: str | None = Field(default=None, max_length=1000, description="补充说明")


class BulkItem(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str = Field(max_length=64)
    version: int = Field(ge=1, le=2**31 - 1)


class BulkIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    action: str = Field(pattern="^(claim|unclaim|approve|reject)$")
    items: list[BulkItem] = Field(min_length=1, max_length=500)
    reason: str | None = Field(default=None, max_length=40)
    reason_text: str | None = Field(default=None, max_length=1000)


class BulkResult(BaseModel):
    id: str
    ok: bool
    state: str | None = None
    version: int | None = None
    status: int | None = None
    error: str | None = None


class BulkOut(BaseModel):
    results: list[BulkResult]


class HoldOut(BaseModel):
    id: str
    check_id: str
    kind: str
    unit_id: int
    state: str
    version: int
    due_at: datetime
    overdue: bool
    on_expiry: str
    claimed_by: int | None
    decided_by: int | None
    decided_at: datetime | None
    reason: str | None
    reason_text: str | None
    purged: bool
    created_at: datetime
    channel: str
    sender: str | None
    conversation: str | None
    decision: str
    rules: list[str]
    findings: list[FindingOut]
    tip: str
    chars: int
    attachments: int


class HoldPage(BaseModel):
    total: int
    offset: int
    limit: int
    items: list[HoldOut]


class HeldAttachment(BaseModel):
    name: str
    data: str = Field(description="base64")


class HeldContentOut(BaseModel):
    text: str
    channel: str
    sender: str | None
    conversation: str | None
    attachments: list[HeldAttachment]


def hold_out(hold: Hold, check: Check, now: datetime) -> HoldOut:
    return HoldOut(
        id=hold.id,
        check_id=hold.check_id,
        kind=hold.kind,
        unit_id=hold.unit_id,
        state=hold.state,
        version=hold.version,
        due_at=hold.due_at,
        overdue=hold.state in ("pending", "claimed") and hold.due_at <= now,
        on_expiry=hold.on_expiry,
        claimed_by=hold.claimed_by,
        decided_by=hold.decided_by,
        decided_at=hold.decided_at,
        reason=hold.reason_code,
        reason_text=hold.reason_text,
        purged=hold.purged_at is not None,
        created_at=hold.created_at,
        channel=check.channel,
        sender=check.sender,
        conversation=check.conversation,
        decision=check.engine_decision,
        rules=check.rules,
        findings=check.findings,
        tip=check.tip,
        chars=check.chars,
        attachments=check.attachments,
    )
