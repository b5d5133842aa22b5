"""Bytes to extract from: a file on disk or a member read out of an archive."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import BinaryIO

HEAD_BYTES = 8192


@dataclass(frozen=True)
class Blob:
    """One file to extract. `name` is its display name, `source` the provenance prefix
    of its segments ("att1", "att1/zip/dir/inner.docx"), `depth` its archive nesting."""

    name: str
    source: str
    depth: int = 0
    path: Path | None = None
    data: bytes | None = None

    @property
    def pure_path(self) -> PurePosixPath:
        return PurePosixPath(self.name.replace("\\", "/"))

    @property
    def suffix(self) -> str:
        return self.pure_path.suffix.lower()

    @property
    def size(self) -> int:
        if self.data is not None:
            return len(self.data)
        assert self.path is not None
        return self.path.stat().st_size

    def open(self) -> BinaryIO:
        """A fresh binary stream over the content (the caller closes it)."""
        if self.data is not None:
            return io.BytesIO(self.data)
        assert self.path is not None
        return self.path.open("rb")

    def head(self) -> bytes:
        with self.open() as stream:
            return stream.read(HEAD_BYTES)

    def read(self) -> bytes:
        if self.data is not None:
            return self.data
        assert self.path is not None
        return self.path.read_bytes()
