"""One page image → visual cues + OCR lines; shared by images, scanned pdf and ofd pages."""

from __future__ import annotations

from typing import TYPE_CHECKING

from baomi.errors import ExtractionError
from baomi.extract import cues
from baomi.extract import problems as P
from baomi.extract.context import Context

if TYPE_CHECKING:
    import numpy as np

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


def ocr_into(rgb: np.ndarray, ctx: Context, source: str, *, prefilter: bool = True) -> int:
    """OCR an RGB page into one segment per line (boxes in `rgb` pixels); returns the
    number of lines. Images with no text-like structure are skipped when `prefilter`."""
    from baomi.ocr.base import reading_order
    from baomi.vision import fit_within, has_text_structure

    if prefilter and not has_text_structure(rgb):
        return 0
    backend = ctx.ocr()
    ctx.check_time()
    small, factor = fit_within(rgb, OCR_MAX_SIDE)
    try:
        lines = backend.recognise(small)
    except ExtractionError:
        raise
    except Exception as exc:  # an OCR engine may fail in any way: fail closed, keep going
        ctx.problem(P.OCR_FAILED, f"图像文字识别出错（{type(exc).__name__}），该图未检查")
        return 0
    for line in reading_order([ln.scaled(factor) for ln in lines]):
        ctx.add(line.text, source, "image", line.bbox)
    return len(lines)
