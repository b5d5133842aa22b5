"""Office, PDF, OFD, OLE and zip files built at test time."""

from __future__ import annotations

import io
import struct
import zipfile
from pathlib import Path

from PIL import Image


def docx_file(path: Path, *, red_header: bool = False) -> Path:
    """A docx with body, table, header, footer, comment, tracked deletion and properties."""
    import docx
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls
    from docx.shared import Pt, RGBColor

    document = docx.Document()
    if red_header:
        title = document.add_paragraph().add_run("云岭县水务局文件")
        title.font.size = Pt(36)
        title.font.color.rgb = RGBColor(0xE6, 0x00, 0x12)
        rule = document.add_paragraph("云水发〔2024〕5号")
        borders = parse_xml(
            f"<w:pBdr {nsdecls('w')}>"
            '<w:bottom w:val="single" w:sz="18" w:space="1" w:color="FF0000"/></w:pBdr>'
        )
        rule._p.get_or_add_pPr().append(borders)
    para = document.add_paragraph("正文第一段：关于河道巡查排班的安排。")
    document.add_paragraph("正文第二段：请各站点按时上报。")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "站点"
    table.cell(0, 1).text = "负责人"
    table.cell(1, 0).text = "东岸站"
    table.cell(1, 1).text = "周明"
    section = document.sections[0]
    section.header.paragraphs[0].text = "页眉：内部资料 注意保存"
    section.footer.paragraphs[0].text = "页脚：第一页"
    document.add_comment(para.runs, text="批注：此段再核实", author="审核人")
    deleted = parse_xml(
        f'<w:del {nsdecls("w")} w:id="99" w:author="x" w:date="2024-01-01T00:00:00Z">'
        "<w:r><w:delText>已删除的一句话</w:delText></w:r></w:del>"
    )
    document.add_paragraph("修订段落")._p.append(deleted)
    document.core_properties.title = "河道巡查工作方案"
    document.core_properties.author = "水务局办公室"
    document.save(path)
    return path


def xlsx_file(path: Path) -> Path:
    """Two sheets (one hidden) with strings, numbers and a gap row."""
    import openpyxl

    workbook = openpyxl.Workbook()
    first = workbook.active
    first.title = "值班表"
    first.append(["日期", "值班人", "电话"])
    first.append(["3月1日", "李华", 13800001111])
    first.append([])
    first.append(["3月3日", "王强", 13900002222])
    hidden = workbook.create_sheet("备注")
    hidden["B2"] = "隐藏页的说明文字"
    hidden.sheet_state = "hidden"
    workbook.properties.title = "三月值班安排"
    workbook.save(path)
    return path


def pptx_file(path: Path) -> Path:
    """Two slides: title + bullet text + a table; notes on the second."""
    from pptx import Presentation
    from pptx.util import Inches

    deck = Presentation()
    slide = deck.slides.add_slide(deck.slide_layouts[1])
    slide.shapes.title.text = "季度工作汇报"
    slide.placeholders[1].text = "完成项目验收三项"
    second = deck.slides.add_slide(deck.slide_layouts[5])
    second.shapes.title.text = "下一步计划"
    rows = second.shapes.add_table(2, 2, Inches(1), Inches(2), Inches(6), Inches(1)).table
    rows.cell(0, 0).text = "任务"
    rows.cell(1, 0).text = "设备采购"
    second.notes_slide.notes_text_frame.text = "讲稿：采购预算尚未批复"
    deck.save(path)
    return path


def pdf_file(path: Path, pages: list[str], *, title: str | None = None) -> Path:
    """A text-layer PDF, one line of Chinese text per page (CID font, no font file)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    c = canvas.Canvas(str(path))
    if title:
        c.setTitle(title)
    for text in pages:
        c.setFont("STSong-Light", 14)
        c.drawString(72, 760, text)
        c.showPage()
    c.save()
    return path


def scanned_pdf(path: Path, images: list[Image.Image]) -> Path:
    """A PDF whose pages are only images (no text layer)."""
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), pagesize=(595, 842))
    for image in images:
        c.drawImage(ImageReader(image), 0, 0, width=595, height=842)
        c.showPage()
    c.save()
    return path


def encrypted_pdf(path: Path, user_password: str, owner_password: str = "owner") -> Path:
    from pypdf import PdfReader, PdfWriter

    plain = pdf_file(path.with_suffix(".plain.pdf"), ["加密测试页"])
    writer = PdfWriter(clone_from=PdfReader(plain))
    writer.encrypt(user_password=user_password, owner_password=owner_password, algorithm="RC4-128")
    with path.open("wb") as out:
        writer.write(out)
    return path


OFD_NS = "http://www.ofdspec.org/2016"


def _text_object(oid: int, x: float, y: float, text: str, size: float = 4.0, red: bool = False) -> str:
    fill = '<ofd:FillColor Value="230 0 18"/>' if red else ""
    return (
        f'<ofd:TextObject ID="{oid}" Boundary="{x} {y} 170 {size * 1.5}" Font="1" Size="{size}">'
        f'{fill}<ofd:TextCode X="0" Y="{size}">{text}</ofd:TextCode></ofd:TextObject>'
    )


def _page(objects: str, template: str | None = None) -> str:
    tpl = f'<ofd:Template TemplateID="{template}" ZOrder="Background"/>' if template else ""
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><ofd:Page xmlns:ofd="{OFD_NS}">{tpl}'
        f'<ofd:Content><ofd:Layer ID="50">{objects}</ofd:Layer></ofd:Content></ofd:Page>'
    )


def ofd_file(path: Path, *, documents: int = 1, bomb: bool = False, missing_page: bool = False) -> Path:
    """An OFD with a 红头 template page (red title + red rule), two content pages per
    document, DocInfo and an annotation; optionally an entity bomb or a missing part."""
    bodies = []
    files: dict[str, str] = {}
    for d in range(documents):
        base = f"Doc_{d}"
        bodies.append(
            f"<ofd:DocBody><ofd:DocInfo><ofd:Title>第{d + 1}号文档标题</ofd:Title>"
            f"<ofd:Author>档案科</ofd:Author></ofd:DocInfo>"
            f"<ofd:DocRoot>{base}/Document.xml</ofd:DocRoot></ofd:DocBody>"
        )
        files[f"{base}/Document.xml"] = (
            f'<?xml version="1.0" encoding="UTF-8"?><ofd:Document xmlns:ofd="{OFD_NS}">'
            "<ofd:CommonData><ofd:MaxUnitID>99</ofd:MaxUnitID>"
            "<ofd:PageArea><ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox></ofd:PageArea>"
            '<ofd:TemplatePage ID="2" BaseLoc="Tpls/Tpl_0/Content.xml"/></ofd:CommonData>'
            '<ofd:Pages><ofd:Page ID="10" BaseLoc="Pages/Page_0/Content.xml"/>'
            '<ofd:Page ID="11" BaseLoc="Pages/Page_1/Content.xml"/></ofd:Pages>'
            "<ofd:Annotations>Annots/Annotations.xml</ofd:Annotations></ofd:Document>"
        )
        files[f"{base}/Tpls/Tpl_0/Content.xml"] = _page(
            _text_object(3, 30, 30, "松江区教育局文件", size=12, red=True)
            + '<ofd:PathObject ID="4" Boundary="20 62 170 0.6" LineWidth="0.6">'
            '<ofd:StrokeColor Value="230 0 18"/>'
            "<ofd:AbbreviatedData>M 0 0 L 170 0</ofd:AbbreviatedData>"
            "</ofd:PathObject>"
        )
        files[f"{base}/Pages/Page_0/Content.xml"] = _page(
            _text_object(5, 20, 20, "秘密★5年")
            + _text_object(6, 20, 80, "关于")
            + _text_object(7, 28, 80, "校舍维修计划的通知")
            + _text_object(8, 20, 95, f"文档{d + 1}第一页正文"),
            template="2",
        )
        files[f"{base}/Pages/Page_1/Content.xml"] = _page(_text_object(9, 20, 40, f"文档{d + 1}第二页正文"))
        files[f"{base}/Annots/Annotations.xml"] = (
            f'<?xml version="1.0" encoding="UTF-8"?><ofd:Annotations xmlns:ofd="{OFD_NS}">'
            '<ofd:Page PageID="10"><ofd:FileLoc>Page_0/Annotation.xml</ofd:FileLoc></ofd:Page>'
            "</ofd:Annotations>"
        )
        files[f"{base}/Annots/Page_0/Annotation.xml"] = (
            f'<?xml version="1.0" encoding="UTF-8"?><ofd:PageAnnot xmlns:ofd="{OFD_NS}">'
            '<ofd:Annot ID="60" Type="Watermark"><ofd:Appearance Boundary="0 0 210 297">'
            + _text_object(61, 50, 150, "水印：仅供内部传阅")
            + "</ofd:Appearance></ofd:Annot></ofd:PageAnnot>"
        )
    files["OFD.xml"] = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<ofd:OFD xmlns:ofd="{OFD_NS}" Version="1.0" DocType="OFD">' + "".join(bodies) + "</ofd:OFD>"
    )
    if bomb:
        files["Doc_0/Pages/Page_1/Content.xml"] = (
            '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
            '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
            f'<ofd:Page xmlns:ofd="{OFD_NS}"><ofd:Content><ofd:Layer ID="1">'
            '<ofd:TextObject ID="2" Boundary="0 0 10 10">'
            '<ofd:TextCode X="0" Y="1">&lol2;</ofd:TextCode>'
            "</ofd:TextObject></ofd:Layer></ofd:Content></ofd:Page>"
        )
    if missing_page:
        del files["Doc_0/Pages/Page_1/Content.xml"]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, text in files.items():
            zf.writestr(name, text)
    return path


def ole_file(path: Path, *, encrypted: bool, text: str = "") -> Path:
    """A minimal stand-in for an OLE compound file: the CFB magic, a directory entry
    name (UTF-16LE) and, for legacy files, UTF-16LE body text."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    entry = ("EncryptedPackage" if encrypted else "WordDocument").encode("utf-16-le")
    body = entry.ljust(128, b"\x00") + b"\x00" * 384 + text.encode("utf-16-le") + b"\x00" * 64
    path.write_bytes(header + body)
    return path


def zip_bytes(members: dict[str, bytes], *, gbk_names: bool = False) -> bytes:
    """A deflated zip; with `gbk_names`, names are stored as GBK bytes without the
    UTF-8 flag (as Chinese Windows tools do)."""
    buf = io.BytesIO()
    swaps: list[tuple[bytes, bytes]] = []
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for number, (name, data) in enumerate(members.items()):
            if gbk_names:  # write an ASCII stand-in of the same byte length, swap later
                raw = name.encode("gbk")
                stand_in = f"{number:04d}".encode().ljust(len(raw), b"_")
                swaps.append((stand_in, raw))
                name = stand_in.decode()
            zf.writestr(name, data, compress_type=zipfile.ZIP_DEFLATED)
    out = buf.getvalue()
    for stand_in, raw in swaps:
        out = out.replace(stand_in, raw)
    return out


def mark_encrypted(data: bytes) -> bytes:
    """Set the 'encrypted' flag bit on every member (local and central headers)."""
    out = bytearray(data)
    for signature, flag_offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = 0
        while (pos := out.find(signature, start)) != -1:
            (flags,) = struct.unpack_from("<H", out, pos + flag_offset)
            struct.pack_into("<H", out, pos + flag_offset, flags | 0x1)
            start = pos + 4
    return bytes(out)


def png_header(width: int, height: int) -> bytes:
    """A PNG signature and IHDR chunk claiming the given size (no pixel data)."""
    import zlib

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    chunk = b"IHDR" + ihdr
    return b"\x89PNG\r\n\x1a\n" + struct.pack(">I", len(ihdr)) + chunk + struct.pack(">I", zlib.crc32(chunk))
