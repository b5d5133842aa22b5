"""Policy API in and out."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field


class PolicyIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    yaml: str = Field(
        max_length=200_000, description="策略 YAML（引擎策略加 mode/review/classified_personnel）"
    )


class PolicyOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    unit_id: int
    version: int
    yaml: str
    mode: str
    sla_minutes: int
    on_expiry: str
    created_by: int | None
    created_at: datetime


class ActivationOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    unit_id: int
    policy_id: int
    activated_by: int | None
    activated_at: datetime


class EffectiveOut(BaseModel):
    unit_id: int
    policy_id: int | None = Field(description="空表示默认策略")
    mode: str
    sla_minutes: int
    on_expiry: str
    matrix: dict[str, dict[str, str]]
    classified_matrix: dict[str, dict[str, str]]
