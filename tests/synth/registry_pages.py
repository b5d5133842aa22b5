"""Page images of made-up 公文 (tests/synth/gongwen.py), to photograph and OCR."""

from __future__ import annotations

from PIL import Image, ImageDraw

from tests.synth.fonts import font
from tests.synth.gongwen import Gongwen
from tests.synth.pages import BLACK, RED

LINE_CHARS = 26


def page_image(doc: Gongwen, page_no: int, size=(1240, 1754)) -> Image.Image:
    """Page `page_no` (0-based) of `doc` as a white A4 page: the first page with its
    marking and red 红头, the others as plain body text with a page number."""
    w, h = size
    page = Image.new("RGB", size, (252, 252, 250))
    draw = ImageDraw.Draw(page)
    body = font(w // 32)
    x0, y = int(w * 0.1), int(h * 0.06)
    lines = doc.pages[page_no].split("\n")
    if page_no == 0:
        draw.text((x0, y), doc.marking, fill=BLACK, font=font(w // 28))
        big = font(w // 16)
        authority = lines.pop(0)
        tw = draw.textlength(authority, font=big)
        draw.text(((w - tw) / 2, int(h * 0.11)), authority, fill=RED, font=big)
        draw.rectangle((int(w * 0.1), int(h * 0.19), int(w * 0.9), int(h * 0.19) + 5), fill=RED)
        y = int(h * 0.21)
    step = int(body.size * 1.7)
    for part in lines:
        for i in range(0, len(part), LINE_CHARS):
            if y > h * 0.93:
                break
            draw.text((x0, y), part[i : i + LINE_CHARS], fill=BLACK, font=body)
            y += step
    number = f"— {page_no + 1} —"
    draw.text(((w - draw.textlength(number, font=body)) / 2, int(h * 0.95)), number, fill=BLACK, font=body)
    return page
