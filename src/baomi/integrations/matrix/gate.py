"""What the module does with one message event, without Synapse: read the event's content,
ask the backend, and turn the judgement (or the backend's failure) into an `Outcome` that
the Synapse glue carries out. Plain code, unit-tested in the main virtualenv."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from dataclasses import dataclass, field
from pathlib import Path

from baomi.catalog import catalog
from baomi.integrations.matrix.backends import Backend, BackendError, Judgement, Outgoing
from baomi.integrations.matrix.config import MatrixConfig
from baomi.integrations.matrix.pending import Pending
from baomi.model import Channel, Decision

# every attachment goes to the extractors; what they cannot read (audio, video) becomes X01
MEDIA_TYPES = ("m.image", "m.file", "m.video", "m.audio")
CHANNEL_ZH = {
    Channel.DIRECT: "私聊",
    Channel.WORK_GROUP: "工作群",
    Channel.EXTERNAL_GROUP: "外部群",
    Channel.MOMENTS: "朋友圈",
    Channel.PUBLISH: "公开发布渠道",
}


class MediaError(Exception):
    """An attachment could not be fetched (the message is Chinese)."""


@dataclass(frozen=True)
class Content:
    """What a message event carries for review: its text and at most one media reference."""

    text: str
    media_url: str | None = None
    filename: str = ""


def content_of(event_type: str, content: dict) -> Content | None:
    """The reviewable part of an event; None for events that carry no user text."""
    if event_type == "m.room.encrypted":
        raise MediaError("端到端加密的消息无法审查")
    if event_type not in ("m.room.message", "m.sticker"):
        return None
    msgtype = content.get("msgtype")
    body = content.get("body")
    body = body if isinstance(body, str) else ""
    if event_type == "m.sticker" or msgtype in MEDIA_TYPES:
        url = content.get("url")
        if not isinstance(url, str) or not url.startswith("mxc://"):
            raise MediaError("附件没有可读取的 mxc:// 地址（加密附件无法审查）")
        name = content.get("filename") if isinstance(content.get("filename"), str) else body
        caption = body if content.get("filename") and body != content.get("filename") else ""
        return Content(caption, url, name or "attachment")
    return Content(body)  # m.text, m.notice, m.emote, m.location, …


@dataclass(frozen=True)
class Outcome:
    deliver: bool
    body: dict = field(default_factory=dict)  # merged into the 403 body when not delivered
    notice: str | None = None  # an m.notice for the sender
    pending: Pending | None = None
    audit: dict | None = None


def rule_names(rules: tuple[str, ...]) -> str:
    cat = catalog()
    return "、".join(f"{r} {cat[r].name}" if r in cat else r for r in rules)


def outcome_of(j: Judgement, event_type: str, room_id: str, sender: str, content: dict) -> Outcome:
    """The decision's effect on delivery."""
    base = {"cn.baomi.decision": j.decision.value, "cn.baomi.rules": list(j.rules), "cn.baomi.tip": j.tip}
    if j.decision == Decision.ALLOW:
        return Outcome(True)
    if j.decision == Decision.WARN:
        return Outcome(True, notice=f"【保密提醒】您刚发送的消息可能涉及：{rule_names(j.rules)}。{j.tip}")
    if j.decision == Decision.REVIEW and j.hold_id:
        error = (f"保密审查（{rule_names(j.rules)}）：{j.tip}"
                 f"审查编号 {j.hold_id}，批准后将以您的名义自动发出。")
        pending = Pending(j.hold_id, j.ref or j.hold_id, room_id, sender, event_type, content)
        return Outcome(False, base | {"error": error, "cn.baomi.hold_id": j.hold_id}, pending=pending)
    error = f"保密审查（{rule_names(j.rules)}）：{j.tip}"
    return Outcome(False, base | {"error": error})


def uninspectable(problem: str) -> Outcome:
    """Content that cannot be inspected never passes, in any channel (X01)."""
    return Outcome(False, {"error": f"保密审查（X01 无法审查的附件）：消息未发送，{problem}。",
                           "cn.baomi.decision": "block", "cn.baomi.rules": ["X01"]})


def failed(cfg: MatrixConfig, channel: Channel, problem: str, audit: dict) -> Outcome:
    """The configured fail mode: open delivers with an audit record, closed rejects."""
    if cfg.fail_open(channel):
        return Outcome(True, audit=audit | {"event": "fail_open", "problem": problem})
    error = (f"保密审查暂不可用，消息未发送（{problem}）。"
             f"发往{CHANNEL_ZH[channel]}的消息须审查后才能发出，请稍后再试。")
    return Outcome(False, {"error": error, "cn.baomi.decision": "unavailable"},
                   audit=audit | {"event": "fail_closed", "problem": problem})


def content_hash(secret: bytes, content: dict) -> str:
    """A keyed hash of an event's content for audit records (never the text)."""
    raw = json.dumps(content, sort_keys=True, ensure_ascii=False).encode()
    return hmac.new(secret, raw, hashlib.sha256).hexdigest()[:32]


def judge(backend: Backend, cfg: MatrixConfig, msg: Outgoing, event_type: str, content: dict,
          audit: dict) -> Outcome:
    """Ask the backend; its failure takes the channel's fail mode."""
    try:
        j = backend.judge(msg)
    except BackendError as exc:
        return failed(cfg, msg.channel, str(exc), audit)
    return outcome_of(j, event_type, msg.room_id, msg.sender, content)


def append_audit(path: Path | None, record: dict) -> None:
    """One JSON line per record (ids, channel, problem, keyed hash; never the text)."""
    if path is None:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as f:
        f.write(json.dumps({"ts": time.time(), **record}, ensure_ascii=False) + "\n")
