"""PDF: text layer, scanned pages through OCR, page and OCR limits, encryption."""

from baomi.extract import Limits, cues
from baomi.ocr import FakeOcr
from tests.extract.helpers import reasons, run, text_of
from tests.synth.docs import encrypted_pdf, pdf_file, scanned_pdf
from tests.synth.pages import official_page


def test_text_layer_and_metadata(tmp_path):
    ocr = FakeOcr(["不应出现"])
    result = run(
        pdf_file(
            tmp_path / "a.pdf",
            ["第一页：年度预算编制说明", "第二页：附表说明文字"],
            title="预算说明",
        ),
        ocr=ocr,
    )
    assert not result.problems
    assert text_of(result, "att1/p1") == "第一页：年度预算编制说明"
    assert text_of(result, "att1/p2") == "第二页：附表说明文字"
    assert "预算说明" in text_of(result, "att1/props")
    assert ocr.calls == 0 and cues.SCANNED not in result.cues


def test_red_header_cue_from_rendered_first_page(tmp_path):
    # a scanned red-header page: the cue comes from colour, the text from (fake) OCR
    ocr = FakeOcr(["青禾市农业农村局文件", "机密★10年"])
    result = run(scanned_pdf(tmp_path / "scan.pdf", [official_page()]), ocr=ocr)
    assert ocr.calls == 1
    page = [s for s in result.segments if s.source == "att1/p1" and s.media == "image"]
    assert page and page[0].text == "青禾市农业农村局文件\n机密★10年" and page[0].bbox is not None
    assert {cues.SCANNED, cues.RED_HEADER} <= result.cues


def test_ocr_page_budget(tmp_path):
    pages = [official_page(red=False)] * 3
    ocr = FakeOcr(["扫描页文字"])
    result = run(scanned_pdf(tmp_path / "scan3.pdf", pages), ocr=ocr, limits=Limits(max_ocr_pages=2))
    assert ocr.calls == 2
    assert "超出识别页数限制" in reasons(result)


def test_500_pages_bounded_by_max_pages(tmp_path):
    path = pdf_file(tmp_path / "long.pdf", [f"第{i}页内容：会议纪要正文" for i in range(1, 501)])
    result = run(path)
    assert "att1/p200" in {s.source for s in result.segments}
    assert "att1/p201" not in {s.source for s in result.segments}
    problem = next(p for p in result.problems if p.reason == "超出页数限制")
    assert "500" in problem.detail and "其余页未检查" in problem.detail


def test_password_protected_pdf_is_a_problem(tmp_path):
    result = run(encrypted_pdf(tmp_path / "locked.pdf", user_password="s3cret"))
    assert reasons(result) == ["加密文件"]
    assert text_of(result) == "locked.pdf"  # the name is still reviewed


def test_owner_only_encryption_is_read(tmp_path):
    result = run(encrypted_pdf(tmp_path / "perm.pdf", user_password=""))
    assert not result.problems
    assert "加密测试页" in text_of(result, "att1/p1")


def test_truncated_pdf_fails_closed(tmp_path):
    data = pdf_file(tmp_path / "full.pdf", ["完整内容"]).read_bytes()
    cut = tmp_path / "cut.pdf"
    cut.write_bytes(data[: len(data) // 3])
    result = run(cut)
    assert result.problems or "完整内容" in text_of(result)


def test_garbage_after_pdf_magic_is_corrupt(tmp_path):
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 20)
    result = run(bad)
    assert "文件损坏" in reasons(result)


def test_text_page_with_a_large_picture_is_also_ocred(tmp_path):
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    path = tmp_path / "mixed.pdf"
    c = canvas.Canvas(str(path), pagesize=(595, 842))
    c.setFont("STSong-Light", 14)
    c.drawString(72, 800, "请查看下面这张照片，附件说明如下")
    c.drawImage(ImageReader(official_page()), 50, 50, width=495, height=700)
    c.showPage()
    c.save()
    ocr = FakeOcr(["照片中的文字"])
    result = run(path, ocr=ocr)
    assert ocr.calls == 1
    texts = [s.text for s in result.segments if s.source == "att1/p1"]
    assert texts[0].startswith("请查看下面这张照片") and "照片中的文字" in texts
