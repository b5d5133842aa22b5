"""What every console page shares: the session cookie, CSRF tokens, rendering with the
security headers, the navigation by role, and turning service errors into Chinese pages."""

from __future__ import annotations

import functools
import hmac
import secrets
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from sqlalchemy.orm import Session

from baomi.service.errors import Forbidden, ServiceError, Unauthorized
from baomi.service.permissions import ROLE_ZH, Perm
from baomi.service.users.service import Principal, principal_for

HERE = Path(__file__).parent
SESSION_COOKIE = "baomi_session"
CSRF_COOKIE = "baomi_csrf"
CSRF_FIELD = "csrf"
CSRF_HEADER = "x-csrf-token"
Csrf = Annotated[str, Form(alias=CSRF_FIELD)]  # the token field of every form
LOCAL_TZ = ZoneInfo("Asia/Shanghai")
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'; form-action 'self'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}
# (path, label, permission): the navigation, shown by what the role may do
NAV = (
    ("/self-check", "自查", Perm.CHECK),
    ("/queue", "待审", Perm.HOLDS_READ),
    ("/incidents", "事件", Perm.INCIDENTS_READ),
    ("/dashboard", "统计", Perm.STATS),
    ("/policy", "策略", Perm.POLICY_READ),
    ("/registry", "登记库", Perm.REGISTRY_READ),
    ("/archive", "档案审计", Perm.ARCHIVE_READ),
    ("/audit", "审计日志", Perm.AUDIT),
    ("/admin", "用户与单位", Perm.ADMIN),
)
CHANNEL_ZH = {
    "direct": "点对点",
    "work_group": "工作群",
    "external_group": "机关以外的群",
    "moments": "朋友圈",
    "publish": "信息发布",
}
DECISION_ZH = {"allow": "可以发送", "warn": "提醒", "review": "暂扣待审", "block": "拦截"}


def local_time(value: datetime | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    return value.astimezone(LOCAL_TZ).strftime(fmt) if value else ""


templates = Jinja2Templates(directory=HERE / "templates")  # autoescape is on for .html
templates.env.filters["local"] = local_time
templates.env.globals |= {"CHANNEL_ZH": CHANNEL_ZH, "DECISION_ZH": DECISION_ZH, "ROLE_ZH": ROLE_ZH}


class LoginRequired(Exception):
    """No valid session: the page answers with a redirect to /login."""


class PasswordChangeRequired(Exception):
    """A one-time password: every page but /password answers with a redirect there."""


def secure_headers(response: Response) -> Response:
    response.headers.update(SECURITY_HEADERS)
    return response


def csrf_token(request: Request) -> str:
    """The double-submit token: the CSRF cookie's value (a new one is set on the response)."""
    token = request.cookies.get(CSRF_COOKIE) or getattr(request.state, "new_csrf", None)
    if not token:
        token = request.state.new_csrf = secrets.token_urlsafe(24)
    return token


def check_csrf(request: Request, sent: str | None) -> None:
    cookie = request.cookies.get(CSRF_COOKIE, "")
    sent = sent or request.headers.get(CSRF_HEADER, "")
    if not cookie or not sent or not hmac.compare_digest(cookie, sent):
        raise Forbidden("表单已过期或来源不明（CSRF 校验失败），请刷新页面后重试")


def set_cookie(request: Request, response: Response, name: str, value: str, max_age: int | None) -> None:
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        httponly=True,
        secure=request.app.state.settings.console_secure_cookies,
        samesite="strict",
        path="/",
    )


def current_user(request: Request, session: Session) -> Principal:
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        raise LoginRequired
    try:
        who = principal_for(session, token)
    except Unauthorized:
        raise LoginRequired from None
    request.app.state.limiter.hit(who.token_id)
    request.state.user_id = who.id
    if who.must_change_password and request.url.path not in ("/password", "/logout"):
        raise PasswordChangeRequired
    return who


def render(request: Request, name: str, ctx: dict[str, Any], status: int = 200) -> HTMLResponse:
    who: Principal | None = ctx.get("who")
    nav = [(p, label) for p, label, perm in NAV if who is not None and who.can(perm)]
    ctx = {"nav": nav, "path": request.url.path, "csrf": csrf_token(request), **ctx}
    response = templates.TemplateResponse(request, name, ctx, status_code=status)
    finish(request, response)
    return response


def finish(request: Request, response: Response) -> Response:
    """Security headers, and the CSRF cookie if this request made one."""
    new = getattr(request.state, "new_csrf", None)
    if new:
        set_cookie(request, response, CSRF_COOKIE, new, None)
    return secure_headers(response)


def redirect(request: Request, url: str) -> Response:
    """303 after a form; for htmx requests an HX-Redirect header instead."""
    if request.headers.get("hx-request"):
        return finish(request, Response(status_code=204, headers={"HX-Redirect": url}))
    return finish(request, RedirectResponse(url, status_code=303))


def page(fn):
    """Decorate a page: no session → /login; a service error → a Chinese error page (or,
    for htmx, a fragment) with its status."""

    @functools.wraps(fn)
    def wrapper(request: Request, *args, **kwargs):
        try:
            return fn(request, *args, **kwargs)
        except LoginRequired:
            nxt = request.url.path if request.method == "GET" else "/"
            return redirect(request, f"/login?next={nxt}")
        except PasswordChangeRequired:
            return redirect(request, "/password")
        except ServiceError as exc:
            session = kwargs.get("session")
            if session is not None:
                session.rollback()
            name = "_error.html" if request.headers.get("hx-request") else "error.html"
            who = _who_or_none(request, session)
            return render(request, name, {"who": who, "error": str(exc), "status": exc.status}, exc.status)

    return wrapper


def _who_or_none(request: Request, session: Session | None) -> Principal | None:
    if session is None:
        return None
    try:
        return current_user(request, session)
    except (LoginRequired, PasswordChangeRequired, ServiceError):
        return None
