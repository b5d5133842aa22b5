"""Request dependencies: the session (committed before the response is sent), the services,
and the current principal (bearer token, rate-limited per token)."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Callable
from typing import Annotated

from fastapi import Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.security import OAuth2PasswordBearer
from sqlalchemy.orm import Session

from baomi.service.context import Services, run_after_commit
from baomi.service.db import begin_read
from baomi.service.errors import Unauthorized
from baomi.service.users.service import Principal, principal_for

oauth2 = OAuth2PasswordBearer(tokenUrl="/v1/auth/token", auto_error=False)


async def get_session(request: Request) -> AsyncIterator[Session]:
    """The request's session, as `db.transaction` gives it. Async, so that opening and closing
    it cost no trip to the thread pool; only a commit or rollback with a transaction open
    (database I/O) goes there."""
    session = request.app.state.sessions()
    try:
        yield session
        if session.in_transaction():
            await run_in_threadpool(session.commit)
    except BaseException:
        if session.in_transaction():
            await run_in_threadpool(session.rollback)
        session.close()
        raise
    session.close()
    run_after_commit(session)


async def get_services(request: Request) -> Services:
    return request.app.state.services


def _principal(session: Session, token: str) -> Principal:
    begin_read(session)
    who = principal_for(session, token)
    session.commit()  # a read of its own: the route's work starts a new transaction
    return who


async def principal(svc: Services, session: Callable[[], Session], token: str) -> Principal:
    """Checked on every request: from the worker's memo of verified tokens (at most
    `auth_cache_seconds` old, the token's expiry checked each time) or from the database
    (through `session()`, called only then)."""
    memo = svc.principals
    key = memo.secret_key(token)
    who = memo.get(key)
    if who is None or who.expired():
        since = time.monotonic()
        who = await run_in_threadpool(_principal, session(), token)
        memo.put(key, who, since)
    return who


async def get_principal(
    request: Request,
    session: Annotated[Session, Depends(get_session, scope="function")],
    token: Annotated[str | None, Depends(oauth2)],
) -> Principal:
    if not token:
        raise Unauthorized("需要登录：请在 Authorization 头中提供 Bearer 令牌")
    who = await principal(request.app.state.services, lambda: session, token)
    request.app.state.limiter.hit(who.token_id)
    request.state.user_id = who.id
    return who


DbSession = Annotated[Session, Depends(get_session, scope="function")]
Svc = Annotated[Services, Depends(get_services)]
CurrentUser = Annotated[Principal, Depends(get_principal)]
