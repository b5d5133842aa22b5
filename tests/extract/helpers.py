"""Small helpers shared by the extraction tests."""

from __future__ import annotations

from pathlib import Path

from baomi.extract import Extracted, Limits, extract
from baomi.model import Attachment
from baomi.ocr import FakeOcr


def run(path: Path, *, ocr=None, limits: Limits | None = None, name: str = "") -> Extracted:
    """Extract attachment 1 with a FakeOcr unless another backend is given."""
    return extract(
        Attachment(path, name),
        1,
        ocr=ocr if ocr is not None else FakeOcr(),
        limits=limits or Limits(),
    )


def text_of(result: Extracted, source: str | None = None) -> str:
    """All segment text (or that of one source), joined by newlines."""
    return "\n".join(s.text for s in result.segments if source is None or s.source == source)


def sources(result: Extracted) -> list[str]:
    return [s.source for s in result.segments]


def reasons(result: Extracted) -> list[str]:
    return [p.reason for p in result.problems]
