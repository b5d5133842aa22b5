"""Short-lived per-process memos of what every request reads: the principal behind a token and
the policy chain of a unit. Entries expire after `ttl` seconds and are all dropped when this
process commits a change to tokens, users, units or policies (see `forget_on_commit`)."""

from __future__ import annotations

import hashlib
import hmac
import os
import threading
import time
from collections.abc import Callable
from typing import Generic, TypeVar

from sqlalchemy import event
from sqlalchemy.orm import Session, sessionmaker

V = TypeVar("V")


class Memo(Generic[V]):
    """A dict with a time to live. Keys that are secrets (bearer tokens) go through `secret_key`
    first: the memo holds a keyed hash under a per-process random key, never the token."""

    def __init__(self, ttl: float, max_entries: int = 10_000) -> None:
        self.ttl = ttl
        self.max_entries = max_entries
        self._key = os.urandom(32)
        self._items: dict[object, tuple[float, V]] = {}
        self._lock = threading.Lock()
        self._cleared_at = 0.0

    def secret_key(self, secret: str) -> bytes:
        return hmac.new(self._key, secret.encode(), hashlib.sha256).digest()

    def get(self, key: object) -> V | None:
        if self.ttl <= 0:
            return None
        hit = self._items.get(key)
        if hit is None:
            return None
        if time.monotonic() - hit[0] >= self.ttl:
            self._items.pop(key, None)
            return None
        return hit[1]

    def put(self, key: object, value: V, since: float) -> None:
        """Keep `value`, read from the database at monotonic time `since` (taken before the read,
        so an invalidation that raced with the read is never undone)."""
        if self.ttl <= 0:
            return
        with self._lock:
            if since < self._cleared_at:
                return
            if len(self._items) >= self.max_entries:
                self._items.clear()
            self._items[key] = (since, value)

    def clear(self) -> None:
        with self._lock:
            self._cleared_at = time.monotonic()
            self._items.clear()


def forget_on_commit(
    sessions: sessionmaker[Session], watched: tuple[type, ...], forget: Callable[[], None]
) -> None:
    """Call `forget` after each commit of a session from `sessions` that wrote a `watched` row
    through the ORM (added, changed or deleted)."""

    @event.listens_for(sessions, "after_flush")
    def _note(session: Session, _ctx) -> None:
        if not session.info.get("memo_stale"):
            for obj in (*session.new, *session.dirty, *session.deleted):
                if isinstance(obj, watched):
                    session.info["memo_stale"] = True
                    break

    @event.listens_for(sessions, "after_commit")
    def _forget(session: Session) -> None:
        if session.info.pop("memo_stale", False):
            forget()

    @event.listens_for(sessions, "after_rollback")
    def _drop(session: Session) -> None:
        session.info.pop("memo_stale", None)
