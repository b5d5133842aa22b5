"""The extractor protocol: `accepts` says how sure it is, `extract` reads into a Context."""

from __future__ import annotations

from enum import IntEnum
from pathlib import PurePath
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from baomi.extract.blob import Blob
    from baomi.extract.context import Context


class Match(IntEnum):
    """How an extractor recognises a file; the dispatcher takes the strongest."""

    NO = 0
    GUESS = 1  # content looks right (e.g. decodes as text)
    EXTENSION = 2  # file name suffix, used only when no magic bytes are recognised
    MAGIC = 3  # magic bytes


class Extractor(Protocol):
    """One file format. Raises ExtractionError for a file it cannot read at all; records
    partial failures with `ctx.problem` and keeps going."""

    name: str

    def accepts(self, path: PurePath, head: bytes) -> Match: ...

    def media(self, path: PurePath, head: bytes) -> str:
        """Segment media for the file's name ("image", "audio", "video", "document", "text")."""
        ...

    def extract(self, blob: Blob, ctx: Context) -> None: ...
