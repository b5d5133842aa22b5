"""Attachment extraction: every attachment becomes text segments with provenance,
visual cues and a list of what could not be inspected. Nothing passes uninspected.

    extract(attachment, index, limits=Limits(), ocr=None) -> Extracted

Formats (chosen by magic bytes first, extension second): images (OCR), pdf (text
layer, OCR of scanned pages), docx, xlsx, pptx, OFD, plain text/csv/html/markdown,
zip (nested), audio/video (by name), legacy OLE Office (rough text), and recognised
but unopened formats (rar, 7z, HEIC …) reported as problems. Heavy libraries load
only inside the extractor that needs them.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from baomi.errors import ExtractionError
from baomi.extract import problems as P
from baomi.extract.base import Extractor, Match
from baomi.extract.blob import Blob
from baomi.extract.context import Context
from baomi.extract.result import Extracted, Limits
from baomi.model import NAME_SUFFIX, Attachment

if TYPE_CHECKING:
    from baomi.ocr.base import OcrBackend

__all__ = ["Extracted", "Extractor", "Limits", "Match", "extract"]


def _name_only(attachment: Attachment, ctx: Context, source: str) -> None:
    from baomi.extract.dispatch import choose

    path = Path(attachment.path)
    extractor = choose(path, b"")
    ctx.add(
        attachment.display_name,
        source + NAME_SUFFIX,
        extractor.media(path, b"") if extractor else "document",
    )


def extract(
    attachment: Attachment,
    index: int,
    *,
    limits: Limits = Limits(),  # noqa: B008 -- frozen dataclass, safe as a default
    ocr: OcrBackend | None = None,
) -> Extracted:
    """Extract one attachment. Never raises for bad files: every failure becomes a
    `problems` entry (fail closed). `ocr=None` uses the shared RapidOCR backend when
    rapidocr and openvino are installed, otherwise images yield a problem."""
    from baomi.extract.dispatch import run

    ctx = Context(index, limits, ocr)
    source = f"att{index}"
    path = Path(attachment.path)
    try:
        if not path.is_file():
            _name_only(attachment, ctx, source)
            ctx.problem(P.UNREADABLE, "附件文件不存在或不是普通文件")
            return ctx.result()
        size = path.stat().st_size
        if size > limits.max_file_bytes:
            _name_only(attachment, ctx, source)
            ctx.problem(
                P.TOO_BIG,
                f"文件 {P.mib(size)}，超过 {P.mib(limits.max_file_bytes)} 上限，内容未检查",
            )
            return ctx.result()
        run(Blob(attachment.display_name, source, 0, path=path), ctx)
    except P.LimitReached as error:
        ctx.record(error)
    except ExtractionError as error:
        ctx.record(error)
    except OSError as exc:
        ctx.problem(P.UNREADABLE, f"读取附件出错（{type(exc).__name__}）")
    return ctx.result()
