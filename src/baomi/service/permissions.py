"""Roles, what each may do, and which API-token scope covers each permission: one table."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    SENDER = "sender"  # checks only
    REVIEWER = "reviewer"  # the unit's review queue
    OFFICER = "secrecy_officer"  # 保密办: policy, incidents and queue of the unit
    AUDITOR = "auditor"  # read-only, masked evidence only
    ADMIN = "admin"  # users, units, tokens


ROLE_ZH = {"sender": "发送人", "reviewer": "审查员", "secrecy_officer": "保密员", "auditor": "审计员",
           "admin": "管理员"}  # fmt: skip


class Perm(StrEnum):
    CHECK = "check"
    REPORT = "report"
    HOLDS_READ = "holds_read"
    HOLDS_ACT = "holds_act"
    HOLD_CONTENT = "hold_content"
    INCIDENTS_READ = "incidents_read"
    INCIDENTS_EXPORT = "incidents_export"
    STATS = "stats"
    POLICY_READ = "policy_read"
    POLICY_WRITE = "policy_write"
    AUDIT = "audit"
    REGISTRY_READ = "registry_read"
    REGISTRY_WRITE = "registry_write"
    ARCHIVE_READ = "archive_read"
    ARCHIVE_WRITE = "archive_write"
    ADMIN = "admin"


_S, _R, _O, _A, _AD = Role.SENDER, Role.REVIEWER, Role.OFFICER, Role.AUDITOR, Role.ADMIN
GRANTS: dict[Perm, frozenset[Role]] = {
    Perm.CHECK: frozenset({_S, _R, _O, _AD}),
    Perm.REPORT: frozenset({_S, _R, _O, _AD}),
    Perm.HOLDS_READ: frozenset({_R, _O, _A, _AD}),
    Perm.HOLDS_ACT: frozenset({_R, _O}),
    Perm.HOLD_CONTENT: frozenset({_R, _O}),
    Perm.INCIDENTS_READ: frozenset({_R, _O, _A, _AD}),
    Perm.INCIDENTS_EXPORT: frozenset({_O, _A, _AD}),
    Perm.STATS: frozenset({_R, _O, _A, _AD}),
    Perm.POLICY_READ: frozenset({_R, _O, _A, _AD}),
    Perm.POLICY_WRITE: frozenset({_O, _AD}),
    Perm.AUDIT: frozenset({_A, _AD}),
    Perm.REGISTRY_READ: frozenset({_O, _A, _AD}),
    Perm.REGISTRY_WRITE: frozenset({_O, _AD}),
    Perm.ARCHIVE_READ: frozenset({_O, _A, _AD}),
    Perm.ARCHIVE_WRITE: frozenset({_O, _AD}),
    Perm.ADMIN: frozenset({_AD}),
}

# API tokens carry scopes; a session (login) token carries "*".
SCOPES: dict[str, frozenset[Perm]] = {
    "checks": frozenset({Perm.CHECK, Perm.REPORT}),
    "holds": frozenset({Perm.HOLDS_READ, Perm.HOLDS_ACT, Perm.HOLD_CONTENT}),
    "incidents": frozenset({Perm.INCIDENTS_READ, Perm.INCIDENTS_EXPORT, Perm.STATS}),
    "policies": frozenset({Perm.POLICY_READ, Perm.POLICY_WRITE}),
    "audit": frozenset({Perm.AUDIT}),
    "registry": frozenset({Perm.REGISTRY_READ, Perm.REGISTRY_WRITE}),
    "archives": frozenset({Perm.ARCHIVE_READ, Perm.ARCHIVE_WRITE}),
    "admin": frozenset({Perm.ADMIN}),
}


def allowed(role: str, scopes: frozenset[str], perm: Perm) -> bool:
    if role not in GRANTS[perm]:
        return False
    return "*" in scopes or any(perm in SCOPES.get(s, ()) for s in scopes)
