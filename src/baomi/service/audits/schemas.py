"""Archive audit jobs out: state, progress and counts."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict


class AuditJobOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: str
    unit_id: int
    created_by: int
    state: str
    stage: str
    done: int
    total: int
    messages: int
    flagged: int
    chains: int
    error: str | None
    created_at: datetime
    finished_at: datetime | None
