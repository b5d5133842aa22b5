"""Images: OCR through the backend, header size checks, pre-filter, odd formats."""

import io

import pytest
from PIL import Image

from baomi.extract import Limits, cues
from baomi.ocr import FailingOcr, FakeOcr, image_key
from tests.extract.helpers import reasons, run, text_of
from tests.synth.docs import png_header
from tests.synth.pages import blank_photo, chat_screenshot, official_page, phone_photo


def test_photo_is_ocred_into_one_segment_with_box(tmp_path):
    path = tmp_path / "IMG_0001.jpg"
    phone_photo(official_page()).save(path)
    ocr = FakeOcr(["机密★10年", "青禾市农业农村局文件"])
    result = run(path, ocr=ocr)
    assert ocr.calls == 1 and not result.problems
    segment = next(s for s in result.segments if s.source == "att1/ocr")
    assert segment.text == "机密★10年\n青禾市农业农村局文件"
    assert segment.media == "image" and segment.bbox is not None
    assert result.segments[0].media == "image"  # the name segment
    assert {cues.IMAGE, cues.DOCUMENT_PHOTO, cues.RED_HEADER, cues.RED_RULE} <= result.cues


def test_ocr_answers_by_image_key(tmp_path):
    page = official_page(red=False)
    path = tmp_path / "page.png"
    page.save(path)
    ocr = FakeOcr(["别的图"], by_key={image_key(page): ["按哈希返回的文字"]})
    assert text_of(run(path, ocr=ocr), "att1/ocr") == "按哈希返回的文字"


def test_screenshot_cue(tmp_path):
    path = tmp_path / "Screenshot_1.png"
    chat_screenshot(("周五下午两点碰头", "收到", "好的")).save(path)
    result = run(path, ocr=FakeOcr(["周五下午两点碰头"]))
    assert cues.SCREENSHOT in result.cues and cues.DOCUMENT_PHOTO not in result.cues


def test_textless_image_skips_ocr(tmp_path):
    path = tmp_path / "sky.jpg"
    blank_photo().save(path)
    ocr = FakeOcr(["不应调用"])
    result = run(path, ocr=ocr)
    assert ocr.calls == 0 and not result.problems
    assert text_of(result) == "sky.jpg"


def test_pixel_bomb_refused_from_header(tmp_path):
    path = tmp_path / "huge.png"
    path.write_bytes(png_header(100_000, 100_000))
    ocr = FakeOcr(["x"])
    result = run(path, ocr=ocr)
    assert reasons(result) == ["图像尺寸过大"] and ocr.calls == 0
    assert "100000×100000" in result.problems[0].detail


def test_pixel_limit_is_configurable(tmp_path):
    path = tmp_path / "page.png"
    official_page().save(path)
    assert reasons(run(path, limits=Limits(max_pixels=1000))) == ["图像尺寸过大"]


def test_truncated_jpeg_is_corrupt(tmp_path):
    buf = io.BytesIO()
    official_page().save(buf, format="JPEG")
    path = tmp_path / "cut.jpg"
    path.write_bytes(buf.getvalue()[:4000])
    assert reasons(run(path)) == ["文件损坏"]


@pytest.mark.parametrize("fmt", ["GIF", "BMP", "WEBP", "TIFF"])
def test_other_image_formats(tmp_path, fmt):
    path = tmp_path / f"pic.{fmt.lower()}"
    official_page(red=False).convert("RGB").save(path, format=fmt)
    ocr = FakeOcr(["读到的文字"])
    result = run(path, ocr=ocr)
    assert text_of(result, "att1/ocr") == "读到的文字", result.problems


def test_exif_rotation_is_applied(tmp_path):
    page = official_page(red=False, size=(600, 900))
    sideways = page.rotate(90, expand=True)  # stored sideways, EXIF says rotate back
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: rotate 90° CW to display
    path = tmp_path / "rot.jpg"
    sideways.save(path, exif=exif)
    seen = []

    class Probe(FakeOcr):
        def recognise(self, image):
            seen.append(image.shape)
            return super().recognise(image)

    run(path, ocr=Probe(["x"]))
    assert seen and seen[0][0] > seen[0][1]  # upright: taller than wide


def test_transparent_png_text_stays_visible(tmp_path):
    img = Image.new("RGBA", (400, 200), (0, 0, 0, 0))
    img.paste(official_page(red=False, size=(400, 200)).convert("RGBA"), (0, 0))
    alpha = Image.new("L", (400, 200), 0)
    img.putalpha(alpha)  # fully transparent: must come out white, not black
    path = tmp_path / "alpha.png"
    img.save(path)
    seen = []

    class Probe(FakeOcr):
        def recognise(self, image):
            seen.append(image.mean())
            return []

    run(path, ocr=Probe())
    assert not seen  # a white picture has no text structure, so OCR is not even asked


def test_ocr_failure_is_a_problem(tmp_path):
    path = tmp_path / "page.png"
    official_page().save(path)
    result = run(path, ocr=FailingOcr())
    assert reasons(result) == ["文字识别失败"]
    assert cues.RED_HEADER in result.cues  # visual cues do not depend on OCR


def test_no_ocr_installed_is_a_problem(tmp_path, monkeypatch):
    import baomi.ocr.rapid as rapid

    monkeypatch.setattr(rapid, "rapidocr_available", lambda: False)
    path = tmp_path / "page.png"
    official_page().save(path)
    from baomi.extract import extract
    from baomi.model import Attachment

    result = extract(Attachment(path), 1)
    assert [p.reason for p in result.problems] == ["缺少文字识别组件"]
