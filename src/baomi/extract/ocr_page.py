"""One page image → visual cues + OCR lines; shared by images, scanned pdf and ofd pages."""

from __future__ import annotations

from typing import TYPE_CHECKING

from baomi.errors import ExtractionError
from baomi.extract import cues
from baomi.extract import problems as P
from baomi.extract.context import Context

if TYPE_CHECKING:
    import numpy as np

    from baomi.ocr.base import BBox, OcrLine

OCR_MAX_SIDE = 1600  # long side fed to OCR: A4 body text stays ~25 px high


def add_visual_cues(rgb: np.ndarray, ctx: Context, *, classify_kind: bool) -> None:
    """Red header/rule cues, and for photos/screenshots the kind of picture."""
    from baomi.vision import ImageKind, classify, find_red_cues

    red = find_red_cues(rgb)
    if red.title:
        ctx.cue(cues.RED_TITLE)
    if red.rule:
        ctx.cue(cues.RED_RULE)
    if red.header:
        ctx.cue(cues.RED_HEADER)
    if classify_kind:
        kind = classify(rgb).kind
        if kind is ImageKind.SCREENSHOT:
            ctx.cue(cues.SCREENSHOT)
        elif kind is ImageKind.DOCUMENT_PHOTO:
            ctx.cue(cues.DOCUMENT_PHOTO)


def page_lines(rgb: np.ndarray, ctx: Context, *, prefilter: bool = True) -> list[OcrLine]:
    """OCR lines of an RGB page in reading order, boxes in `rgb` pixels. Images with no
    text-like structure are skipped (no lines) when `prefilter`; an OCR engine failure
    is recorded as a problem and yields no lines."""
    from baomi.ocr.base import reading_order
    from baomi.vision import fit_within, has_text_structure

    if prefilter and not has_text_structure(rgb):
        return []
    backend = ctx.ocr()
    ctx.check_time()
    small, factor = fit_within(rgb, OCR_MAX_SIDE)
    try:
        lines = backend.recognise(small)
    except ExtractionError:
        raise
    except Exception as exc:  # an OCR engine may fail in any way: fail closed, keep going
        ctx.problem(P.OCR_FAILED, f"图像文字识别出错（{type(exc).__name__}），该图未检查")
        return []
    return reading_order([ln.scaled(factor) for ln in lines])


def join_lines(lines: list[OcrLine]) -> tuple[str, BBox | None]:
    """The page text (`baomi.ocr.base.page_text`: a row's lines joined by spaces, rows by
    newlines; `baomi.redact.boxes_for_span` maps its spans back to boxes) and the union
    box of the lines."""
    from baomi.ocr.base import page_text

    if not lines:
        return "", None
    text, _ = page_text(lines)
    box = (
        min(ln.bbox[0] for ln in lines),
        min(ln.bbox[1] for ln in lines),
        max(ln.bbox[2] for ln in lines),
        max(ln.bbox[3] for ln in lines),
    )
    return text, box


def ocr_into(rgb: np.ndarray, ctx: Context, source: str, *, prefilter: bool = True) -> int:
    """OCR a page into one "image" segment (its text laid out in rows, box = union of
    the line boxes); returns the number of lines read."""
    lines = page_lines(rgb, ctx, prefilter=prefilter)
    text, box = join_lines(lines)
    ctx.add(text, source, "image", box)
    return len(lines)
