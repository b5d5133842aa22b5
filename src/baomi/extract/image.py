"""Images (jpg, png, webp, bmp, gif first frame, tiff): size checked from the header
before decoding, then visual cues and OCR."""

from __future__ import annotations

import io
from pathlib import PurePath
from typing import TYPE_CHECKING

from baomi.errors import ExtractionError
from baomi.extract import cues
from baomi.extract import problems as P
from baomi.extract.base import Match
from baomi.extract.blob import Blob
from baomi.extract.context import Context
from baomi.extract.guard import parser_boundary
from baomi.extract.image_size import SCAN_BYTES, header_size
from baomi.extract.ocr_page import add_visual_cues, ocr_into, page_lines
from baomi.extract.sniff import has_known_magic, image_kind

if TYPE_CHECKING:
    from pathlib import Path

    import numpy as np
    from PIL import Image as PILImage

    from baomi.extract.result import Limits
    from baomi.ocr.base import OcrBackend, OcrLine

IMAGE_SUFFIXES = {
    ".jpg",
    ".jpeg",
    ".jpe",
    ".jfif",
    ".png",
    ".gif",
    ".bmp",
    ".webp",
    ".tif",
    ".tiff",
}


def check_pixels(width: int, height: int, max_pixels: int) -> None:
    """Refuse images whose header claims more pixels than allowed (decompression bombs)."""
    if width <= 0 or height <= 0:
        raise ExtractionError(P.CORRUPT, f"图像尺寸无效（{width}×{height}）")
    if width * height > max_pixels:
        raise ExtractionError(P.PIXELS, f"{width}×{height} 像素，超过 {max_pixels} 像素上限，未解码")


def flatten(image: PILImage.Image) -> np.ndarray:
    """RGB array of the first frame, EXIF orientation applied, transparency on white."""
    import numpy as np
    from PIL import Image, ImageOps

    image.seek(0)
    image = ImageOps.exif_transpose(image) or image
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        image = Image.alpha_composite(white, rgba)
    return np.asarray(image.convert("RGB"))


def load_rgb(blob: Blob, max_pixels: int) -> np.ndarray:
    """Decode an image blob to RGB, checking its declared size first."""
    from PIL import Image

    with blob.open() as stream:
        declared = header_size(stream.read(SCAN_BYTES))
    if declared is not None:
        check_pixels(*declared, max_pixels)
    # decoded from memory: a chunk that declares gigabytes makes a file read allocate
    # them all, while an in-memory read returns only the bytes there are
    with io.BytesIO(blob.read()) as stream, parser_boundary("图片"):
        try:
            image = Image.open(stream)
        except Image.DecompressionBombError as exc:
            raise ExtractionError(P.PIXELS, "图像像素数超过解码器安全上限，未解码") from exc
        check_pixels(image.width, image.height, max_pixels)
        try:
            image.load()
        except Image.DecompressionBombError as exc:
            raise ExtractionError(P.PIXELS, "图像像素数超过解码器安全上限，未解码") from exc
        except OSError as exc:
            raise ExtractionError(P.CORRUPT, f"图片数据损坏或不完整（{exc.__class__.__name__}）") from exc
        return flatten(image)


class ImageExtractor:
    name = "image"

    def accepts(self, path: PurePath, head: bytes) -> Match:
        if image_kind(head):
            return Match.MAGIC
        if not has_known_magic(head) and path.suffix.lower() in IMAGE_SUFFIXES:
            return Match.EXTENSION
        return Match.NO

    def media(self, path: PurePath, head: bytes) -> str:
        return "image"

    def extract(self, blob: Blob, ctx: Context) -> None:
        ctx.cue(cues.IMAGE)
        rgb = load_rgb(blob, ctx.limits.max_pixels)
        add_visual_cues(rgb, ctx, classify_kind=True)
        ocr_into(rgb, ctx, f"{blob.source}/ocr")


def ocr_lines(path: Path, ocr: OcrBackend | None = None, limits: Limits | None = None) -> list[OcrLine]:
    """The OCR lines of an image file exactly as `extract` reads them (reading order,
    boxes in EXIF-upright pixels); `baomi.ocr.base.page_text(lines)` is the text of its
    "attN/ocr" segment. Raises ExtractionError when the image cannot be read."""
    from baomi.extract.context import Context
    from baomi.extract.result import Limits

    ctx = Context(0, limits or Limits(), ocr)
    rgb = load_rgb(Blob(path.name, "att0", path=path), ctx.limits.max_pixels)
    return page_lines(rgb, ctx)
