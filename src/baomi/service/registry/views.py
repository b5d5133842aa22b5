"""Registry routes: officers and admins register and retire; auditors may list."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, File, Form, Path, Query, UploadFile

from baomi.service.deps import CurrentUser, DbSession, Svc
from baomi.service.errors import TooLarge
from baomi.service.registry import service
from baomi.service.registry.schemas import DocumentList, DocumentOut, RetireIn

router = APIRouter(prefix="/v1", tags=["registry"])
UnitQuery = Annotated[int | None, Query(ge=1, le=2**31 - 1, description="单位（默认本人所在单位）")]
DocId = Annotated[str, Path(pattern=r"^REG-\d{1,9}$")]


@router.get("/registry", response_model=DocumentList, summary="本单位登记库中的涉密文件")
def list_documents(session: DbSession, svc: Svc, who: CurrentUser, unit_id: UnitQuery = None):
    unit, docs = service.documents(session, svc, who, unit_id)
    return DocumentList(unit_id=unit, items=[DocumentOut.of(unit, d) for d in docs])


@router.post("/registry", response_model=DocumentOut, status_code=201, summary="登记一份涉密文件")
def register(
    session: DbSession,
    svc: Svc,
    who: CurrentUser,
    file: Annotated[UploadFile, File(description="文件（pdf、docx、图片、文本……）")],
    level: Annotated[Literal["绝密", "机密", "秘密", "内部"], Form()],
    period: Annotated[str | None, Form(max_length=200)] = None,
    title: Annotated[str | None, Form(max_length=200)] = None,
    number: Annotated[str | None, Form(max_length=200)] = None,
    unit_id: Annotated[int | None, Form(ge=1, le=2**31 - 1)] = None,
):
    limit = svc.settings.max_attachment_bytes
    data = file.file.read(limit + 1)
    if len(data) > limit:
        raise TooLarge(f"file：文件过大（上限 {limit} 字节）")
    reg = service.Registration((file.filename or "")[:200], data, level, period, title, number)
    unit, record = service.register(session, svc, who, unit_id, reg)
    return DocumentOut.of(unit, record)


@router.post("/registry/{doc_id}/declassify", response_model=DocumentOut, summary="解密（不再比对）")
def declassify(doc_id: DocId, body: RetireIn, session: DbSession, svc: Svc, who: CurrentUser,
               unit_id: UnitQuery = None):  # fmt: skip
    unit, record = service.retire(session, svc, who, unit_id, doc_id, "declassify", body.reason)
    return DocumentOut.of(unit, record)


@router.post("/registry/{doc_id}/remove", response_model=DocumentOut, summary="移除误登记的文件")
def remove(doc_id: DocId, body: RetireIn, session: DbSession, svc: Svc, who: CurrentUser,
           unit_id: UnitQuery = None):  # fmt: skip
    unit, record = service.retire(session, svc, who, unit_id, doc_id, "remove", body.reason)
    return DocumentOut.of(unit, record)
