"""The review queue. A hold's states and the actions between them are one table; every
action names the version it saw and a stale one is a conflict (409)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from baomi.service.auditlog.service import append as audit
from baomi.service.checks.models import Check, CheckRule
from baomi.service.context import Services, after_commit
from baomi.service.db import utcnow
from baomi.service.errors import Conflict, Invalid, NotFound, ServiceError
from baomi.service.holds.models import HeldContent, Hold
from baomi.service.incidents.service import record_incident
from baomi.service.permissions import Perm
from baomi.service.users.service import Principal

# (state, action) → new state. Nothing else is allowed.
TRANSITIONS: dict[tuple[str, str], str] = {
    ("pending", "claim"): "claimed",
    ("claimed", "unclaim"): "pending",
    ("pending", "approve"): "approved",
    ("claimed", "approve"): "approved",
    ("pending", "reject"): "rejected",
    ("claimed", "reject"): "rejected",
    ("pending", "expire"): "expired",
    ("claimed", "expire"): "expired",
}
OPEN_STATES = ("pending", "claimed")
STATE_ZH = {
    "pending": "待审",
    "claimed": "审查中",
    "approved": "已放行",
    "rejected": "已驳回",
    "expired": "已超时",
}
ACTIONS = ("claim", "unclaim", "approve", "reject")

# Reasons a reviewer picks from (plus free text).
REASONS: dict[str, dict[str, str]] = {
    "approve": {
        "not_secret": "不涉密，可以发送",
        "already_public": "内容已公开发布",
        "authorised": "经领导批准公开",
        "false_alarm": "误报",
        "other": "其他",
    },
    "reject": {
        "classified": "涉及国家秘密",
        "internal": "未公开的内部事项",
        "personal_data": "含有公民个人信息",
        "unpublished_emergency": "未公开的突发事件",
        "itinerary": "领导行程",
        "wrong_channel": "不应发往该渠道",
        "other": "其他",
    },
}


@dataclass(frozen=True)
class HoldFilter:
    state: str | None = None
    kind: str | None = None
    unit_id: int | None = None
    rule: str | None = None
    channel: str | None = None
    overdue: bool | None = None
    claimed_by: int | None = None


def list_holds(session: Session, who: Principal, f: HoldFilter, offset: int = 0, limit: int = 50):
    """Holds of the units in reach, by due time; with each hold its check (masked findings)."""
    who.require(Perm.HOLDS_READ)
    q = select(Hold, Check).join(Check, Check.id == Hold.check_id).where(Hold.unit_id.in_(who.units))
    if f.state:
        if f.state not in STATE_ZH:
            raise Invalid(f"state：未知状态，可选：{', '.join(STATE_ZH)}")
        q = q.where(Hold.state == f.state)
    if f.kind:
        q = q.where(Hold.kind == f.kind)
    if f.unit_id is not None:
        q = q.where(Hold.unit_id == f.unit_id)
    if f.channel:
        q = q.where(Check.channel == f.channel)
    if f.claimed_by is not None:
        q = q.where(Hold.claimed_by == f.claimed_by)
    if f.rule:
        q = q.where(Check.id.in_(select(CheckRule.check_id).where(CheckRule.rule == f.rule)))
    if f.overdue is not None:
        now = utcnow()
        q = q.where(Hold.due_at <= now) if f.overdue else q.where(Hold.due_at > now)
    total = session.scalar(select(func.count()).select_from(q.subquery()))
    rows = session.execute(q.order_by(Hold.due_at, Hold.id).offset(offset).limit(limit)).all()
    return total, [tuple(r) for r in rows]


def get_hold(session: Session, who: Principal, hold_id: str) -> tuple[Hold, Check]:
    who.require(Perm.HOLDS_READ)
    hold = session.get(Hold, hold_id)
    if hold is None or hold.unit_id not in who.units:
        raise NotFound(f"待审消息 {hold_id[:40]} 不存在")
    return hold, session.get(Check, hold.check_id)


def read_content(session: Session, svc: Services, who: Principal, hold_id: str) -> dict:
    """The held plaintext, for reviewers of the hold's unit only; every viewing is audited."""
    who.require(Perm.HOLD_CONTENT)
    hold, _ = get_hold(session, who, hold_id)
    row = session.get(HeldContent, hold.id)
    if row is None:
        raise NotFound("该消息内容已按保留期限清除")
    audit(session, svc.keys, "hold.view_content", actor=who, target=f"hold:{hold.id}", unit_id=hold.unit_id)
    return json.loads(svc.keys.decrypt(row.key_id, row.nonce, row.ciphertext, aad=hold.id))


def _reason(action: str, code: str | None, text: str | None) -> tuple[str | None, str | None]:
    if action not in REASONS:
        return None, None
    if not code:
        raise Invalid("reason：请选择理由")
    if code not in REASONS[action]:
        raise Invalid(f"reason：未知理由 {code[:40]!r}，可选：{', '.join(REASONS[action])}")
    if code == "other" and not (text or "").strip():
        raise Invalid("reason_text：选择“其他”时请写明理由")
    return code, (text or "").strip()[:1000] or None


def transition(
    session: Session,
    svc: Services,
    who: Principal | None,
    hold: Hold,
    action: str,
    version: int,
    reason_code: str | None = None,
    reason_text: str | None = None,
) -> Hold:
    """Apply one action to one hold (who=None: the system, for expiry)."""
    target = TRANSITIONS.get((hold.state, action))
    if target is None:
        raise Conflict(f"状态为“{STATE_ZH[hold.state]}”的消息不能执行 {action}")
    if version != hold.version:
        raise Conflict(f"该消息已被他人处理（版本 {hold.version}，你看到的是 {version}），请刷新")
    if who is not None and hold.state == "claimed" and hold.claimed_by != who.id:
        raise Conflict("该消息已被其他审查员认领")
    now = utcnow()
    values: dict = {"state": target, "version": hold.version + 1}
    if action == "claim":
        values |= {"claimed_by": who.id, "claimed_at": now}
    elif action == "unclaim":
        values |= {"claimed_by": None, "claimed_at": None}
    else:
        values |= {
            "decided_by": who.id if who else None,
            "decided_at": now,
            "reason_code": reason_code,
            "reason_text": reason_text,
            "purge_after": now + timedelta(days=svc.settings.retention_days),
        }
    audit(
        session,
        svc.keys,
        f"hold.{action}",
        actor=who,
        target=f"hold:{hold.id}",
        unit_id=hold.unit_id,
        details={"from": hold.state, "to": target, "version": hold.version + 1, "reason": reason_code},
    )
    done = session.execute(update(Hold).where(Hold.id == hold.id, Hold.version == version).values(**values))
    if done.rowcount != 1:
        raise Conflict("该消息已被他人处理，请刷新")
    session.refresh(hold)
    if target in ("approved", "rejected", "expired"):
        _conclude(session, svc, hold, target)
    return hold


def _conclude(session: Session, svc: Services, hold: Hold, state: str) -> None:
    """Tell the check (and the sender) the outcome; a rejection joins an incident."""
    check = session.get(Check, hold.check_id)
    released = state == "approved" or (state == "expired" and hold.on_expiry == "release")
    check.status = "released" if released else "rejected"
    if not released:
        record_incident(
            session,
            check,
            "report" if hold.kind == "report" else ("expired" if state == "expired" else "rejected"),
        )
    session.flush()
    event = {
        "event": "hold.decided",
        "check_id": check.id,
        "hold_id": hold.id,
        "outcome": check.status,
        "state": state,
        "reason": hold.reason_code,
    }
    after_commit(session, lambda: svc.notifier.send(event))


def act(
    session: Session,
    svc: Services,
    who: Principal,
    hold_id: str,
    action: str,
    version: int,
    reason_code: str | None = None,
    reason_text: str | None = None,
) -> Hold:
    """claim / unclaim / approve / reject one hold of the user's units."""
    who.require(Perm.HOLDS_ACT)
    if action not in ACTIONS:
        raise Invalid(f"action：只能是 {', '.join(ACTIONS)}")
    hold, _ = get_hold(session, who, hold_id)
    code, text = _reason(action, reason_code, reason_text)
    return transition(session, svc, who, hold, action, version, code, text)


def bulk(
    session: Session,
    svc: Services,
    who: Principal,
    action: str,
    items: list[tuple[str, int]],
    reason_code: str | None = None,
    reason_text: str | None = None,
) -> list[dict]:
    """The same action over many holds; each succeeds or fails on its own."""
    who.require(Perm.HOLDS_ACT)
    if not items or len(items) > 500:
        raise Invalid("items：一次 1 到 500 条")
    code, text = _reason(action, reason_code, reason_text)
    results = []
    for hold_id, version in items:
        try:
            with session.begin_nested():
                hold = act(session, svc, who, hold_id, action, version, code, text)
            results.append({"id": hold_id, "ok": True, "state": hold.state, "version": hold.version})
        except ServiceError as exc:
            results.append({"id": hold_id, "ok": False, "status": exc.status, "error": str(exc)})
    return results


def sweep(session: Session, svc: Services, now: datetime | None = None) -> dict:
    """Expire overdue holds (release or reject, as their policy said) and purge held content
    past its retention. Safe to run in several workers at once (versions guard each hold)."""
    now = now or utcnow()
    expired = 0
    due = session.scalars(
        select(Hold).where(Hold.state.in_(OPEN_STATES), Hold.kind == "check", Hold.due_at <= now).limit(200)
    ).all()
    for hold in due:
        try:
            with session.begin_nested():
                transition(session, svc, None, hold, "expire", hold.version)
            expired += 1
        except Conflict:
            continue
    purge_ids = list(
        session.scalars(
            select(HeldContent.hold_id)
            .join(Hold, Hold.id == HeldContent.hold_id)
            .where(Hold.purge_after.is_not(None), Hold.purge_after <= now)
            .limit(1000)
        )
    )
    if purge_ids:
        audit(session, svc.keys, "hold.purge", details={"count": len(purge_ids)})
        for hid in purge_ids:
            session.delete(session.get(HeldContent, hid))
        session.execute(update(Hold).where(Hold.id.in_(purge_ids)).values(purged_at=now))
    return {"expired": expired, "purged": len(purge_ids)}
