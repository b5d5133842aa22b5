"""RapidOCR backend: lazy loading, offline models, the angle-classifier retry, and real
recognition of synthetic phone photos.

The recognition tests need rapidocr with openvino and a CJK font (fonts-wqy-microhei)
to render the test pages; they are skipped when either is missing.
"""

import subprocess
import sys

import numpy as np
import pytest

from baomi.extract import cues
from baomi.ocr import OcrLine, RapidOcrBackend, rapidocr_available
from baomi.ocr.rapid import engine_params, reads_well, shipped_models
from tests.extract.helpers import run, text_of
from tests.synth.fonts import cjk_font_path
from tests.synth.pages import official_page, phone_photo

_skip_without_ocr = pytest.mark.skipif(
    not rapidocr_available() or cjk_font_path() is None,
    reason="needs rapidocr, openvino and a CJK font (fonts-wqy-microhei)",
)


def needs_ocr(test):
    """Real-OCR test: marked `ocr` (deselect with -m "not ocr") and skipped when unusable."""
    return pytest.mark.ocr(_skip_without_ocr(test))


def test_construction_loads_nothing():
    code = (
        "import sys\nfrom baomi.ocr import RapidOcrBackend\nRapidOcrBackend()\n"
        "print(sorted({'openvino', 'onnxruntime', 'rapidocr', 'cv2'} & set(sys.modules)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_unknown_engine_is_refused():
    with pytest.raises(ValueError, match="unknown OCR engine"):
        RapidOcrBackend(engine="tesseract")


def test_reads_well_only_when_the_median_line_is_confident():
    def lines(*scores):
        return [OcrLine("字", (0, 0, 10, 10), s) for s in scores]

    assert reads_well([])
    assert reads_well(lines(0.99, 0.98, 0.4))
    assert not reads_well(lines(0.6, 0.97, 0.55, 0.59))  # an upside-down page read without cls


class _Output:
    def __init__(self, scores):
        square = [[0, 0], [40, 0], [40, 20], [0, 20]]
        self.boxes = np.array([square] * len(scores), dtype=float)
        self.txts = tuple(f"第{i}行" for i in range(len(scores)))
        self.scores = tuple(scores)


class _Engine:
    """Stands in for rapidocr.RapidOCR: poor scores without the classifier, good with it."""

    def __init__(self, without_cls, with_cls):
        self.answers = {False: without_cls, True: with_cls}
        self.calls = []

    def __call__(self, bgr, use_cls):
        self.calls.append(use_cls)
        return _Output(self.answers[use_cls])


@pytest.mark.parametrize(
    ("without_cls", "options", "calls"),
    [
        ((0.99, 0.98), {}, [False]),  # upright: one pass, no classifier
        ((0.6, 0.55, 0.3), {}, [False, True]),  # read poorly: retried with the classifier
        ((0.6, 0.55, 0.3), {"upright_only": True}, [False]),
        ((0.99,), {"always_classify": True}, [True]),
    ],
)
def test_classifier_runs_only_for_pages_read_poorly(without_cls, options, calls):
    backend = RapidOcrBackend(**options)
    backend._engine = engine = _Engine(without_cls, (0.95, 0.9, 0.3))
    lines = backend.recognise(np.zeros((30, 60, 3), np.uint8))
    assert engine.calls == calls
    assert all(ln.score >= backend.min_score for ln in lines)


@pytest.mark.skipif(not rapidocr_available(), reason="needs rapidocr and openvino")
def test_models_are_the_shipped_files():
    models = shipped_models()
    assert set(models) == {"Det", "Rec", "Cls"}
    assert all(path.is_file() and "rapidocr" in path.parts for path in models.values())
    params = engine_params(det_side=960, threads=2, engine="openvino")
    assert [v for k, v in params.items() if k.endswith(".model_path")] == [str(p) for p in models.values()]


@needs_ocr
def test_loading_and_reading_touch_no_network(tmp_path):
    """The models load from the wheel: with sockets refused, a photo is still read."""
    path = tmp_path / "photo.jpg"
    phone_photo(official_page(), seed=3).save(path, quality=85)
    code = (
        "import socket, sys\n"
        "def refuse(*a, **k): raise OSError('network refused by the test')\n"
        "socket.socket.connect = socket.create_connection = refuse\n"
        "from PIL import Image\nfrom baomi.ocr import RapidOcrBackend\n"
        f"lines = RapidOcrBackend().recognise(Image.open({str(path)!r}))\n"
        "print(any('机密' in ln.text for ln in lines))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().endswith("True")


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
