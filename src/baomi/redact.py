"""Cover regions of an image (e.g. OCR boxes of caught text) with filled boxes."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from baomi.errors import ExtractionError

if TYPE_CHECKING:
    from baomi.ocr.base import OcrLine

Box = tuple[float, float, float, float]


_CLAUSE_END = set("，,。；;！!？?\n")


def clause_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen [start, end) to the clause around it (between Chinese clause punctuation)."""
    while start > 0 and text[start - 1] not in _CLAUSE_END:
        start -= 1
    while end < len(text) and text[end] not in _CLAUSE_END:
        end += 1
    return start, end


def redact_text(
    text: str, spans: Iterable[tuple[int, int]], fill: str = "＊", whole_clause: bool = True
) -> str:
    """`text` with every character inside the half-open spans (widened to their clause
    unless `whole_clause` is False) replaced by `fill`; whitespace is kept."""
    chars = list(text)
    for start, end in spans:
        if whole_clause:
            start, end = clause_span(text, start, end)
        for i in range(max(0, start), min(len(chars), end)):
            if not chars[i].isspace():
                chars[i] = fill
    return "".join(chars)


def boxes_for_span(lines: list[OcrLine], start: int, end: int) -> list[Box]:
    """Boxes covering the half-open span [start, end) of the page text that `extract`
    builds from these OCR lines (`baomi.ocr.base.page_text`).

    A line partly inside the span gets the matching horizontal slice of its box
    (characters assumed evenly spaced, as in horizontal CJK text).
    """
    from baomi.ocr.base import page_text

    boxes: list[Box] = []
    for line_start, line in page_text(lines)[1]:
        line_end = line_start + len(line.text)
        lo, hi = max(start, line_start), min(end, line_end)
        if lo >= hi:
            continue
        x0, y0, x1, y1 = line.bbox
        step = (x1 - x0) / max(len(line.text), 1)
        boxes.append((x0 + step * (lo - line_start), y0, x0 + step * (hi - line_start), y1))
    return boxes


def redact_image(
    path: str | Path,
    boxes: Iterable[Box],
    out_path: str | Path,
    *,
    colour: tuple[int, int, int] = (0, 0, 0),
    pad: int = 2,
) -> int:
    """Draw filled boxes (x0, y0, x1, y1, in pixels of the EXIF-upright image, as OCR
    reports them) over `path` and save to `out_path`; returns the number drawn.

    The output is re-encoded from pixels only (no EXIF or other metadata is copied).
    """
    from PIL import Image, ImageDraw, ImageOps, UnidentifiedImageError

    try:
        with Image.open(path) as source:
            image = (ImageOps.exif_transpose(source) or source).convert("RGB")
    except (UnidentifiedImageError, OSError) as exc:
        raise ExtractionError("文件损坏", "图片无法打开，未能打码") from exc
    draw = ImageDraw.Draw(image)
    width, height = image.size
    drawn = 0
    for x0, y0, x1, y1 in boxes:
        left, right = sorted((x0, x1))
        top, bottom = sorted((y0, y1))
        left, top = max(0.0, left - pad), max(0.0, top - pad)
        right, bottom = min(width - 1.0, right + pad), min(height - 1.0, bottom + pad)
        if right < left or bottom < top:
            continue
        draw.rectangle((left, top, right, bottom), fill=colour)
        drawn += 1
    clean = Image.new("RGB", image.size)
    clean.paste(image)
    clean.save(out_path)
    return drawn
