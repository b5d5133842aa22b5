"""The hot path: `POST /v1/checks` with a JSON body and a bearer token, answered by a small ASGI
handler instead of the router, dependency injection and response model.

Every request still has its token checked (`deps.get_principal`'s memo, then the database),
the rate limit, the same validation (`CheckIn`), the same service function
(`checks.service.create_check_async`), the same errors (the app's exception handlers) and the
same response (`CheckOut`). It sits inside `LimitsAndLogs`, so size limits, the request log and
the metrics are those of every other request. Anything else (multipart, another content type,
no bearer token) goes on to the router unchanged.
"""

from __future__ import annotations

from anyio import to_thread
from pydantic import ValidationError
from sqlalchemy.orm import Session
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response

from baomi.errors import PolicyError
from baomi.registry import RegistryError
from baomi.service.checks import views
from baomi.service.checks.schemas import CheckIn
from baomi.service.context import run_after_commit
from baomi.service.deps import principal
from baomi.service.errors import Invalid, ServiceError, describe_validation

PATH = "/v1/checks"
_JSON = ("application/json", "")
_HANDLED = (ServiceError, RegistryError, PolicyError)


class FastChecks:
    """ASGI middleware: handles the JSON check requests itself, passes the rest to `app`."""

    def __init__(self, app, fastapi_app) -> None:
        self.app = app
        self.root = fastapi_app  # state (services, sessions, limiter, metrics), error handlers
        self.route = next(r for r in views.router.routes if r.endpoint is views.create_check)

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["path"] != PATH or scope["method"] != "POST":
            return await self.app(scope, receive, send)
        ctype = token = None
        for name, value in scope["headers"]:
            if name == b"content-type":
                ctype = value.decode("latin-1")
            elif name == b"authorization":
                scheme, _, param = value.decode("latin-1").partition(" ")
                token = param.strip() if scheme.lower() == "bearer" else None
        if not token or (ctype or "").split(";")[0].strip() not in _JSON:
            return await self.app(scope, receive, send)
        scope["route"] = self.route  # the route template in logs and metrics
        try:
            body = await self._check(scope, receive, token)
        except _HANDLED as exc:
            handler = self.root.exception_handlers[_handler_key(self.root, exc)]
            response = await handler(Request(scope), exc)
            return await response(scope, receive, send)
        await Response(body, media_type="application/json")(scope, receive, send)

    async def _check(self, scope, receive, token: str) -> bytes:
        state = self.root.state
        svc = state.services
        raw = await _read_body(receive)
        session = _Lazy(state.sessions)  # opened only when the memos cannot answer
        try:
            who = await principal(svc, session, token)
            state.limiter.hit(who.token_id)
            scope.setdefault("state", {})["user_id"] = who.id
            try:
                body = CheckIn.model_validate_json(raw)
            except ValidationError as exc:
                raise Invalid(describe_validation(exc.errors())) from None
            check, answer = await views.run_check(session, svc, who, views.check_input(body))
            await session.finish()
        except BaseException:
            await session.finish(commit=False)
            raise
        state.metrics.verdict(check.decision, check.rules)
        return answer


class _Lazy:
    """A request's session, opened on first call; `finish` commits (or rolls back) and closes."""

    def __init__(self, factory) -> None:
        self.factory = factory
        self.session: Session | None = None

    def __call__(self) -> Session:
        if self.session is None:
            self.session = self.factory()
        return self.session

    async def finish(self, commit: bool = True) -> None:
        s = self.session
        if s is None:
            return
        if s.in_transaction():
            await to_thread.run_sync(s.commit if commit else s.rollback)
        s.close()
        if commit:
            run_after_commit(s)


async def _read_body(receive) -> bytes:
    chunks = []
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise ClientDisconnect
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            return b"".join(chunks)


def _handler_key(app, exc: Exception) -> type:
    for cls in type(exc).__mro__:
        if cls in app.exception_handlers:
            return cls
    raise exc
