"""`create_app(settings)`: the whole service as one ASGI app (routers, errors, limits,
metrics, the sweeper that expires and purges holds)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from pathlib import Path

from fastapi import FastAPI, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, PlainTextResponse
from sqlalchemy import text
from starlette.exceptions import HTTPException as StarletteHTTPException

from baomi.errors import PolicyError
from baomi.registry import RegistryError
from baomi.service import bootstrap
from baomi.service.auditlog.views import router as audit_router
from baomi.service.audits.views import router as audits_router
from baomi.service.checks.views import router as checks_router
from baomi.service.context import Services
from baomi.service.db import checkpoint, make_engine, make_sessionmaker, transaction
from baomi.service.errors import ServiceError, describe_validation
from baomi.service.fastlane import FastChecks
from baomi.service.holds import service as holds
from baomi.service.holds.views import router as holds_router
from baomi.service.incidents.views import router as incidents_router
from baomi.service.memo import forget_on_commit
from baomi.service.ops import METRICS_CONTENT_TYPE, LimitsAndLogs, Metrics, RateLimiter
from baomi.service.policies.models import PolicyActivation, PolicyVersion
from baomi.service.policies.views import router as policies_router
from baomi.service.registry.views import router as registry_router
from baomi.service.security import load_keys
from baomi.service.settings import Settings
from baomi.service.users.models import ApiToken, Unit, User
from baomi.service.users.views import router as users_router
from baomi.service.writer import GroupWriter

log = logging.getLogger("baomi.service")
ROUTERS = (users_router, checks_router, holds_router, incidents_router, policies_router, registry_router,
           audits_router, audit_router)  # fmt: skip
_HTTP_ZH = {404: "没有这个地址", 405: "该地址不支持此方法", 400: "请求无效", 401: "需要登录"}


def create_app(settings: Settings, *, prepare: bool = True, say=print, routers=()) -> FastAPI:
    """The service app. `prepare` creates keys, migrates and creates the first admin (done
    once by `baomi serve` before starting several workers, which then pass False); `routers`
    are added after the API's (the console's pages)."""
    engine = make_engine(settings.db_url, settings.sqlite_synchronous, background_checkpoints=True)
    if prepare:
        bootstrap.prepare(settings, engine, say=say)
    services = Services(settings, load_keys(settings))
    sessions = services.sessions = make_sessionmaker(engine)
    services.writer = GroupWriter(sessions, _sqlite_lock_file(engine))
    forget_on_commit(sessions, (ApiToken, User, Unit, PolicyVersion, PolicyActivation), services.forget)

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI):
        await run_in_threadpool(_warm_up, services)  # the engine loads before the first request
        tasks = [asyncio.create_task(_sweeper(app)), asyncio.create_task(_checkpointer(engine))]
        try:
            yield
        finally:
            for task in tasks:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
            await run_in_threadpool(services.writer.close)
            engine.dispose()

    app = FastAPI(
        title="baomi 保密审查服务",
        version="1",
        lifespan=lifespan,
        description="消息保密审查、待审队列、事件、策略与审计日志。",
    )
    app.state.settings = settings
    app.state.services = services
    app.state.sessions = sessions
    app.state.engine = engine
    app.state.metrics = metrics = Metrics()
    app.state.limiter = RateLimiter(settings.rate_limit_per_minute)
    app.state.pages = bool(routers)  # the console's pages are mounted
    for router in (*ROUTERS, *routers):
        app.include_router(router)
    _add_ops_routes(app)
    _add_error_handlers(app)
    app.add_middleware(FastChecks, fastapi_app=app)  # inside LimitsAndLogs (added after it)
    app.add_middleware(LimitsAndLogs, max_body=settings.max_request_bytes, metrics=metrics)
    return app


def _sqlite_lock_file(engine) -> Path | None:
    """The advisory lock the workers take turns through to write to a SQLite file (see writer)."""
    db = engine.url.database if engine.dialect.name == "sqlite" else None
    return Path(f"{db}.writelock") if db and db != ":memory:" else None


def _warm_up(services: Services) -> None:
    """Build the default reviewers (matcher compiled) so no sender waits for it."""
    from baomi.service.policies.document import default_unit_policy
    from baomi.service.policies.service import Effective

    for classified in (False, True):
        services.pool.reviewer(Effective(None, default_unit_policy()), classified).review("预热", "direct")


async def _sweeper(app: FastAPI) -> None:
    """Expire overdue holds and purge held content past retention, every `sweep_seconds`."""
    services: Services = app.state.services
    while True:
        try:

            def run():
                with transaction(app.state.sessions) as session:
                    return holds.sweep(session, services)

            await run_in_threadpool(run)
        except Exception:
            log.exception("sweep failed", extra={"event": "sweep_failed"})
        await asyncio.sleep(services.settings.sweep_seconds)


async def _checkpointer(engine) -> None:
    """SQLite: the WAL copied into the database file every second, off the commits' path."""
    if engine.dialect.name != "sqlite":
        return
    while True:
        await asyncio.sleep(1.0)
        try:
            await run_in_threadpool(checkpoint, engine)
        except Exception:
            log.exception("checkpoint failed", extra={"event": "checkpoint_failed"})


def _add_ops_routes(app: FastAPI) -> None:
    @app.get("/healthz", tags=["ops"], summary="进程存活")
    async def healthz() -> dict:
        return {"ok": True}

    @app.get("/readyz", tags=["ops"], summary="可以接收请求（数据库可用、迁移已完成）")
    def readyz() -> JSONResponse:
        try:
            with app.state.engine.connect() as conn:
                conn.execute(text("SELECT 1"))
            current = bootstrap.schema_is_current(app.state.engine)
        except Exception as exc:
            return JSONResponse(
                {"ok": False, "problem": f"数据库不可用：{type(exc).__name__}"}, status_code=503
            )
        if not current:
            return JSONResponse({"ok": False, "problem": "数据库迁移未完成"}, status_code=503)
        return JSONResponse({"ok": True})

    @app.get("/metrics", tags=["ops"], summary="Prometheus 指标", response_class=PlainTextResponse)
    def metrics() -> PlainTextResponse:
        return PlainTextResponse(app.state.metrics.render(), media_type=METRICS_CONTENT_TYPE)


_API_PREFIXES = ("/v1/", "/openapi.json", "/docs", "/redoc", "/metrics", "/healthz", "/readyz")


def _is_console_page(request: Request) -> bool:
    """A request a console page made (a form or htmx), not an API call."""
    if not request.app.state.pages or request.url.path.startswith(_API_PREFIXES):
        return False
    return bool(request.headers.get("hx-request")) or "text/html" in request.headers.get("accept", "")


def _error(status: int, detail: str, code: str, headers: dict | None = None) -> JSONResponse:
    return JSONResponse({"detail": detail, "code": code}, status_code=status, headers=headers)


def _add_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ServiceError)
    async def service_error(_: Request, exc: ServiceError) -> JSONResponse:
        headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else None
        if exc.status == 429:
            headers = {"Retry-After": "5"}
        return _error(exc.status, str(exc), exc.code, headers)

    @app.exception_handler(RegistryError)
    async def registry_error(_: Request, exc: RegistryError) -> JSONResponse:
        # the unit's registry cannot be read (old format, damaged, wrong key): say so
        log.error("registry unavailable", extra={"event": "registry_error"})
        return _error(503, f"本单位涉密文件登记库不可用：{exc}", "registry_unavailable")

    @app.exception_handler(PolicyError)
    async def policy_error(_: Request, exc: PolicyError) -> JSONResponse:
        return _error(422, str(exc), "invalid_policy")

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        detail = describe_validation(exc.errors())
        if _is_console_page(request):  # a console form: the error on a Chinese page, not JSON
            from baomi.console.web import render

            name = "_error.html" if request.headers.get("hx-request") else "error.html"
            return render(request, name, {"who": None, "error": detail, "status": 422}, 422)
        return _error(422, detail, "invalid")

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        return _error(
            exc.status_code,
            _HTTP_ZH.get(exc.status_code, str(exc.detail)),
            "http_error",
            getattr(exc, "headers", None),
        )

    @app.exception_handler(Exception)
    async def unexpected(_: Request, exc: Exception) -> JSONResponse:
        log.error("unexpected error", extra={"event": "error"}, exc_info=exc)
        return _error(500, "服务器内部错误，请联系管理员（详情见服务日志中的请求编号）", "internal")
