"""Content fingerprints that carry no plaintext.

- text: HMAC-SHA256 of the normalised text (exact copies), and a keyed MinHash over
  character 3-shingles (copies retyped with small edits); the hash coefficients come
  from the key, so a signature cannot be matched against guessed shingles without it;
- images: a 64-bit DCT perceptual hash (pHash), stable under recompression and resizing;
- files: HMAC-SHA256 of the bytes.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

NUM_PERM = 128
SHINGLE = 3
MIN_CHARS = 12  # shorter texts ("收到", "好的") are too common to link anything
MAX_HASH_BYTES = 64 * 1024 * 1024
_PRIME = (1 << 61) - 1
_NOT_WORD = re.compile(r"[\W_]+")  # spaces, punctuation, symbols, emoji, control characters
_IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".gif", ".bmp", ".webp", ".tif", ".tiff"}


def normalise(text: str) -> str:
    """NFKC, lower case, letters and digits only (no spaces, punctuation, symbols, emoji):
    two copies that differ only in those are the same text."""
    return _NOT_WORD.sub("", unicodedata.normalize("NFKC", text).lower())


@dataclass(frozen=True, slots=True)
class Fingerprints:
    """Fingerprints of one message (all optional; hex strings and ints, JSON-ready)."""

    text: str | None = None
    minhash: tuple[int, ...] | None = None
    images: tuple[int, ...] = ()
    files: tuple[str, ...] = ()

    def to_dict(self) -> dict:
        return {
            "text": self.text,
            "minhash": list(self.minhash) if self.minhash else None,
            "images": list(self.images),
            "files": list(self.files),
        }

    @classmethod
    def from_dict(cls, data: dict) -> Fingerprints:
        mh = data.get("minhash")
        return cls(
            data.get("text"),
            tuple(mh) if mh else None,
            tuple(data.get("images") or ()),
            tuple(data.get("files") or ()),
        )


@dataclass
class Fingerprinter:
    """Makes fingerprints with one secret key (keep it with the audit, not in its outputs)."""

    key: bytes
    _a: np.ndarray = field(init=False, repr=False)
    _b: np.ndarray = field(init=False, repr=False)

    def __post_init__(self) -> None:
        seed = int.from_bytes(hmac.new(self.key, b"minhash", hashlib.sha256).digest()[:8], "big")
        rng = np.random.default_rng(seed)
        self._a = rng.integers(1, 1 << 31, NUM_PERM, dtype=np.uint64)
        self._b = rng.integers(0, 1 << 31, NUM_PERM, dtype=np.uint64)

    def keyed(self, data: bytes) -> str:
        return hmac.new(self.key, data, hashlib.sha256).hexdigest()[:32]

    def of_text(self, text: str) -> tuple[str | None, tuple[int, ...] | None]:
        norm = normalise(text)
        if len(norm) < MIN_CHARS:
            return None, None
        return self.keyed(norm.encode("utf-8")), self.minhash(norm)

    def minhash(self, norm: str) -> tuple[int, ...]:
        codes = np.frombuffer(norm.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
        # shingle value: the three code points packed into one integer (< 2**63)
        shingles = (codes[:-2] << np.uint64(42)) ^ (codes[1:-1] << np.uint64(21)) ^ codes[2:]
        shingles = np.unique(shingles % np.uint64(_PRIME))
        # (a*x + b) mod p with 31-bit a, b and x reduced to 31 bits to stay in uint64
        x = (shingles & np.uint64(0x7FFFFFFF)) ^ (shingles >> np.uint64(31))
        x &= np.uint64(0x7FFFFFFF)
        values = (self._a[:, None] * x[None, :] + self._b[:, None]) % np.uint64(2147483647)
        return tuple(int(v) for v in values.min(axis=1))

    def of_file(self, path: Path) -> tuple[str | None, int | None]:
        """(keyed hash of the bytes, perceptual hash if it is an image) — None when unreadable."""
        try:
            size = path.stat().st_size
            if size > MAX_HASH_BYTES:
                return None, None
            digest = hmac.new(self.key, digestmod=hashlib.sha256)
            with path.open("rb") as fh:
                for block in iter(lambda: fh.read(1 << 20), b""):
                    digest.update(block)
        except OSError:
            return None, None
        return digest.hexdigest()[:32], image_phash(path) if path.suffix.lower() in _IMAGE_SUFFIXES else None

    def of_message(self, text: str, paths: list[Path]) -> Fingerprints:
        text_key, sig = self.of_text(text)
        images, files = [], []
        for path in paths:
            file_key, phash = self.of_file(path)
            if phash is not None:
                images.append(phash)
            elif file_key is not None:
                files.append(file_key)
        return Fingerprints(text_key, sig, tuple(images), tuple(files))


def _dct_matrix(n: int) -> np.ndarray:
    k = np.arange(n)[:, None]
    i = np.arange(n)[None, :]
    m = np.cos(np.pi * (2 * i + 1) * k / (2 * n)) * np.sqrt(2 / n)
    m[0] /= np.sqrt(2)
    return m


_DCT32 = _dct_matrix(32)


def image_phash(path: Path) -> int | None:
    """64-bit pHash: 32×32 grey, 2-D DCT, the 8×8 lowest frequencies against their median.
    None when the file is not a readable image."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as im:
            im.draft("L", (64, 64))  # JPEG: decode at a reduced size, much faster
            grey = np.asarray(im.convert("L").resize((32, 32), Image.Resampling.LANCZOS), dtype=np.float64)
    except (OSError, UnidentifiedImageError, ValueError, Image.DecompressionBombError):
        return None
    low = (_DCT32 @ grey @ _DCT32.T)[:8, :8].ravel()
    bits = low > np.median(low[1:])
    return int("".join("1" if b else "0" for b in bits), 2)


def hamming(a: int, b: int) -> int:
    return (a ^ b).bit_count()
