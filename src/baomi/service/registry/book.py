"""The registry files of every unit (one per unit, `DATA_DIR/registry/unit-N.db`), opened
once per process, and the key they are made with (BAOMI_REGISTRY_KEY, a key file, or one
created in the data dir on first start). Files are per unit so a unit's documents, ids and
key checks never mix with another's; a check consults the sender's unit and its ancestors."""

from __future__ import annotations

import dataclasses
import os
import secrets
import threading
import time
from pathlib import Path

from baomi.registry import Registry, RegistryKeys
from baomi.service.settings import Settings, SettingsError
from baomi.text.normalise import NormalisedText


def load_registry_keys(settings: Settings, create: bool = False) -> RegistryKeys:
    """The unit key from BAOMI_REGISTRY_KEY, else BAOMI_REGISTRY_KEY_FILE, else
    DATA_DIR/keys/registry.key (written on first start when `create`). The file's bytes are
    the key, as for `baomi registry --key-file`, so the CLI can open the same files."""
    from baomi.registry.keys import RegistryKeyError

    default = settings.data_dir / "keys" / "registry.key"
    path = settings.registry_key_file or default
    try:
        if settings.registry_key:
            return RegistryKeys.from_secret(settings.registry_key.encode("utf-8"))
        if create and settings.registry_key_file is None and not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as f:
                f.write(secrets.token_urlsafe(32) + "\n")
        return RegistryKeys.from_secret(path.read_bytes().strip())
    except OSError as exc:
        raise SettingsError(f"BAOMI_REGISTRY_KEY_FILE：无法读取 {path}（{exc.strerror}）") from None
    except RegistryKeyError as exc:
        raise SettingsError(f"BAOMI_REGISTRY_KEY：{exc}") from None


class UnitRegistries:
    """Several units' registries seen as one by the engine (`findings` is all it calls).
    Each finding names the unit whose registry it came from, as ids are per unit."""

    def __init__(self, registries: list[tuple[str, Registry]]) -> None:
        self.registries = registries

    def findings(self, text: str | NormalisedText, source: str, policy) -> list:
        out = []
        for unit_name, registry in self.registries:
            for f in registry.findings(text, source, policy):
                out.append(dataclasses.replace(f, evidence=f"{f.evidence}〔{unit_name}〕"))
        return out


class RegistryBook:
    """Open registries by unit id; a write lock per file (one SQLite connection each)."""

    def __init__(self, root: Path, keys: RegistryKeys, absent_ttl: float = 0.0) -> None:
        self.root = root
        self.keys = keys
        self.absent_ttl = absent_ttl  # a unit seen without a registry is not looked for again this long
        self._lock = threading.Lock()
        self._open: dict[int, Registry] = {}
        self._absent: dict[int, float] = {}  # unit id → monotonic time its file was found missing
        self.write_locks: dict[int, threading.Lock] = {}

    def path(self, unit_id: int) -> Path:
        return self.root / f"unit-{unit_id}.db"

    def exists(self, unit_id: int) -> bool:
        """Asked on every check: an open registry answers at once, a missing file is remembered
        for `absent_ttl` seconds (a registry made through this process counts at once, one made
        through another worker within that time)."""
        if unit_id in self._open:
            return True
        seen = self._absent.get(unit_id)
        now = time.monotonic()
        if seen is not None and now - seen < self.absent_ttl:
            return False
        if os.path.isfile(self.path(unit_id)):
            return True
        self._absent[unit_id] = now
        return False

    def get(self, unit_id: int, *, create: bool = False) -> Registry | None:
        """The unit's registry; None when it has none yet (unless `create`)."""
        with self._lock:
            if unit_id not in self._open:
                if not create and not self.path(unit_id).is_file():
                    return None
                self.root.mkdir(mode=0o700, parents=True, exist_ok=True)
                self._open[unit_id] = Registry.open(self.path(unit_id), keys=self.keys, create=True)
                self.write_locks[unit_id] = threading.Lock()
            return self._open[unit_id]

    def combined(self, units: tuple[tuple[int, str], ...]) -> UnitRegistries | None:
        got = [(name, r) for uid, name in units if (r := self.get(uid)) is not None]
        return UnitRegistries(got) if got else None
