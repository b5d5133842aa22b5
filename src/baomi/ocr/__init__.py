"""OCR backends behind one protocol: RapidOCR for real use, FakeOcr for tests.

Nothing heavy is imported here: OpenVINO and OpenCV load on the first recognise().
"""

from baomi.ocr.base import OcrBackend, OcrLine, as_rgb_array, reading_order
from baomi.ocr.fake import FailingOcr, FakeOcr, image_key
from baomi.ocr.rapid import (
    OcrUnavailableError,
    RapidOcrBackend,
    default_backend,
    rapidocr_available,
)

__all__ = [
    "FailingOcr",
    "FakeOcr",
    "OcrBackend",
    "OcrLine",
    "OcrUnavailableError",
    "RapidOcrBackend",
    "as_rgb_array",
    "default_backend",
    "image_key",
    "rapidocr_available",
    "reading_order",
]
