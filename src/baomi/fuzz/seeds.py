"""Seed files the fuzzer builds itself: one or more per extractor, each carrying the
canary line (a classification marking and a unique token) where that format keeps its
text, so the oracle can tell whether a mutated file still says what the seed said."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

MARK = "机密★5年"  # what a reader must still see for the file to count as "still marked"
CANARY = f"{MARK} 关于QZ7Y3K工程的通知"
BODY = "请各单位按时报送材料，联系人：办公室。"
TEXT_MESSAGE = f"{CANARY}，{BODY}"


@dataclass(frozen=True)
class Seed:
    """One seed: `reference` names the oracle reader, `encoding` the text codec of text seeds."""

    name: str
    suffix: str
    data: bytes
    reference: str  # "text", "html", "zip" (OOXML, OFD, archives), "pdf", "image", "message"
    encoding: str = "utf-8"


def _text_lines() -> str:
    return f"会议通知\n{CANARY}\n{BODY}\n时间：下周一上午九点\n"


def text_seeds() -> list[Seed]:
    lines = _text_lines()
    csv = f"序号,事项,备注\n1,{CANARY},无\n2,{BODY},无\n"
    html = (
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>通知</title>"
        f"<style>p{{color:red}}</style></head><body><h1>会议通知</h1><p>{CANARY}</p>"
        f"<div>{BODY}</div></body></html>"
    )
    return [
        Seed("utf8.txt", ".txt", lines.encode(), "text"),
        Seed("gb18030.txt", ".txt", lines.encode("gb18030"), "text", "gb18030"),
        Seed("utf16.txt", ".txt", lines.encode("utf-16"), "text", "utf-16"),
        Seed("utf32.txt", ".txt", lines.encode("utf-32"), "text", "utf-32"),
        Seed("table.csv", ".csv", csv.encode(), "text"),
        Seed("page.html", ".html", html.encode(), "html"),
    ]


def docx_seed() -> Seed:
    import docx

    document = docx.Document()
    document.add_paragraph("会议通知")
    document.add_paragraph(CANARY)
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "事项"
    table.cell(0, 1).text = BODY
    out = io.BytesIO()
    document.save(out)
    return Seed("notice.docx", ".docx", out.getvalue(), "zip")


def xlsx_seed() -> Seed:
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "汇总"
    sheet.append(["序号", "事项"])
    sheet.append([1, CANARY])
    sheet.append([2, BODY])
    out = io.BytesIO()
    workbook.save(out)
    return Seed("sheet.xlsx", ".xlsx", out.getvalue(), "zip")


def pptx_seed() -> Seed:
    from pptx import Presentation

    deck = Presentation()
    slide = deck.slides.add_slide(deck.slide_layouts[1])
    slide.shapes.title.text = "工作汇报"
    slide.placeholders[1].text = CANARY
    out = io.BytesIO()
    deck.save(out)
    return Seed("report.pptx", ".pptx", out.getvalue(), "zip")


def pdf_seed() -> Seed:
    """Uncompressed page streams, so that mutations reach the content operators."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    out = io.BytesIO()
    page = canvas.Canvas(out, pageCompression=0, invariant=1)
    page.setTitle("会议通知")
    page.setFont("STSong-Light", 14)
    page.drawString(72, 760, CANARY)
    page.drawString(72, 730, BODY)
    page.showPage()
    page.setFont("STSong-Light", 14)
    page.drawString(72, 760, "第二页：会议安排")
    page.showPage()
    page.save()
    return Seed("notice.pdf", ".pdf", out.getvalue(), "pdf")


OFD_NS = "http://www.ofdspec.org/2016"


def _ofd_text(oid: int, y: float, text: str) -> str:
    return (
        f'<ofd:TextObject ID="{oid}" Boundary="20 {y} 170 6" Font="1" Size="4">'
        f'<ofd:TextCode X="0" Y="4">{text}</ofd:TextCode></ofd:TextObject>'
    )


def ofd_seed() -> Seed:
    head = '<?xml version="1.0" encoding="UTF-8"?>'
    parts = {
        "OFD.xml": f'{head}<ofd:OFD xmlns:ofd="{OFD_NS}" Version="1.0" DocType="OFD"><ofd:DocBody>'
        "<ofd:DocInfo><ofd:Title>会议通知</ofd:Title></ofd:DocInfo>"
        "<ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>",
        "Doc_0/Document.xml": f'{head}<ofd:Document xmlns:ofd="{OFD_NS}"><ofd:CommonData>'
        "<ofd:PageArea><ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox></ofd:PageArea>"
        '<ofd:TemplatePage ID="2" BaseLoc="Tpls/Tpl_0/Content.xml"/></ofd:CommonData>'
        '<ofd:Pages><ofd:Page ID="10" BaseLoc="Pages/Page_0/Content.xml"/></ofd:Pages>'
        "<ofd:Annotations>Annots/Annotations.xml</ofd:Annotations></ofd:Document>",
        "Doc_0/Tpls/Tpl_0/Content.xml": f'{head}<ofd:Page xmlns:ofd="{OFD_NS}">'
        '<ofd:Content><ofd:Layer ID="3">'
        + _ofd_text(4, 20, "办公室文件")
        + "</ofd:Layer></ofd:Content></ofd:Page>",
        "Doc_0/Pages/Page_0/Content.xml": f'{head}<ofd:Page xmlns:ofd="{OFD_NS}">'
        '<ofd:Template TemplateID="2"/><ofd:Content><ofd:Layer ID="5">'
        + _ofd_text(6, 40, CANARY)
        + _ofd_text(7, 60, BODY)
        + "</ofd:Layer></ofd:Content></ofd:Page>",
        "Doc_0/Annots/Annotations.xml": f'{head}<ofd:Annotations xmlns:ofd="{OFD_NS}"><ofd:Page PageID="10">'
        "<ofd:FileLoc>Page_0/Annotation.xml</ofd:FileLoc></ofd:Page></ofd:Annotations>",
        "Doc_0/Annots/Page_0/Annotation.xml": f'{head}<ofd:PageAnnot xmlns:ofd="{OFD_NS}">'
        '<ofd:Annot ID="8" Type="Watermark"><ofd:Appearance Boundary="0 0 210 297">'
        + _ofd_text(9, 150, "内部传阅")
        + "</ofd:Appearance></ofd:Annot></ofd:PageAnnot>",
    }
    return Seed("notice.ofd", ".ofd", zip_of({k: v.encode() for k, v in parts.items()}), "zip")


def zip_of(members: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", method) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return out.getvalue()


def archive_seed(inner: Seed) -> Seed:
    members = {"材料/说明.txt": _text_lines().encode(), "材料/附件.docx": inner.data}
    return Seed("bundle.zip", ".zip", zip_of(members), "zip")


def image_seeds() -> list[Seed]:
    """Small pictures in every decoded format (their text is OCR's business, not the
    decoder's: the oracle asks only whether the pixels still decode)."""
    from PIL import Image, ImageDraw

    picture = Image.new("RGB", (240, 160), "white")
    draw = ImageDraw.Draw(picture)
    for row in range(6):
        draw.rectangle((20, 20 + row * 22, 220 - row * 15, 30 + row * 22), fill=(20, 20, 20))
    draw.rectangle((20, 8, 200, 12), fill=(220, 0, 0))
    seeds = []
    for fmt, suffix in (("PNG", ".png"), ("JPEG", ".jpg"), ("GIF", ".gif"), ("BMP", ".bmp"),
                        ("WEBP", ".webp"), ("TIFF", ".tif")):  # fmt: skip
        out = io.BytesIO()
        picture.save(out, fmt)
        seeds.append(Seed(f"picture{suffix}", suffix, out.getvalue(), "image"))
    return seeds


def message_seed() -> Seed:
    return Seed("message", "", TEXT_MESSAGE.encode(), "message")


def all_seeds() -> list[Seed]:
    """Every seed, in a fixed order (a run is reproducible from its RNG seed)."""
    docx = docx_seed()
    return [
        *text_seeds(),
        docx,
        xlsx_seed(),
        pptx_seed(),
        pdf_seed(),
        ofd_seed(),
        archive_seed(docx),
        *image_seeds(),
        message_seed(),
    ]
