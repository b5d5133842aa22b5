"""What the service functions need besides a session: settings, keys, the engine pool and the
outcome notifier. Built once by `create_app` (or by a script) and passed down, never global."""

from __future__ import annotations

import json
import logging
import threading
import urllib.request
from dataclasses import dataclass

from sqlalchemy.orm import Session, sessionmaker

from baomi.ocr.fake import FakeOcr
from baomi.ocr.memo import MemoOcr
from baomi.service.memo import Memo
from baomi.service.policies.service import ReviewerPool
from baomi.service.registry.book import RegistryBook, load_registry_keys
from baomi.service.security import Keys
from baomi.service.settings import Settings
from baomi.service.writer import GroupWriter

log = logging.getLogger("baomi.service")


def after_commit(session: Session, fn) -> None:
    """Run `fn` once the current transaction has committed (never if it rolls back)."""
    session.info.setdefault("after_commit", []).append(fn)


def run_after_commit(session: Session) -> None:
    for fn in session.info.pop("after_commit", []):
        fn()


@dataclass
class Notifier:
    """Tells the sender's system a hold's outcome by webhook (if configured): ids and outcome only."""

    url: str
    secret: str
    keys: Keys
    timeout: float = 5.0

    def send(self, event: dict) -> None:
        if not self.url:
            return
        body = json.dumps(event, ensure_ascii=False).encode()
        signature = self.keys.sign(body, self.secret)
        threading.Thread(target=self._post, args=(body, signature), daemon=True).start()

    def _post(self, body: bytes, signature: str) -> None:
        req = urllib.request.Request(
            self.url,
            data=body,
            method="POST",
            headers={"Content-Type": "application/json", "X-Baomi-Signature": f"sha256={signature}"},
        )
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as resp:
                resp.read()
        except OSError as exc:
            log.warning("webhook failed", extra={"event": "webhook_failed", "error": type(exc).__name__})


@dataclass
class Services:
    settings: Settings
    keys: Keys
    pool: ReviewerPool | None = None
    notifier: Notifier | None = None
    registries: RegistryBook | None = None
    sessions: sessionmaker | None = None  # set by create_app (background jobs open their own)
    writer: GroupWriter | None = None  # set by create_app: checks are stored by group commit
    principals: Memo | None = None  # bearer token (keyed hash) → Principal
    orgs: Memo | None = None  # unit id → its policy chain (see policies.service.effective)

    def forget(self) -> None:
        """Drop what this process remembers of tokens, users, units and policies."""
        self.principals.clear()
        self.orgs.clear()

    def __post_init__(self) -> None:
        if self.principals is None:
            self.principals = Memo(self.settings.auth_cache_seconds)
        if self.orgs is None:
            self.orgs = Memo(self.settings.auth_cache_seconds)
        if self.registries is None:
            self.registries = RegistryBook(
                self.settings.data_dir / "registry",
                load_registry_keys(self.settings),
                absent_ttl=self.settings.auth_cache_seconds,
            )
        if self.pool is None:
            fake = self.settings.ocr_fake_file
            self.pool = ReviewerPool(MemoOcr(FakeOcr.from_json(fake) if fake else None), self.registries)
        if self.notifier is None:
            self.notifier = Notifier(self.settings.webhook_url, self.settings.webhook_secret, self.keys)
