"""Content fingerprints: canonical text → character shingles → winnowed keyed hashes.

The canonical text is baomi's normalised view (traditional, full-width and disguise
folds) with everything but Han characters, digits and letters dropped, so that
punctuation, line breaks and layout noise from OCR do not break shingles. Winnowing
keeps the minimum of every window of `window` consecutive shingle hashes: two texts
that share a run of at least `window + size - 1` characters share a fingerprint.

Which shingles are kept is decided by a cheap keyed hash computed with numpy over
all positions; only the kept shingles are hashed with HMAC-SHA256, and only those
HMAC values are ever stored.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import cache

import numpy as np

from baomi.registry.keys import RegistryKeys
from baomi.text.normalise import NormalisedText, normalise

SHINGLE = 5
WINDOW = 8
_KEEP = re.compile(r"[\u3400-\u9fff0-9a-z]+")
_DROP = re.compile(r"[^\u3400-\u9fff0-9a-z]+")
_MIX1 = np.uint64(0xBF58476D1CE4E5B9)


@dataclass(frozen=True, slots=True)
class Canon:
    """Canonical characters of `norm` (kept characters only)."""

    text: str
    norm: NormalisedText

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Original span of the canonical span [start, end)."""
        runs: list[tuple[int, int]] = []  # (canonical start, normalised start) of each kept run
        size = 0
        for m in _KEEP.finditer(self.norm.text):
            runs.append((size, m.start()))
            size += m.end() - m.start()

        def at(i: int) -> int:
            c0, n0 = runs[bisect_right(runs, (i, 1 << 62)) - 1]
            return n0 + i - c0

        return self.norm.to_original(at(start), at(end - 1) + 1)


def canonical(original: str) -> Canon:
    norm = normalise(original)
    return Canon(_DROP.sub("", norm.text), norm)


@cache
def _multipliers(keys: RegistryKeys, size: int) -> np.ndarray:
    raw = hmac.digest(keys.select, f"multipliers/{size}".encode(), hashlib.sha512)
    words = np.frombuffer(raw[: 8 * size], dtype="<u8").copy()
    return words | np.uint64(1)  # odd: multiplication is then a bijection mod 2**64


def selection_hashes(text: str, keys: RegistryKeys, size: int = SHINGLE) -> np.ndarray:
    """One keyed 64-bit value per shingle position (never stored; picks the kept ones)."""
    n = len(text) - size + 1
    if n <= 0:
        return np.empty(0, dtype=np.uint64)
    codes = np.frombuffer(text.encode("utf-32-le"), dtype="<u4").astype(np.uint64)
    mult = _multipliers(keys, size)
    h = np.zeros(n, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for j in range(size):
            h += codes[j : j + n] * mult[j]
        h ^= h >> np.uint64(29)
        h *= _MIX1
    return h


def winnow(h: np.ndarray, window: int = WINDOW) -> np.ndarray:
    """Positions of the minimum of every window of `window` hashes (deduplicated, in
    order); `window` must be a power of two. Windows are merged by doubling, carrying
    the position of each minimum (hashes are 64-bit keyed values: ties do not occur
    in practice)."""
    n = len(h)
    if n <= window:
        return np.array([int(np.argmin(h))], dtype=np.int64) if n else np.empty(0, dtype=np.int64)
    value, where = h, np.arange(n)
    step = 1
    while step < window:
        right = value[step:] < value[:-step]
        value = np.where(right, value[step:], value[:-step])
        where = np.where(right, where[step:], where[:-step])
        step *= 2
    return np.unique(where)


@cache
def _hmac_pads(key: bytes) -> tuple:
    """SHA-256 states after the HMAC inner and outer pads of `key` (RFC 2104), so each
    shingle costs two short hashes instead of a full `hmac.new`."""
    block = key.ljust(64, b"\0") if len(key) <= 64 else hashlib.sha256(key).digest().ljust(64, b"\0")
    return (hashlib.sha256(bytes(b ^ 0x36 for b in block)), hashlib.sha256(bytes(b ^ 0x5C for b in block)))


def shingle_hash(shingle: str, keys: RegistryKeys) -> int:
    """First 8 bytes (little-endian) of HMAC-SHA256(shingle key, shingle)."""
    inner, outer = _hmac_pads(keys.shingle)
    i = inner.copy()
    i.update(shingle.encode("utf-8"))
    o = outer.copy()
    o.update(i.digest())
    return int.from_bytes(o.digest()[:8], "little")


@dataclass(frozen=True, slots=True)
class Fingerprints:
    """Keyed fingerprints of one text and where each came from (canonical positions)."""

    canon: Canon
    hashes: np.ndarray  # uint64, one per kept position
    positions: np.ndarray  # int64 canonical start of each kept shingle
    size: int

    def original_span(self, picked: list[int]) -> tuple[int, int]:
        """Original-text span covering the kept shingles at indexes `picked`."""
        if not picked:
            return 0, 0
        starts = self.positions[picked]
        return self.canon.to_original(int(starts.min()), int(starts.max()) + self.size)


def fingerprints(
    original: str, keys: RegistryKeys, size: int = SHINGLE, window: int = WINDOW
) -> Fingerprints:
    canon = canonical(original)
    positions = winnow(selection_hashes(canon.text, keys, size), window)
    text = canon.text
    inner, outer = _hmac_pads(keys.shingle)
    values: list[int] = []
    for p in positions.tolist():  # shingle_hash, inlined: this loop is the lookup's cost
        i = inner.copy()
        i.update(text[p : p + size].encode("utf-8"))
        o = outer.copy()
        o.update(i.digest())
        values.append(int.from_bytes(o.digest()[:8], "little"))
    return Fingerprints(canon, np.array(values, dtype=np.uint64), positions, size)


_LABEL_DROP = re.compile(r"[^\u3400-\u9fff0-9a-z〔〕]+")


def label_hash(kind: str, label: str, keys: RegistryKeys, *, normalised: bool = False) -> bytes:
    """Keyed hash of a title (`kind` "title") or 文号 ("number"), canonicalised so that
    book-title marks, spaces, punctuation and bracket variants do not matter."""
    canon = _LABEL_DROP.sub("", label if normalised else normalise(label).text)
    return hmac.digest(keys.label, f"{kind}:{canon}".encode(), hashlib.sha256)
