"""Files inside OOXML packages: pictures (a photographed document pasted into a docx
or a slide) are OCR'd within the OCR page budget; embedded office files and other
objects are reviewed like archive members, one nesting level deeper."""

from __future__ import annotations

import zipfile
from pathlib import PurePosixPath

from baomi.errors import ExtractionError
from baomi.extract import problems as P
from baomi.extract.blob import Blob
from baomi.extract.context import Context
from baomi.extract.image_size import SCAN_BYTES, header_size
from baomi.extract.ole import legacy_text
from baomi.extract.sniff import is_ole
from baomi.extract.zipsafe import read_member

MEDIA_DIRS = ("word/media/", "xl/media/", "ppt/media/")
EMBED_DIRS = ("word/embeddings/", "xl/embeddings/", "ppt/embeddings/")
MIN_PICTURE_SIDE = 200  # smaller pictures are icons and logos, not documents
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".bmp", ".tif", ".tiff", ".webp"}


def _pictures(zf: zipfile.ZipFile) -> list[zipfile.ZipInfo]:
    return [
        info
        for info in zf.infolist()
        if info.filename.startswith(MEDIA_DIRS)
        and PurePosixPath(info.filename).suffix.lower() in IMAGE_SUFFIXES
    ]


def _ocr_picture(data: bytes, source: str, ctx: Context) -> None:
    from baomi.extract.image import load_rgb
    from baomi.extract.ocr_page import add_visual_cues, ocr_into

    rgb = load_rgb(Blob("picture", source, data=data), ctx.limits.max_pixels)
    add_visual_cues(rgb, ctx, classify_kind=True)
    ocr_into(rgb, ctx, source)


def read_pictures(blob: Blob, zf: zipfile.ZipFile, ctx: Context) -> None:
    """OCR the document-sized pictures of an OOXML package (sources ".../img1" …)."""
    skipped = 0
    number = 0
    for info in _pictures(zf):
        ctx.check_time()
        data = read_member(zf, info, ctx.limits.max_file_bytes)
        size = header_size(data[:SCAN_BYTES])
        if size is not None and min(size) < MIN_PICTURE_SIDE:
            continue
        if not ctx.take_ocr_page():
            skipped += 1
            continue
        number += 1
        try:
            _ocr_picture(data, f"{blob.source}/img{number}", ctx)
        except P.LimitReached:
            raise
        except ExtractionError as error:
            ctx.problem(error.reason, f"文档内第 {number} 张图片：{error.detail}")
    if skipped:
        ctx.problem(P.OCR_PAGES, f"文档内 {skipped} 张图片超过识别上限，未检查")


def read_embeddings(blob: Blob, zf: zipfile.ZipFile, ctx: Context) -> None:
    """Review embedded files (xlsx in a docx, ole objects …) one nesting level deeper."""
    from baomi.extract.dispatch import run

    embedded = [info for info in zf.infolist() if info.filename.startswith(EMBED_DIRS)]
    if not embedded:
        return
    depth = blob.depth + 1
    if depth > ctx.limits.max_archive_depth:
        ctx.problem(P.DEPTH, f"嵌入对象嵌套超过 {ctx.limits.max_archive_depth} 层，内层未检查")
        return
    for info in embedded:
        ctx.check_time()
        name = PurePosixPath(info.filename).name
        data = read_member(zf, info, ctx.limits.max_file_bytes)
        source = f"{blob.source}/embed/{name}"
        if name.lower().endswith(".bin") and is_ole(data[:8]):
            # OLE objects (equations, drawings, packaged files): their text runs only;
            # flagging each as "partial" would make every older document uninspectable
            ctx.add(legacy_text(data), f"{source}/text", "document")
            continue
        run(Blob(name, source, depth, data=data), ctx)
