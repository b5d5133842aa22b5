"""OLE compound files: password-protected OOXML (EncryptedPackage) and legacy
binary Office/WPS files (doc, xls, ppt, wps, et, dps).

Encrypted files become a problem. Legacy files are not parsed: their UTF-16 text runs
are pulled out as a rough reading (so plain markings are still seen) and a problem
says the inspection was partial.
"""

from __future__ import annotations

import re
from pathlib import PurePath

from baomi.errors import ExtractionError
from baomi.extract import cues
from baomi.extract import problems as P
from baomi.extract.base import Match
from baomi.extract.blob import Blob
from baomi.extract.context import Context
from baomi.extract.sniff import has_known_magic, is_ole

OLE_SUFFIXES = {".doc", ".xls", ".ppt", ".wps", ".et", ".dps", ".dot", ".xlt", ".pot"}
ENCRYPTION_STREAMS = ("EncryptedPackage".encode("utf-16-le"), "EncryptionInfo".encode("utf-16-le"))
# Runs of characters a document would hold: ASCII, CJK punctuation, Han, fullwidth, symbols.
_TEXT_RUN = re.compile("[\t\n\r\x20-\x7e\u2000-\u2bff\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]{6,}")


def _is_han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def _plausible(run: str) -> bool:
    """Contains Han, and is not misaligned ASCII (which decodes to U+xx00 Han lookalikes)."""
    han = [ch for ch in run if _is_han(ch)]
    return bool(han) and sum(1 for ch in han if ord(ch) & 0xFF == 0) <= len(han) // 3


def legacy_text(data: bytes) -> str:
    """UTF-16LE text runs (both byte alignments) that read as Chinese text."""
    runs: list[str] = []
    for offset in (0, 1):
        chunk = data[offset : len(data) - (len(data) - offset) % 2]
        text = chunk.decode("utf-16-le", errors="replace")
        runs.extend(m.group().strip() for m in _TEXT_RUN.finditer(text) if _plausible(m.group()))
    return "\n".join(runs)


class OleExtractor:
    name = "ole"

    def accepts(self, path: PurePath, head: bytes) -> Match:
        if is_ole(head):
            return Match.MAGIC
        if not has_known_magic(head) and path.suffix.lower() in OLE_SUFFIXES:
            return Match.EXTENSION
        return Match.NO

    def media(self, path: PurePath, head: bytes) -> str:
        return "document"

    def extract(self, blob: Blob, ctx: Context) -> None:
        data = blob.read()
        if not is_ole(data[:8]):
            raise ExtractionError(P.CORRUPT, f"{blob.suffix or 'Office'} 文件头无效")
        ctx.cue(cues.DOCUMENT)
        if any(marker in data for marker in ENCRYPTION_STREAMS):
            raise ExtractionError(P.ENCRYPTED, "Office 文档受密码保护，内容无法检查")
        ctx.problem(
            P.PARTIAL,
            "旧版 Office/WPS 二进制格式（doc/xls/ppt/wps）仅粗略提取文字，请另存为新格式后发送",
        )
        ctx.add(legacy_text(data), f"{blob.source}/text", "document")
