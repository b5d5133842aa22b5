"""Registry API in and out: ids, levels and counts only (titles and 文号 are stored keyed)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class RetireIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: str = Field(min_length=1, max_length=500, description="解密依据或移除理由（记入审计日志）")


class DocumentOut(BaseModel):
    id: str = Field(description="登记编号（本单位内唯一）")
    unit_id: int
    level: str
    period: str | None
    marking: str
    pages: int
    status: str = Field(description="active 生效 / declassified 已解密 / removed 已移除")
    registered_by: str
    registered_at: str
    has_title: bool
    has_number: bool

    @classmethod
    def of(cls, unit_id: int, d) -> DocumentOut:
        return cls(
            id=d.id, unit_id=unit_id, level=d.level, period=d.period, marking=d.marking, pages=d.pages,
            status=d.status, registered_by=d.registered_by, registered_at=d.registered_at,
            has_title=d.title_hash is not None, has_number=d.number_hash is not None,
        )  # fmt: skip


class DocumentList(BaseModel):
    unit_id: int
    items: list[DocumentOut]
