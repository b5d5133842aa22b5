"""Review-queue routes."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query

from baomi.service.db import utcnow
from baomi.service.deps import CurrentUser, DbSession, Svc
from baomi.service.holds import service
from baomi.service.holds.schemas import ActionIn, BulkIn, BulkOut, HeldContentOut, HoldOut, HoldPage, hold_out
from baomi.service.permissions import Perm

router = APIRouter(prefix="/v1", tags=["holds"])
HoldId = Annotated[str, Path(max_length=64)]


@router.get("/holds", response_model=HoldPage, summary="待审队列")
def list_holds(
    session: DbSession,
    who: CurrentUser,
    state: Annotated[Literal["pending", "claimed", "approved", "rejected", "expired"] | None, Query()] = None,
    kind: Annotated[Literal["check", "report"] | None, Query()] = None,
    unit_id: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
    rule: Annotated[str | None, Query(max_length=8)] = None,
    channel: Annotated[str | None, Query(max_length=20)] = None,
    overdue: bool | None = None,
    claimed_by: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
    offset: Annotated[int, Query(ge=0, le=10**7)] = 0,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> HoldPage:
    f = service.HoldFilter(state, kind, unit_id, rule, channel, overdue, claimed_by)
    total, rows = service.list_holds(session, who, f, offset, limit)
    now = utcnow()
    return HoldPage(total=total, offset=offset, limit=limit, items=[hold_out(h, c, now) for h, c in rows])


@router.get("/holds/reasons", summary="审查理由列表")
def reasons(who: CurrentUser) -> dict[str, dict[str, str]]:
    who.require(Perm.HOLDS_READ)
    return service.REASONS


@router.get("/holds/{hold_id}", response_model=HoldOut, summary="一条待审消息（遮盖后的证据）")
def get_hold(hold_id: HoldId, session: DbSession, who: CurrentUser) -> HoldOut:
    hold, check = service.get_hold(session, who, hold_id)
    return hold_out(hold, check, utcnow())


@router.get("/holds/{hold_id}/content", response_model=HeldContentOut, summary="查看原文（记入审计日志）")
def get_content(hold_id: HoldId, session: DbSession, svc: Svc, who: CurrentUser) -> HeldContentOut:
    return HeldContentOut(**service.read_content(session, svc, who, hold_id))


def _action_route(action: str, summary: str):
    def view(hold_id: HoldId, body: ActionIn, session: DbSession, svc: Svc, who: CurrentUser) -> HoldOut:
        hold = service.act(session, svc, who, hold_id, action, body.version, body.reason, body.reason_text)
        _, check = service.get_hold(session, who, hold.id)
        return hold_out(hold, check, utcnow())

    view.__name__ = f"{action}_hold"
    router.add_api_route(
        f"/holds/{{hold_id}}/{action}", view, methods=["POST"], response_model=HoldOut, summary=summary
    )


for _action, _summary in (
    ("claim", "认领"),
    ("unclaim", "放弃认领"),
    ("approve", "放行"),
    ("reject", "驳回"),
):
    _action_route(_action, _summary)


@router.post("/holds:bulk", response_model=BulkOut, summary="批量操作")
def bulk(body: BulkIn, session: DbSession, svc: Svc, who: CurrentUser) -> BulkOut:
    results = service.bulk(
        session, svc, who, body.action, [(i.id, i.version) for i in body.items], body.reason, body.reason_text
    )
    return BulkOut(results=results)
