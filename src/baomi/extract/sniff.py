"""Magic-byte recognition of file types from the first bytes of a file."""

from __future__ import annotations

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")

IMAGE_MAGICS: dict[str, tuple[bytes, ...]] = {
    "jpeg": (b"\xff\xd8\xff",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "gif": (b"GIF87a", b"GIF89a"),
    "bmp": (b"BM",),
    "tiff": (b"II*\x00", b"MM\x00*"),
}


def _riff(head: bytes, form: bytes) -> bool:
    return head[:4] == b"RIFF" and head[8:12] == form


def _ftyp_brand(head: bytes) -> bytes | None:
    """The major brand of an ISO base media file (mp4, m4a, mov, heic …)."""
    if len(head) >= 12 and head[4:8] == b"ftyp":
        return head[8:12]
    return None


def image_kind(head: bytes) -> str | None:
    for kind, magics in IMAGE_MAGICS.items():
        if head.startswith(magics):
            if kind == "bmp" and len(head) < 26:  # "BM" alone is too weak
                return None
            return kind
    if _riff(head, b"WEBP"):
        return "webp"
    return None


HEIF_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1", b"avif"}
AUDIO_BRANDS = {b"M4A ", b"M4B ", b"M4P ", b"F4A "}


def is_heif(head: bytes) -> bool:
    return _ftyp_brand(head) in HEIF_BRANDS


# kbit/s by bitrate index, for (MPEG-1, MPEG-2/2.5) × layer I, II, III
_BITRATES = {
    (1, 1): (0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448),
    (1, 2): (0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384),
    (1, 3): (0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320),
    (2, 1): (0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256),
    (2, 2): (0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160),
}
_BITRATES[(2, 3)] = _BITRATES[(2, 2)]
_SAMPLE_RATES = {3: (44100, 48000, 32000), 2: (22050, 24000, 16000), 0: (11025, 12000, 8000)}


def _mpeg_frame_length(header: bytes) -> int | None:
    """Length of the MPEG audio frame starting with this 4-byte header, None if invalid."""
    if len(header) < 4 or header[0] != 0xFF or header[1] & 0xE0 != 0xE0:
        return None
    version, layer_bits = (header[1] >> 3) & 0x3, (header[1] >> 1) & 0x3
    bitrate_index, rate_index, padding = header[2] >> 4, (header[2] >> 2) & 0x3, (header[2] >> 1) & 0x1
    if version == 1 or layer_bits == 0 or bitrate_index in (0, 15) or rate_index == 3:
        return None
    layer = 4 - layer_bits
    bitrate = _BITRATES[(1 if version == 3 else 2, layer)][bitrate_index] * 1000
    rate = _SAMPLE_RATES[version][rate_index]
    if layer == 1:
        return (12 * bitrate // rate + padding) * 4
    per_frame = 72 if layer == 3 and version != 3 else 144
    return per_frame * bitrate // rate + padding


def _mpeg_audio_sync(head: bytes) -> bool:
    """An MPEG audio frame header followed by another one where the first frame ends
    (a text file can start with bytes that look like one header, e.g. a UTF-16 BOM)."""
    length = _mpeg_frame_length(head[:4])
    if length is None or head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False
    follower = _mpeg_frame_length(head[length : length + 4])
    return follower is not None and head[length + 1] & 0xFE == head[1] & 0xFE


def media_kind(head: bytes) -> str | None:
    """'audio' or 'video' for known audio/video containers, else None."""
    brand = _ftyp_brand(head)
    if brand is not None and brand not in HEIF_BRANDS:
        return "audio" if brand in AUDIO_BRANDS else "video"
    if head.startswith((b"ID3", b"#!AMR", b"#!SILK", b"\x02#!SILK", b"fLaC", b"OggS")):
        return "audio"
    if _mpeg_audio_sync(head):
        return "audio"  # MPEG audio frame (mp3 without an ID3 tag)
    if _riff(head, b"WAVE"):
        return "audio"
    if _riff(head, b"AVI ") or head.startswith(b"\x1aE\xdf\xa3") or head.startswith(b"FLV"):
        return "video"
    return None


OTHER_MAGICS: dict[bytes, str] = {
    b"Rar!\x1a\x07": "RAR 压缩包",
    b"7z\xbc\xaf\x27\x1c": "7z 压缩包",
    b"\x1f\x8b": "gzip 压缩文件",
    b"BZh": "bzip2 压缩文件",
    b"\xfd7zXZ\x00": "xz 压缩文件",
    b"{\\rtf": "RTF 文档",
    b"MZ": "可执行程序",
    b"\x7fELF": "可执行程序",
}


def other_kind(head: bytes) -> str | None:
    """A Chinese label for recognised formats that baomi cannot open."""
    for magic, label in OTHER_MAGICS.items():
        if head.startswith(magic):
            return label
    if is_heif(head):
        return "HEIC/AVIF 图片"
    if head[257:262] == b"ustar":
        return "tar 归档"
    return None


def is_pdf(head: bytes) -> bool:
    return b"%PDF-" in head[:1024]


def is_zip(head: bytes) -> bool:
    return head.startswith(ZIP_MAGICS)


def is_ole(head: bytes) -> bool:
    return head.startswith(OLE_MAGIC)


def has_known_magic(head: bytes) -> bool:
    """True when some format is recognised from the bytes alone."""
    return bool(
        image_kind(head) or media_kind(head) or other_kind(head)
        or is_pdf(head) or is_zip(head) or is_ole(head)
    )  # fmt: skip


def looks_like_text(head: bytes) -> bool:
    """No NUL bytes (unless UTF-16 with BOM) and decodes as UTF-8 or GB18030."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    if not head or b"\x00" in head:
        return False
    for encoding in ("utf-8", "gb18030"):
        try:
            head.decode(encoding)
            return True
        except UnicodeDecodeError as exc:
            if exc.start >= len(head) - 4:  # a character cut by the head boundary
                return True
    return False
