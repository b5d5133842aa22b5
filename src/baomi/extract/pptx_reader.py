"""pptx: text of every slide (text frames, tables, groups) and its notes, plus properties."""

from __future__ import annotations

import zipfile
from collections.abc import Iterable, Iterator
from typing import Any

from baomi.extract import cues
from baomi.extract import problems as P
from baomi.extract.blob import Blob
from baomi.extract.context import Context
from baomi.extract.guard import parser_boundary


def shape_texts(shapes: Iterable[Any]) -> Iterator[str]:
    """Text of shapes, descending into groups and tables."""
    for shape in shapes:
        if getattr(shape, "shape_type", None) == 6 or hasattr(shape, "shapes"):  # group
            yield from shape_texts(shape.shapes)
            continue
        if getattr(shape, "has_text_frame", False) and shape.has_text_frame:
            yield shape.text_frame.text
        if getattr(shape, "has_table", False) and shape.has_table:
            for row in shape.table.rows:
                yield "\t".join(cell.text for cell in row.cells)


def _properties(presentation: Any) -> str:
    props = presentation.core_properties
    values = (props.title, props.subject, props.author, props.keywords, props.comments,
              props.category, props.last_modified_by)  # fmt: skip
    return "\n".join(v for v in values if v)


def read_pptx(blob: Blob, zf: zipfile.ZipFile, ctx: Context) -> None:
    """Review an opened (and bomb-checked) pptx."""
    from pptx import Presentation

    ctx.cue(cues.DOCUMENT)
    with blob.open() as stream, parser_boundary("pptx"):
        presentation = Presentation(stream)
        slides = presentation.slides
        for number, slide in enumerate(slides, 1):
            if number > ctx.limits.max_pages:
                ctx.problem(P.PAGES, f"共 {len(slides)} 张幻灯片，仅检查前 {ctx.limits.max_pages} 张")
                break
            ctx.check_time()
            source = f"{blob.source}/slide{number}"
            ctx.add("\n".join(t for t in shape_texts(slide.shapes) if t.strip()), source, "document")
            if slide.has_notes_slide and slide.notes_slide.notes_text_frame is not None:
                ctx.add(slide.notes_slide.notes_text_frame.text, f"{source}/notes", "document")
        ctx.add(_properties(presentation), f"{blob.source}/props", "document")
