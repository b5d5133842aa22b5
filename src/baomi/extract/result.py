"""The public data of the extraction contract: limits in, extracted content out."""

from __future__ import annotations

from dataclasses import dataclass

from baomi.errors import ExtractionError
from baomi.model import Segment


@dataclass(frozen=True)
class Limits:
    """Bounds on the work done for one attachment; every one is configurable."""

    max_file_bytes: int = 50 * 2**20
    max_total_uncompressed: int = 200 * 2**20
    max_archive_depth: int = 3
    max_archive_members: int = 1000
    max_compression_ratio: float = 100.0
    max_pixels: int = 40_000_000
    max_pages: int = 200  # pdf/ofd pages read; beyond → a problem that the rest was not inspected
    max_ocr_pages: int = 20  # scanned pages rendered and OCR'd
    max_text_chars: int = 2_000_000
    timeout_s: float = 60.0  # wall-clock budget per attachment


@dataclass(frozen=True)
class Extracted:
    """What one attachment yielded.

    `segments`: text with provenance ("att1/name", "att1/p2", "att1/ocr",
    "att1/zip/inner.docx/body" …). An OCR'd image or page is one segment: its lines
    laid out in rows (a row's lines joined by a space, rows by newlines), bbox = the
    union of the line boxes (per-line boxes for redaction: `extract.image.ocr_lines`
    and `baomi.redact.boxes_for_span`).
    `cues`: visual/structural cues (see `baomi.extract.cues`).
    `problems`: parts that could not be inspected; the engine makes each a finding.
    """

    segments: tuple[Segment, ...]
    cues: frozenset[str]
    problems: tuple[ExtractionError, ...]
