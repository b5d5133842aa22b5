"""Formats recognised but not opened (rar, 7z, gzip, HEIC …): a clear problem, never a pass."""

from __future__ import annotations

from pathlib import PurePath

from baomi.extract import problems as P
from baomi.extract.base import Match
from baomi.extract.blob import Blob
from baomi.extract.context import Context
from baomi.extract.sniff import has_known_magic, other_kind

SUFFIX_LABELS = {
    ".rar": "RAR 压缩包", ".7z": "7z 压缩包", ".gz": "gzip 压缩文件", ".tgz": "gzip 压缩文件",
    ".tar": "tar 归档", ".bz2": "bzip2 压缩文件", ".xz": "xz 压缩文件", ".rtf": "RTF 文档",
    ".heic": "HEIC/AVIF 图片", ".heif": "HEIC/AVIF 图片", ".avif": "HEIC/AVIF 图片",
    ".exe": "可执行程序", ".apk": "安装包", ".dmg": "磁盘映像", ".iso": "磁盘映像",
}  # fmt: skip


def _label(path: PurePath, head: bytes) -> str | None:
    found = other_kind(head)
    if found:
        return found
    if has_known_magic(head):
        return None
    return SUFFIX_LABELS.get(path.suffix.lower())


class UnsupportedExtractor:
    name = "unsupported"

    def accepts(self, path: PurePath, head: bytes) -> Match:
        if other_kind(head):
            return Match.MAGIC
        return Match.EXTENSION if _label(path, head) else Match.NO

    def media(self, path: PurePath, head: bytes) -> str:
        label = _label(path, head) or ""
        return "image" if "图片" in label else "document"

    def extract(self, blob: Blob, ctx: Context) -> None:
        label = _label(blob.pure_path, blob.head()) or "未知格式"
        ctx.problem(P.UNSUPPORTED, f"{label}暂不支持检查，请转换为常见格式后发送")
