"""The signed mark on a released event: `cn.baomi.release = {hold_id, sig}`, where `sig` is
an HMAC over the hold id, room, sender and the rest of the content. An event carrying a
valid mark for a hold the module is releasing is delivered without a second review; a
forged, copied or edited mark is not."""

from __future__ import annotations

import hashlib
import hmac
import json

FIELD = "cn.baomi.release"


def _digest(secret: bytes, hold_id: str, room_id: str, sender: str, content: dict) -> str:
    body = {k: v for k, v in content.items() if k != FIELD}
    payload = json.dumps([hold_id, room_id, sender, body], sort_keys=True, ensure_ascii=False,
                         separators=(",", ":"))
    return hmac.new(secret, payload.encode(), hashlib.sha256).hexdigest()


def mark(secret: bytes, hold_id: str, room_id: str, sender: str, content: dict) -> dict:
    """The content to send on release: the original with the signed mark added."""
    sig = _digest(secret, hold_id, room_id, sender, content)
    return {**content, FIELD: {"hold_id": hold_id, "sig": sig}}


def verified_hold(secret: bytes, room_id: str, sender: str, content: dict) -> str | None:
    """The hold id of a validly marked content, else None."""
    m = content.get(FIELD)
    if not isinstance(m, dict) or not isinstance(m.get("hold_id"), str) or not isinstance(m.get("sig"), str):
        return None
    want = _digest(secret, m["hold_id"], room_id, sender, content)
    return m["hold_id"] if hmac.compare_digest(want, m["sig"]) else None
