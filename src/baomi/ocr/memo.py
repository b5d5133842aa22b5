"""An OCR backend that remembers its last answers by image content, so the engine's pass and
a later look at the same image (the console drawing boxes) run the models once."""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from typing import Any

from baomi.ocr.base import OcrBackend, OcrLine, as_rgb_array


class MemoOcr:
    """Wraps `inner` (default: the shared RapidOCR backend, resolved on first use) and keeps
    the lines of the last `size` images, keyed by a hash of their pixels."""

    def __init__(self, inner: OcrBackend | None = None, size: int = 16) -> None:
        self._inner = inner
        self._size = size
        self._lock = threading.Lock()
        self._seen: OrderedDict[str, list[OcrLine]] = OrderedDict()

    def _backend(self) -> OcrBackend:
        if self._inner is None:
            from baomi.errors import ExtractionError
            from baomi.extract import problems as P
            from baomi.ocr.rapid import default_backend, rapidocr_available

            if not rapidocr_available():
                raise ExtractionError(P.NO_OCR, "未安装 rapidocr-onnxruntime，图片文字未检查")
            self._inner = default_backend()
        return self._inner

    def recognise(self, image: Any) -> list[OcrLine]:
        arr = as_rgb_array(image)
        key = hashlib.sha256(repr(arr.shape).encode() + arr.tobytes()).hexdigest()
        with self._lock:
            if key in self._seen:
                self._seen.move_to_end(key)
                return list(self._seen[key])
        lines = self._backend().recognise(arr)
        with self._lock:
            self._seen[key] = list(lines)
            while len(self._seen) > self._size:
                self._seen.popitem(last=False)
        return lines
