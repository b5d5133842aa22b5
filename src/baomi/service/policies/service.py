"""Policies per unit: upload (validated), versions, activation, and the reviewer for a unit."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from baomi import Reviewer
from baomi.service.auditlog.service import append as audit
from baomi.service.errors import Invalid, NotFound
from baomi.service.memo import Memo
from baomi.service.permissions import Perm
from baomi.service.policies.document import UnitPolicy, default_unit_policy, parse_unit_policy
from baomi.service.policies.models import PolicyActivation, PolicyVersion
from baomi.service.registry.book import RegistryBook
from baomi.service.security import Keys
from baomi.service.users.models import Unit
from baomi.service.users.service import Principal

MAX_POLICY_CHARS = 200_000


@dataclass(frozen=True)
class Effective:
    """The policy in force for a unit: its own or the nearest ancestor's, else the default."""

    row: PolicyVersion | None
    unit_policy: UnitPolicy
    # (unit id, name) of the unit and its ancestors that hold a registry, nearest first
    registry_units: tuple[tuple[int, str], ...] = ()

    @property
    def id(self) -> int | None:
        return self.row.id if self.row else None


@dataclass(frozen=True)
class _Org:
    """The unit tree and each unit's active policy id, as of `stamp` (see ReviewerPool.org)."""

    stamp: tuple
    units: dict[int, tuple[str, int | None]]  # id → (name, parent id)
    active: dict[int, int]  # unit id → policy id of its latest activation


# Units and activations are only ever added (never updated or deleted), so their row counts
# change whenever either table does: one query tells whether the cached tree is still current.
_ORG_STAMP = select(
    select(func.count()).select_from(Unit).scalar_subquery(),
    select(func.count()).select_from(PolicyActivation).scalar_subquery(),
)
_UNITS = select(Unit.id, Unit.name, Unit.parent_id)
_POLICY = select(*PolicyVersion.__table__.columns).where(PolicyVersion.id == bindparam("id"))
_ACTIVATIONS = select(PolicyActivation.unit_id, PolicyActivation.policy_id).order_by(PolicyActivation.id)


class ReviewerPool:
    """One engine `Reviewer` per policy version and kind of sender, built once per process;
    also the unit tree with its active policies, reread only when it has grown."""

    def __init__(self, ocr=None, registries: RegistryBook | None = None) -> None:
        self.ocr = ocr  # shared by every reviewer (a MemoOcr lets the console reuse its lines)
        self.registries = registries
        self._lock = threading.Lock()
        self._reviewers: dict[tuple, Reviewer] = {}
        self._policies: dict[int, UnitPolicy] = {}
        self._rows: dict[int, PolicyVersion] = {}  # policy versions are immutable once stored
        self._org = _Org((), {}, {})

    def org(self, session: Session) -> _Org:
        stamp = tuple(session.execute(_ORG_STAMP).one())
        org = self._org
        if org.stamp != stamp:
            units = {uid: (name, parent) for uid, name, parent in session.execute(_UNITS)}
            active = dict(session.execute(_ACTIVATIONS).all())  # the latest activation wins
            org = self._org = _Org(stamp, units, active)
        return org

    def policy_row(self, session: Session, policy_id: int) -> PolicyVersion:
        """The version as a copy of its own, in no session (so no rollback can expire it)."""
        row = self._rows.get(policy_id)
        if row is None:
            values = session.execute(_POLICY, {"id": policy_id}).one()._mapping
            row = self._rows[policy_id] = PolicyVersion(**values)
        return row

    def unit_policy(self, row: PolicyVersion | None) -> UnitPolicy:
        if row is None:
            return default_unit_policy()
        with self._lock:
            if row.id not in self._policies:
                self._policies[row.id] = parse_unit_policy(row.yaml, f"policy:{row.id}")
            return self._policies[row.id]

    def reviewer(self, eff: Effective, classified: bool) -> Reviewer:
        key = (eff.id, classified, eff.registry_units)
        with self._lock:
            if key not in self._reviewers:
                up = eff.unit_policy
                registry = self.registries.combined(eff.registry_units) if eff.registry_units else None
                policy = up.classified if classified else up.policy
                self._reviewers[key] = Reviewer(policy, ocr=self.ocr, registry=registry)
            return self._reviewers[key]


def effective(session: Session, pool: ReviewerPool, unit_id: int, memo: Memo | None = None) -> Effective:
    """The nearest policy up the unit tree, and every registry on the way up. With `memo`, the
    unit's chain and policy are remembered for the memo's time to live (registries are looked
    up every time: a registry made a moment ago counts at once)."""
    if memo is not None:
        hit = remembered_effective(pool, memo, unit_id)
        if hit is not None:
            return hit
    since = time.monotonic()
    org = pool.org(session)
    chain: list[tuple[int, str]] = []
    unit: int | None = unit_id
    while unit is not None and unit in org.units and len(chain) < 64:
        name, parent = org.units[unit]
        chain.append((unit, name))
        unit = parent
    row = next((pool.policy_row(session, org.active[uid]) for uid, _ in chain if uid in org.active), None)
    if memo is not None:
        memo.put(unit_id, (tuple(chain), row), since)
    return _with_registries(pool, tuple(chain), row)


def remembered_effective(pool: ReviewerPool, memo: Memo, unit_id: int) -> Effective | None:
    """`effective` from the memo alone (no database), or None."""
    hit = memo.get(unit_id)
    return None if hit is None else _with_registries(pool, *hit)


def _with_registries(pool: ReviewerPool, chain: tuple, row: PolicyVersion | None) -> Effective:
    book = pool.registries
    registry_units = tuple(u for u in chain if book is not None and book.exists(u[0]))
    return Effective(row, pool.unit_policy(row), registry_units)


def upload(session: Session, keys: Keys, who: Principal, unit_id: int, text: str) -> PolicyVersion:
    """Store a new version after validation (PolicyError names the line); not yet active."""
    who.require(Perm.POLICY_WRITE)
    who.require_unit(unit_id)
    if session.get(Unit, unit_id) is None:
        raise NotFound(f"单位 {unit_id} 不存在")
    if len(text) > MAX_POLICY_CHARS:
        raise Invalid(f"策略文件过大（超过 {MAX_POLICY_CHARS} 个字符）")
    parsed = parse_unit_policy(text, "上传的策略")
    last = session.scalar(select(func.max(PolicyVersion.version)).where(PolicyVersion.unit_id == unit_id))
    row = PolicyVersion(
        unit_id=unit_id,
        version=(last or 0) + 1,
        yaml=text,
        mode=parsed.mode,
        sla_minutes=parsed.sla_minutes,
        on_expiry=parsed.on_expiry,
        created_by=who.id,
    )
    session.add(row)
    session.flush()
    audit(
        session,
        keys,
        "policy.upload",
        actor=who,
        target=f"policy:{row.id}",
        unit_id=unit_id,
        details={"version": row.version, "mode": row.mode},
    )
    return row


def get(session: Session, who: Principal, policy_id: int) -> PolicyVersion:
    who.require(Perm.POLICY_READ)
    row = session.get(PolicyVersion, policy_id)
    if row is None:
        raise NotFound(f"策略 {policy_id} 不存在")
    who.require_unit(row.unit_id)
    return row


def versions(session: Session, who: Principal, unit_id: int) -> list[PolicyVersion]:
    who.require(Perm.POLICY_READ)
    who.require_unit(unit_id)
    return list(
        session.scalars(
            select(PolicyVersion)
            .where(PolicyVersion.unit_id == unit_id)
            .order_by(PolicyVersion.version.desc())
        )
    )


def activations(session: Session, who: Principal, unit_id: int) -> list[PolicyActivation]:
    who.require(Perm.POLICY_READ)
    who.require_unit(unit_id)
    return list(
        session.scalars(
            select(PolicyActivation)
            .where(PolicyActivation.unit_id == unit_id)
            .order_by(PolicyActivation.id.desc())
        )
    )


def activate(session: Session, keys: Keys, who: Principal, policy_id: int) -> PolicyActivation:
    who.require(Perm.POLICY_WRITE)
    row = get(session, who, policy_id)
    act = PolicyActivation(unit_id=row.unit_id, policy_id=row.id, activated_by=who.id)
    session.add(act)
    session.flush()
    audit(
        session,
        keys,
        "policy.activate",
        actor=who,
        target=f"policy:{row.id}",
        unit_id=row.unit_id,
        details={"version": row.version, "mode": row.mode},
    )
    return act
