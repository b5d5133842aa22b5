"""待审: the review queue by due time, one hold with its content, actions, bulk actions, and
a server-sent event stream that tells open pages of new holds and other reviewers' claims."""

from __future__ import annotations

import asyncio
import json
from dataclasses import replace
from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response, StreamingResponse
from sqlalchemy import func, select

from baomi.console import marks
from baomi.console.web import (
    Csrf,
    LoginRequired,
    PasswordChangeRequired,
    check_csrf,
    current_user,
    page,
    redirect,
    render,
    secure_headers,
)
from baomi.service.db import transaction, utcnow
from baomi.service.deps import DbSession, Svc
from baomi.service.errors import Invalid, ServiceError
from baomi.service.holds import service as holds
from baomi.service.holds.models import Hold
from baomi.service.permissions import Perm
from baomi.service.users.models import User

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 100
ACTION_ZH = {"claim": "认领", "unclaim": "取消认领", "approve": "放行", "reject": "驳回"}
STREAM_SECONDS = 55  # one event stream's life; the browser reconnects (and a shutdown never waits long)
POLL_SECONDS = 1.0


def _filter(state: str | None, rule: str | None) -> holds.HoldFilter:
    return holds.HoldFilter(state=state or None, rule=rule or None)


def _rows(session, who, f: holds.HoldFilter, offset: int):
    """One page of holds by due time; without a state filter the open ones (pending and
    claimed, merged)."""
    states = (f.state,) if f.state else holds.OPEN_STATES
    rows, total = [], 0
    for state in states:
        n, got = holds.list_holds(session, who, replace(f, state=state), 0, offset + PAGE_SIZE)
        total += n
        rows.extend(got)
    rows = sorted(rows, key=lambda r: (r[0].due_at, r[0].id))[offset : offset + PAGE_SIZE]
    names = _names(session, {h.claimed_by for h, _ in rows})
    return total, rows, names


def _names(session, ids: set[int | None]) -> dict[int, str]:
    ids = ids - {None}
    return dict(session.execute(select(User.id, User.username).where(User.id.in_(ids))).all()) if ids else {}


@router.get("/queue")
@page
def queue(
    request: Request,
    session: DbSession,
    state: Annotated[str | None, Query(max_length=10)] = None,
    rule: Annotated[str | None, Query(max_length=8)] = None,
    offset: Annotated[int, Query(ge=0, le=10**7)] = 0,
) -> Response:
    who = current_user(request, session)
    f = _filter(state, rule)
    total, rows, names = _rows(session, who, f, offset)
    ctx = {
        "who": who,
        "rows": rows,
        "total": total,
        "names": names,
        "now": utcnow(),
        "state": state or "",
        "rule": rule or "",
        "offset": offset,
        "page_size": PAGE_SIZE,
        "STATE_ZH": holds.STATE_ZH,
        "REASONS": holds.REASONS,
        "ACTION_ZH": ACTION_ZH,
        "can_act": who.can(Perm.HOLDS_ACT),
    }
    name = "_queue_rows.html" if request.headers.get("hx-request") else "queue.html"
    return render(request, name, ctx)


@router.get("/queue/events")
async def events(request: Request) -> Response:
    """`event: queue` whenever the open holds in reach change: data says whether new holds
    arrived and whether one was claimed or decided (by anyone)."""
    sessions = request.app.state.sessions

    def snapshot(who) -> tuple:
        with transaction(sessions) as session:
            return session.execute(
                select(
                    func.count(),
                    func.max(Hold.created_at),
                    func.coalesce(func.sum(Hold.version), 0),
                    func.sum(func.coalesce(Hold.claimed_by, 0)),
                ).where(Hold.unit_id.in_(who.units), Hold.state.in_(holds.OPEN_STATES))
            ).one()

    def principal():
        with transaction(sessions) as session:
            who = current_user(request, session)
            who.require(Perm.HOLDS_READ)
            return who

    try:
        who = await run_in_threadpool(principal)
    except (LoginRequired, PasswordChangeRequired, ServiceError):  # 204: the browser will not retry
        return secure_headers(Response(status_code=204))

    async def stream():
        yield "retry: 2000\n\n"
        last = await run_in_threadpool(snapshot, who)
        loop = asyncio.get_running_loop()
        end = loop.time() + STREAM_SECONDS
        while loop.time() < end and not await request.is_disconnected():
            await asyncio.sleep(POLL_SECONDS)
            now = await run_in_threadpool(snapshot, who)
            if now != last:
                data = {"open": now[0], "new": now[1] != last[1], "changed": now[2:] != last[2:]}
                yield f"event: queue\ndata: {json.dumps(data)}\n\n"
                last = now
            else:
                yield ": keep-alive\n\n"

    response = StreamingResponse(stream(), media_type="text/event-stream")
    response.headers["X-Accel-Buffering"] = "no"
    return secure_headers(response)


@router.get("/queue/{hold_id}")
@page
def hold_detail(request: Request, hold_id: str, session: DbSession, svc: Svc) -> Response:
    who = current_user(request, session)
    hold, check = holds.get_hold(session, who, hold_id[:64])
    content, pieces = None, []
    if who.can(Perm.HOLD_CONTENT) and hold.purged_at is None:
        content = holds.read_content(session, svc, who, hold.id)  # audited as a viewing
        pieces = marks.pieces(content["text"], check.findings)
    names = _names(session, {hold.claimed_by, hold.decided_by, check.user_id})
    ctx = {
        "who": who,
        "hold": hold,
        "check": check,
        "content": content,
        "pieces": pieces,
        "rules": marks.explain(check.rules),
        "names": names,
        "now": utcnow(),
        "STATE_ZH": holds.STATE_ZH,
        "REASONS": holds.REASONS,
        "ACTION_ZH": ACTION_ZH,
        "can_act": who.can(Perm.HOLDS_ACT),
        "can_read": who.can(Perm.HOLD_CONTENT),
    }
    return render(request, "hold.html", ctx)


@router.get("/queue/{hold_id}/content")
@page
def hold_content(request: Request, hold_id: str, session: DbSession, svc: Svc) -> Response:
    """The held plaintext alone (reviewers of the unit; anyone else is refused)."""
    who = current_user(request, session)
    content = holds.read_content(session, svc, who, hold_id[:64])
    return render(request, "hold_content.html", {"who": who, "content": content})


@router.post("/queue/bulk")
@page
def bulk(
    request: Request,
    session: DbSession,
    svc: Svc,
    csrf: Csrf = "",
    action: Annotated[str, Form(max_length=10)] = "",
    items: Annotated[list[str] | None, Form(max_length=80)] = None,
    expected: Annotated[int, Form(ge=0, le=500)] = 0,
    reason: Annotated[str, Form(max_length=40)] = "",
    reason_text: Annotated[str, Form(max_length=1000)] = "",
) -> Response:
    """The same action over the ticked holds; `expected` is the count the reviewer confirmed."""
    who = current_user(request, session)
    check_csrf(request, csrf)
    parsed = []
    for item in items or []:
        hold_id, _, version = item.partition(":")
        if not version.isdigit():
            raise Invalid("items：格式应为 编号:版本")
        parsed.append((hold_id[:64], int(version)))
    if len(parsed) != expected:
        raise Invalid(f"确认的数量（{expected}）与选中的数量（{len(parsed)}）不一致，请重新确认")
    results = holds.bulk(session, svc, who, action, parsed, reason or None, reason_text or None)
    ok = sum(1 for r in results if r["ok"])
    failed = [r for r in results if not r["ok"]]
    ctx = {"who": who, "ok": f"已{ACTION_ZH.get(action, action)} {ok} 条", "failed": failed}
    return render(request, "_notice.html", ctx)


@router.post("/queue/{hold_id}/{action}")
@page
def act(
    request: Request,
    hold_id: str,
    action: str,
    session: DbSession,
    svc: Svc,
    csrf: Csrf = "",
    version: Annotated[int, Form(ge=1, le=2**31 - 1)] = 1,
    reason: Annotated[str, Form(max_length=40)] = "",
    reason_text: Annotated[str, Form(max_length=1000)] = "",
) -> Response:
    who = current_user(request, session)
    check_csrf(request, csrf)
    hold = holds.act(
        session, svc, who, hold_id[:64], action[:10], version, reason or None, reason_text or None
    )
    return redirect(request, f"/queue/{hold.id}")
