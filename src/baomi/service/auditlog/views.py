"""Audit-log routes."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from baomi.service.auditlog import service
from baomi.service.auditlog.schemas import AuditEntryOut, AuditPage, VerifyOut
from baomi.service.deps import CurrentUser, DbSession, Svc
from baomi.service.permissions import Perm

router = APIRouter(prefix="/v1", tags=["audit"])


@router.get("/audit", response_model=AuditPage, summary="审计日志")
def entries(
    session: DbSession,
    who: CurrentUser,
    action: Annotated[str | None, Query(max_length=40)] = None,
    offset: Annotated[int, Query(ge=0, le=10**9)] = 0,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> AuditPage:
    who.require(Perm.AUDIT)
    total, items = service.list_entries(session, action=action, offset=offset, limit=limit)
    return AuditPage(
        total=total, offset=offset, limit=limit, items=[AuditEntryOut.model_validate(e) for e in items]
    )


@router.get("/audit/verify", response_model=VerifyOut, summary="校验审计日志的哈希链")
def verify(session: DbSession, svc: Svc, who: CurrentUser) -> dict:
    who.require(Perm.AUDIT)
    return service.verify(session, svc.keys).to_dict()
