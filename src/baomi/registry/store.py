"""The registry file: one SQLite database holding keyed fingerprints, never content.

Tables: `meta` (format, shingle parameters, key check, generation), `documents`
(registry id, level, period, keyed title/文号 hashes, pages, status, who and when),
`pages` (one row per page: its fingerprints as a packed uint64 array) and `events`
(every add, removal and declassification with who, when and why).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from baomi.errors import InputError
from baomi.registry.fingerprint import SHINGLE, WINDOW
from baomi.registry.keys import RegistryKeyError, RegistryKeys

FORMAT = "baomi-registry/2"  # 2: keyed BLAKE2b fingerprints (1: HMAC-SHA256)
# Formats whose fingerprints this version cannot compute: the file holds no text to
# recompute them from, so the documents must be registered again.
_OLD_FORMATS = ("baomi-registry/1",)
LEVELS = ("绝密", "机密", "秘密", "内部")
ACTIVE, DECLASSIFIED, REMOVED = "active", "declassified", "removed"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS documents (
  id TEXT PRIMARY KEY, level TEXT NOT NULL, period TEXT, pages INTEGER NOT NULL,
  title_hash BLOB, number_hash BLOB, status TEXT NOT NULL,
  registered_by TEXT NOT NULL, registered_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS pages (
  document TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  page INTEGER NOT NULL, hashes BLOB NOT NULL, PRIMARY KEY (document, page));
CREATE TABLE IF NOT EXISTS events (
  seq INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, actor TEXT NOT NULL,
  action TEXT NOT NULL, document TEXT NOT NULL, reason TEXT);
"""


class RegistryError(InputError):
    """The registry file is missing, damaged or the request names no such document."""


@dataclass(frozen=True, slots=True)
class DocumentRecord:
    id: str
    level: str
    period: str | None
    pages: int
    status: str
    registered_by: str
    registered_at: str
    title_hash: bytes | None = None
    number_hash: bytes | None = None

    @property
    def marking(self) -> str:
        return f"{self.level}★{self.period}" if self.period else self.level


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class RegistryStore:
    """Read and write one registry file. `keys` must be the ones it was created with."""

    def __init__(self, path: str | Path, keys: RegistryKeys, *, create: bool = False) -> None:
        self.path = Path(path)
        if not create and not self.path.is_file():
            raise RegistryError(f"登记库文件不存在：{self.path.name}")
        try:
            self._db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
            self._db.execute("PRAGMA foreign_keys = ON")
            self._db.execute("PRAGMA journal_mode = WAL")
            self._db.execute("PRAGMA synchronous = NORMAL")
            self._db.executescript(_SCHEMA)
            meta = dict(self._db.execute("SELECT key, value FROM meta"))
        except sqlite3.DatabaseError:
            raise RegistryError(f"登记库文件已损坏或不是登记库：{self.path.name}") from None
        if not meta:
            self._init_meta(keys)
            meta = dict(self._db.execute("SELECT key, value FROM meta"))
        if meta.get("format") in _OLD_FORMATS:
            raise RegistryError(
                f"登记库文件 {self.path.name} 是旧版格式（{meta['format']}），"
                f"本版本的指纹算法已更换（{FORMAT}）。登记库不保存原文，旧指纹无法转换："
                "请另建登记库，用原文件重新登记"
            )
        if meta.get("format") != FORMAT:
            raise RegistryError(f"不认识的登记库格式：{meta.get('format')}")
        if meta.get("key_check") != keys.check:
            raise RegistryKeyError("登记库密钥不符：这个登记库是用另一把密钥建立的")
        self.keys = keys
        self.shingle = int(meta["shingle"])
        self.window = int(meta["window"])

    def _init_meta(self, keys: RegistryKeys) -> None:
        values = {
            "format": FORMAT,
            "shingle": SHINGLE,
            "window": WINDOW,
            "key_check": keys.check,
            "generation": 0,
            "next_id": 1,
        }
        self._db.executemany("INSERT INTO meta VALUES (?, ?)", [(k, str(v)) for k, v in values.items()])

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield self._db
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'generation'")
        self._db.execute("COMMIT")

    @property
    def generation(self) -> int:
        return int(self._db.execute("SELECT value FROM meta WHERE key = 'generation'").fetchone()[0])

    def add(
        self,
        pages: list[np.ndarray],
        *,
        level: str,
        period: str | None,
        title_hash: bytes | None,
        number_hash: bytes | None,
        actor: str,
    ) -> DocumentRecord:
        """Store one document's page fingerprints; returns its record with a new id."""
        if level not in LEVELS:
            raise RegistryError(f"密级必须是 {'、'.join(LEVELS)} 之一")
        with self._tx() as db:
            n = int(db.execute("SELECT value FROM meta WHERE key = 'next_id'").fetchone()[0])
            db.execute("UPDATE meta SET value = ? WHERE key = 'next_id'", (str(n + 1),))
            doc_id = f"REG-{n:05d}"
            at = _now()
            db.execute(
                "INSERT INTO documents VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (doc_id, level, period, len(pages), title_hash, number_hash, ACTIVE, actor, at),
            )
            db.executemany(
                "INSERT INTO pages VALUES (?, ?, ?)",
                [(doc_id, i, np.unique(h).astype("<u8").tobytes()) for i, h in enumerate(pages, start=1)],
            )
            db.execute(
                "INSERT INTO events (at, actor, action, document) VALUES (?, ?, 'add', ?)",
                (at, actor, doc_id),
            )
        return self.get(doc_id)

    def get(self, doc_id: str) -> DocumentRecord:
        row = self._db.execute(
            "SELECT id, level, period, pages, status, registered_by, registered_at, title_hash, number_hash"
            " FROM documents WHERE id = ?",
            (doc_id,),
        ).fetchone()
        if row is None:
            raise RegistryError(f"登记库中没有编号为 {doc_id} 的文件")
        return DocumentRecord(*row)

    def documents(self, *, status: str | None = None) -> list[DocumentRecord]:
        sql = (
            "SELECT id, level, period, pages, status, registered_by, registered_at, title_hash, number_hash"
            " FROM documents"
        )
        rows = (
            self._db.execute(sql + " WHERE status = ? ORDER BY id", (status,))
            if status
            else (self._db.execute(sql + " ORDER BY id"))
        )
        return [DocumentRecord(*r) for r in rows]

    def _retire(self, doc_id: str, status: str, action: str, actor: str, reason: str | None) -> None:
        if self.get(doc_id).status != ACTIVE:
            raise RegistryError(f"{doc_id} 已经不在登记中生效")
        with self._tx() as db:
            db.execute("DELETE FROM pages WHERE document = ?", (doc_id,))
            db.execute(
                "UPDATE documents SET status = ?, title_hash = NULL, number_hash = NULL WHERE id = ?",
                (status, doc_id),
            )
            db.execute(
                "INSERT INTO events (at, actor, action, document, reason) VALUES (?, ?, ?, ?, ?)",
                (_now(), actor, action, doc_id, reason),
            )

    def remove(self, doc_id: str, *, actor: str, reason: str | None = None) -> None:
        """Stop matching a document registered by mistake (its fingerprints are deleted)."""
        self._retire(doc_id, REMOVED, "remove", actor, reason)

    def declassify(self, doc_id: str, *, actor: str, reason: str) -> None:
        """Record a declassification decision; the document stops matching."""
        self._retire(doc_id, DECLASSIFIED, "declassify", actor, reason)

    def events(self) -> list[tuple[int, str, str, str, str, str | None]]:
        return list(
            self._db.execute("SELECT seq, at, actor, action, document, reason FROM events ORDER BY seq")
        )

    def active_pages(self) -> Iterator[tuple[str, int, bytes]]:
        yield from self._db.execute(
            "SELECT p.document, p.page, p.hashes FROM pages p JOIN documents d ON d.id = p.document"
            " WHERE d.status = 'active' ORDER BY p.document, p.page"
        )

    def close(self) -> None:
        self._db.close()
