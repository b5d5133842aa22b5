"""Check routes: parse, call one service function, answer."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Path, Request, Response
from fastapi.concurrency import run_in_threadpool
from pydantic import ValidationError
from sqlalchemy.orm import Session
from starlette.datastructures import UploadFile

from baomi.service.checks import service
from baomi.service.checks.schemas import (
    BatchIn,
    BatchOut,
    CheckIn,
    CheckOut,
    FalseAlarmIn,
    OverrideIn,
    ReportIn,
    check_out,
)
from baomi.service.deps import CurrentUser, DbSession, Svc
from baomi.service.errors import Invalid, TooLarge, describe_validation

router = APIRouter(prefix="/v1", tags=["checks"])
CheckId = Annotated[str, Path(max_length=64)]


def _multipart_schema(model: type, files_doc: str) -> dict:
    props = {k: v for k, v in model.model_json_schema()["properties"].items()}
    props["attachments"] = {
        "type": "array",
        "items": {"type": "string", "format": "binary"},
        "description": files_doc,
    }
    return {
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {"schema": model.model_json_schema()},
                "multipart/form-data": {"schema": {"type": "object", "properties": props}},
            },
        }
    }


async def _parse(request: Request, model: type, svc) -> tuple:
    """JSON or multipart body → (validated model, attachments)."""
    ctype = request.headers.get("content-type", "")
    try:
        if ctype.startswith("multipart/form-data"):
            s = svc.settings
            form = await request.form(
                max_files=s.max_attachments, max_fields=20, max_part_size=s.max_attachment_bytes
            )
            fields = {
                k: v for k, v in form.multi_items() if not isinstance(v, UploadFile) and k != "attachments"
            }
            uploads = []
            for f in form.getlist("attachments"):
                if isinstance(f, UploadFile):
                    data = await f.read(s.max_attachment_bytes + 1)
                    if len(data) > s.max_attachment_bytes:
                        raise TooLarge(f"附件过大（上限 {s.max_attachment_bytes} 字节）")
                    uploads.append(service.Upload((f.filename or "")[:200], data))
            return model.model_validate(fields), tuple(uploads)
        if ctype.split(";")[0].strip() not in ("application/json", ""):
            raise Invalid("请求体必须是 application/json 或 multipart/form-data")
        return model.model_validate_json(await request.body()), ()
    except ValidationError as exc:
        raise Invalid(describe_validation(exc.errors())) from None
    except (ValueError, KeyError) as exc:  # malformed multipart
        raise Invalid(f"请求体无法解析：{type(exc).__name__}") from None


def check_input(body, uploads=()) -> service.CheckInput:
    return service.CheckInput(
        text=body.text,
        channel=body.channel,
        sender=body.sender,
        conversation=getattr(body, "conversation", None),
        idempotency_key=body.idempotency_key,
        attachments=uploads,
        seen_at=getattr(body, "seen_at", None),
    )


async def run_check(session: Callable[[], Session], svc, who, inp: service.CheckInput) -> tuple:
    """Review one message and encode the answer: the check and its JSON (for this route and
    the fast lane, `service/fastlane.py`). `session()` is called only when one is needed."""
    check = await service.create_check_async(session, svc, who, inp)
    hold = None if check.status == "done" else await run_in_threadpool(service.hold_of, session(), check)
    return check, check_out(check, hold).model_dump_json().encode()


def _answer(request: Request, session, check) -> CheckOut:
    out = check_out(check, service.hold_of(session, check))
    request.app.state.metrics.verdict(check.decision, check.rules)
    return out


@router.post(
    "/checks",
    response_model=CheckOut,
    summary="检查一条消息",
    openapi_extra=_multipart_schema(CheckIn, "附件（图片、文档）"),
)
async def create_check(request: Request, session: DbSession, svc: Svc, who: CurrentUser) -> Response:
    body, uploads = await _parse(request, CheckIn, svc)
    check, answer = await run_check(lambda: session, svc, who, check_input(body, uploads))
    request.app.state.metrics.verdict(check.decision, check.rules)
    return Response(answer, media_type="application/json")


@router.post("/checks:batch", response_model=BatchOut, summary="批量检查（最多 1000 条）")
def create_batch(request: Request, body: BatchIn, session: DbSession, svc: Svc, who: CurrentUser) -> BatchOut:
    checks = service.create_batch(session, svc, who, [check_input(i) for i in body.items])
    return BatchOut(items=[_answer(request, session, c) for c in checks])


@router.get("/checks/{check_id}", response_model=CheckOut, summary="查询检查结果（待审消息的结论）")
def get_check(check_id: CheckId, session: DbSession, svc: Svc, who: CurrentUser) -> CheckOut:
    check = service.get_check(session, who, check_id, svc.writer)
    return check_out(check, service.hold_of(session, check))


@router.post("/checks/{check_id}/override", response_model=CheckOut, summary="确认发送（仅限提醒）")
def override(check_id: CheckId, body: OverrideIn, session: DbSession, svc: Svc, who: CurrentUser) -> CheckOut:
    check = service.override(session, svc, who, check_id, body.justification)
    return check_out(check, service.hold_of(session, check))


@router.post("/checks/{check_id}/false-alarm", response_model=CheckOut, summary="报告误报")
def false_alarm(
    check_id: CheckId, body: FalseAlarmIn, session: DbSession, svc: Svc, who: CurrentUser
) -> CheckOut:
    check = service.false_alarm(session, svc, who, check_id, body.note)
    return check_out(check, service.hold_of(session, check))


@router.post(
    "/reports",
    response_model=CheckOut,
    summary="举报看到的可能泄密消息",
    openapi_extra=_multipart_schema(ReportIn, "截图"),
)
async def create_report(request: Request, session: DbSession, svc: Svc, who: CurrentUser) -> CheckOut:
    body, uploads = await _parse(request, ReportIn, svc)
    check = await run_in_threadpool(service.create_report, session, svc, who, check_input(body, uploads))
    return await run_in_threadpool(lambda: check_out(check, service.hold_of(session, check)))
