"""Append to and verify the hash-chained audit log. `append` runs in the caller's
transaction, so an action and its entry commit (or roll back) together."""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from baomi.service.auditlog.models import AuditEntry, AuditHead
from baomi.service.db import at_commit, tx_state, utcnow
from baomi.service.security import Keys

GENESIS = "0" * 64


def _payload(e) -> bytes:
    return _encode(e.seq, e.ts, e.actor_id, e.actor, e.action, e.target, e.unit_id, e.details)


def _encode(seq, ts, actor_id, actor, action, target, unit_id, details) -> bytes:
    fields = [seq, ts.isoformat(), actor_id, actor, action, target, unit_id, details]
    return json.dumps(fields, ensure_ascii=False, separators=(",", ":")).encode()


def append(
    session: Session,
    keys: Keys,
    action: str,
    *,
    actor=None,
    target: str = "",
    unit_id: int | None = None,
    details: dict | None = None,
    defer: bool = False,
) -> AuditEntry | None:
    """Add one entry after the current head (the head row is locked until commit). The entry is
    written at the next flush (at the latest, the commit). With `defer`, the entry takes its
    place in the chain only at the commit, after every entry appended without: the head is
    then locked just for the commit (no ORM entry is returned)."""
    row = {
        "ts": utcnow(),
        "actor_id": getattr(actor, "id", None),
        "actor": getattr(actor, "username", None) or "system",
        "action": action,
        "target": str(target)[:80],
        "unit_id": unit_id,
        "details": json.dumps(details or {}, ensure_ascii=False, sort_keys=True, separators=(",", ":")),
    }
    if defer:
        tx_state(session, "audit_deferred", _Deferred).add(keys, row)
        at_commit(session, "audit_head", _finish_chain)
        return None
    _link(lock_head(session), keys, row)
    entry = AuditEntry(**row)
    session.add(entry)
    return entry


def _link(head: Head, keys: Keys, row: dict) -> None:
    """Give `row` the next place after `head` and move the head to it."""
    row["seq"], row["prev_hash"] = head.seq + 1, head.hash
    row["hash"] = keys.chain_hash(head.hash, _encode(*(row[c] for c in _PAYLOAD)))
    head.seq, head.hash = row["seq"], row["hash"]


class _Deferred:
    """Entries appended with `defer` in this transaction, in order (see `db.tx_state`)."""

    def __init__(self) -> None:
        self.rows: list[tuple[Keys, dict]] = []

    def add(self, keys: Keys, row: dict) -> None:
        self.rows.append((keys, row))

    def snapshot(self) -> int:
        return len(self.rows)

    def restore(self, n: int) -> None:
        del self.rows[n:]


_PAYLOAD = ("seq", "ts", "actor_id", "actor", "action", "target", "unit_id", "details")


@dataclass
class Head:
    """The chain head as this transaction sees it; written back (one UPDATE) at its commit."""

    seq: int
    hash: str
    stored: bool  # the row exists (else it is inserted at commit)

    def snapshot(self) -> tuple[int, str]:
        return self.seq, self.hash

    def restore(self, snap: tuple[int, str]) -> None:
        self.seq, self.hash = snap


_HEAD = select(AuditHead.seq, AuditHead.hash).where(AuditHead.id == 1).with_for_update()


def lock_head(session: Session) -> Head:
    """The chain head, read and locked once per transaction: the appends of one group commit
    (many checks in one transaction) reuse it instead of selecting it again for each. A
    savepoint rolled back puts it back where it was (`db.tx_state`)."""
    head = tx_state(session, "audit_head")
    if head is None:
        row = session.execute(_HEAD).first()
        head = tx_state(
            session, "audit_head", lambda: Head(row.seq, row.hash, True) if row else Head(0, GENESIS, False)
        )
        at_commit(session, "audit_head", _finish_chain)
    return head


def _finish_chain(session: Session) -> None:
    """At commit: the deferred entries linked after the head and inserted, the head written."""
    deferred = tx_state(session, "audit_deferred")
    head = lock_head(session)
    if deferred is not None and deferred.rows:
        rows = []
        for keys, row in deferred.rows:
            _link(head, keys, row)
            rows.append(row)
        session.execute(insert(AuditEntry.__table__), rows)
    if head.stored:
        stmt = update(AuditHead).where(AuditHead.id == 1).values(seq=head.seq, hash=head.hash)
        session.execute(stmt, execution_options={"synchronize_session": False})
    elif head.seq:
        session.execute(insert(AuditHead).values(id=1, seq=head.seq, hash=head.hash))


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    checked: int
    first_bad: int | None = None
    problem: str = ""

    def to_dict(self) -> dict:
        return {"ok": self.ok, "checked": self.checked, "first_bad": self.first_bad, "problem": self.problem}


def verify(session: Session, keys: Keys) -> VerifyResult:
    """Walk the chain in order; name the first entry that was edited, deleted or moved."""
    prev, expected, checked = GENESIS, 1, 0
    rows = session.execute(select(AuditEntry).order_by(AuditEntry.seq).execution_options(yield_per=1000))
    for e in rows.scalars():
        if e.seq != expected:
            return VerifyResult(False, checked, expected, f"第 {expected} 条记录缺失（被删除）")
        if e.prev_hash != prev:
            return VerifyResult(False, checked, e.seq, f"第 {e.seq} 条记录与前一条不衔接（被删除或调换顺序）")
        if keys.chain_hash(prev, _payload(e)) != e.hash:
            return VerifyResult(False, checked, e.seq, f"第 {e.seq} 条记录的内容被修改")
        prev, expected, checked = e.hash, expected + 1, checked + 1
    head = session.get(AuditHead, 1)
    last = expected - 1
    if head is not None and (head.seq != last or head.hash != prev):
        bad = min(head.seq, last) + 1 if head.seq != last else last
        return VerifyResult(False, checked, bad, f"日志末尾的记录缺失（应有 {head.seq} 条，只有 {last} 条）")
    return VerifyResult(True, checked)


def list_entries(session: Session, *, action: str | None = None, offset: int = 0, limit: int = 50):
    q = select(AuditEntry)
    if action:
        q = q.where(AuditEntry.action == action)
    total = session.scalar(select(func.count()).select_from(q.subquery()))
    items = session.scalars(q.order_by(AuditEntry.seq.desc()).offset(offset).limit(limit)).all()
    return total, items
