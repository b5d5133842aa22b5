"""Audio and video: reviewed by file name only (no speech recognition)."""

from __future__ import annotations

from pathlib import PurePath

from baomi.extract import cues
from baomi.extract.base import Match
from baomi.extract.blob import Blob
from baomi.extract.context import Context
from baomi.extract.sniff import has_known_magic, media_kind

AUDIO_SUFFIXES = {".m4a", ".mp3", ".amr", ".wav", ".silk", ".slk", ".aac", ".ogg", ".opus",
                  ".flac", ".wma", ".m4b"}  # fmt: skip
VIDEO_SUFFIXES = {".mp4", ".mov", ".m4v", ".avi", ".mkv", ".3gp", ".wmv", ".flv", ".webm",
                  ".mpg", ".mpeg", ".ts"}  # fmt: skip


def _kind(path: PurePath, head: bytes) -> str | None:
    found = media_kind(head)
    if found:
        return found
    if has_known_magic(head):
        return None
    suffix = path.suffix.lower()
    if suffix in AUDIO_SUFFIXES:
        return "audio"
    if suffix in VIDEO_SUFFIXES:
        return "video"
    return None


class MediaExtractor:
    name = "audio/video"

    def accepts(self, path: PurePath, head: bytes) -> Match:
        if media_kind(head):
            return Match.MAGIC
        return Match.EXTENSION if _kind(path, head) else Match.NO

    def media(self, path: PurePath, head: bytes) -> str:
        return _kind(path, head) or "video"

    def extract(self, blob: Blob, ctx: Context) -> None:
        kind = _kind(blob.pure_path, blob.head()) or "video"
        ctx.cue(cues.AUDIO if kind == "audio" else cues.VIDEO)
