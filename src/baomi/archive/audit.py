"""Audit chat exports: import, review every message with the engine on every core,
trace how flagged content spread, and keep a checkpoint so a second run resumes.

    result = audit([Path("export.jsonl")], Path("out"), roster=Path("roster.yaml"),
                   progress=lambda stage, done, total: ...)
    write_outputs(result, Path("out"))

`audit` is what the service's audit jobs call too: `progress(stage, done, total)`
reports each stage ("导入", "审查", "溯源"), `checkpoint_dir` (default OUT/.checkpoint)
holds finished chunks as keyed hashes and masked findings only, never message text.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import secrets
import time as _time
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from baomi import Attachment, Reviewer
from baomi.archive.importers import export_files, read_export
from baomi.archive.model import ArchiveMessage, ImportProblem
from baomi.archive.roster import ConversationChannel, Roster
from baomi.errors import BaomiError, EmptyMessageError
from baomi.trace import Fingerprinter, Fingerprints, TraceItem, build_chains
from baomi.trace.chains import Chain

Progress = Callable[[str, int, int], None]
ReviewerFactory = Callable[[], Reviewer]
CHUNK = 256
_CHECKPOINT_VERSION = 1


@dataclass(frozen=True, slots=True)
class MessageMeta:
    """A message without its text: what incidents and the trace need."""

    index: int
    archive: str
    position: str
    conversation: str
    sender: str
    sender_name: str
    time: float
    msgid: str
    kind: str
    channel: str
    reviewable: bool
    missing_media: int
    forwarded_from: str | None


@dataclass
class AuditResult:
    """Everything the outputs are made of (masked evidence and keyed hashes only)."""

    exports: list[str]
    messages: list[MessageMeta]
    results: dict[int, dict]
    conversations: dict[str, ConversationChannel]
    members: dict[str, set[str]]
    recalled: set[int]
    problems: list[ImportProblem]
    chains: list[Chain] = field(default_factory=list)
    seconds: float = 0.0
    workers: int = 1
    resumed_chunks: int = 0
    engine: str = "local"
    timings: dict[str, float] = field(default_factory=dict)  # seconds per stage

    def flagged(self) -> list[tuple[MessageMeta, dict]]:
        """Messages whose decision is not allow, in archive order."""
        return [
            (m, r) for m in self.messages if (r := self.results.get(m.index)) and r["decision"] != "allow"
        ]

    @property
    def messages_per_s(self) -> float:
        return len(self.messages) / self.seconds if self.seconds else 0.0


# ---------------------------------------------------------------- worker side
_worker: tuple[Reviewer, Fingerprinter] | None = None


def _init_worker(factory: ReviewerFactory, key: bytes) -> None:
    global _worker
    _worker = (factory(), Fingerprinter(key))


def review_payloads(payloads: list[dict], reviewer: Reviewer, fingerprinter: Fingerprinter) -> list[dict]:
    """Review and fingerprint a batch of messages; returns no text, only masked findings."""
    out = []
    for p in payloads:
        atts = [Attachment(Path(path), name) for path, name in p["attachments"]]
        result = {"index": p["index"]}
        try:
            if atts:
                verdict = reviewer.review(p["text"], p["channel"], attachments=atts)
            else:
                verdict = reviewer.review(p["text"], p["channel"])
            result.update(
                decision=verdict.decision.value,
                rules=list(verdict.rules),
                findings=[
                    {k: f[k] for k in ("rule", "source", "evidence")}
                    for f in (x.to_dict() for x in verdict.findings)
                ],
            )
        except EmptyMessageError:
            result.update(decision="allow", rules=[], findings=[])
        except Exception as exc:  # fail closed on one message (X01), never abort the audit
            error = str(exc) if isinstance(exc, BaomiError) else f"审查出错（{type(exc).__name__}）"
            result.update(decision="review", rules=["X01"], findings=[], error=error)
        result["fp"] = fingerprinter.of_message(p["text"], [a.path for a in atts]).to_dict()
        out.append(result)
    return out


def _review_chunk(payloads: list[dict]) -> list[dict]:
    assert _worker is not None
    return review_payloads(payloads, *_worker)


# ---------------------------------------------------------------- main side
def _scan(files, fmt, media, roster) -> tuple[list[MessageMeta], dict, dict, set[int], list[ImportProblem]]:
    """Pass 1: every message's metadata, conversation channels, members and recalls."""
    metas: list[MessageMeta] = []
    convs: dict[str, ConversationChannel] = {}
    members: dict[str, set[str]] = defaultdict(set)
    problems: list[ImportProblem] = []
    recall_targets: set[tuple[str, str]] = set()
    for path in files:
        for item in read_export(path, fmt, media):
            if isinstance(item, ImportProblem):
                problems.append(item)
                continue
            conv = convs.get(item.conversation)
            if conv is None:
                conv = convs[item.conversation] = roster.channel_of(
                    item.conversation, item.conversation_name, item.is_group
                )
            members[item.conversation].update(item.members or (item.sender,))
            if item.kind == "recall" and item.recall_of:
                recall_targets.add((item.archive, item.recall_of))
            metas.append(_meta(len(metas), item, conv.channel.value))
    recalled = {
        m.index
        for m in metas
        if (m.archive, m.msgid) in recall_targets
        or (m.forwarded_from and (m.archive, m.forwarded_from) in recall_targets)
    }
    return metas, convs, dict(members), recalled, problems


def _meta(index: int, m: ArchiveMessage, channel: str) -> MessageMeta:
    return MessageMeta(
        index,
        m.archive,
        m.position,
        m.conversation,
        m.sender,
        m.sender_name,
        m.time.timestamp(),
        m.msgid,
        m.kind,
        channel,
        m.reviewable,
        m.missing_media,
        m.forwarded_from,
    )


def _payloads(files, fmt, media, metas: list[MessageMeta]) -> Iterator[dict]:
    """Pass 2: the reviewable messages again, with their text, in the same order."""
    index = 0
    for path in files:
        for item in read_export(path, fmt, media):
            if isinstance(item, ImportProblem):
                continue
            meta = metas[index]
            index += 1
            if meta.reviewable:
                yield {
                    "index": meta.index,
                    "text": item.text,
                    "channel": meta.channel,
                    "attachments": [(str(a.path), a.name) for a in item.attachments],
                }


def _chunks(payloads: Iterator[dict], size: int) -> Iterator[tuple[int, list[dict]]]:
    batch: list[dict] = []
    number = 0
    for p in payloads:
        batch.append(p)
        if len(batch) >= size:
            yield number, batch
            number, batch = number + 1, []
    if batch:
        yield number, batch


class Checkpoint:
    """Finished chunks of one audit (results are masked; the key file stays here)."""

    def __init__(self, folder: Path, state: dict, resume: bool) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        state_file, self.results_file = folder / "state.json", folder / "results.jsonl"
        key_file = folder / "key"
        same = resume and state_file.is_file() and _read_json(state_file) == state and key_file.is_file()
        if not same:
            self.results_file.unlink(missing_ok=True)
            key_file.write_bytes(secrets.token_bytes(32))
            key_file.chmod(0o600)
            state_file.write_text(json.dumps(state, ensure_ascii=False), encoding="utf-8")
        self.key = key_file.read_bytes()
        self.done: dict[int, list[dict]] = {}
        if self.results_file.is_file():
            for line in self.results_file.read_text(encoding="utf-8").splitlines():
                try:
                    entry = json.loads(line)
                    self.done[entry["chunk"]] = entry["results"]
                except (json.JSONDecodeError, KeyError, TypeError):
                    continue  # a line cut by an interrupted run: that chunk is redone
        self._fh = self.results_file.open("a", encoding="utf-8")

    def save(self, chunk: int, results: list[dict]) -> None:
        self._fh.write(json.dumps({"chunk": chunk, "results": results}, ensure_ascii=False) + "\n")
        self._fh.flush()

    def close(self) -> None:
        self._fh.close()


def _read_json(path: Path):
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return None


def _state(files: list[Path], fmt, roster: Roster, chunk: int, tag: str) -> dict:
    stats = [[str(p.resolve()), p.stat().st_size, p.stat().st_mtime_ns] for p in files]
    roster_hash = hashlib.sha256(
        json.dumps(
            sorted((k, n, c and c.value) for k, (n, c) in roster.entries.items()), ensure_ascii=False
        ).encode()
    ).hexdigest()
    return {
        "version": _CHECKPOINT_VERSION,
        "files": stats,
        "format": fmt,
        "roster": roster_hash,
        "chunk": chunk,
        "tag": tag,
    }


def audit(
    exports: list[Path],
    out_dir: Path,
    *,
    fmt: str | None = None,
    roster: Roster | Path | None = None,
    media: Path | None = None,
    workers: int | None = None,
    reviewer_factory: ReviewerFactory | None = None,
    policy: Path | None = None,
    progress: Progress | None = None,
    checkpoint_dir: Path | None = None,
    resume: bool = True,
    chunk_size: int = CHUNK,
    ray_address: str | None = None,
    use_ray: bool = False,
    config_tag: str = "",
) -> AuditResult:
    """Audit exports (files or folders) and return the result; nothing is written to
    `out_dir` but the checkpoint (see `write_outputs`). `reviewer_factory` builds the
    Reviewer in each worker (default: `Reviewer(policy)`); it must be picklable."""
    started = _time.perf_counter()
    tick = progress or (lambda stage, done, total: None)
    roster = roster if isinstance(roster, Roster) else Roster.load(roster)
    files = export_files(list(exports))
    factory = reviewer_factory or partial(Reviewer, policy)
    tag = config_tag or (str(Path(policy).resolve()) if policy else "default")
    checkpoint = Checkpoint(
        checkpoint_dir or out_dir / ".checkpoint", _state(files, fmt, roster, chunk_size, tag), resume
    )
    tick("导入", 0, len(files))
    metas, convs, members, recalled, problems = _scan(files, fmt, media, roster)
    tick("导入", len(files), len(files))
    timings = {"import": _time.perf_counter() - started}
    total = sum(1 for m in metas if m.reviewable)
    results: dict[int, dict] = {}
    resumed = 0
    done_count = 0

    def pending() -> Iterator[tuple[int, list[dict]]]:
        nonlocal resumed, done_count
        for number, batch in _chunks(_payloads(files, fmt, media, metas), chunk_size):
            if number in checkpoint.done:
                resumed += 1
                done_count += len(batch)
                for r in checkpoint.done[number]:
                    results[r["index"]] = r
                continue
            yield number, batch

    def finish(number: int, batch_results: list[dict]) -> None:
        nonlocal done_count
        checkpoint.save(number, batch_results)
        for r in batch_results:
            results[r["index"]] = r
        done_count += len(batch_results)
        tick("审查", done_count, total)

    tick("审查", 0, total)
    n_workers = max(1, workers or os.cpu_count() or 1)
    try:
        if use_ray or ray_address:
            from baomi.archive.ray_audit import review_on_ray

            review_on_ray(pending(), factory, checkpoint.key, ray_address, finish)
            engine = "ray"
        elif n_workers == 1:
            _init_worker(factory, checkpoint.key)
            for number, batch in pending():
                finish(number, _review_chunk(batch))
            engine = "local"
        else:
            _review_in_pool(pending(), factory, checkpoint.key, n_workers, finish)
            engine = "local"
    finally:
        checkpoint.close()
    timings["review"] = _time.perf_counter() - started - timings["import"]
    tick("溯源", 0, 1)
    fingerprinter = Fingerprinter(checkpoint.key)
    items = trace_items(metas, results, recalled)
    links = None
    if engine == "ray":
        from baomi.archive.ray_audit import links_on_ray

        links = links_on_ray(items)
    chains = build_chains(
        items,
        members,
        links,
        item_id=lambda o: "内容-" + fingerprinter.keyed(f"{o.archive}/{o.msgid}".encode())[:10],
    )
    tick("溯源", 1, 1)
    timings["trace"] = _time.perf_counter() - started - timings["import"] - timings["review"]
    return AuditResult(
        exports=[str(p) for p in files],
        messages=metas,
        results=results,
        conversations=convs,
        members=members,
        recalled=recalled,
        problems=problems,
        chains=chains,
        seconds=_time.perf_counter() - started,
        workers=n_workers,
        resumed_chunks=resumed,
        timings={k: round(v, 2) for k, v in timings.items()},
        engine=engine,
    )


def _review_in_pool(chunks, factory, key, n_workers, finish) -> None:
    """Review chunks on `n_workers` processes, at most two chunks in flight per process
    (memory stays bounded however large the export), results taken in order."""
    ctx = multiprocessing.get_context(
        "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    )
    with ctx.Pool(n_workers, initializer=_init_worker, initargs=(factory, key)) as pool:
        inflight: list[tuple[int, object]] = []
        for number, batch in chunks:
            inflight.append((number, pool.apply_async(_review_chunk, (batch,))))
            if len(inflight) >= 2 * n_workers:
                first, handle = inflight.pop(0)
                finish(first, handle.get())
        for number, handle in inflight:
            finish(number, handle.get())


def trace_items(metas: list[MessageMeta], results: dict[int, dict], recalled: set[int]) -> list[TraceItem]:
    empty = Fingerprints()
    items = []
    for m in metas:
        r = results.get(m.index)
        items.append(
            TraceItem(
                index=m.index,
                archive=m.archive,
                conversation=m.conversation,
                channel=m.channel,
                sender=m.sender,
                time=m.time,
                msgid=m.msgid,
                fingerprints=Fingerprints.from_dict(r["fp"]) if r else empty,
                rules=tuple(r["rules"]) if r else (),
                flagged=bool(r and r["decision"] != "allow"),
                recalled=m.index in recalled,
                bundle=m.forwarded_from,
            )
        )
    return items
