"""OCR with rapidocr-onnxruntime (PP-OCRv4 models shipped in its wheel; CPU, offline).

The engine is loaded lazily, once, on the first `recognise` call — never at import or
construction — because loading the ONNX models takes about a second.
"""

from __future__ import annotations

import math
import threading
from typing import Any

from baomi.ocr.base import OcrLine, as_rgb_array


class OcrUnavailableError(RuntimeError):
    """rapidocr-onnxruntime is not installed (install baomi[attachments])."""


def rapidocr_available() -> bool:
    """True when rapidocr-onnxruntime can be imported (checked without importing it)."""
    import importlib.util

    return importlib.util.find_spec("rapidocr_onnxruntime") is not None


class RapidOcrBackend:
    """PP-OCR through RapidOCR. `min_score` drops lines recognised with low confidence."""

    def __init__(self, min_score: float = 0.5, threads: int | None = None) -> None:
        self.min_score = min_score
        self.threads = threads
        self._engine: Any = None
        self._lock = threading.Lock()

    def _load(self) -> Any:
        with self._lock:
            if self._engine is None:
                try:
                    from rapidocr_onnxruntime import RapidOCR
                except ImportError as exc:
                    raise OcrUnavailableError("rapidocr-onnxruntime is not installed") from exc
                kwargs: dict[str, Any] = {"print_verbose": False}
                if self.threads:
                    kwargs["intra_op_num_threads"] = self.threads
                self._engine = RapidOCR(**kwargs)
            return self._engine

    def recognise(self, image: Any) -> list[OcrLine]:
        """Read text lines from an RGB image (numpy array or PIL image)."""
        engine = self._load()
        rgb = as_rgb_array(image)
        bgr = rgb[:, :, ::-1].copy()  # RapidOCR takes numpy input as BGR (OpenCV order)
        result, _elapsed = engine(bgr)
        lines: list[OcrLine] = []
        for points, text, score in result or ():
            score = float(score)
            if score < self.min_score or not str(text).strip():
                continue
            xs = [float(p[0]) for p in points]
            ys = [float(p[1]) for p in points]
            # points run clockwise from the top-left: the top edge gives the baseline slope
            angle = math.degrees(math.atan2(ys[1] - ys[0], max(xs[1] - xs[0], 1e-6)))
            box = (min(xs), min(ys), max(xs), max(ys))
            lines.append(OcrLine(str(text), box, score, angle))
        return lines


_default: RapidOcrBackend | None = None
_default_lock = threading.Lock()


def default_backend() -> RapidOcrBackend:
    """A process-wide RapidOcrBackend, created on first use (models still load lazily)."""
    global _default
    with _default_lock:
        if _default is None:
            _default = RapidOcrBackend()
        return _default
