"""RapidOCR backend: lazy loading, and real recognition of synthetic phone photos.

The recognition tests need rapidocr-onnxruntime and a CJK font (fonts-wqy-microhei)
to render the test pages; they are skipped when either is missing.
"""

import subprocess
import sys

import numpy as np
import pytest

from baomi.extract import cues
from baomi.ocr import RapidOcrBackend, rapidocr_available
from tests.extract.helpers import run, text_of
from tests.synth.fonts import cjk_font_path
from tests.synth.pages import official_page, phone_photo

_skip_without_ocr = pytest.mark.skipif(
    not rapidocr_available() or cjk_font_path() is None,
    reason="needs rapidocr-onnxruntime and a CJK font (fonts-wqy-microhei)",
)


def needs_ocr(test):
    """Real-OCR test: marked `ocr` (deselect with -m "not ocr") and skipped when unusable."""
    return pytest.mark.ocr(_skip_without_ocr(test))


def test_construction_loads_nothing():
    code = (
        "import sys\nfrom baomi.ocr import RapidOcrBackend\nRapidOcrBackend()\n"
        "print('onnxruntime' in sys.modules, 'cv2' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False False"


@pytest.fixture(scope="module")
def backend():
    return RapidOcrBackend()


@needs_ocr
def test_reads_a_phone_photo_of_a_red_header_document(tmp_path, backend):
    path = tmp_path / "IMG_2024.jpg"
    phone_photo(official_page(), seed=11).save(path, quality=85)
    result = run(path, ocr=backend)
    assert not result.problems
    text = text_of(result, "att1/ocr").replace(" ", "")
    assert "机密★10年" in text
    assert "青禾市农业农村局文件" in text
    assert "青农发" in text and "38号" in text
    assert {cues.DOCUMENT_PHOTO, cues.RED_HEADER} <= result.cues


@needs_ocr
def test_boxes_are_in_original_pixels(backend):
    page = np.asarray(official_page(size=(2480, 3508)))  # downscaled for OCR internally
    from baomi.extract.context import Context
    from baomi.extract.ocr_page import page_lines
    from baomi.extract.result import Limits

    lines = page_lines(page, Context(1, Limits(), backend))
    marking = next(ln for ln in lines if "机密" in ln.text)
    x0, y0, _x1, _y1 = marking.bbox
    assert 0.08 * 2480 < x0 < 0.2 * 2480 and 0.07 * 3508 < y0 < 0.11 * 3508
