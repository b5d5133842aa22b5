"""Attachment extraction (placeholder: file names only; full extractors land separately)."""

from __future__ import annotations

from dataclasses import dataclass, field

from baomi.errors import ExtractionError
from baomi.model import Attachment, Segment

_AUDIO = {".m4a", ".mp3", ".amr", ".wav", ".silk", ".aac"}
_VIDEO = {".mp4", ".mov", ".avi", ".mkv"}
_IMAGE = {".jpg", ".jpeg", ".png", ".webp", ".bmp", ".gif", ".heic"}


@dataclass(frozen=True)
class Limits:
    max_file_bytes: int = 50 * 2**20


@dataclass(frozen=True)
class Extracted:
    segments: tuple[Segment, ...]
    cues: frozenset[str] = field(default_factory=frozenset)
    problems: tuple[ExtractionError, ...] = ()


def extract(attachment: Attachment, index: int, *, limits: Limits = Limits(), ocr=None) -> Extracted:
    suffix = attachment.path.suffix.lower()
    media = (
        "audio"
        if suffix in _AUDIO
        else "video"
        if suffix in _VIDEO
        else "image"
        if suffix in _IMAGE
        else "document"
    )
    name = Segment(attachment.display_name, f"att{index}/name", media=media)
    return Extracted((name,), frozenset({media}), (ExtractionError("内容未检查", "附件内容提取尚未接入"),))
