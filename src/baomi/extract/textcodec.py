"""Decode a text file whose encoding nobody declared, and say how sure the result is.

Order: a byte-order mark (UTF-8, UTF-32, UTF-16); the NUL pattern of BOM-less UTF-32 or
UTF-16; UTF-8, kept even with a few stray bytes (they become U+FFFD) because valid
multi-byte UTF-8 sequences almost never arise by chance; UTF-16 whose characters are
nearly all Chinese or ASCII; else GB18030. `garbled` is the share of characters that
are no text (U+FFFD, control characters, private use): the caller reports a file that
is mostly garbled instead of passing it as if it had been read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

BOMS = (
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),  # before UTF-16 LE, whose BOM is its prefix
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)
SAMPLE_BYTES = 64 * 1024
GARBLED_MAX = 0.05  # more characters than this that are no text: the text was not read
GARBLED_MIN_CHARS = 4  # … and more than this many (one stray byte in a short note is not that)
STRAY_PER_CHAR = 20  # UTF-8 with at most one bad byte per 20 good non-ASCII characters
UTF16_TEXT_SHARE = 0.95
COMMON_HAN_SHARE = 0.8  # of the non-ASCII characters of real GBK/GB18030 text, at least
_ASCII = re.compile("[\x00-\x7f]+")
_NOT_TEXT = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ufffd\ue000-\uf8ff\U000f0000-\U0010ffff]")
_UTF16_TEXT = re.compile("[\t\n\r\x20-\x7e\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
_REPLACEMENT_UTF8 = "\ufffd".encode()


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str
    garbled: float  # share of characters that are not text, 0.0 … 1.0

    @property
    def unreadable(self) -> bool:
        return is_garbled(self.text)


def _share(pattern: re.Pattern[str], text: str) -> float:
    return pattern.subn("", text)[1] / len(text) if text else 0.0


def garbled_share(text: str) -> float:
    """The share of characters of `text` that are no text (U+FFFD, controls, private use)."""
    return _share(_NOT_TEXT, text)


def is_garbled(text: str) -> bool:
    """Whether `text` was not really read: more than GARBLED_MAX of it, and more than
    GARBLED_MIN_CHARS characters, are no text."""
    bad = _NOT_TEXT.subn("", text)[1]
    return bad > GARBLED_MIN_CHARS and bad > GARBLED_MAX * len(text)


def _nul_lanes(sample: bytes) -> str | None:
    """UTF-32/UTF-16 without a BOM, from which byte lanes hold the NULs of ASCII/BMP text."""
    n = len(sample) - len(sample) % 4
    if n < 8 or sample.count(0) < n // 8:
        return None
    lanes = [sample[i:n:4].count(0) / (n // 4) for i in range(4)]
    if lanes[2] > 0.9 and lanes[3] > 0.9 and lanes[0] < 0.5:
        return "utf-32-le"
    if lanes[0] > 0.9 and lanes[1] > 0.9 and lanes[3] < 0.5:
        return "utf-32-be"
    even, odd = (lanes[0] + lanes[2]) / 2, (lanes[1] + lanes[3]) / 2
    if odd >= 0.3 and even <= 0.02:
        return "utf-16-le"
    if even >= 0.3 and odd <= 0.02:
        return "utf-16-be"
    return None


def _decoded(data: bytes, encoding: str) -> Decoded:
    text = data.decode(encoding, errors="replace")
    return Decoded(text, encoding, garbled_share(text))


def _utf8(data: bytes) -> tuple[Decoded, bool]:
    """UTF-8 with replacement, and whether at most a few stray bytes break it."""
    text = data.decode("utf-8", errors="replace")
    errors = text.count("\ufffd") - data.count(_REPLACEMENT_UTF8)
    non_ascii = len(text) - len(text.encode("ascii", "ignore")) - errors
    return Decoded(text, "utf-8", garbled_share(text)), errors * STRAY_PER_CHAR <= non_ascii


def _plain_gb18030(data: bytes) -> Decoded | None:
    """GB18030, if it decodes without error into mostly common Chinese characters."""
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        return None
    non_ascii = _ASCII.sub("", text)
    common = len(non_ascii.encode("gb2312", errors="ignore")) // 2
    if non_ascii and common < COMMON_HAN_SHARE * len(non_ascii):
        return None
    return Decoded(text, "gb18030", garbled_share(text))


def decode(data: bytes) -> Decoded:
    """The text of `data` in its most likely encoding, with how garbled it reads."""
    for bom, encoding in BOMS:
        if data.startswith(bom):
            return _decoded(data[len(bom) :], encoding)
    sample = data[:SAMPLE_BYTES]
    lanes = _nul_lanes(sample)
    if lanes:
        return _decoded(data, lanes)
    utf8, mostly = _utf8(data)
    if mostly:
        return utf8
    if len(data) % 2 == 0:
        for encoding in ("utf-16-le", "utf-16-be"):
            head = sample.decode(encoding, errors="replace")
            if _share(_UTF16_TEXT, head) >= UTF16_TEXT_SHARE:
                return _decoded(data, encoding)
    return _plain_gb18030(data) or utf8
