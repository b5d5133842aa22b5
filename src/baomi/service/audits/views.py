"""Archive audit job routes: upload (officers, admins), state, outputs (also auditors)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, File, Form, Path, UploadFile
from fastapi.responses import FileResponse

from baomi.service.audits import service
from baomi.service.audits.schemas import AuditJobOut
from baomi.service.deps import CurrentUser, DbSession, Svc
from baomi.service.errors import TooLarge

router = APIRouter(prefix="/v1", tags=["archive audits"])
JobId = Annotated[str, Path(pattern=r"^[0-9a-f]{32}$")]
REPORT_CSP = (
    "sandbox allow-scripts; default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
    "img-src data:"
)
MEDIA = {"report.html": "text/html; charset=utf-8", "incidents.jsonl": "application/x-ndjson",
         "chains.jsonl": "application/x-ndjson",
         "incidents.xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}  # fmt: skip


def read_upload(file: UploadFile | None, limit: int) -> bytes:
    data = file.file.read(limit + 1) if file is not None else b""
    if len(data) > limit:
        raise TooLarge(f"文件过大（上限 {limit} 字节）")
    return data


def output_response(path, name: str) -> FileResponse:
    """An output file; the report is shown sandboxed (its own inline charts, nothing else)."""
    response = FileResponse(path, media_type=MEDIA[name])
    response.headers["X-Content-Type-Options"] = "nosniff"
    if name == "report.html":
        response.headers["Content-Security-Policy"] = REPORT_CSP
    else:
        response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@router.post("/audits", response_model=AuditJobOut, status_code=202, summary="上传聊天导出，创建档案审计任务")
def create(
    session: DbSession,
    svc: Svc,
    who: CurrentUser,
    file: Annotated[UploadFile, File(description="导出文件，或整个导出文件夹的 zip")],
    roster: Annotated[UploadFile | None, File(description="会话名册 YAML（可选）")] = None,
    unit_id: Annotated[int | None, Form(ge=1, le=2**31 - 1)] = None,
):
    limit = svc.settings.max_request_bytes
    up = service.ExportUpload((file.filename or "")[:200], read_upload(file, limit),
                              read_upload(roster, 1024 * 1024) or None)  # fmt: skip
    return service.create_job(session, svc, who, up, unit_id)


@router.get("/audits", response_model=list[AuditJobOut], summary="档案审计任务")
def list_jobs(session: DbSession, who: CurrentUser) -> list:
    return service.list_jobs(session, who)


@router.get("/audits/{job_id}", response_model=AuditJobOut, summary="任务状态与进度")
def get_job(job_id: JobId, session: DbSession, who: CurrentUser):
    return service.get_job(session, who, job_id)


@router.get("/audits/{job_id}/files/{name}", summary="报告与导出文件")
def job_file(
    job_id: JobId,
    name: Literal["report.html", "incidents.xlsx", "incidents.jsonl", "chains.jsonl"],
    session: DbSession,
    svc: Svc,
    who: CurrentUser,
):
    return output_response(service.job_file(session, svc, who, job_id, name), name)
