"""Held events waiting for their reviewer. They outlive a Synapse restart in the bot's
account data, each event's content sealed with AES-GCM (a key derived from
`release_secret`, the hold id as associated data): Synapse's database never holds the
plaintext of a held message."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
from dataclasses import dataclass


@dataclass(frozen=True)
class Pending:
    """A held event: re-sent on the sender's behalf on approval."""

    hold_id: str
    ref: str  # what the backend's `outcome` is asked with
    room_id: str
    sender: str
    event_type: str
    content: dict


def _aead(secret: bytes):
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    return AESGCM(hmac.new(secret, b"baomi/matrix/pending-content", hashlib.sha256).digest())


def seal(secret: bytes, p: Pending) -> dict:
    """The stored record: ids in the clear, the content sealed."""
    nonce = os.urandom(12)
    plain = json.dumps(p.content, ensure_ascii=False).encode()
    blob = _aead(secret).encrypt(nonce, plain, p.hold_id.encode())
    return {"ref": p.ref, "room_id": p.room_id, "sender": p.sender, "event_type": p.event_type,
            "sealed": base64.b64encode(nonce + blob).decode()}


def unseal(secret: bytes, hold_id: str, record: dict) -> Pending:
    """The held event back; ValueError for a record that is not one of ours, or was altered."""
    from cryptography.exceptions import InvalidTag

    try:
        raw = base64.b64decode(record["sealed"])
        content = json.loads(_aead(secret).decrypt(raw[:12], raw[12:], hold_id.encode()))
        return Pending(hold_id, record["ref"], record["room_id"], record["sender"], record["event_type"],
                       content)
    except (KeyError, TypeError, ValueError, InvalidTag) as exc:
        raise ValueError(f"待审消息记录 {hold_id[:40]} 无法读取（{type(exc).__name__}）") from None
