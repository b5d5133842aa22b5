"""baomi.ocr.fastrec: the recogniser that replaces RapidOCR's own (one line per inference at
its own width, on two OpenVINO streams)."""

import numpy as np
import pytest

from baomi.ocr import RapidOcrBackend, rapidocr_available
from baomi.ocr.fastrec import MIN_WIDTH, REC_HEIGHT, WIDTH_STEP, groups, line_width, padded_width, resize_line
from tests.synth.fonts import cjk_font_path
from tests.synth.pages import PageText, official_page, phone_photo

needs_ocr = pytest.mark.skipif(
    not rapidocr_available() or cjk_font_path() is None,
    reason="needs rapidocr, openvino and a CJK font (fonts-wqy-microhei)",
)


def test_a_line_keeps_its_aspect_ratio_at_the_model_height():
    crop = np.full((30, 300, 3), 255, dtype=np.uint8)
    assert line_width(crop) == 480
    line = resize_line(crop, padded_width(crop))
    assert line.shape == (3, REC_HEIGHT, 480)
    assert line.dtype == np.float32
    assert np.allclose(line, 1.0)  # white maps to 1, as in RapidOCR's normalisation


def test_widths_are_rounded_up_to_the_step_and_floored():
    assert padded_width(np.zeros((48, 20, 3), np.uint8)) == MIN_WIDTH
    assert padded_width(np.zeros((48, 20, 3), np.uint8), min_width=96) == 96
    assert padded_width(np.zeros((48, 100, 3), np.uint8)) == 4 * WIDTH_STEP  # 100 → 128
    assert padded_width(np.zeros((24, 64, 3), np.uint8)) == 4 * WIDTH_STEP  # 128 exactly


def test_a_narrow_line_is_padded_on_the_right_with_zeros():
    crop = np.zeros((48, 20, 3), dtype=np.uint8)
    line = resize_line(crop, 96)
    assert line.shape == (3, REC_HEIGHT, 96)
    assert np.allclose(line[..., :20], -1.0)  # black
    assert np.allclose(line[..., 20:], 0.0)  # padding, as RapidOCR pads


def test_inferences_group_lines_of_one_width_widest_first():
    widths = [100, 20, 700, 110, 90, 120, 125, 30]  # at height 48
    crops = [np.zeros((48, w, 3), np.uint8) for w in widths]
    plan = groups(crops, MIN_WIDTH, size=3)
    assert plan == [(704, [2]), (128, [0, 3, 5]), (128, [6]), (96, [4]), (48, [1, 7])]
    assert sorted(n for _, numbers in plan for n in numbers) == list(range(len(crops)))


@pytest.fixture(scope="module")
def backends():
    return RapidOcrBackend(), RapidOcrBackend(rec_streams=None)


@pytest.mark.ocr
@needs_ocr
def test_reads_a_photo_as_rapidocr_own_recogniser_does(backends):
    fast, former = backends
    photo = phone_photo(official_page(PageText(marking="秘密★1年", doc_no="临财发〔2023〕9号")), seed=21)
    new, old = fast.recognise(photo), former.recognise(photo)
    assert [ln.text for ln in new] == [ln.text for ln in old]
    assert [ln.bbox for ln in new] == [ln.bbox for ln in old]
    assert all(abs(a.score - b.score) < 0.02 for a, b in zip(new, old, strict=True))
    assert any("秘密★1年" in ln.text for ln in new)


@pytest.mark.ocr
@needs_ocr
def test_lines_come_back_in_input_order(backends):
    from baomi.ocr.rapid import shipped_models

    fast, _ = backends
    fast.recognise(np.asarray(official_page()))  # loads the models
    page = np.asarray(official_page())[:, :, ::-1]
    recogniser = fast._load().text_rec
    assert recogniser is not None and shipped_models()["Rec"].name == "PP-OCRv6_rec_small.onnx"
    short = np.ascontiguousarray(page[140:205, 130:420])  # the marking, a short line
    long = np.ascontiguousarray(page[690:755, 130:1110])  # the first body line, a long one
    texts = [text for text, _ in recogniser.read([short, long, short])]
    assert texts[0] == texts[2] and "机密" in texts[0]
    assert "农业农村局" in texts[1]


@pytest.mark.ocr
@needs_ocr
def test_pages_read_from_several_threads_at_once(backends):
    from concurrent.futures import ThreadPoolExecutor

    fast, _ = backends
    photos = [phone_photo(official_page(), seed=31 + i) for i in range(3)]
    with ThreadPoolExecutor(3) as pool:
        pages = list(pool.map(fast.recognise, photos))
    assert all(any("机密★10年" in ln.text for ln in lines) for lines in pages)
