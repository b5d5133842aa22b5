"""登记库: the unit's registered classified documents (list), the register form with an
upload, declassify and remove with a reason. Thin views over baomi.service.registry."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.responses import Response

from baomi.console.web import Csrf, check_csrf, current_user, page, redirect, render
from baomi.registry import LEVELS
from baomi.service.deps import DbSession, Svc
from baomi.service.errors import Invalid, NotFound, TooLarge
from baomi.service.permissions import Perm
from baomi.service.registry import service as registry
from baomi.service.users import service as users

router = APIRouter(include_in_schema=False)
UnitField = Annotated[int | None, Form(ge=1, le=2**31 - 1)]
STATUS_ZH = {"active": "生效", "declassified": "已解密", "removed": "已移除"}


def _ctx(session, svc, who, unit_id: int | None, **extra) -> dict:
    unit, docs = registry.documents(session, svc, who, unit_id)
    return {
        "who": who,
        "unit_id": unit,
        "units": {u.id: u.name for u in users.list_units(session, who)},
        "docs": docs,
        "levels": LEVELS,
        "can_write": who.can(Perm.REGISTRY_WRITE),
        "STATUS_ZH": STATUS_ZH,
        **extra,
    }


@router.get("/registry")
@page
def registry_page(
    request: Request, session: DbSession, svc: Svc,
    unit_id: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
) -> Response:  # fmt: skip
    who = current_user(request, session)
    return render(request, "registry.html", _ctx(session, svc, who, unit_id))


@router.post("/registry")
@page
def registry_add(
    request: Request,
    session: DbSession,
    svc: Svc,
    csrf: Csrf = "",
    unit_id: UnitField = None,
    level: Annotated[str, Form(max_length=4)] = "",
    period: Annotated[str, Form(max_length=200)] = "",
    title: Annotated[str, Form(max_length=200)] = "",
    number: Annotated[str, Form(max_length=200)] = "",
    file: Annotated[UploadFile | None, File()] = None,
) -> Response:
    who = current_user(request, session)
    check_csrf(request, csrf)
    limit = svc.settings.max_attachment_bytes
    data = file.file.read(limit + 1) if file is not None and file.filename else b""
    try:
        if len(data) > limit:
            raise TooLarge(f"文件过大（上限 {limit // (1024 * 1024)} MB）")
        reg = registry.Registration((file.filename or "")[:200] if file else "", data, level,
                                    period or None, title or None, number or None)  # fmt: skip
        unit, record = registry.register(session, svc, who, unit_id, reg)
    except (Invalid, TooLarge) as exc:  # the form again, with the problem named
        session.rollback()
        ctx = _ctx(session, svc, who, unit_id, error=str(exc), form={"level": level, "period": period})
        return render(request, "registry.html", ctx, exc.status)
    ok = f"已登记 {record.id}（{record.marking}，{record.pages} 页）"
    return render(request, "registry.html", _ctx(session, svc, who, unit, ok=ok))


@router.post("/registry/{doc_id}/{action}")
@page
def registry_retire(
    request: Request,
    doc_id: str,
    action: str,
    session: DbSession,
    svc: Svc,
    csrf: Csrf = "",
    unit_id: UnitField = None,
    reason: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    who = current_user(request, session)
    check_csrf(request, csrf)
    if action not in ("declassify", "remove"):
        raise NotFound("没有这个操作")
    unit, _ = registry.retire(session, svc, who, unit_id, doc_id[:20], action, reason)
    return redirect(request, f"/registry?unit_id={unit}")
