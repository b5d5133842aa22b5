"""docx: body (paragraphs, tables, text boxes), headers/footers, comments, foot- and
endnotes, tracked deletions, core properties; plus the red 红头 cues from formatting."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from typing import Any

from baomi.extract import cues
from baomi.extract.blob import Blob
from baomi.extract.context import Context
from baomi.extract.guard import parser_boundary

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
TEXT_TAGS = {W + "t", W + "delText"}
BREAK_TAGS = {W + "br", W + "cr"}
# part name pattern → segment suffix
PARTS = (
    (re.compile(r"/word/document\d*\.xml$"), "body"),
    (re.compile(r"/word/header\d*\.xml$"), "header"),
    (re.compile(r"/word/footer\d*\.xml$"), "footer"),
    (re.compile(r"/word/comments\w*\.xml$"), "comments"),
    (re.compile(r"/word/(footnotes|endnotes)\.xml$"), "notes"),
)
HEADER_PARAGRAPHS = 15  # the 红头 sits in the first paragraphs of the body
MIN_TITLE_HALF_POINTS = 44  # 22 pt; 红头 titles are usually 小初 (36 pt) or larger


def paragraphs(root: Any) -> Iterator[str]:
    """Text of every w:p under `root`, in document order; text-box paragraphs nested in
    a paragraph come out on their own; mc:Fallback copies are skipped."""
    order = 0
    collected: list[tuple[int, str]] = []

    def walk(element: Any, buffer: list[str] | None) -> None:
        nonlocal order
        for child in element:
            tag = child.tag
            if tag == MC_FALLBACK or not isinstance(tag, str):
                continue
            if tag == W + "p":
                order += 1
                mine: list[str] = []
                slot = order
                walk(child, mine)
                collected.append((slot, "".join(mine)))
            elif buffer is not None and tag in TEXT_TAGS:
                buffer.append(child.text or "")
            elif buffer is not None and tag == W + "tab":
                buffer.append("\t")
            elif buffer is not None and tag in BREAK_TAGS:
                buffer.append("\n")
            else:
                walk(child, buffer)

    walk(root, None)
    for _slot, text in sorted(collected):
        yield text


def _is_red(hex_colour: str | None) -> bool:
    if not hex_colour or len(hex_colour) != 6:
        return False
    try:
        r, g, b = (int(hex_colour[i : i + 2], 16) for i in (0, 2, 4))
    except ValueError:
        return False
    return r >= 0xB0 and g <= 0x60 and b <= 0x60


def red_cues(body: Any) -> set[str]:
    """Red large runs (title) and red paragraph borders or red drawn lines (rule) in
    the first paragraphs of the body."""
    found: set[str] = set()
    A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
    paras = [p for p in body.iter(W + "p")][:HEADER_PARAGRAPHS]
    for p in paras:
        for rpr in p.iter(W + "rPr"):
            colour = rpr.find(W + "color")
            size = rpr.find(W + "sz")
            red = colour is not None and _is_red(colour.get(W + "val"))
            half_points = size.get(W + "val", "0") if size is not None else "0"
            big = half_points.isdigit() and int(half_points) >= MIN_TITLE_HALF_POINTS
            if red and big:
                found.add(cues.RED_TITLE)
        for borders in p.iter(W + "pBdr"):
            for side in borders:
                if side.tag in (W + "top", W + "bottom") and _is_red(side.get(W + "color")):
                    found.add(cues.RED_RULE)
        for line in p.iter(A + "ln"):
            colour = line.find(f"{A}solidFill/{A}srgbClr")
            if colour is not None and _is_red(colour.get("val")):
                found.add(cues.RED_RULE)
        for element in p.iter():
            stroke = element.get("strokecolor") if isinstance(element.tag, str) else None
            if stroke and element.tag.endswith("}line") and _is_red(stroke.lstrip("#")[:6]):
                found.add(cues.RED_RULE)
    if {cues.RED_TITLE, cues.RED_RULE} <= found:
        found.add(cues.RED_HEADER)
    return found


def _core_properties(document: Any) -> str:
    props = document.core_properties
    values = (props.title, props.subject, props.author, props.keywords, props.comments,
              props.category, props.last_modified_by)  # fmt: skip
    return "\n".join(v for v in values if v)


def read_docx(blob: Blob, zf: zipfile.ZipFile, ctx: Context) -> None:
    """Review an opened (and bomb-checked) docx."""
    import docx
    from docx.oxml import parse_xml

    ctx.cue(cues.DOCUMENT)
    with blob.open() as stream, parser_boundary("docx"):
        document = docx.Document(stream)
        parts = list(document.part.package.iter_parts())
        props = _core_properties(document)
        texts: dict[str, list[str]] = {}
        for part in sorted(parts, key=lambda p: str(p.partname)):
            name = str(part.partname)
            label = next((lbl for pattern, lbl in PARTS if pattern.search(name)), None)
            if label is None:
                continue
            ctx.check_time()
            element = getattr(part, "element", None)
            if element is None:
                element = parse_xml(part.blob)
            if label == "body":
                ctx.cue(*red_cues(element))
            texts.setdefault(label, []).extend(paragraphs(element))
    for label in ("body", "header", "footer", "notes", "comments"):
        if label in texts:
            ctx.add(
                "\n".join(t for t in texts[label] if t.strip()),
                f"{blob.source}/{label}",
                "document",
            )
    ctx.add(props, f"{blob.source}/props", "document")
