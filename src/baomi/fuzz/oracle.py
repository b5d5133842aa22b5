"""The oracle: can an ordinary reader still read a mutated file, and does it still say
the seed's marking?

It is asked only about inputs that baomi allowed without finding the marking (R01) and
without reporting them uninspectable (X01). Each format has a reference reader that
does not share baomi's extraction code:

- text/csv: the seed's own codec with replacement (any bytes decode, so text is never
  "unreadable"); html: the same, tags stripped;
- docx/xlsx/pptx/OFD/zip: Python's zipfile; in XML members the text runs (w:t, a:t, t,
  ofd:TextCode …, found by a regular expression, entities resolved), other members
  decoded as UTF-8; nested zips opened the same way;
- pdf: pypdf, and pdfium as a second reader;
- images: Pillow decoding the pixels (their text is OCR's business; see README).

Answers: "unreadable" (the reference reader fails too, so baomi should have said X01),
"marked" (the reference reader still sees the marking that baomi missed) and "benign"
(readable, and the mutation destroyed the marking, so an allow is right). The first two
are silent allows.
"""

from __future__ import annotations

import html
import io
import re
import zipfile

from baomi.fuzz.seeds import MARK, Seed

UNREADABLE = "unreadable"
MARKED = "marked"
BENIGN = "benign"
_TAG = re.compile(r"<[^>]*>")
# the elements that hold a document's text in OOXML and OFD, and OFD's DocInfo fields
_RUN = re.compile(rb"<(?:[\w.-]+:)?(t|delText|TextCode|Title|Subject|Keywords)(?:\s[^>]*)?>([^<]*)</")
MAX_NESTING = 3


def _has_mark(text: str) -> bool:
    """The marking exactly as planted (a mutation that splits it, say with a line break,
    tests the normaliser, not the reader)."""
    return MARK in text


def _member_text(data: bytes) -> str:
    if data.lstrip().startswith((b"<", b"\xef\xbb\xbf<")):
        runs = (m.group(2).decode("utf-8", errors="replace") for m in _RUN.finditer(data))
        return html.unescape("\n".join(runs))
    return data.decode("utf-8", errors="replace")


def _zip_verdict(data: bytes, depth: int = 0) -> str:
    """UNREADABLE when the container or a member cannot be read; else MARKED/BENIGN."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            contents = [zf.read(info) for info in zf.infolist() if not info.filename.endswith("/")]
    except Exception:  # the reference reader failing in any way means "unreadable"
        return UNREADABLE
    verdicts = []
    for content in contents:
        if depth < MAX_NESTING and content.startswith(b"PK\x03\x04"):
            verdicts.append(_zip_verdict(content, depth + 1))
        else:
            verdicts.append(MARKED if _has_mark(_member_text(content)) else BENIGN)
    for answer in (UNREADABLE, MARKED):
        if answer in verdicts:
            return answer
    return BENIGN


def _pdf_verdict(data: bytes) -> str:
    texts: list[str] = []
    opened = False
    try:
        from pypdf import PdfReader

        reader = PdfReader(io.BytesIO(data), strict=False)
        opened = True
        for page in list(reader.pages)[:20]:
            try:
                texts.append(page.extract_text() or "")
            except Exception:  # one damaged page: keep reading the others
                continue
    except Exception:  # pypdf cannot open it: try the second reader
        pass
    try:
        import pypdfium2 as pdfium

        document = pdfium.PdfDocument(data)
        opened = True
        for index in range(min(len(document), 20)):
            texts.append(document[index].get_textpage().get_text_bounded() or "")
    except Exception:  # pdfium cannot open it either: decided below
        pass
    if not opened:
        return UNREADABLE
    return MARKED if any(_has_mark(t) for t in texts) else BENIGN


def _image_verdict(data: bytes) -> str:
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as image:
            image.load()
    except Exception:  # Pillow cannot decode the pixels
        return UNREADABLE
    return BENIGN


def verdict(seed: Seed, data: bytes) -> str:
    """The oracle's answer for a mutated input of `seed` that baomi allowed."""
    if seed.reference in ("text", "html", "message"):
        text = data.decode(seed.encoding, errors="replace")
        if seed.reference == "html":
            text = html.unescape(_TAG.sub("", text))
        return MARKED if _has_mark(text) else BENIGN
    if seed.reference == "zip":
        return _zip_verdict(data)
    if seed.reference == "pdf":
        return _pdf_verdict(data)
    return _image_verdict(data)
