"""Per-attachment state: the budgets of `Limits` and what has been read so far.

A Context lives for one `extract()` call only; the frozen `Extracted` it builds is
what leaves the extraction stage.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from baomi.errors import ExtractionError
from baomi.extract import problems as P
from baomi.extract.result import Extracted, Limits
from baomi.model import Segment

if TYPE_CHECKING:
    from baomi.ocr.base import OcrBackend

BBox = tuple[float, float, float, float]


class Context:
    """Collects segments, cues and problems, and enforces the attachment's budgets."""

    def __init__(
        self,
        index: int,
        limits: Limits,
        ocr: OcrBackend | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.index = index
        self.limits = limits
        self._ocr = ocr
        self._clock = clock
        self._deadline = clock() + limits.timeout_s
        self._chars_left = limits.max_text_chars
        self._uncompressed_left = limits.max_total_uncompressed
        self._ocr_pages_left = limits.max_ocr_pages
        self._segments: list[Segment] = []
        self._cues: set[str] = set()
        self._problems: list[ExtractionError] = []
        self._seen_problems: set[tuple[str, str]] = set()

    # -- results -------------------------------------------------------------------
    def add(self, text: str, source: str, media: str, bbox: BBox | None = None) -> None:
        """Add a segment; past the text budget, truncate and stop the attachment."""
        text = text.strip()
        if not text:
            return
        if len(text) > self._chars_left:
            kept = text[: self._chars_left]
            if kept:
                self._segments.append(Segment(kept, source, bbox, media))
            self._chars_left = 0
            raise P.LimitReached(
                P.TEXT_LIMIT,
                f"文字超过 {self.limits.max_text_chars} 字上限，其余内容未检查",
            )
        self._chars_left -= len(text)
        self._segments.append(Segment(text, source, bbox, media))

    def cue(self, *names: str) -> None:
        self._cues.update(names)

    def problem(self, reason: str, detail: str = "") -> None:
        """Record a part that could not be inspected (each distinct problem once)."""
        self.record(ExtractionError(reason, detail))

    def record(self, error: ExtractionError) -> None:
        key = (error.reason, error.detail)
        if key not in self._seen_problems:
            self._seen_problems.add(key)
            self._problems.append(error)

    def result(self) -> Extracted:
        return Extracted(tuple(self._segments), frozenset(self._cues), tuple(self._problems))

    # -- budgets -------------------------------------------------------------------
    def check_time(self) -> None:
        """Stop the attachment once its wall-clock budget is spent."""
        if self._clock() > self._deadline:
            raise P.LimitReached(P.TIMEOUT, f"处理超过 {self.limits.timeout_s:g} 秒，其余内容未检查")

    def time_left(self) -> float:
        return self._deadline - self._clock()

    def take_uncompressed(self, n: int) -> None:
        """Account for `n` bytes unpacked from an archive; stop past the total budget."""
        if n > self._uncompressed_left:
            self._uncompressed_left = 0
            raise P.LimitReached(
                P.BOMB,
                f"解压总量超过 {P.mib(self.limits.max_total_uncompressed)} 上限，其余内容未检查",
            )
        self._uncompressed_left -= n

    def take_ocr_page(self) -> bool:
        """Claim one scanned page for OCR; False when the OCR page budget is spent."""
        if self._ocr_pages_left <= 0:
            return False
        self._ocr_pages_left -= 1
        return True

    def ocr(self) -> OcrBackend:
        """The OCR backend: the one given, else the shared RapidOCR one if installed."""
        if self._ocr is None:
            from baomi.ocr.rapid import default_backend, rapidocr_available

            if not rapidocr_available():
                raise ExtractionError(P.NO_OCR, "未安装文字识别组件 rapidocr/openvino，图片文字未检查")
            self._ocr = default_backend()
        return self._ocr
