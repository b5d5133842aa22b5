"""docx, xlsx and pptx: every place text can hide is read."""

from baomi.extract import cues
from tests.extract.helpers import run, sources, text_of
from tests.synth.docs import docx_file, pptx_file, xlsx_file


def test_docx_body_tables_headers_comments_deletions_and_properties(tmp_path):
    result = run(docx_file(tmp_path / "方案.docx"))
    assert not result.problems
    body = text_of(result, "att1/body")
    assert "关于河道巡查排班的安排" in body
    assert "东岸站" in body and "周明" in body  # table cells
    assert "已删除的一句话" in body  # tracked deletion is still in the file
    assert "内部资料" in text_of(result, "att1/header")
    assert "第一页" in text_of(result, "att1/footer")
    assert "此段再核实" in text_of(result, "att1/comments")
    assert "河道巡查工作方案" in text_of(result, "att1/props")
    assert result.segments[0].source == "att1/name" and result.segments[0].text == "方案.docx"
    assert all(s.media == "document" for s in result.segments)
    assert cues.DOCUMENT in result.cues and cues.RED_HEADER not in result.cues


def test_docx_red_header_from_formatting(tmp_path):
    result = run(docx_file(tmp_path / "red.docx", red_header=True))
    assert {cues.RED_TITLE, cues.RED_RULE, cues.RED_HEADER} <= result.cues
    assert text_of(result, "att1/body").startswith("云岭县水务局文件")


def test_xlsx_all_sheets_including_hidden(tmp_path):
    result = run(xlsx_file(tmp_path / "值班.xlsx"))
    assert not result.problems
    first = text_of(result, "att1/sheet1")
    assert first.splitlines()[0] == "值班表"
    assert "李华\t13800001111" in first  # integers stay integers
    assert "隐藏页的说明文字" in text_of(result, "att1/sheet2")
    assert "三月值班安排" in text_of(result, "att1/props")


def test_pptx_slides_tables_and_notes(tmp_path):
    result = run(pptx_file(tmp_path / "汇报.pptx"))
    assert not result.problems
    assert "完成项目验收三项" in text_of(result, "att1/slide1")
    assert "设备采购" in text_of(result, "att1/slide2")
    assert "采购预算尚未批复" in text_of(result, "att1/slide2/notes")
    assert "att1/slide2/notes" in sources(result)


def test_docx_detected_by_content_not_name(tmp_path):
    renamed = docx_file(tmp_path / "x.docx").rename(tmp_path / "holiday.jpg")
    result = run(renamed)
    assert "关于河道巡查排班的安排" in text_of(result, "att1/body")


def _with_member(path, name, data):
    """Rewrite an OOXML zip with one more member."""
    import zipfile

    with zipfile.ZipFile(path) as src:
        members = {info.filename: src.read(info) for info in src.infolist()}
    members[name] = data
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for member, content in members.items():
            out.writestr(member, content)
    return path


def test_pictures_in_a_docx_are_ocred_icons_are_not(tmp_path):
    import docx
    from docx.shared import Inches

    from baomi.ocr import FakeOcr
    from tests.synth.pages import official_page

    page, icon = tmp_path / "page.png", tmp_path / "icon.png"
    official_page(size=(620, 877)).save(page)
    official_page(size=(60, 80)).save(icon)
    document = docx.Document()
    document.add_paragraph("见下图")
    document.add_picture(str(page), width=Inches(4))
    document.add_picture(str(icon), width=Inches(0.5))
    path = tmp_path / "pic.docx"
    document.save(path)
    ocr = FakeOcr(["图片里的文字"])
    result = run(path, ocr=ocr)
    assert ocr.calls == 1
    assert text_of(result, "att1/img1") == "图片里的文字"
    assert cues.RED_HEADER in result.cues  # the pasted picture is a red-header page


def test_embedded_workbook_in_a_docx_is_reviewed(tmp_path):
    inner = xlsx_file(tmp_path / "inner.xlsx").read_bytes()
    path = _with_member(
        docx_file(tmp_path / "outer.docx"), "word/embeddings/Microsoft_Excel_Worksheet.xlsx", inner
    )
    result = run(path)
    assert "李华" in text_of(result, "att1/embed/Microsoft_Excel_Worksheet.xlsx/sheet1")


def test_truncated_office_files_are_corrupt(tmp_path):
    from tests.extract.helpers import reasons

    for maker, name in ((docx_file, "a.docx"), (xlsx_file, "b.xlsx"), (pptx_file, "c.pptx")):
        data = maker(tmp_path / name).read_bytes()
        cut = tmp_path / f"cut_{name}"
        cut.write_bytes(data[: len(data) // 2])
        result = run(cut)
        assert reasons(result) == ["文件损坏"], name
        assert result.segments[0].text == f"cut_{name}"
