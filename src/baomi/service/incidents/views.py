"""Incident, export and statistics routes."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query
from fastapi.responses import Response

from baomi.service.deps import CurrentUser, DbSession, Svc
from baomi.service.incidents import service
from baomi.service.incidents.schemas import (
    DecisionRow,
    IncidentDetail,
    IncidentOut,
    IncidentPage,
    QueueStats,
    RateRow,
)

router = APIRouter(prefix="/v1", tags=["incidents"])


def _filter(
    rule: Annotated[str | None, Query(max_length=8)] = None,
    channel: Annotated[str | None, Query(max_length=20)] = None,
    unit_id: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
    sender: Annotated[str | None, Query(max_length=200)] = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> service.IncidentFilter:
    return service.IncidentFilter(rule, channel, unit_id, sender, since, until)


Filter = Annotated[service.IncidentFilter, Depends(_filter)]


@router.get("/incidents", response_model=IncidentPage, summary="事件列表")
def list_incidents(
    session: DbSession,
    who: CurrentUser,
    f: Filter,
    offset: Annotated[int, Query(ge=0, le=10**7)] = 0,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> IncidentPage:
    total, items = service.list_incidents(session, who, f, offset, limit)
    return IncidentPage(
        total=total, offset=offset, limit=limit, items=[IncidentOut.model_validate(i) for i in items]
    )


_MEDIA = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@router.get(
    "/incidents/export",
    summary="导出事件（CSV 或 XLSX）",
    responses={200: {"content": {m: {} for m in _MEDIA.values()}}},
)
def export(
    session: DbSession, svc: Svc, who: CurrentUser, f: Filter, format: Literal["csv", "xlsx"] = "csv"
) -> Response:
    data = service.export_rows(session, svc.keys, who, f, format)
    return Response(
        data,
        media_type=_MEDIA[format],
        headers={"Content-Disposition": f'attachment; filename="incidents.{format}"'},
    )


@router.get("/incidents/{incident_id}", response_model=IncidentDetail, summary="一个事件及其各次发送")
def get_incident(
    incident_id: Annotated[str, Path(max_length=64)], session: DbSession, who: CurrentUser
) -> IncidentDetail:
    inc, events = service.get_incident(session, who, incident_id)
    return IncidentDetail(**IncidentOut.model_validate(inc).model_dump(), events=events)


@router.get("/stats/decisions", response_model=list[DecisionRow], summary="按规则、渠道、单位或日期统计")
def decisions(
    session: DbSession,
    who: CurrentUser,
    by: Literal["rule", "channel", "unit", "day"] = "day",
    since: datetime | None = None,
    until: datetime | None = None,
) -> list[dict]:
    return service.decisions_by(session, who, by, since, until)


@router.get("/stats/rates", response_model=list[RateRow], summary="各规则的确认发送率和误报率")
def rates(
    session: DbSession, who: CurrentUser, since: datetime | None = None, until: datetime | None = None
) -> list[dict]:
    return service.rates_by_rule(session, who, since, until)


@router.get("/stats/queue", response_model=QueueStats, summary="待审队列的数量、等待时间和超时")
def queue(session: DbSession, who: CurrentUser) -> dict:
    return service.queue_stats(session, who)
