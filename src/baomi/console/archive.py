"""档案审计: upload an export (file or zip, optional roster) as an audit job, follow its
progress (htmx polling), read the report and download the outputs. Thin views over
baomi.service.audits."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import Response

from baomi.console.web import Csrf, check_csrf, current_user, page, redirect, render
from baomi.service.audits import service as audits
from baomi.service.audits.views import output_response, read_upload
from baomi.service.deps import DbSession, Svc
from baomi.service.errors import Invalid, TooLarge
from baomi.service.permissions import Perm

router = APIRouter(include_in_schema=False)
STATE_ZH = {"queued": "排队中", "running": "进行中", "done": "已完成", "failed": "失败"}


def _ctx(who, **extra) -> dict:
    return {"who": who, "STATE_ZH": STATE_ZH, "can_write": who.can(Perm.ARCHIVE_WRITE), **extra}


@router.get("/archive")
@page
def archive_list(request: Request, session: DbSession) -> Response:
    who = current_user(request, session)
    return render(request, "archive.html", _ctx(who, jobs=audits.list_jobs(session, who)))


@router.post("/archive")
@page
def archive_upload(
    request: Request,
    session: DbSession,
    svc: Svc,
    csrf: Csrf = "",
    file: Annotated[UploadFile | None, File()] = None,
    roster: Annotated[UploadFile | None, File()] = None,
    unit_id: Annotated[int | None, Form(ge=1, le=2**31 - 1)] = None,
) -> Response:
    who = current_user(request, session)
    check_csrf(request, csrf)
    who.require(Perm.ARCHIVE_WRITE)
    try:
        data = read_upload(
            file if file is not None and file.filename else None, svc.settings.max_request_bytes
        )
        names = read_upload(roster if roster is not None and roster.filename else None, 1024 * 1024)
        up = audits.ExportUpload((file.filename or "")[:200] if file else "", data, names or None)
        job = audits.create_job(session, svc, who, up, unit_id)
    except (Invalid, TooLarge) as exc:
        session.rollback()
        ctx = _ctx(who, jobs=audits.list_jobs(session, who), error=str(exc))
        return render(request, "archive.html", ctx, exc.status)
    return redirect(request, f"/archive/{job.id}")


@router.get("/archive/{job_id}")
@page
def archive_job(request: Request, job_id: str, session: DbSession) -> Response:
    who = current_user(request, session)
    job = audits.get_job(session, who, job_id[:32])
    name = "_archive_progress.html" if request.headers.get("hx-request") else "archive_job.html"
    return render(request, name, _ctx(who, job=job, outputs=audits.OUTPUTS))


@router.get("/archive/{job_id}/files/{name}")
@page
def archive_file(request: Request, job_id: str, name: str, session: DbSession, svc: Svc) -> Response:
    who = current_user(request, session)
    return output_response(audits.job_file(session, svc, who, job_id[:32], name[:40]), name)
