"""PDF: the text layer via pypdf; pages without one rendered with pypdfium2 and OCR'd.

Bounded by `max_pages` (pages read) and `max_ocr_pages` (pages rendered for OCR).
Owner-password-only PDFs (empty user password) are opened; others are a problem.
"""

from __future__ import annotations

from pathlib import PurePath
from typing import TYPE_CHECKING, Any

from baomi.errors import ExtractionError
from baomi.extract import cues, textcodec
from baomi.extract import problems as P
from baomi.extract.base import Match
from baomi.extract.blob import Blob
from baomi.extract.context import Context
from baomi.extract.guard import parser_boundary
from baomi.extract.ocr_page import add_visual_cues, ocr_into
from baomi.extract.sniff import has_known_magic, is_pdf

if TYPE_CHECKING:
    import numpy as np

RENDER_SIDE = 1600  # long side of a rendered page, in pixels
MIN_LAYER_CHARS = 10  # fewer non-space characters than this: treat the page as scanned
META_KEYS = ("/Title", "/Subject", "/Author", "/Keywords", "/Creator")


def _open_reader(data: bytes) -> Any | None:
    """A pypdf reader, decrypted with the empty password if needed; None when only
    pdfium can decrypt it (pypdf lacks its optional AES dependency)."""
    import io
    import logging

    from pypdf import PdfReader
    from pypdf.errors import DependencyError

    # pypdf logs every repair it makes on a damaged file to stderr; what matters here
    # becomes a problem of the attachment instead
    logging.getLogger("pypdf").setLevel(logging.ERROR)

    with parser_boundary("pdf"):
        reader = PdfReader(io.BytesIO(data), strict=False)
        if not reader.is_encrypted:
            return reader
        try:
            decrypted = reader.decrypt("")
        except DependencyError:
            return None
        if not decrypted:
            raise ExtractionError(P.ENCRYPTED, "pdf 受密码保护，内容无法检查")
        return reader


def _open_pdfium(data: bytes) -> Any:
    import pypdfium2 as pdfium

    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise ExtractionError(P.ENCRYPTED, "pdf 受密码保护，内容无法检查") from exc
        raise ExtractionError(P.CORRUPT, "pdf 无法打开") from exc


def _render(document: Any, index: int, max_pixels: int) -> np.ndarray:
    import numpy as np

    page = document[index]
    width, height = page.get_size()
    scale = min(4.0, RENDER_SIDE / max(width, height, 1.0))
    if width * height * scale * scale > max_pixels:
        scale = (max_pixels / max(width * height, 1.0)) ** 0.5
    return np.asarray(page.render(scale=scale).to_pil().convert("RGB"))


LARGE_IMAGE_SHARE = 0.4  # a picture covering this much of a page may hold text: OCR it too


def _image_share(document: Any, index: int) -> float:
    """The largest share of the page covered by one image object."""
    import pypdfium2.raw as pdfium_c

    page = document[index]
    width, height = page.get_size()
    area = max(width * height, 1.0)
    best = 0.0
    for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=3):
        bounds = obj.get_bounds() if hasattr(obj, "get_bounds") else obj.get_pos()
        left, bottom, right, top = bounds
        best = max(best, abs(right - left) * abs(top - bottom) / area)
    return min(best, 1.0)


class _Pages:
    """Text of pages through pypdf, or through pdfium when pypdf cannot decrypt."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.reader = _open_reader(data)
        self._metadata_reader = self.reader
        self._pdfium: Any = None

    @property
    def pdfium(self) -> Any:
        if self._pdfium is None:
            self._pdfium = _open_pdfium(self.data)
        return self._pdfium

    def count(self) -> int:
        """Pages through pypdf; through pdfium when pypdf cannot decrypt the file or finds
        fewer pages (a damaged page tree that pdfium repairs)."""
        pypdf_pages = 0
        if self.reader is not None:
            with parser_boundary("pdf"):
                pypdf_pages = len(self.reader.pages)
        try:
            with parser_boundary("pdf"):
                pdfium_pages = len(self.pdfium)
        except ExtractionError:
            if self.reader is None:
                raise
            pdfium_pages = 0
        if pdfium_pages > pypdf_pages:
            self.reader = None
        return max(pypdf_pages, pdfium_pages)

    def _pdfium_text(self, index: int) -> str:
        with parser_boundary("pdf 页面"):
            return self.pdfium[index].get_textpage().get_text_bounded() or ""

    def text(self, index: int) -> str:
        """The page's text layer; when pypdf reads (almost) none, pdfium's reading of it
        too (it repairs content streams that pypdf gives up on)."""
        if self.reader is None:
            return self._pdfium_text(index)
        with parser_boundary("pdf 页面"):
            text = self.reader.pages[index].extract_text() or ""
        if len("".join(text.split())) < MIN_LAYER_CHARS:
            try:
                second = self._pdfium_text(index)
            except ExtractionError:
                return text
            return second if len(second.strip()) > len(text.strip()) else text
        return text

    def metadata(self) -> str:
        if self._metadata_reader is None:
            return ""
        with parser_boundary("pdf 元数据"):
            meta = self._metadata_reader.metadata or {}
            return "\n".join(str(meta[k]) for k in META_KEYS if meta.get(k))


class PdfExtractor:
    name = "pdf"

    def accepts(self, path: PurePath, head: bytes) -> Match:
        if is_pdf(head):
            return Match.MAGIC
        if not has_known_magic(head) and path.suffix.lower() == ".pdf":
            return Match.EXTENSION
        return Match.NO

    def media(self, path: PurePath, head: bytes) -> str:
        return "document"

    def extract(self, blob: Blob, ctx: Context) -> None:
        ctx.cue(cues.DOCUMENT)
        pages = _Pages(blob.read())
        total = pages.count()
        if not total:
            raise ExtractionError(P.CORRUPT, "pdf 没有可读的页面")
        ctx.add(pages.metadata(), f"{blob.source}/props", "document")
        limit = min(total, ctx.limits.max_pages)
        not_ocred = 0
        for index in range(limit):
            ctx.check_time()
            source = f"{blob.source}/p{index + 1}"
            try:
                text = pages.text(index)
            except ExtractionError:
                ctx.problem(P.PARTIAL, f"pdf 第 {index + 1} 页无法解析，该页未检查")
                continue
            # a text layer without a usable ToUnicode map decodes to U+FFFD or private-use
            # code points: it was not read, so the page is looked at as a scan instead
            garbled = textcodec.is_garbled(text)
            if not garbled:
                ctx.add(text, source, "document")
            if not garbled and len("".join(text.split())) >= MIN_LAYER_CHARS:
                if index == 0:
                    self._first_page_cues(pages, ctx)
                if not self._large_image(pages, index):
                    continue
            if not ctx.take_ocr_page():
                not_ocred += 1
                continue
            try:
                read = self._ocr_page(pages, index, source, ctx)
            except P.LimitReached:
                raise
            except ExtractionError as error:  # e.g. no OCR installed: keep reading text
                ctx.record(error)
                continue
            if garbled and not read:
                ctx.problem(P.ENCODING, f"pdf 第 {index + 1} 页文字层无法解码，图像识别也未读出文字")
        if total > limit:
            ctx.problem(P.PAGES, f"共 {total} 页，仅检查前 {limit} 页，其余页未检查")
        if not_ocred:
            ctx.problem(
                P.OCR_PAGES,
                f"{not_ocred} 页扫描页或图片页超过 {ctx.limits.max_ocr_pages} 页识别上限，未检查",
            )

    @staticmethod
    def _large_image(pages: _Pages, index: int) -> bool:
        """A text page that also carries a big picture (a pasted scan or photo)."""
        try:
            with parser_boundary("pdf 图片"):
                return _image_share(pages.pdfium, index) >= LARGE_IMAGE_SHARE
        except ExtractionError:
            return True  # cannot tell: look at the rendered page

    def _first_page_cues(self, pages: _Pages, ctx: Context) -> None:
        """Red 红头 cues of page 1 from a low-cost render (colour is not in the text)."""
        try:
            with parser_boundary("pdf 渲染"):
                rgb = _render(pages.pdfium, 0, ctx.limits.max_pixels)
        except ExtractionError:
            return  # cues are a bonus; the text layer was read
        add_visual_cues(rgb, ctx, classify_kind=False)

    def _ocr_page(self, pages: _Pages, index: int, source: str, ctx: Context) -> int:
        """OCR a rendered page; the number of lines read (a failed render is a problem)."""
        try:
            with parser_boundary("pdf 渲染"):
                rgb = _render(pages.pdfium, index, ctx.limits.max_pixels)
        except ExtractionError as error:
            ctx.problem(P.PARTIAL, f"pdf 第 {index + 1} 页无法渲染（{error.detail}），该页未检查")
            return 0
        add_visual_cues(rgb, ctx, classify_kind=False)
        read = ocr_into(rgb, ctx, source)
        if read:
            ctx.cue(cues.SCANNED)
        return read
