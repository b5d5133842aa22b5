"""The console's pages, served by the same app at `/`. Thin views: each parses the form,
checks the session and CSRF token, calls service functions, and renders a template."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import FileResponse, Response

from baomi.console import marks
from baomi.console.web import (
    HERE,
    NAV,
    SESSION_COOKIE,
    Csrf,
    check_csrf,
    current_user,
    page,
    redirect,
    render,
    set_cookie,
)
from baomi.service.checks import service as checks
from baomi.service.deps import DbSession, Svc
from baomi.service.errors import Forbidden, Invalid, NotFound, TooLarge
from baomi.service.holds.service import REASONS
from baomi.service.policies.service import effective
from baomi.service.users import service as users

router = APIRouter(include_in_schema=False)
REASONS_ZH = {**REASONS["approve"], **REASONS["reject"]}
STATIC = (HERE / "static").resolve()
STATUS_ZH = {
    "done": "已完成",
    "held": "等待审查",
    "released": "已放行，可以发送",
    "rejected": "未通过审查，不能发送",
}


@router.get("/static/{path:path}")
def static(path: str) -> Response:
    target = (STATIC / path).resolve()
    if not target.is_file() or STATIC not in target.parents:
        raise NotFound("没有这个文件")
    response = FileResponse(target)
    response.headers["Cache-Control"] = "public, max-age=3600"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@router.get("/")
@page
def home(request: Request, session: DbSession) -> Response:
    who = current_user(request, session)
    first = next((p for p, _, perm in NAV if who.can(perm)), "/login")
    return redirect(request, first)


@router.get("/login")
def login_form(request: Request, next: str = "/") -> Response:
    return render(request, "login.html", {"next": _local(next)})


@router.post("/login")
def login(
    request: Request,
    session: DbSession,
    svc: Svc,
    csrf: Csrf = "",
    username: Annotated[str, Form(max_length=64)] = "",
    password: Annotated[str, Form(max_length=200)] = "",
    next: Annotated[str, Form(max_length=200)] = "/",
) -> Response:
    try:
        check_csrf(request, csrf)
    except Forbidden as exc:
        return render(request, "login.html", {"error": str(exc), "next": _local(next)}, 403)
    got = users.login(session, svc.keys, username, password, svc.settings.session_hours)
    if got is None:
        session.commit()  # the failed attempt stays in the audit log
        ctx = {"error": "用户名或密码不正确", "username": username, "next": _local(next)}
        return render(request, "login.html", ctx, 401)
    response = redirect(request, _local(next))
    set_cookie(request, response, SESSION_COOKIE, got[1], int(svc.settings.session_hours * 3600))
    return response


@router.post("/logout")
@page
def logout(request: Request, session: DbSession, svc: Svc, csrf: Csrf = "") -> Response:
    who = current_user(request, session)
    check_csrf(request, csrf)
    users.logout(session, svc.keys, who)
    response = redirect(request, "/login")
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/password")
@page
def password_form(request: Request, session: DbSession) -> Response:
    who = current_user(request, session)
    return render(request, "password.html", {"who": who, "forced": who.must_change_password})


@router.post("/password")
@page
def password(
    request: Request,
    session: DbSession,
    svc: Svc,
    csrf: Csrf = "",
    old: Annotated[str, Form(max_length=200)] = "",
    new: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    """Change the password (a one-time password must be changed before any other page)."""
    who = current_user(request, session)
    check_csrf(request, csrf)
    users.change_password(session, svc.keys, who, old, new)
    return redirect(request, "/")


def _local(url: str) -> str:
    """Only same-site paths after login (no open redirect)."""
    return url if url.startswith("/") and not url.startswith("//") and "\\" not in url else "/"


# ---- 自查 -----------------------------------------------------------------------------


def _anonymous_allowed(session, svc, who) -> bool:
    return effective(session, svc.pool, who.unit_id).unit_policy.anonymous_self_check


@router.get("/self-check")
@page
def self_check_form(request: Request, session: DbSession, svc: Svc) -> Response:
    who = current_user(request, session)
    who.require(checks.Perm.CHECK)
    ctx = {"who": who, "anonymous_allowed": _anonymous_allowed(session, svc, who), "channel": "work_group"}
    return render(request, "self_check.html", ctx)


def _upload(svc, file: UploadFile | None) -> tuple[checks.Upload, ...]:
    if file is None or not file.filename:
        return ()
    limit = svc.settings.max_attachment_bytes
    data = file.file.read(limit + 1)
    if len(data) > limit:
        raise TooLarge(f"附件 {file.filename[:40]} 过大（上限 {limit // (1024 * 1024)} MB）")
    if not data:
        raise Invalid(f"附件 {file.filename[:40]} 是空文件")
    return (checks.Upload(file.filename[:200], data),)


@router.post("/self-check")
@page
def self_check(
    request: Request,
    session: DbSession,
    svc: Svc,
    csrf: Csrf = "",
    text: Annotated[str, Form(max_length=100_000)] = "",
    channel: Annotated[str, Form(max_length=20)] = "work_group",
    anonymous: Annotated[bool, Form()] = False,
    file: Annotated[UploadFile | None, File()] = None,
) -> Response:
    who = current_user(request, session)
    check_csrf(request, csrf)
    uploads = _upload(svc, file)
    inp = checks.CheckInput(text=text, channel=channel, attachments=uploads)
    if anonymous:
        verdict = checks.dry_run(session, svc, who, inp).to_dict()
        result = {**verdict, "status": "done", "check_id": None, "overridable": False}
    else:
        check = checks.create_check(session, svc, who, inp)
        result = _result(check)
    findings = result["findings"]
    photo = marks.photo(uploads[0].data, findings, "att1/ocr", svc.pool.ocr) if uploads else None
    ctx = {
        "who": who,
        "r": result,
        "anonymous": anonymous,
        "text": text,
        "pieces": marks.pieces(text, findings) if text else [],
        "photo": photo,
        "rules": marks.explain(result["rules"]),
        "other_sources": [f for f in findings if f["source"] not in ("text", "att1/ocr")],
        "file_name": uploads[0].name if uploads else "",
        "STATUS_ZH": STATUS_ZH,
        "REASONS_ZH": REASONS_ZH,
        "channel": channel,
    }
    return render(request, "self_check.html", ctx)


def _result(check) -> dict:
    return {
        "check_id": check.id,
        "decision": check.decision,
        "rules": check.rules,
        "findings": check.findings,
        "tip": check.tip,
        "status": check.status,
        "overridable": check.decision == "warn" and check.overridden_at is None,
        "overridden": check.overridden_at is not None,
        "false_alarm": check.false_alarm_at is not None,
    }


@router.get("/self-check/{check_id}/status")
@page
def check_status(request: Request, check_id: str, session: DbSession) -> Response:
    """The outcome of a held message, polled by the sender's page until the reviewer decides."""
    who = current_user(request, session)
    check = checks.get_check(session, who, check_id[:64])
    hold = checks.hold_of(session, check)
    ctx = {"who": who, "r": _result(check), "hold": hold, "STATUS_ZH": STATUS_ZH, "REASONS_ZH": REASONS_ZH}
    return render(request, "_check_status.html", ctx)


@router.post("/self-check/{check_id}/override")
@page
def override(
    request: Request,
    check_id: str,
    session: DbSession,
    svc: Svc,
    csrf: Csrf = "",
    justification: Annotated[str, Form(max_length=1000)] = "",
) -> Response:
    who = current_user(request, session)
    check_csrf(request, csrf)
    check = checks.override(session, svc, who, check_id[:64], justification)
    return render(
        request, "_notice.html", {"who": who, "ok": f"已确认发送，理由已记录（{len(check.rules)} 条规则）"}
    )


@router.post("/self-check/{check_id}/false-alarm")
@page
def false_alarm(
    request: Request,
    check_id: str,
    session: DbSession,
    svc: Svc,
    csrf: Csrf = "",
    note: Annotated[str, Form(max_length=1000)] = "",
) -> Response:
    who = current_user(request, session)
    check_csrf(request, csrf)
    checks.false_alarm(session, svc, who, check_id[:64], note)
    return render(request, "_notice.html", {"who": who, "ok": "误报已报告，保密办将据此改进规则，谢谢"})


from baomi.console import archive, office, queue, registry  # noqa: E402  (their routes join this router)

router.include_router(queue.router)
router.include_router(office.router)
router.include_router(registry.router)
router.include_router(archive.router)
