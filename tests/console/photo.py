"""A photo of a marked page (tests/synth) and the OCR lines a reader would find on it,
with boxes where official_page drew each line."""

from __future__ import annotations

from PIL import ImageDraw

from tests.synth.fonts import font
from tests.synth.pages import PageText, official_page

SIZE = (1000, 1414)  # under the OCR side limit: the boxes stay in these pixels


def marked_page_photo():
    """(image, [[text, [x0, y0, x1, y1]], …])."""
    text = PageText()
    image = official_page(text, size=SIZE)
    w, h = SIZE
    draw = ImageDraw.Draw(image)
    x0 = int(w * 0.12)
    small, mark, big, body = font(w // 36), font(w // 28), font(w // 13), font(w // 30)
    placed = [
        (text.copy_no, x0, int(h * 0.06), small),
        (text.marking, x0, int(h * 0.085), mark),
        (text.urgency, x0, int(h * 0.115), mark),
        (text.authority, (w - draw.textlength(text.authority, font=big)) / 2, int(h * 0.17), big),
        (text.doc_no, (w - draw.textlength(text.doc_no, font=body)) / 2, int(h * 0.26), body),
    ]
    y = int(h * 0.40)
    for line in text.body:
        placed.append((line, x0, y, body))
        y += int(body.size * 1.9)
    lines = []
    for s, x, top, f in placed:
        bx0, by0, bx1, by1 = draw.textbbox((x, top), s, font=f)
        lines.append([s, [bx0, by0, bx1, by1]])
    return image, lines
