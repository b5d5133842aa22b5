"""Registry actions of the service: register an uploaded file, list, declassify, remove.
Role and unit are checked here; every action goes to the audit log (ids, level and page
count only: a classified document's title and 文号 are never logged or stored readable)."""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from baomi.registry import LEVELS, DocumentRecord, RegistryError
from baomi.service.auditlog.service import append as audit
from baomi.service.context import Services
from baomi.service.errors import Conflict, Invalid, NotFound, TooLarge
from baomi.service.permissions import Perm
from baomi.service.users.models import Unit
from baomi.service.users.service import Principal

MAX_LABEL_CHARS = 200


@dataclass(frozen=True)
class Registration:
    """An uploaded file and what the officer says about it."""

    name: str
    data: bytes
    level: str
    period: str | None = None
    title: str | None = None
    number: str | None = None


def _unit(session: Session, who: Principal, unit_id: int | None, perm: Perm) -> int:
    who.require(perm)
    unit_id = who.unit_id if unit_id is None else unit_id
    who.require_unit(unit_id)
    if session.get(Unit, unit_id) is None:
        raise NotFound(f"单位 {unit_id} 不存在")
    return unit_id


def documents(session: Session, svc: Services, who: Principal, unit_id: int | None) -> tuple[int, list]:
    """The unit's registered documents (every status), oldest first."""
    unit_id = _unit(session, who, unit_id, Perm.REGISTRY_READ)
    registry = svc.registries.get(unit_id)
    return unit_id, registry.store.documents() if registry else []


def _validate(svc: Services, reg: Registration) -> None:
    if reg.level not in LEVELS:
        raise Invalid(f"level：密级必须是 {'、'.join(LEVELS)} 之一")
    if not reg.data:
        raise Invalid("file：没有上传文件或文件为空")
    if len(reg.data) > svc.settings.max_attachment_bytes:
        raise TooLarge(f"file：文件过大（上限 {svc.settings.max_attachment_bytes} 字节）")
    for field, value in (("period", reg.period), ("title", reg.title), ("number", reg.number)):
        if value is not None and len(value) > MAX_LABEL_CHARS:
            raise Invalid(f"{field}：过长（上限 {MAX_LABEL_CHARS} 个字符）")


def register(
    session: Session, svc: Services, who: Principal, unit_id: int | None, reg: Registration
) -> tuple[int, DocumentRecord]:
    """Fingerprint the file into the unit's registry; the upload is deleted at once."""
    unit_id = _unit(session, who, unit_id, Perm.REGISTRY_WRITE)
    _validate(svc, reg)
    session.commit()  # the extraction (OCR) runs outside any transaction
    tmp_root = svc.settings.data_dir / "tmp"
    tmp_root.mkdir(mode=0o700, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=tmp_root))
    registry = svc.registries.get(unit_id, create=True)
    try:
        path = tmp / f"doc{Path(reg.name).suffix[:10]}"
        path.write_bytes(reg.data)
        with svc.registries.write_locks[unit_id]:
            record = registry.add_file(
                path,
                name=reg.name or path.name,
                ocr=svc.pool.ocr,
                level=reg.level,
                period=reg.period or None,
                title=reg.title or None,
                number=reg.number or None,
                actor=who.username,
            )
    except RegistryError as exc:
        raise Invalid(str(exc)) from None
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    details = {"level": record.level, "pages": record.pages, "period": record.period,
               "title": bool(reg.title), "number": bool(reg.number)}  # fmt: skip
    audit(session, svc.keys, "registry.add", actor=who, target=record.id, unit_id=unit_id, details=details)
    return unit_id, record


def retire(
    session: Session,
    svc: Services,
    who: Principal,
    unit_id: int | None,
    doc_id: str,
    action: str,
    reason: str,
) -> tuple[int, DocumentRecord]:
    """`declassify` or `remove` a document: it stops matching at once; the reason is recorded."""
    unit_id = _unit(session, who, unit_id, Perm.REGISTRY_WRITE)
    reason = reason.strip()
    if not reason:
        raise Invalid("reason：请填写理由（解密依据或误登记说明）")
    registry = svc.registries.get(unit_id)
    try:
        if registry is None:
            raise RegistryError(f"登记库中没有编号为 {doc_id} 的文件")
        registry.store.get(doc_id)
    except RegistryError as exc:
        raise NotFound(str(exc)) from None
    try:
        with svc.registries.write_locks[unit_id]:
            retire_one = registry.declassify if action == "declassify" else registry.remove
            retire_one(doc_id, actor=who.username, reason=reason)
    except RegistryError as exc:  # already declassified or removed
        raise Conflict(str(exc)) from None
    record = registry.store.get(doc_id)
    audit(session, svc.keys, f"registry.{action}", actor=who, target=doc_id, unit_id=unit_id,
          details={"reason": reason[:500]})  # fmt: skip
    return unit_id, record
