"""Redaction boxes over images, and spans of OCR text mapped back to boxes."""

import numpy as np
from PIL import Image

from baomi.ocr import OcrLine
from baomi.redact import boxes_for_span, redact_image


def test_redact_fills_boxes_and_drops_metadata(tmp_path):
    src = tmp_path / "in.jpg"
    exif = Image.Exif()
    exif[0x010E] = "description"
    Image.new("RGB", (200, 100), (255, 255, 255)).save(src, exif=exif)
    out = tmp_path / "out.png"
    assert redact_image(src, [(10, 10, 50, 30), (300, 300, 400, 400)], out, pad=0) == 1
    arr = np.asarray(Image.open(out))
    assert arr[20, 30].tolist() == [0, 0, 0]
    assert arr[80, 150].tolist() == [255, 255, 255]
    assert not Image.open(out).getexif()


def test_redact_follows_exif_orientation(tmp_path):
    src = tmp_path / "rot.jpg"
    exif = Image.Exif()
    exif[0x0112] = 6
    Image.new("RGB", (100, 200), (255, 255, 255)).save(src, exif=exif)  # displays 200×100
    out = tmp_path / "out.png"
    redact_image(src, [(0, 0, 20, 20)], out)
    assert Image.open(out).size == (200, 100)


def test_boxes_for_span():
    lines = [OcrLine("机密★10年", (0, 0, 60, 10)), OcrLine("关于会议的通知", (0, 20, 70, 30))]
    text = "\n".join(ln.text for ln in lines)
    start = text.index("机密")
    assert boxes_for_span(lines, start, start + 2) == [(0, 0, 20, 10)]
    across = boxes_for_span(lines, text.index("年"), text.index("会议") + 2)
    assert len(across) == 2 and across[1] == (0, 20, 40, 30)


def test_cells_of_a_row_share_a_line_and_map_back():
    from baomi.ocr.base import page_text

    lines = [
        OcrLine("姓名", (0, 0, 40, 20)),
        OcrLine("张三", (100, 1, 140, 21)),
        OcrLine("备注", (0, 40, 40, 60)),
    ]
    text, _ = page_text(lines)
    assert text == "姓名 张三\n备注"
    start = text.index("张三")
    assert boxes_for_span(lines, start, start + 2) == [(100, 1, 140, 21)]
