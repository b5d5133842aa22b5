"""Where the module's decisions come from: the engine in-process (`LocalBackend`, with an
in-process hold store) or the secrecy office's service (`ServiceBackend`, `POST /v1/checks`,
whose holds wait in the unit's review queue). Both are plain blocking code: the Synapse glue
runs them in a thread, never on the reactor."""

from __future__ import annotations

import json
import shutil
import tempfile
import threading
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from baomi.errors import BaomiError
from baomi.model import Channel, Decision


class BackendError(Exception):
    """The decision could not be made (service down, timeout, bad answer); the message is Chinese."""


@dataclass(frozen=True)
class Outgoing:
    """One message about to be delivered, as the backends see it."""

    text: str
    channel: Channel
    sender: str
    room_id: str
    attachments: tuple[tuple[str, bytes], ...] = ()


@dataclass(frozen=True)
class Judgement:
    decision: Decision
    rules: tuple[str, ...]
    tip: str
    hold_id: str | None = None
    ref: str | None = None  # what `outcome` is asked with (the service's check id, or the hold id)


class Backend(Protocol):
    def judge(self, msg: Outgoing) -> Judgement: ...

    def outcome(self, ref: str) -> str:
        """`held`, `released` or `rejected` (with the service's statuses)."""
        ...


class LocalBackend:
    """The engine in this process (loaded once, on first use) and an in-process hold store:
    `approve(hold_id)` / `reject(hold_id)` are the reviewer's actions."""

    def __init__(self, policy: Path | None = None, reviewer=None) -> None:
        self._policy = policy
        self._reviewer = reviewer
        self._lock = threading.Lock()
        self._holds: dict[str, str] = {}

    @property
    def reviewer(self):
        with self._lock:
            if self._reviewer is None:
                from baomi.engine import Reviewer

                self._reviewer = Reviewer(self._policy)
            return self._reviewer

    def judge(self, msg: Outgoing) -> Judgement:
        try:
            verdict = self._review(msg)
        except BaomiError as exc:
            raise BackendError(f"无法检查：{exc}") from None
        hold_id = None
        if verdict.decision == Decision.REVIEW:
            hold_id = uuid.uuid4().hex
            with self._lock:
                self._holds[hold_id] = "held"
        return Judgement(verdict.decision, verdict.rules, verdict.tip, hold_id, hold_id)

    def _review(self, msg: Outgoing):
        if not msg.attachments:
            return self.reviewer.review(msg.text, msg.channel)
        from baomi.engine import build_message
        from baomi.model import Attachment

        tmp = Path(tempfile.mkdtemp(prefix="baomi-matrix-"))
        try:
            atts = []
            for i, (name, data) in enumerate(msg.attachments, start=1):
                path = tmp / f"att{i}{Path(name).suffix[:10]}"
                path.write_bytes(data)
                atts.append(Attachment(path, name))
            return self.reviewer.review(build_message(msg.text, msg.channel, atts))
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

    def _decide(self, hold_id: str, state: str) -> None:
        with self._lock:
            if self._holds.get(hold_id) != "held":
                raise KeyError(f"待审消息 {hold_id} 不存在或已处理")
            self._holds[hold_id] = state

    def approve(self, hold_id: str) -> None:
        self._decide(hold_id, "released")

    def reject(self, hold_id: str) -> None:
        self._decide(hold_id, "rejected")

    def outcome(self, ref: str) -> str:
        with self._lock:
            state = self._holds.get(ref, "rejected")
            if state != "held":
                self._holds.pop(ref, None)
            return state


class ServiceBackend:
    """The baomi service over HTTP with an API token (scope `checks`); every call has a timeout."""

    def __init__(self, url: str, token: str, timeout: float) -> None:
        self.url, self.timeout = url.rstrip("/"), timeout
        self._auth = {"Authorization": f"Bearer {token}"}

    def judge(self, msg: Outgoing) -> Judgement:
        fields = {"text": msg.text, "channel": msg.channel.value, "sender": msg.sender,
                  "conversation": msg.room_id}
        if msg.attachments:
            body, ctype = _multipart(fields, msg.attachments)
        else:
            body, ctype = json.dumps(fields, ensure_ascii=False).encode(), "application/json"
        out = self._call("POST", "/v1/checks", body, ctype)
        try:
            return Judgement(Decision(out["decision"]), tuple(out["rules"]), out["tip"],
                             out.get("hold_id"), out["check_id"])
        except (KeyError, ValueError, TypeError):
            raise BackendError("保密审查服务的回答无法识别") from None

    def outcome(self, ref: str) -> str:
        status = self._call("GET", f"/v1/checks/{ref}").get("status")
        return {"released": "released", "rejected": "rejected"}.get(status, "held")

    def _call(self, method: str, path: str, body: bytes | None = None, ctype: str | None = None) -> dict:
        headers = dict(self._auth) | ({"Content-Type": ctype} if ctype else {})
        req = urllib.request.Request(self.url + path, data=body, method=method, headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as resp:
                return json.loads(resp.read())
        except urllib.error.HTTPError as exc:
            try:
                detail = json.loads(exc.read()).get("detail", "")
            except (ValueError, AttributeError):
                detail = ""
            raise BackendError(f"保密审查服务拒绝了请求（HTTP {exc.code}）{detail}") from None
        except (OSError, ValueError) as exc:  # URLError, timeouts, refused connections, bad JSON
            raise BackendError(f"保密审查服务不可用（{type(exc).__name__}）") from None


def _multipart(fields: dict[str, str], files: tuple[tuple[str, bytes], ...]) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
                     + value.encode() + b"\r\n")
    for filename, data in files:
        safe = filename.replace('"', "").replace("\r", "").replace("\n", "")
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="attachments"; '
                     f'filename="{safe}"\r\nContent-Type: application/octet-stream\r\n\r\n'.encode()
                     + data + b"\r\n")
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"
