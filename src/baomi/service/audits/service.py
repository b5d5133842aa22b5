"""Archive audit jobs: an officer uploads an export (a file or a zip of an export folder,
with an optional roster), a background thread audits it with `baomi.archive.audit`, writes
the report and outputs, and stores the flagged messages as incidents (source "audit",
masked evidence, the keyed content hash, the propagation chain). The uploaded export holds
plaintext: it is deleted when the job ends, whatever the outcome."""

from __future__ import annotations

import hashlib
import logging
import shutil
import threading
import time
import uuid
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

from sqlalchemy import select
from sqlalchemy.orm import Session

from baomi.errors import BaomiError
from baomi.service.auditlog.service import append as audit_log
from baomi.service.audits.models import AuditJob
from baomi.service.context import Services, after_commit
from baomi.service.db import transaction, utcnow
from baomi.service.errors import Invalid, NotFound, TooLarge
from baomi.service.incidents.service import join_incident
from baomi.service.permissions import Perm
from baomi.service.policies.service import effective
from baomi.service.users.service import Principal

log = logging.getLogger("baomi.service")
OUTPUTS = ("report.html", "incidents.xlsx", "incidents.jsonl", "chains.jsonl")
MAX_ZIP_MEMBERS = 100_000
MAX_UNPACKED_BYTES = 2 * 1024**3
_ONE_AT_A_TIME = threading.Lock()  # the archive audit keeps its worker in module state


@dataclass(frozen=True)
class ExportUpload:
    name: str
    data: bytes
    roster: bytes | None = None


def _work(svc: Services, job_id: str) -> Path:
    return svc.settings.data_dir / "audits" / job_id


def _unpack(up: ExportUpload, into: Path) -> None:
    """The upload as files under `into`: a zip is unpacked (no absolute or .. paths, bounded)."""
    into.mkdir(mode=0o700, parents=True)
    name = PurePosixPath(up.name.replace("\\", "/")).name or "export"
    if not name.lower().endswith(".zip"):
        (into / name).write_bytes(up.data)
        return
    import io

    try:
        zf = zipfile.ZipFile(io.BytesIO(up.data))
        infos = [i for i in zf.infolist() if not i.is_dir()]
        if len(infos) > MAX_ZIP_MEMBERS or sum(i.file_size for i in infos) > MAX_UNPACKED_BYTES:
            raise TooLarge("压缩包解开后过大或文件过多")
        for info in infos:
            parts = PurePosixPath(info.filename.replace("\\", "/")).parts
            if not parts or parts[0] == "/" or ".." in parts:
                raise Invalid(f"压缩包中的路径不安全：{info.filename[:80]}")
            target = into.joinpath(*parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            with zf.open(info) as src, target.open("wb") as dst:
                shutil.copyfileobj(src, dst)
    except zipfile.BadZipFile:
        raise Invalid(f"{name} 不是有效的 zip 压缩包") from None


def create_job(session: Session, svc: Services, who: Principal, up: ExportUpload,
               unit_id: int | None = None) -> AuditJob:  # fmt: skip
    """Store the upload in a private folder and queue the job (it starts after the commit)."""
    who.require(Perm.ARCHIVE_WRITE)
    unit_id = who.unit_id if unit_id is None else unit_id
    who.require_unit(unit_id)
    if not up.data:
        raise Invalid("file：没有上传导出文件或文件为空")
    job = AuditJob(id=uuid.uuid4().hex, unit_id=unit_id, created_by=who.id, state="queued", stage="",
                   done=0, total=0, messages=0, flagged=0, chains=0)  # fmt: skip
    work = _work(svc, job.id)
    try:
        _unpack(up, work / "input")
        if up.roster:
            (work / "roster.yaml").write_bytes(up.roster)
            from baomi.archive.roster import Roster, RosterError

            try:
                Roster.load(work / "roster.yaml")
            except RosterError as exc:
                raise Invalid(str(exc)) from None
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    session.add(job)
    session.flush()
    audit_log(session, svc.keys, "archive_audit.create", actor=who, target=job.id, unit_id=unit_id,
              details={"bytes": len(up.data), "roster": bool(up.roster)})  # fmt: skip
    after_commit(session, lambda: threading.Thread(target=run_job, args=(svc, job.id), daemon=True).start())
    return job


def get_job(session: Session, who: Principal, job_id: str) -> AuditJob:
    who.require(Perm.ARCHIVE_READ)
    job = session.get(AuditJob, job_id)
    if job is None or job.unit_id not in who.units:
        raise NotFound(f"审计任务 {job_id} 不存在")
    return job


def list_jobs(session: Session, who: Principal) -> list[AuditJob]:
    who.require(Perm.ARCHIVE_READ)
    q = select(AuditJob).where(AuditJob.unit_id.in_(who.units)).order_by(AuditJob.created_at.desc())
    return list(session.scalars(q.limit(200)))


def job_file(session: Session, svc: Services, who: Principal, job_id: str, name: str) -> Path:
    """One of the job's outputs (masked evidence only), once it is done."""
    job = get_job(session, who, job_id)
    if name not in OUTPUTS:
        raise NotFound(f"没有文件 {name[:40]}")
    path = _work(svc, job.id) / "out" / name
    if job.state != "done" or not path.is_file():
        raise NotFound("审计尚未完成，报告还不能下载")
    return path


def run_job(svc: Services, job_id: str) -> None:
    """The background part: audit, outputs, incidents; the export is deleted at the end."""
    from baomi.archive import audit, write_outputs

    work = _work(svc, job_id)
    sessions = svc.sessions
    last = [0.0]

    def progress(stage: str, done: int, total: int) -> None:
        if time.monotonic() - last[0] < 0.5 and done < total:
            return
        last[0] = time.monotonic()
        with transaction(sessions) as s:
            job = s.get(AuditJob, job_id)
            job.stage, job.done, job.total = stage, done, total

    try:
        with _ONE_AT_A_TIME:
            with transaction(sessions) as s:
                job = s.get(AuditJob, job_id)
                job.state = "running"
                reviewer = svc.pool.reviewer(effective(s, svc.pool, job.unit_id), False)
            roster = work / "roster.yaml"
            result = audit(
                [work / "input"],
                work / "out",
                roster=roster if roster.is_file() else None,
                workers=1,
                reviewer_factory=lambda: reviewer,
                progress=progress,
                checkpoint_dir=work / "checkpoint",
                resume=False,
            )
            if not result.messages:
                p = result.problems[0] if result.problems else None
                first = f"（{p.position}：{p.problem}）" if p else ""
                raise Invalid(f"上传的文件中没有读到任何聊天消息，请确认是支持的导出格式{first}")
            write_outputs(result, work / "out")
            hashes = _content_hashes(svc, result)
        with transaction(sessions) as s:
            _finish(s, svc, s.get(AuditJob, job_id), result, hashes)
    except Exception as exc:  # the job fails with a reason; the service goes on
        reason = str(exc) if isinstance(exc, BaomiError) else f"审计出错（{type(exc).__name__}）"
        log.warning("audit job failed", extra={"event": "audit_job_failed", "error": type(exc).__name__})
        with transaction(sessions) as s:
            job = s.get(AuditJob, job_id)
            job.state, job.error, job.finished_at = "failed", reason[:500], utcnow()
    finally:
        shutil.rmtree(work / "input", ignore_errors=True)
        shutil.rmtree(work / "checkpoint", ignore_errors=True)
        (work / "roster.yaml").unlink(missing_ok=True)


def _content_hashes(svc: Services, result) -> dict[int, str]:
    """The service's keyed content hash of each flagged message (the export is read once
    more, text and files only in memory), so an archive copy joins a live incident."""
    from baomi.archive.audit import _payloads  # the audit's own second pass over the export
    from baomi.archive.importers import export_files

    flagged = {m.index for m, _ in result.flagged()}
    out = {}
    files = export_files([Path(p) for p in result.exports])
    for p in _payloads(files, None, None, result.messages):
        if p["index"] in flagged:
            digests = [hashlib.sha256(Path(path).read_bytes()).hexdigest() for path, _ in p["attachments"]]
            out[p["index"]] = svc.keys.content_hash(p["text"], digests)
    return out


def _chains_by_msgid(chains: list[dict]) -> dict[str, dict]:
    by = {}
    for c in chains:
        for msgid in [c["origin"]["msgid"], *(h["msgid"] for h in c["hops"])]:
            by.setdefault(msgid, c)
    return by


def _finish(session: Session, svc: Services, job: AuditJob, result, hashes: dict[int, str]) -> None:
    from baomi.archive.report.records import chain_record

    chains = [chain_record(c) for c in result.chains]
    by_msgid = _chains_by_msgid(chains)
    flagged = result.flagged()
    counts = {"messages": len(result.messages), "flagged": len(flagged), "chains": len(chains)}
    audit_log(session, svc.keys, "archive_audit.finish", target=job.id, unit_id=job.unit_id, details=counts)
    for meta, r in flagged:
        content_hash = hashes.get(meta.index)
        if content_hash is None:  # not reviewable again (unreadable): nothing to join by
            continue
        join_incident(
            session,
            content_hash=content_hash,
            unit_id=job.unit_id,
            rules=r["rules"],
            channel=meta.channel,
            evidence=[f["evidence"] for f in r["findings"]],
            source="audit",
            user_id=job.created_by,
            sender=meta.sender[:200],
            conversation=meta.conversation[:200],
            when=datetime.fromtimestamp(meta.time, UTC),
            audit_job_id=job.id,
            msgid=meta.msgid[:200],
            chain=by_msgid.get(meta.msgid),
        )
    job.state, job.finished_at = "done", utcnow()
    job.messages, job.flagged, job.chains = len(result.messages), len(flagged), len(chains)
