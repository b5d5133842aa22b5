"""Mutations: byte-level edits (flips, interesting values, inserted tokens, deleted,
duplicated and cut ranges) and, for zip containers, edits inside a member's inflated
content or to the container's structure, re-zipped so that the parsers behind the zip
layer see damaged XML rather than only a CRC error."""

from __future__ import annotations

import io
import random
import warnings
import zipfile

from baomi.fuzz.seeds import Seed

INTERESTING = (b"\x00", b"\xff", b"\x7f", b"\x80", b"\xfe\xff", b"\xff\xfe\x00\x00", b"\xef\xbb\xbf",
               b"\xc0", b"\xed\xa0\x80", b"\xf4\x90\x80\x80", b"\x1b", b"\r", b"\xe2\x80\xae")  # fmt: skip
TOKENS: dict[str, tuple[bytes, ...]] = {
    "zip": (b"<!DOCTYPE a [<!ENTITY e 'x'>]>", b"&e;", b"<!--", b"-->", b"<![CDATA[", b"]]>", b"</",
            b"<w:t>", b"<ofd:TextCode>", b'r:id="rId1"', b"&#0;", b"&#x10FFFF;", b"xmlns=", b"\"",
            b"BaseLoc=\"/../../OFD.xml\"", b"<ofd:Page BaseLoc=\"Pages/Page_0/Content.xml\"/>"),
    "pdf": (b"obj", b"endobj", b"stream\n", b"endstream", b"<<", b">>", b"/Length 999999999",
            b"/Filter /FlateDecode", b"/Type /Pages /Kids [4 0 R 4 0 R] /Count 99999", b"xref",
            b"trailer", b"%%EOF", b"Tj", b"TJ", b"/ToUnicode 1 0 R", b"(", b")", b"9999999999 0 R",
            b"/Encrypt", b"[", b"]"),
    "text": (b"<", b">", b"<html>", b"<body>", b"<script>", b"&amp;", b"&#", b"\n", b"\x00\x00"),
    "image": (b"\x00\x00\xff\xff", b"\xff\xd8\xff\xc0\x00\x11\x08\xff\xff\xff\xff", b"IHDR", b"IDAT",
              b"\xff\xff\xff\x7f", b"VP8X"),
}  # fmt: skip
TOKENS["html"] = TOKENS["text"]
TOKENS["message"] = (
    "\u200b".encode(),
    "\u202e".encode(),
    "\ufe0f".encode(),
    "\u0301".encode(),
    b"\x00",
    b"\x07",
    "★".encode(),
    "☆".encode(),
    "〔".encode(),
    "\U0001f600".encode(),
    b"\\",
    b"[/red]",
)


def _flip(data: bytearray, rng: random.Random) -> None:
    for _ in range(rng.randint(1, 8)):
        pos = rng.randrange(len(data))
        data[pos] ^= 1 << rng.randrange(8)


def _set(data: bytearray, rng: random.Random) -> None:
    pos = rng.randrange(len(data))
    value = rng.choice(INTERESTING)
    data[pos : pos + len(value)] = value


def _insert(data: bytearray, rng: random.Random, tokens: tuple[bytes, ...]) -> None:
    pos = rng.randrange(len(data) + 1)
    piece = rng.choice(tokens) if tokens and rng.random() < 0.6 else rng.randbytes(rng.randint(1, 16))
    data[pos:pos] = piece * (rng.choice((1, 1, 1, 2, 8, 64)))


def _delete(data: bytearray, rng: random.Random) -> None:
    pos = rng.randrange(len(data))
    del data[pos : pos + rng.randint(1, max(1, min(256, len(data) // 8)))]


def _duplicate(data: bytearray, rng: random.Random) -> None:
    start = rng.randrange(len(data))
    piece = data[start : start + rng.randint(1, 512)]
    pos = rng.randrange(len(data) + 1)
    data[pos:pos] = piece * rng.choice((1, 2, 4))


def _truncate(data: bytearray, rng: random.Random) -> None:
    del data[rng.randrange(1, len(data)) :]


def _overwrite(data: bytearray, rng: random.Random) -> None:
    start = rng.randrange(len(data))
    piece = bytes(data[start : start + rng.randint(1, 64)])
    pos = rng.randrange(len(data))
    data[pos : pos + len(piece)] = piece


def mutate_bytes(data: bytes, rng: random.Random, tokens: tuple[bytes, ...] = ()) -> bytes:
    """1–6 stacked byte-level mutations (truncation rarely: it hides everything after)."""
    out = bytearray(data or b"\x00")
    for _ in range(rng.choice((1, 1, 1, 2, 2, 3, 4, 6))):
        if not out:
            out.append(0)
        op = rng.choices(("flip", "set", "insert", "delete", "dup", "truncate", "over"),
                         weights=(25, 15, 25, 12, 10, 3, 10))[0]  # fmt: skip
        if op == "flip":
            _flip(out, rng)
        elif op == "set":
            _set(out, rng)
        elif op == "insert":
            _insert(out, rng, tokens)
        elif op == "delete":
            _delete(out, rng)
        elif op == "dup":
            _duplicate(out, rng)
        elif op == "truncate":
            _truncate(out, rng)
        else:
            _overwrite(out, rng)
    return bytes(out)


def _rezip(members: list[tuple[zipfile.ZipInfo, bytes]]) -> bytes:
    out = io.BytesIO()
    with warnings.catch_warnings(), zipfile.ZipFile(out, "w") as zf:
        warnings.simplefilter("ignore")  # duplicate member names are one of the mutations
        for info, data in members:
            zf.writestr(info, data)
    return out.getvalue()


def mutate_zip(data: bytes, rng: random.Random) -> bytes:
    """Edit inside the container: a member's content, its compression, or the member list."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        members = [(info, zf.read(info)) for info in zf.infolist()]
    op = rng.choices(("content", "method", "drop", "dup", "rename", "unknown-method"),
                     weights=(68, 6, 7, 7, 7, 5))[0]  # fmt: skip
    index = rng.randrange(len(members))
    info, content = members[index]
    if op == "content":
        if zipfile.is_zipfile(io.BytesIO(content)) and rng.random() < 0.5:  # a nested container
            content = mutate_zip(content, rng)
        else:
            content = mutate_bytes(content, rng, TOKENS["zip"])
        members[index] = (info, content)
    elif op == "method":
        info.compress_type = rng.choice((zipfile.ZIP_STORED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA))
    elif op == "drop" and len(members) > 1:
        del members[index]
    elif op == "dup":
        members.insert(rng.randrange(len(members) + 1), (info, content))
    elif op == "rename":
        name = bytearray(info.filename.encode())
        _flip(name, rng)
        info.filename = name.decode("utf-8", errors="replace")
    for entry, _ in members:
        if entry.compress_type == zipfile.ZIP_STORED and rng.random() < 0.5:
            entry.compress_type = zipfile.ZIP_DEFLATED
    packed = _rezip(members)
    if op == "unknown-method":  # a method zipfile cannot inflate (AES, PPMd, …)
        packed = _set_method(packed, index, rng.choice((12, 14, 97, 98, 99)))
    return packed


def _set_method(packed: bytes, index: int, method: int) -> bytes:
    """Write compression `method` into the index-th local and central header."""
    out = bytearray(packed)
    for signature, offset in ((b"PK\x03\x04", 8), (b"PK\x01\x02", 10)):
        pos = -1
        for _ in range(index + 1):
            pos = out.find(signature, pos + 1)
            if pos < 0:
                break
        if pos >= 0:
            out[pos + offset : pos + offset + 2] = method.to_bytes(2, "little")
    return bytes(out)


def mutate(seed: Seed, rng: random.Random) -> bytes:
    """One mutated input of `seed`: zip containers get structured edits two times in three."""
    if seed.reference == "zip" and rng.random() < 0.67:
        try:
            return mutate_zip(seed.data, rng)
        except (zipfile.BadZipFile, ValueError, OSError):
            pass
    return mutate_bytes(seed.data, rng, TOKENS.get(seed.reference, ()))
