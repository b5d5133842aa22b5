"""Auth, unit, user and token API in and out."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from baomi.service.permissions import Role


class TokenOut(BaseModel):
    access_token: str
    token_type: str = "bearer"
    expires_in: int
    must_change_password: bool


class PasswordIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    old_password: str = Field(max_length=200)
    new_password: str = Field(min_length=10, max_length=200)


class MeOut(BaseModel):
    id: int
    username: str
    role: str
    unit_id: int
    classified: bool
    scopes: list[str]
    units: list[int]
    must_change_password: bool


class UnitIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1, max_length=200)
    parent_id: int = Field(ge=1, le=2**31 - 1)


class UnitOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    name: str
    parent_id: int | None


class UserIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    username: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.\-]+$")
    password: str = Field(min_length=10, max_length=200)
    role: Role
    unit_id: int = Field(ge=1, le=2**31 - 1)
    display_name: str = Field(default="", max_length=200)
    classified: bool = Field(default=False, description="涉密人员")


class UserPatch(BaseModel):
    model_config = ConfigDict(extra="forbid")
    role: Role | None = None
    unit_id: int | None = Field(default=None, ge=1, le=2**31 - 1)
    display_name: str | None = Field(default=None, max_length=200)
    classified: bool | None = None
    active: bool | None = None
    password: str | None = Field(default=None, min_length=10, max_length=200)


class UserOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    username: str
    display_name: str
    role: str
    unit_id: int
    classified: bool
    active: bool
    created_at: datetime


class ApiTokenIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    user_id: int = Field(ge=1, le=2**31 - 1, description="令牌代表的用户")
    name: str = Field(min_length=1, max_length=200)
    scopes: list[str] = Field(
        min_length=1, max_length=10, description="checks holds incidents policies audit admin"
    )
    expires_days: float | None = Field(default=None, gt=0, le=3650)


class ApiTokenOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    user_id: int
    name: str
    scopes: str
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None


class ApiTokenCreated(ApiTokenOut):
    token: str = Field(description="只显示这一次")
