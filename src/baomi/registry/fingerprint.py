"""Content fingerprints: canonical text → character shingles → winnowed keyed hashes.

The canonical text is baomi's normalised view (traditional, full-width and disguise
folds) with everything but Han characters, digits and letters dropped, so that
punctuation, line breaks and layout noise from OCR do not break shingles. Winnowing
keeps the minimum of every window of `window` consecutive shingle hashes: two texts
that share a run of at least `window + size - 1` characters share a fingerprint.

Which shingles are kept is decided by a cheap keyed hash computed with numpy over
all positions; only the kept shingles are hashed with keyed BLAKE2b (RFC 7693, the
key in the parameter block: a MAC and a PRF, like HMAC but one short hash), and only
those values are ever stored.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass
from functools import cache

import numpy as np

from baomi.registry.keys import RegistryKeys
from baomi.text.normalise import NormalisedText, normalise

SHINGLE = 5
WINDOW = 8
# Canonical characters by code point: Han (U+3400–U+9FFF), digits, lower-case letters
# (normalised text has no upper case); code points from U+A000 up read the last entry.
_KEPT = np.zeros(0xA001, dtype=bool)
_KEPT[0x3400:0xA000] = _KEPT[ord("0") : ord("9") + 1] = _KEPT[ord("a") : ord("z") + 1] = True
_MIX1 = np.uint64(0xBF58476D1CE4E5B9)


@dataclass(frozen=True, slots=True)
class Canon:
    """The canonical characters of `norm` (Han characters, digits and letters only) as
    code points, and the index in the normalised text of each."""

    codes: np.ndarray  # little-endian uint32
    kept: np.ndarray  # int64
    norm: NormalisedText

    @property
    def text(self) -> str:
        return self.codes.tobytes().decode("utf-32-le")

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Original span of the canonical span [start, end)."""
        return self.norm.to_original(int(self.kept[start]), int(self.kept[end - 1]) + 1)


def canonical(text: str | NormalisedText) -> Canon:
    """The canonical form of `text` (an original text, or its normalised view when the
    caller has it already)."""
    norm = text if isinstance(text, NormalisedText) else normalise(text)
    codes = np.frombuffer(norm.text.encode("utf-32-le"), dtype="<u4")
    kept = np.flatnonzero(_KEPT.take(codes, mode="clip"))
    return Canon(codes[kept], kept, norm)


@cache
def _multipliers(keys: RegistryKeys, size: int) -> np.ndarray:
    """Secret per-position weights below 2**39: with code points below 2**21, a window of
    up to 8 weighted code points sums below 2**63, so the convolution cannot overflow."""
    raw = hmac.digest(keys.select, f"multipliers/{size}".encode(), hashlib.sha512)
    words = np.frombuffer(raw[: 8 * size], dtype="<u8") >> np.uint64(25)
    return words.astype(np.int64)[::-1].copy()


def selection_hashes(codes: np.ndarray, keys: RegistryKeys, size: int = SHINGLE) -> np.ndarray:
    """One keyed 64-bit value per shingle position of the code points `codes` (never
    stored; picks the kept ones): a secret weighted sum of the shingle's code points,
    then mixed."""
    if len(codes) < size:
        return np.empty(0, dtype=np.uint64)
    h = np.convolve(codes, _multipliers(keys, size), "valid").view(np.uint64)  # int64 sums
    h ^= h >> np.uint64(29)
    h *= _MIX1  # wraps modulo 2**64 (numpy arrays do not trap integer overflow)
    return h


def winnow(h: np.ndarray, window: int = WINDOW) -> np.ndarray:
    """Positions of the minimum of every window of `window` hashes, deduplicated, in
    order (the first minimum of a window; hashes are 64-bit keyed values, so ties do
    not occur in practice)."""
    n = len(h) - window + 1
    if n <= 1:
        return np.array([int(np.argmin(h))], dtype=np.int64) if len(h) else np.empty(0, dtype=np.int64)
    h = np.ascontiguousarray(h)  # row j of the view below is the window h[j : j + window]
    where = np.ndarray((n, window), h.dtype, h, strides=(h.itemsize, h.itemsize)).argmin(axis=1)
    where += np.arange(n)
    new = np.empty(n, dtype=bool)  # window minima move forward: a repeat follows its first
    new[0] = True
    np.not_equal(where[1:], where[:-1], out=new[1:])
    return where[new]


@dataclass(frozen=True, slots=True)
class Fingerprints:
    """Keyed fingerprints of one text and where each came from (canonical positions)."""

    canon: Canon
    hashes: np.ndarray  # little-endian uint64, one per kept position
    positions: np.ndarray  # int64 canonical start of each kept shingle
    size: int

    def original_span(self, picked: np.ndarray) -> tuple[int, int]:
        """Original-text span covering the kept shingles at indexes `picked`."""
        if not len(picked):
            return 0, 0
        starts = self.positions[picked].tolist()
        return self.canon.to_original(min(starts), max(starts) + self.size)


def fingerprints(
    text: str | NormalisedText, keys: RegistryKeys, size: int = SHINGLE, window: int = WINDOW
) -> Fingerprints:
    """Keyed fingerprints of `text` (or of its normalised view, when the caller has it)."""
    canon = canonical(text)
    raw = canon.codes.tobytes()
    positions = winnow(selection_hashes(canon.codes, keys, size), window)
    keyed, width = _shingle_hasher(keys.shingle), 4 * size
    digests = []  # keyed BLAKE2b-64 of each kept shingle's UTF-32-LE code points
    for p in positions.tolist():
        h = keyed.copy()  # the key block is compressed once, not once per shingle
        h.update(raw[4 * p : 4 * p + width])
        digests.append(h.digest())
    return Fingerprints(canon, np.frombuffer(b"".join(digests), dtype="<u8"), positions, size)


@cache
def _shingle_hasher(key: bytes):
    return hashlib.blake2b(key=key, digest_size=8)


_LABEL_DROP = re.compile(r"[^\u3400-\u9fff0-9a-z〔〕]+")


def label_hash(kind: str, label: str, keys: RegistryKeys, *, normalised: bool = False) -> bytes:
    """Keyed hash (BLAKE2b-128, label key) of a title (`kind` "title") or 文号
    ("number"), canonicalised so that book-title marks, spaces, punctuation and bracket
    variants do not matter."""
    canon = _LABEL_DROP.sub("", label if normalised else normalise(label).text)
    return hashlib.blake2b(f"{kind}:{canon}".encode(), key=keys.label, digest_size=16).digest()
