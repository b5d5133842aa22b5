"""Where the findings are: highlighted pieces of the typed text, and boxes on a photo
(from the OCR lines the engine read, mapped back by `baomi.redact.boxes_for_span`)."""

from __future__ import annotations

import base64
import io
import itertools
from dataclasses import dataclass

from baomi.catalog import catalog

MAX_PREVIEW_SIDE = 1200  # the photo shown back is re-encoded at most this large


@dataclass(frozen=True)
class Piece:
    text: str
    rules: tuple[str, ...] = ()  # empty: not caught


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    w: float
    h: float
    rule: str


@dataclass(frozen=True)
class Photo:
    data_uri: str
    width: int
    height: int
    boxes: tuple[Box, ...]


def pieces(text: str, findings: list[dict], source: str = "text") -> list[Piece]:
    """`text` cut at the findings' span edges; each piece names the rules covering it."""
    spans = [
        (max(0, f["span"][0]), min(len(text), f["span"][1]), f["rule"])
        for f in findings
        if f.get("source") == source and f["span"][1] > f["span"][0]
    ]
    cuts = sorted({0, len(text), *(s for s, _, _ in spans), *(e for _, e, _ in spans)})
    out = []
    for lo, hi in itertools.pairwise(cuts):
        rules = tuple(dict.fromkeys(r for s, e, r in spans if s <= lo and hi <= e))
        out.append(Piece(text[lo:hi], rules))
    return out


def explain(rules: list[str]) -> list[dict]:
    """Each rule in plain words: name, what it forbids, what to do instead."""
    cat = catalog()
    return [
        {"id": r, "name": cat[r].name, "forbids": cat[r].forbids, "advice": cat[r].advice}
        for r in dict.fromkeys(rules)
        if r in cat
    ]


def photo(data: bytes, findings: list[dict], source: str, ocr) -> Photo | None:
    """The uploaded image (downscaled, metadata dropped) with a box over each caught span;
    None when `data` is not an image."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    from baomi.extract.blob import Blob
    from baomi.extract.context import Context
    from baomi.extract.image import load_rgb
    from baomi.extract.ocr_page import page_lines
    from baomi.extract.result import Limits
    from baomi.redact import boxes_for_span

    try:
        with Image.open(io.BytesIO(data)) as img:
            upright = (ImageOps.exif_transpose(img) or img).convert("RGB")
    except (UnidentifiedImageError, OSError):
        return None
    width, height = upright.size
    caught = [f for f in findings if f.get("source") == source and f["span"][1] > f["span"][0]]
    boxes: list[Box] = []
    if caught:
        ctx = Context(0, Limits(), ocr)
        rgb = load_rgb(Blob("photo", "att0", data=data), ctx.limits.max_pixels)
        lines = page_lines(rgb, ctx)  # the same lines as the engine's (the OCR memo answers)
        for f in caught:
            for x0, y0, x1, y1 in boxes_for_span(lines, f["span"][0], f["span"][1]):
                boxes.append(Box(round(x0, 1), round(y0, 1), round(x1 - x0, 1), round(y1 - y0, 1), f["rule"]))
    upright.thumbnail((MAX_PREVIEW_SIDE, MAX_PREVIEW_SIDE))
    out = io.BytesIO()
    upright.save(out, "JPEG", quality=80)
    uri = "data:image/jpeg;base64," + base64.b64encode(out.getvalue()).decode()
    return Photo(uri, width, height, tuple(boxes))
