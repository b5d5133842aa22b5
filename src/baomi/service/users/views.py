"""Login, the current user, and the admin's units, users and API tokens."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path
from fastapi.security import OAuth2PasswordRequestForm

from baomi.service.deps import CurrentUser, DbSession, Svc
from baomi.service.errors import Unauthorized
from baomi.service.users import service
from baomi.service.users.schemas import (
    ApiTokenCreated,
    ApiTokenIn,
    ApiTokenOut,
    MeOut,
    PasswordIn,
    TokenOut,
    UnitIn,
    UnitOut,
    UserIn,
    UserOut,
    UserPatch,
)

router = APIRouter(prefix="/v1", tags=["users"])
Id = Annotated[int, Path(ge=1, le=2**31 - 1)]


@router.post("/auth/token", response_model=TokenOut, summary="登录（OAuth2 密码模式）")
def token(form: Annotated[OAuth2PasswordRequestForm, Depends()], session: DbSession, svc: Svc) -> TokenOut:
    got = service.login(
        session, svc.keys, form.username[:64], form.password[:200], svc.settings.session_hours
    )
    if got is None:
        session.commit()  # keep the audit entry of the failed login
        raise Unauthorized("用户名或密码错误")
    user, tok = got
    return TokenOut(
        access_token=tok,
        expires_in=int(svc.settings.session_hours * 3600),
        must_change_password=user.must_change_password,
    )


@router.post("/auth/logout", status_code=204, summary="退出登录（令牌作废）")
def logout(session: DbSession, svc: Svc, who: CurrentUser) -> None:
    service.logout(session, svc.keys, who)


@router.post("/auth/password", status_code=204, summary="修改密码")
def change_password(body: PasswordIn, session: DbSession, svc: Svc, who: CurrentUser) -> None:
    service.change_password(session, svc.keys, who, body.old_password, body.new_password)


@router.get("/me", response_model=MeOut, summary="当前用户")
def me(who: CurrentUser) -> MeOut:
    return MeOut(
        id=who.id,
        username=who.username,
        role=who.role,
        unit_id=who.unit_id,
        classified=who.classified,
        scopes=sorted(who.scopes),
        units=sorted(who.units),
        must_change_password=who.must_change_password,
    )


@router.get("/units", response_model=list[UnitOut], summary="可见的单位")
def units(session: DbSession, who: CurrentUser) -> list:
    return service.list_units(session, who)


@router.post("/units", response_model=UnitOut, status_code=201, summary="新建单位")
def create_unit(body: UnitIn, session: DbSession, svc: Svc, who: CurrentUser):
    return service.create_unit(session, svc.keys, who, body.name, body.parent_id)


@router.get("/users", response_model=list[UserOut], summary="用户列表")
def users(session: DbSession, who: CurrentUser) -> list:
    return service.list_users(session, who)


@router.post("/users", response_model=UserOut, status_code=201, summary="新建用户")
def create_user(body: UserIn, session: DbSession, svc: Svc, who: CurrentUser):
    return service.create_user(session, svc.keys, who, **body.model_dump())


@router.patch("/users/{user_id}", response_model=UserOut, summary="修改用户（角色、单位、涉密人员、停用）")
def update_user(user_id: Id, body: UserPatch, session: DbSession, svc: Svc, who: CurrentUser):
    return service.update_user(session, svc.keys, who, user_id, body.model_dump(exclude_none=True))


@router.get("/tokens", response_model=list[ApiTokenOut], summary="接口令牌")
def tokens(session: DbSession, who: CurrentUser) -> list:
    return service.list_api_tokens(session, who)


@router.post("/tokens", response_model=ApiTokenCreated, status_code=201, summary="新建接口令牌")
def create_token(body: ApiTokenIn, session: DbSession, svc: Svc, who: CurrentUser) -> ApiTokenCreated:
    row, tok = service.create_api_token(session, svc.keys, who, **body.model_dump())
    return ApiTokenCreated(**ApiTokenOut.model_validate(row).model_dump(), token=tok)


@router.delete("/tokens/{token_id}", response_model=ApiTokenOut, summary="吊销接口令牌")
def revoke_token(token_id: Id, session: DbSession, svc: Svc, who: CurrentUser):
    return service.revoke_api_token(session, svc.keys, who, token_id)
