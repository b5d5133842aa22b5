"""A registry of the unit's classified documents, matched by keyed fingerprints.

    registry = Registry.open("registry.db", create=True)        # key from BAOMI_REGISTRY_KEY
    record = registry.add_file("通知.pdf", level="机密", period="10年", title="…", actor="张三")
    Reviewer(registry=registry).review(photo_text, "work_group")  # R01 / R03 when it matches

Nothing readable is stored: page fingerprints are keyed BLAKE2b values of winnowed
character shingles; titles and 文号 are keyed BLAKE2b values too; the key stays with
the unit.
"""

from __future__ import annotations

from pathlib import Path

from baomi.registry.fingerprint import fingerprints, label_hash
from baomi.registry.index import RegistryIndex, RegistryMatch
from baomi.registry.keys import RegistryKeyError, RegistryKeys, load_keys
from baomi.registry.store import LEVELS, DocumentRecord, RegistryError, RegistryStore
from baomi.text.normalise import NormalisedText

__all__ = [
    "LEVELS",
    "DocumentRecord",
    "Registry",
    "RegistryError",
    "RegistryKeyError",
    "RegistryKeys",
    "RegistryMatch",
    "load_keys",
]


class Registry:
    """One registry file with its in-memory index (built on first use)."""

    def __init__(self, store: RegistryStore) -> None:
        self.store = store
        self._index: RegistryIndex | None = None

    @classmethod
    def open(
        cls,
        path: str | Path,
        *,
        keys: RegistryKeys | None = None,
        key_file: str | Path | None = None,
        create: bool = False,
    ) -> Registry:
        return cls(RegistryStore(path, keys or load_keys(key_file), create=create))

    @property
    def index(self) -> RegistryIndex:
        if self._index is None:
            self._index = RegistryIndex(self.store)
        return self._index

    def add_pages(
        self,
        pages: list[str],
        *,
        level: str,
        period: str | None = None,
        title: str | None = None,
        number: str | None = None,
        actor: str,
    ) -> DocumentRecord:
        """Register a document given as the text of its pages."""
        keys, store = self.store.keys, self.store
        if not any(p.strip() for p in pages):
            raise RegistryError("文件中没有可登记的文字")
        prints = [fingerprints(p, keys, store.shingle, store.window).hashes for p in pages]
        record = store.add(
            prints,
            level=level,
            period=period,
            title_hash=label_hash("title", title, keys) if title else None,
            number_hash=label_hash("number", number, keys) if number else None,
            actor=actor,
        )
        self._changed()
        return record

    def declassify(self, doc_id: str, *, actor: str, reason: str) -> None:
        """Record a declassification decision; the document stops matching at once."""
        self.store.declassify(doc_id, actor=actor, reason=reason)
        self._changed()

    def remove(self, doc_id: str, *, actor: str, reason: str | None = None) -> None:
        """Withdraw a document registered by mistake; it stops matching at once."""
        self.store.remove(doc_id, actor=actor, reason=reason)
        self._changed()

    def _changed(self) -> None:
        if self._index is not None:
            self._index.refresh(force=True)

    def add_file(self, path: str | Path, *, name: str | None = None, ocr=None, **details) -> DocumentRecord:
        """Register a file: its text is read with the attachment extractors (OCR
        included, `ocr` or the default backend), one page per extracted segment; an
        unreadable file is refused. `name` is the file's name in messages (not stored)."""
        from baomi.extract import extract
        from baomi.model import NAME_SUFFIX, Attachment

        name = name or Path(path).name
        got = extract(Attachment(Path(path), name), 1, ocr=ocr)
        if got.problems:
            raise RegistryError(f"无法完整读取 {name}：{got.problems[0].reason}")
        pages = [s.text for s in got.segments if not s.source.endswith(NAME_SUFFIX) and s.text.strip()]
        return self.add_pages(pages, **details)

    def findings(self, text: str | NormalisedText, source: str, policy) -> list:
        """The engine's entry point: R01/R03 findings for one segment under `policy`
        (its text, or the normalised view the engine has made of it)."""
        return self.index.findings(
            text,
            source,
            min_containment=policy.registry.min_containment,
            min_shared=policy.registry.min_shared,
        )
