"""Checks: run the engine on a message, store masked findings and a keyed hash, hold a
`review` for the unit's reviewers, record a block as an incident; overrides, false alarms,
batches and colleagues' reports."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
import logging
import os
import shutil
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

from anyio import to_thread
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from baomi import Attachment, BaomiError, Channel, Decision, Verdict, build_message
from baomi.errors import InputError
from baomi.service.auditlog.service import append as audit
from baomi.service.auditlog.service import lock_head
from baomi.service.checks.models import Check, CheckRule
from baomi.service.context import Services
from baomi.service.db import begin_read, defer_insert, utcnow
from baomi.service.errors import Conflict, Forbidden, Invalid, NotFound, TooLarge
from baomi.service.holds.models import HeldContent, Hold
from baomi.service.incidents.service import record_incident
from baomi.service.permissions import Perm
from baomi.service.policies.service import Effective, effective, remembered_effective
from baomi.service.users.service import Principal
from baomi.service.writer import GroupWriter

log = logging.getLogger("baomi.service")


@dataclass(frozen=True)
class Upload:
    """An attachment as received (kept in memory; written to disk only while the engine reads it)."""

    name: str
    data: bytes


@dataclass(frozen=True)
class CheckInput:
    text: str
    channel: str
    sender: str | None = None
    conversation: str | None = None
    idempotency_key: str | None = None
    attachments: tuple[Upload, ...] = ()
    seen_at: datetime | None = None  # reports only


class CheckRow(SimpleNamespace):
    """A check written as deferred rows (see `_store`): its columns as attributes, no ORM object."""


@dataclass(frozen=True)
class _Reviewed:
    inp: CheckInput
    channel: Channel
    verdict: Verdict
    content_hash: str
    # fixed before the write, so that a replayed write (see writer) stores the same check
    check_id: str = field(default_factory=lambda: new_id())
    created_at: datetime = field(default_factory=utcnow)


_ID_POOL = {"pid": 0, "bytes": b"", "at": 0}
_ID_LOCK = threading.Lock()


def new_id() -> str:
    """128 random bits as hex, like `uuid4().hex`, cut from a per-process buffer of `os.urandom`
    (one system call per 256 ids instead of one per id; refilled after a fork)."""
    with _ID_LOCK:
        pool = _ID_POOL
        if pool["pid"] != os.getpid() or pool["at"] >= len(pool["bytes"]):
            pool.update(pid=os.getpid(), bytes=os.urandom(16 * 256), at=0)
        at = pool["at"]
        pool["at"] = at + 16
        return pool["bytes"][at : at + 16].hex()


def _validate(svc: Services, inp: CheckInput) -> Channel:
    s = svc.settings
    try:
        channel = Channel.parse(inp.channel)
    except InputError as exc:
        raise Invalid(f"channel：{exc}") from None
    if not isinstance(inp.text, str):
        raise Invalid("text：必须是字符串")
    if len(inp.text) > s.max_text_chars:
        raise TooLarge(f"text：消息过长（{len(inp.text)} 字，上限 {s.max_text_chars} 字）")
    if len(inp.attachments) > s.max_attachments:
        raise TooLarge(f"attachments：附件过多（上限 {s.max_attachments} 个）")
    for att in inp.attachments:
        if len(att.data) > s.max_attachment_bytes:
            raise TooLarge(f"附件 {att.name[:40]} 过大（上限 {s.max_attachment_bytes} 字节）")
    if not inp.attachments and not inp.text.strip():
        raise Invalid("text：消息为空，没有文字也没有附件，无可审查内容")
    for name, value, limit in (
        ("sender", inp.sender, 200),
        ("conversation", inp.conversation, 200),
        ("idempotency_key", inp.idempotency_key, 200),
    ):
        if value is not None and len(value) > limit:
            raise Invalid(f"{name}：过长（上限 {limit} 个字符）")
    return channel


def _review(svc: Services, eff: Effective, classified: bool, inp: CheckInput, channel: Channel) -> Verdict:
    """Run the engine; attachments go to a private temp dir for the extractors, removed at once."""
    reviewer = svc.pool.reviewer(eff, classified)
    try:
        if not inp.attachments:
            return reviewer.review(inp.text, channel)
        tmp_root = svc.settings.data_dir / "tmp"
        tmp_root.mkdir(mode=0o700, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(dir=tmp_root))
        try:
            atts = []
            for i, up in enumerate(inp.attachments, start=1):
                path = tmp / f"att{i}{Path(up.name).suffix[:10]}"
                path.write_bytes(up.data)
                atts.append(Attachment(path, up.name or path.name))
            return reviewer.review(build_message(inp.text, channel, atts))
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    except InputError as exc:
        raise Invalid(str(exc)) from None
    except BaomiError as exc:
        raise Invalid(f"无法检查：{exc}") from None


def _content_hash(svc: Services, inp: CheckInput) -> str:
    return svc.keys.content_hash(inp.text, [hashlib.sha256(a.data).hexdigest() for a in inp.attachments])


def _sealed(inp: CheckInput, channel: Channel) -> bytes:
    """The held message as JSON (encrypted by the caller)."""
    return json.dumps(
        {
            "text": inp.text,
            "channel": channel.value,
            "sender": inp.sender,
            "conversation": inp.conversation,
            "attachments": [
                {"name": a.name, "data": base64.b64encode(a.data).decode()} for a in inp.attachments
            ],
        },
        ensure_ascii=False,
    ).encode()


def _existing(session: Session, who: Principal, key: str | None) -> Check | None:
    if key is None:
        return None
    return session.scalar(select(Check).where(Check.user_id == who.id, Check.idempotency_key == key))


def _values(who: Principal, eff: Effective, r: _Reviewed, kind: str) -> dict:
    """The check's row (what the sender is told: shadow mode answers allow)."""
    shadow = eff.unit_policy.mode == "shadow" and kind == "check"
    answered = Decision.ALLOW if shadow else r.verdict.decision
    holds = kind == "report" or answered == Decision.REVIEW
    return {
        "id": r.check_id,
        "kind": kind,
        "user_id": who.id,
        "unit_id": who.unit_id,
        "channel": r.channel.value,
        "sender": r.inp.sender or who.username,
        "conversation": r.inp.conversation,
        "content_hash": r.content_hash,
        "chars": len(r.inp.text),
        "attachments": len(r.inp.attachments),
        "decision": answered.value,
        "engine_decision": r.verdict.decision.value,
        "rules": list(r.verdict.rules),
        "findings": [f.to_dict() for f in r.verdict.findings],
        "tip": "" if shadow else r.verdict.tip,
        "shadow": shadow,
        "classified_sender": who.classified,
        "policy_id": eff.id,
        "idempotency_key": r.inp.idempotency_key,
        "status": "held" if holds else "done",
        "seen_at": r.inp.seen_at,
        "created_at": r.created_at,
    }


def _store(session: Session, svc: Services, who: Principal, eff: Effective, r: _Reviewed, kind: str) -> Check:
    """Write one reviewed message: the check, its rules, a hold or an incident, its audit entry.
    A check that is neither held nor an incident, and has no idempotency key to race on, is
    written as deferred rows (one executemany per table for the whole group commit)."""
    up = eff.unit_policy
    values = _values(who, eff, r, kind)
    engine_decision = r.verdict.decision
    shadow = values["shadow"]
    answered = Decision(values["decision"])
    holds = values["status"] == "held"
    deferred = not holds and answered != Decision.BLOCK and r.inp.idempotency_key is None
    check = CheckRow(**values, overridden_at=None, false_alarm_at=None) if deferred else Check(**values)
    hold_id = new_id() if holds else None
    # the audit entry first: its head-row lock orders concurrent writers (PostgreSQL)
    audit(
        session,
        svc.keys,
        f"{kind}.create",
        actor=who,
        target=f"check:{check.id}",
        unit_id=who.unit_id,
        details={
            "decision": answered.value,
            "engine_decision": engine_decision.value,
            "rules": check.rules,
            "channel": check.channel,
            "hold_id": hold_id,
            "shadow": shadow,
        },
        defer=deferred,
    )
    rules = dict.fromkeys(check.rules)
    if deferred:
        defer_insert(session, Check.__table__, values)
        for rule in rules:
            defer_insert(session, CheckRule.__table__, {"check_id": check.id, "rule": rule})
        return check
    session.add(check)
    session.flush()
    session.add_all([CheckRule(check_id=check.id, rule=rule) for rule in rules])
    if holds:
        hold = Hold(
            id=hold_id,
            check_id=check.id,
            kind=kind,
            unit_id=who.unit_id,
            due_at=check.created_at + timedelta(minutes=up.sla_minutes),
            on_expiry=up.on_expiry,
            created_at=check.created_at,
        )
        key_id, nonce, blob = svc.keys.encrypt(_sealed(r.inp, r.channel), aad=hold_id)
        session.add(hold)
        session.flush()
        session.add(HeldContent(hold_id=hold_id, key_id=key_id, nonce=nonce, ciphertext=blob))
    elif answered == Decision.BLOCK:
        record_incident(session, check, "block")
    return check


def _store_once(session, svc, who, eff, r: _Reviewed, kind: str) -> Check:
    """Store, or answer the earlier check with the same idempotency key (even under a race)."""
    if r.inp.idempotency_key is None:
        return _store(session, svc, who, eff, r, kind)
    lock_head(session)  # the chain head locked outside the savepoint (put back if it rolls back)
    try:
        with session.begin_nested():
            return _store(session, svc, who, eff, r, kind)
    except IntegrityError:
        earlier = _existing(session, who, r.inp.idempotency_key)
        if earlier is None:
            raise
        return earlier


def _prepare(session: Session, svc: Services, who: Principal, keys: list[str | None]) -> tuple:
    """Read what the review needs (earlier checks with these idempotency keys, the policy) and
    end the read: the engine runs outside any transaction. Without keys and with the unit's
    policy in the worker's memo, no database read at all."""
    if all(k is None for k in keys):
        eff = remembered_effective(svc.pool, svc.orgs, who.unit_id)
        if eff is not None:
            if session.in_transaction():
                session.commit()  # the caller's read ends here too (SQLite: its lock released)
            return {}, eff
    begin_read(session)
    earlier = {k: _existing(session, who, k) for k in keys if k is not None}
    eff = effective(session, svc.pool, who.unit_id, svc.orgs)
    session.commit()
    return earlier, eff


def _review_and_store(session: Session, svc: Services, who: Principal, inp: CheckInput, kind: str) -> Check:
    channel = _validate(svc, inp)
    earlier, eff = _prepare(session, svc, who, [inp.idempotency_key])
    if earlier.get(inp.idempotency_key) is not None:
        return earlier[inp.idempotency_key]
    classified = who.classified and kind == "check"  # a report is about someone else's message
    reviewed = _Reviewed(inp, channel, _review(svc, eff, classified, inp, channel), _content_hash(svc, inp))

    def write(s: Session) -> Check:
        return _store_once(s, svc, who, eff, reviewed, kind)

    # group commit: answered once the batch holding this check has committed
    return svc.writer.run(write) if svc.writer is not None else write(session)


def create_check(session: Session, svc: Services, who: Principal, inp: CheckInput) -> Check:
    """Review one message for its sender and store the outcome (see module docstring)."""
    who.require(Perm.CHECK)
    return _review_and_store(session, svc, who, inp, "check")


# A chat message this short is reviewed on the event loop (the engine takes ~50 µs for one);
# longer texts and any attachment go to the thread pool.
INLINE_REVIEW_CHARS = 2000


async def create_check_async(
    session: Callable[[], Session], svc: Services, who: Principal, inp: CheckInput
) -> Check:
    """`create_check` for the event loop: a thread only for what may block (database reads the
    memos cannot answer, long reviews); the write goes to the group-commit writer, awaited.
    `session()` gives the request's session, called only when one is needed."""
    who.require(Perm.CHECK)
    channel = _validate(svc, inp)
    prepared = _prepare_from_memo(svc, who, inp.idempotency_key)
    if prepared is None:
        prepared = await to_thread.run_sync(_prepare, session(), svc, who, [inp.idempotency_key])
    earlier, eff = prepared
    if earlier.get(inp.idempotency_key) is not None:
        return earlier[inp.idempotency_key]
    if inp.attachments or len(inp.text) > INLINE_REVIEW_CHARS:
        verdict = await to_thread.run_sync(_review, svc, eff, who.classified, inp, channel)
    else:
        verdict = _review(svc, eff, who.classified, inp, channel)
    reviewed = _Reviewed(inp, channel, verdict, _content_hash(svc, inp))

    def write(s: Session) -> Check:
        return _store_once(s, svc, who, eff, reviewed, "check")

    if svc.writer is None:
        return await to_thread.run_sync(write, session())
    values = _values(who, eff, reviewed, "check")
    if _answer_when_queued(svc, inp, values) and svc.writer.queued() < MAX_QUEUED_ANSWERED:
        svc.writer.submit(write, later=True).add_done_callback(_log_lost_write)
        return CheckRow(**values, overridden_at=None, false_alarm_at=None)
    return await asyncio.wrap_future(svc.writer.submit(write))


# Answered-when-queued checks wait for their commit like the others while the writer has this
# many jobs queued: the writer never falls behind unseen, and a crash loses at most about this.
MAX_QUEUED_ANSWERED = 256


def _answer_when_queued(svc: Services, inp: CheckInput, values: dict) -> bool:
    """A check answered `allow` with no finding at all, and no idempotency key, is answered
    once its write is queued, not committed (`ack_allow_before_commit`): nothing follows from it
    (no hold, no incident, nothing to override or report as a false alarm), and a client that
    needs it stored before the answer sends an idempotency key. The writer commits it with its
    next batch; a crash of the worker in between loses that record (and its audit entry)."""
    return (
        svc.settings.ack_allow_before_commit
        and inp.idempotency_key is None
        and values["decision"] == Decision.ALLOW.value
        and not values["findings"]
    )


def _log_lost_write(fut) -> None:
    if fut.exception() is not None:
        exc = fut.exception()
        log.error(
            "check write failed",
            extra={"event": "check_write_failed", "error": type(exc).__name__},
        )


def _prepare_from_memo(svc: Services, who: Principal, key: str | None) -> tuple | None:
    if key is not None:
        return None
    eff = remembered_effective(svc.pool, svc.orgs, who.unit_id)
    return None if eff is None else ({}, eff)


def dry_run(session: Session, svc: Services, who: Principal, inp: CheckInput) -> Verdict:
    """An anonymous self-check: the verdict only, nothing stored or logged, where the unit's
    policy allows it (`self_check: {anonymous: true}`)."""
    who.require(Perm.CHECK)
    channel = _validate(svc, inp)
    _, eff = _prepare(session, svc, who, [])
    if not eff.unit_policy.anonymous_self_check:
        raise Forbidden("本单位未开启匿名自查，检查结果将按规定记录")
    return _review(svc, eff, who.classified, inp, channel)


def create_batch(session: Session, svc: Services, who: Principal, items: list[CheckInput]) -> list[Check]:
    """Up to `batch_limit` texts in one transaction; any invalid item rejects the whole batch."""
    who.require(Perm.CHECK)
    if not items:
        raise Invalid("items：至少需要一条消息")
    if len(items) > svc.settings.batch_limit:
        raise TooLarge(f"items：一次最多 {svc.settings.batch_limit} 条（收到 {len(items)} 条）")
    channels = []
    for i, inp in enumerate(items):
        try:
            channels.append(_validate(svc, inp))
        except Invalid as exc:
            raise Invalid(f"第 {i + 1} 条 {exc}") from None
    earlier, eff = _prepare(session, svc, who, [inp.idempotency_key for inp in items])
    reviewed = [
        None
        if earlier.get(inp.idempotency_key)
        else _Reviewed(inp, ch, _review(svc, eff, who.classified, inp, ch), _content_hash(svc, inp))
        for inp, ch in zip(items, channels, strict=True)
    ]
    return [
        earlier[inp.idempotency_key] if r is None else _store_once(session, svc, who, eff, r, "check")
        for inp, r in zip(items, reviewed, strict=True)
    ]


def create_report(session: Session, svc: Services, who: Principal, inp: CheckInput) -> Check:
    """A colleague reports a message they saw: reviewed by the engine, queued as a report case."""
    who.require(Perm.REPORT)
    return _review_and_store(session, svc, who, inp, "report")


def _find(session: Session, check_id: str, writer: GroupWriter | None) -> Check | None:
    """The check, or None. Not found with a `writer`: wait until what it had queued is committed
    and look again (a check answered when queued is then found, see `_answer_when_queued`)."""
    check = session.get(Check, check_id)
    if check is None and writer is not None:
        session.rollback()  # end this read (SQLite: release any lock) before the writer's turn
        writer.drain()
        check = session.get(Check, check_id)
    return check


def get_check(session: Session, who: Principal, check_id: str, writer: GroupWriter | None = None) -> Check:
    """The sender sees their own checks; reviewers, officers, auditors those of their units."""
    check = _find(session, check_id, writer)
    if check is None:
        raise NotFound(f"检查 {check_id[:40]} 不存在")
    if check.user_id != who.id:
        who.require(Perm.HOLDS_READ)
        who.require_unit(check.unit_id)
    return check


def hold_of(session: Session, check: Check) -> Hold | None:
    if check.status == "done":  # never held (a hold leaves its check held, released or rejected)
        return None
    begin_read(session)
    return session.scalar(select(Hold).where(Hold.check_id == check.id))


def _own(session: Session, svc: Services, who: Principal, check_id: str) -> Check:
    who.require(Perm.CHECK)
    check = _find(session, check_id, svc.writer)
    if check is None:
        raise NotFound(f"检查 {check_id[:40]} 不存在")
    if check.user_id != who.id:
        raise Forbidden("只有发送人本人可以对自己的检查结果操作")
    return check


def override(session: Session, svc: Services, who: Principal, check_id: str, justification: str) -> Check:
    """The sender confirms a `warn` with a justification. Never for review or block."""
    check = _own(session, svc, who, check_id)
    if check.decision == Decision.BLOCK:
        raise Forbidden("拦截的消息不能确认发送（无论谁要求），请通过涉密网络或纸质渠道处理")
    if check.decision != Decision.WARN:
        raise Conflict(f"只有“提醒”（warn）的结果可以确认发送，本条为 {check.decision}")
    if check.overridden_at is not None:
        raise Conflict("本条已确认发送")
    justification = (justification or "").strip()
    if len(justification) < 2:
        raise Invalid("justification：请说明确认发送的理由")
    check.override_justification = justification[:1000]
    check.overridden_at = utcnow()
    audit(
        session,
        svc.keys,
        "check.override",
        actor=who,
        target=f"check:{check.id}",
        unit_id=check.unit_id,
        details={"rules": check.rules, "justification_chars": len(justification)},
    )
    return check


def false_alarm(session: Session, svc: Services, who: Principal, check_id: str, note: str) -> Check:
    """The sender reports that a finding was wrong (counted in the rates by rule)."""
    check = _own(session, svc, who, check_id)
    if not check.findings:
        raise Conflict("本条没有发现问题，无需报告误报")
    if check.false_alarm_at is not None:
        raise Conflict("本条已报告误报")
    check.false_alarm_note = (note or "").strip()[:1000]
    check.false_alarm_at = utcnow()
    audit(
        session,
        svc.keys,
        "check.false_alarm",
        actor=who,
        target=f"check:{check.id}",
        unit_id=check.unit_id,
        details={"rules": check.rules},
    )
    return check
