"""Units, users, logins and tokens. Every function takes the session and the acting
principal; views and console pages call these, never each other."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from baomi.service.auditlog.service import append as audit
from baomi.service.db import utcnow
from baomi.service.errors import Conflict, Forbidden, Invalid, NotFound, Unauthorized
from baomi.service.permissions import SCOPES, Perm, Role, allowed
from baomi.service.security import Keys, hash_password, new_token, token_digest, verify_password
from baomi.service.users.models import ApiToken, Unit, User

ROOT_UNIT = "本机关"


@dataclass(frozen=True)
class Principal:
    """Who is acting: the user behind a token, the token's scopes and the units in reach."""

    id: int
    username: str
    role: str
    unit_id: int
    classified: bool
    scopes: frozenset[str]
    units: frozenset[int]  # the user's unit and its descendants (admins: every unit)
    token_id: int
    must_change_password: bool = False
    expires_at: datetime | None = None  # the token's

    def expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= utcnow()

    def can(self, perm: Perm) -> bool:
        return allowed(self.role, self.scopes, perm)

    def require(self, perm: Perm) -> None:
        if self.must_change_password:
            raise Forbidden("请先修改一次性密码（POST /v1/auth/password）")
        if not self.can(perm):
            raise Forbidden("当前角色或令牌范围无权执行此操作")

    def require_unit(self, unit_id: int) -> None:
        if unit_id not in self.units:
            raise Forbidden("无权访问其他单位的数据")


def subtree(session: Session, unit_id: int) -> frozenset[int]:
    """The unit and all units below it."""
    children: dict[int | None, list[int]] = {}
    for uid, parent in session.execute(select(Unit.id, Unit.parent_id)):
        children.setdefault(parent, []).append(uid)
    seen, todo = set(), [unit_id]
    while todo:
        u = todo.pop()
        if u not in seen:
            seen.add(u)
            todo.extend(children.get(u, ()))
    return frozenset(seen)


def _all_units(session: Session) -> frozenset[int]:
    return frozenset(session.scalars(select(Unit.id)))


def create_first_admin(session: Session, keys: Keys, password_hash: str, must_change: bool) -> bool:
    """On first start: the root unit and `admin`. False when users exist already."""
    if session.scalar(select(User.id).limit(1)) is not None:
        return False
    root = Unit(name=ROOT_UNIT)
    session.add(root)
    session.flush()
    admin = User(
        username="admin",
        display_name="管理员",
        password_hash=password_hash,
        role=Role.ADMIN,
        unit_id=root.id,
        must_change_password=must_change,
    )
    session.add(admin)
    session.flush()
    audit(
        session,
        keys,
        "user.create",
        target=f"user:{admin.id}",
        unit_id=root.id,
        details={"username": "admin", "role": "admin", "first_start": True},
    )
    return True


def login(
    session: Session, keys: Keys, username: str, password: str, hours: float
) -> tuple[User, str] | None:
    """Check the password; a session token on success, None (audited) on failure."""
    user = session.scalar(select(User).where(User.username == username))
    if user is None or not user.active or not verify_password(user.password_hash, password):
        audit(
            session,
            keys,
            "auth.login_failed",
            target=f"user:{user.id}" if user else "",
            details={"username": username[:64]},
        )
        return None
    token = new_token("bms")
    session.add(
        ApiToken(
            user_id=user.id,
            token_hash=token_digest(token),
            kind="session",
            scopes="*",
            expires_at=utcnow() + timedelta(hours=hours),
        )
    )
    audit(session, keys, "auth.login", actor=user, target=f"user:{user.id}", unit_id=user.unit_id)
    return user, token


# Built once: this runs on every request (plain columns, no ORM objects to load).
_TOKEN_USER = (
    select(
        ApiToken.id.label("token_id"),
        ApiToken.scopes,
        ApiToken.revoked_at,
        ApiToken.expires_at,
        User.id,
        User.username,
        User.role,
        User.unit_id,
        User.classified,
        User.active,
        User.must_change_password,
    )
    .join(User, User.id == ApiToken.user_id)
    .where(ApiToken.token_hash == bindparam("token_hash"))
)


def principal_for(session: Session, token: str) -> Principal:
    """The principal behind a bearer token, or Unauthorized."""
    row = session.execute(_TOKEN_USER, {"token_hash": token_digest(token)}).first()
    if row is None:
        raise Unauthorized("令牌无效")
    if row.revoked_at is not None or (row.expires_at is not None and row.expires_at <= utcnow()):
        raise Unauthorized("令牌已失效，请重新登录")
    if not row.active:
        raise Unauthorized("账户已停用")
    units = _all_units(session) if row.role == Role.ADMIN else subtree(session, row.unit_id)
    return Principal(
        row.id,
        row.username,
        row.role,
        row.unit_id,
        row.classified,
        frozenset(row.scopes.split()),
        units,
        row.token_id,
        row.must_change_password,
        row.expires_at,
    )


def change_password(session: Session, keys: Keys, who: Principal, old: str, new: str) -> None:
    user = session.get(User, who.id)
    if not verify_password(user.password_hash, old):
        raise Forbidden("原密码不正确")
    if len(new) < 10:
        raise Invalid("新密码至少 10 个字符")
    user.password_hash = hash_password(new)
    user.must_change_password = False
    audit(session, keys, "auth.password_changed", actor=who, target=f"user:{user.id}", unit_id=user.unit_id)


def logout(session: Session, keys: Keys, who: Principal) -> None:
    tok = session.get(ApiToken, who.token_id)
    tok.revoked_at = utcnow()
    audit(session, keys, "auth.logout", actor=who, target=f"token:{tok.id}", unit_id=who.unit_id)


def list_units(session: Session, who: Principal) -> list[Unit]:
    return list(session.scalars(select(Unit).where(Unit.id.in_(who.units)).order_by(Unit.id)))


def create_unit(session: Session, keys: Keys, who: Principal, name: str, parent_id: int | None) -> Unit:
    who.require(Perm.ADMIN)
    if parent_id is None:
        raise Invalid("parent_id：请指定上级单位")
    if session.get(Unit, parent_id) is None:
        raise NotFound(f"上级单位 {parent_id} 不存在")
    unit = Unit(name=name, parent_id=parent_id)
    session.add(unit)
    session.flush()
    audit(
        session,
        keys,
        "unit.create",
        actor=who,
        target=f"unit:{unit.id}",
        unit_id=unit.id,
        details={"name": name, "parent_id": parent_id},
    )
    return unit


def list_users(session: Session, who: Principal) -> list[User]:
    who.require(Perm.ADMIN)
    return list(session.scalars(select(User).order_by(User.id)))


def get_user(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(f"用户 {user_id} 不存在")
    return user


def create_user(
    session: Session,
    keys: Keys,
    who: Principal,
    *,
    username: str,
    password: str,
    role: str,
    unit_id: int,
    display_name: str = "",
    classified: bool = False,
) -> User:
    who.require(Perm.ADMIN)
    if session.get(Unit, unit_id) is None:
        raise NotFound(f"单位 {unit_id} 不存在")
    if session.scalar(select(User.id).where(User.username == username)) is not None:
        raise Conflict(f"用户名 {username} 已存在")
    if len(password) < 10:
        raise Invalid("password：密码至少 10 个字符")
    user = User(
        username=username,
        display_name=display_name,
        password_hash=hash_password(password),
        role=Role(role),
        unit_id=unit_id,
        classified=classified,
    )
    session.add(user)
    session.flush()
    audit(
        session,
        keys,
        "user.create",
        actor=who,
        target=f"user:{user.id}",
        unit_id=unit_id,
        details={"username": username, "role": role, "classified": classified},
    )
    return user


def update_user(session: Session, keys: Keys, who: Principal, user_id: int, changes: dict) -> User:
    who.require(Perm.ADMIN)
    user = get_user(session, user_id)
    if "unit_id" in changes and session.get(Unit, changes["unit_id"]) is None:
        raise NotFound(f"单位 {changes['unit_id']} 不存在")
    if "password" in changes:
        user.password_hash = hash_password(changes.pop("password"))
    for key, value in changes.items():
        setattr(user, key, value)
    audit(
        session,
        keys,
        "user.update",
        actor=who,
        target=f"user:{user.id}",
        unit_id=user.unit_id,
        details={k: v for k, v in changes.items() if k != "password"},
    )
    return user


def create_api_token(
    session: Session,
    keys: Keys,
    who: Principal,
    *,
    user_id: int,
    name: str,
    scopes: list[str],
    expires_days: float | None,
) -> tuple[ApiToken, str]:
    """An integrator's token, acting as `user_id` within `scopes`; the plaintext is shown once."""
    who.require(Perm.ADMIN)
    get_user(session, user_id)
    unknown = [s for s in scopes if s not in SCOPES]
    if unknown or not scopes:
        raise Invalid(f"scopes：未知或缺少范围 {unknown}，可选：{', '.join(SCOPES)}")
    token = new_token("bmk")
    expires = utcnow() + timedelta(days=expires_days) if expires_days else None
    row = ApiToken(
        user_id=user_id,
        token_hash=token_digest(token),
        kind="api",
        name=name,
        scopes=" ".join(sorted(set(scopes))),
        created_by=who.id,
        expires_at=expires,
    )
    session.add(row)
    session.flush()
    audit(
        session,
        keys,
        "token.create",
        actor=who,
        target=f"token:{row.id}",
        details={"user_id": user_id, "name": name, "scopes": sorted(set(scopes))},
    )
    return row, token


def list_api_tokens(session: Session, who: Principal) -> list[ApiToken]:
    who.require(Perm.ADMIN)
    return list(session.scalars(select(ApiToken).where(ApiToken.kind == "api").order_by(ApiToken.id)))


def revoke_api_token(session: Session, keys: Keys, who: Principal, token_id: int) -> ApiToken:
    who.require(Perm.ADMIN)
    row = session.get(ApiToken, token_id)
    if row is None or row.kind != "api":
        raise NotFound(f"令牌 {token_id} 不存在")
    if row.revoked_at is None:
        row.revoked_at = utcnow()
        audit(session, keys, "token.revoke", actor=who, target=f"token:{row.id}")
    return row
