"""FakeOcr, OCR lines and reading order."""

import numpy as np
from PIL import Image

from baomi.ocr import FakeOcr, OcrBackend, OcrLine, RapidOcrBackend, image_key, reading_order


def test_fake_returns_given_lines_and_counts_calls():
    ocr = FakeOcr(["第一行", OcrLine("第二行", (1, 2, 3, 4), 0.9)])
    lines = ocr.recognise(np.zeros((10, 10, 3), np.uint8))
    assert [ln.text for ln in lines] == ["第一行", "第二行"] and lines[1].score == 0.9
    assert ocr.calls == 1


def test_fake_by_key_is_stable_under_resizing():
    rng = np.random.default_rng(0)
    base = Image.fromarray(rng.integers(0, 255, (64, 64, 3), dtype=np.uint8)).resize((640, 640))
    ocr = FakeOcr(["默认"], by_key={image_key(base): ["按图返回"]})
    assert ocr.recognise(base.resize((600, 600)))[0].text == "按图返回"
    assert ocr.recognise(np.zeros((20, 20, 3), np.uint8))[0].text == "默认"


def test_backends_satisfy_the_protocol():
    assert isinstance(FakeOcr(), OcrBackend)
    assert isinstance(RapidOcrBackend(), OcrBackend)


def test_reading_order_rows_then_columns():
    lines = [
        OcrLine("右", (200, 10, 260, 40)),
        OcrLine("下", (10, 100, 60, 130)),
        OcrLine("左", (10, 12, 60, 42)),
    ]
    assert [ln.text for ln in reading_order(lines)] == ["左", "右", "下"]


def test_scaled_line():
    assert OcrLine("a", (1, 2, 3, 4)).scaled(2).bbox == (2, 4, 6, 8)


def test_reading_order_keeps_rows_of_a_tilted_table():
    import math

    slope = math.tan(math.radians(3))
    lines = []
    for row in range(3):
        for col in range(4):
            x = 50 + col * 300
            y = 100 + row * 40 + x * slope  # rows fall to the right by 3°
            lines.append(OcrLine(f"r{row}c{col}", (x, y, x + 120, y + 20), 1.0, 3.0))
    lines.append(OcrLine("title spanning the page", (50, 20, 1100, 50), 1.0, 3.0))
    order = [ln.text for ln in reading_order(lines)]
    assert order[1:5] == ["r0c0", "r0c1", "r0c2", "r0c3"]
    assert order[-4:] == ["r2c0", "r2c1", "r2c2", "r2c3"]
