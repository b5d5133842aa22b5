"""Safe use of zip containers (archives, OOXML, OFD): bomb checks before any member is
inflated, readable member names, and refusal of XML carrying DTDs or entities."""

from __future__ import annotations

import lzma
import re
import zipfile
import zlib

from baomi.errors import ExtractionError
from baomi.extract import problems as P
from baomi.extract import safexml
from baomi.extract.blob import Blob
from baomi.extract.context import Context

RATIO_MIN_BYTES = 1 << 20  # members smaller than this cannot be bombs worth refusing
# Everything zipfile and its decompressors raise on damaged or exotic members: a bad
# deflate stream (zlib.error), an unsupported method (NotImplementedError), a password
# (RuntimeError), a bad CRC (BadZipFile), truncated data (EOFError) …
ZIP_ERRORS = (
    zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, lzma.LZMAError, NotImplementedError,
    RuntimeError, ValueError, OSError, EOFError,
)  # fmt: skip
_XML_STARTS = (b"<", b"\xef\xbb\xbf<", b"\xff\xfe<\x00", b"\xfe\xff\x00<")
_OOXML = "http://schemas.openxmlformats.org/{}/2006/main"
_STRICT = "http://purl.oclc.org/ooxml/{}/main"
# The parts that hold an OOXML document's text and the namespace their root must be in:
# under any other namespace the office library finds no elements and reads nothing.
TEXT_PART_NAMESPACES = tuple(
    (re.compile(pattern), (_OOXML.format(markup), _STRICT.format(markup)))
    for pattern, markup in (
        (r"^word/(document|header\d*|footer\d*|comments|footnotes|endnotes)\.xml$", "wordprocessingml"),
        (r"^xl/(workbook|sharedStrings|worksheets/sheet\d*)\.xml$", "spreadsheetml"),
        (r"^ppt/(presentation|slides/slide\d*|notesSlides/notesSlide\d*)\.xml$", "presentationml"),
    )
)


def open_zip(blob: Blob) -> zipfile.ZipFile:
    """Open a zip container or raise a 文件损坏 problem."""
    try:
        return zipfile.ZipFile(blob.open())
    except ZIP_ERRORS as exc:
        raise ExtractionError(P.CORRUPT, f"{blob.suffix or 'zip'} 压缩结构损坏") from exc


def member_name(info: zipfile.ZipInfo) -> str:
    """The member's name; names without the UTF-8 flag are re-decoded as UTF-8 or GBK
    (Chinese Windows tools write GBK names that zipfile reads as cp437 mojibake)."""
    if info.flag_bits & 0x800:
        return info.filename
    try:
        raw = info.filename.encode("cp437")
    except UnicodeEncodeError:
        return info.filename
    for encoding in ("utf-8", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return info.filename


def is_dir(info: zipfile.ZipInfo) -> bool:
    """A directory entry (`ZipInfo.is_dir` fails with IndexError on an empty name)."""
    return info.filename.endswith("/")


def is_encrypted(info: zipfile.ZipInfo) -> bool:
    return bool(info.flag_bits & 0x1)


def check_member(info: zipfile.ZipInfo, position: int, ctx: Context) -> None:
    """Refuse a member that is too large or inflates suspiciously (before reading it)."""
    limits = ctx.limits
    if info.file_size > limits.max_file_bytes:
        raise ExtractionError(
            P.TOO_BIG,
            f"压缩包第 {position} 个文件解压后 {P.mib(info.file_size)}，"
            f"超过 {P.mib(limits.max_file_bytes)} 上限",
        )
    if info.file_size >= RATIO_MIN_BYTES:
        ratio = info.file_size / max(info.compress_size, 1)
        if ratio > limits.max_compression_ratio:
            raise ExtractionError(
                P.BOMB,
                f"压缩包第 {position} 个文件压缩比 {ratio:.0f}:1，"
                f"超过 {limits.max_compression_ratio:g}:1 上限",
            )


def guard_container(zf: zipfile.ZipFile, ctx: Context, kind: str) -> None:
    """For OOXML/OFD: all members must pass the bomb checks, and their total counts
    against the attachment's uncompressed budget (the parser will inflate them)."""
    members = zf.infolist()
    if len(members) > ctx.limits.max_archive_members:
        raise ExtractionError(P.MEMBERS, f"{kind} 含 {len(members)} 个部件，超过上限")
    for position, info in enumerate(members, 1):
        if is_encrypted(info):
            raise ExtractionError(P.ENCRYPTED, f"{kind} 部件已加密，内容无法检查")
        try:
            check_member(info, position, ctx)
        except ExtractionError as error:
            raise ExtractionError(error.reason, f"{kind}：{error.detail}") from None
    ctx.take_uncompressed(sum(info.file_size for info in members))


def check_xml_parts(zf: zipfile.ZipFile, kind: str) -> None:
    """Parse every XML part of an OOXML package with defusedxml before the office
    library sees it: a DTD anywhere in any part is refused, a damaged part is a problem.
    Parts are recognised by name and by content (an XML part may be named anything)."""
    for info in zf.infolist():
        if is_dir(info):
            continue
        try:
            with zf.open(info) as stream:
                head = stream.read(4)
                if info.filename.lower().endswith((".xml", ".rels")) or head.lstrip().startswith(_XML_STARTS):
                    namespace = safexml.check_stream(stream, kind, head=head)
                    _check_namespace(info.filename, namespace, kind)
                else:
                    while stream.read(safexml.CHUNK_BYTES):  # still verify data and CRC
                        pass
        except ZIP_ERRORS as exc:
            raise ExtractionError(P.CORRUPT, f"{kind} 部件无法解压（{type(exc).__name__}）") from exc


def _check_namespace(name: str, namespace: str, kind: str) -> None:
    for pattern, expected in TEXT_PART_NAMESPACES:
        if pattern.match(name.lstrip("/")) and namespace not in expected:
            raise ExtractionError(P.CORRUPT, f"{kind} 正文部件的命名空间无效，内容无法按结构读取")


def read_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> bytes:
    """Read a member, never more than `limit` bytes (declared sizes can lie)."""
    try:
        with zf.open(info) as stream:
            data = stream.read(limit + 1)
    except ZIP_ERRORS as exc:
        raise ExtractionError(P.CORRUPT, f"压缩成员无法解压（{type(exc).__name__}）") from exc
    if len(data) > limit:
        raise ExtractionError(P.BOMB, "压缩成员实际解压大小超过声明，已停止")
    return data
