"""xlsx: every sheet (hidden ones too), cell values row by row, plus properties."""

from __future__ import annotations

import zipfile
from typing import Any

from baomi.extract import cues
from baomi.extract.blob import Blob
from baomi.extract.context import Context
from baomi.extract.guard import parser_boundary

ROWS_PER_CHECK = 500


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _properties(workbook: Any) -> str:
    props = workbook.properties
    values = (props.title, props.subject, props.creator, props.keywords, props.description,
              props.category, props.lastModifiedBy)  # fmt: skip
    return "\n".join(str(v) for v in values if v)


def read_xlsx(blob: Blob, zf: zipfile.ZipFile, ctx: Context) -> None:
    """Review an opened (and bomb-checked) xlsx, streaming rows in read-only mode."""
    import openpyxl

    ctx.cue(cues.DOCUMENT)
    with blob.open() as stream, parser_boundary("xlsx"):
        workbook = openpyxl.load_workbook(stream, read_only=True, data_only=True)
        try:
            for number, sheet in enumerate(workbook.worksheets, 1):
                lines = [sheet.title]
                for count, row in enumerate(sheet.iter_rows(values_only=True), 1):
                    if count % ROWS_PER_CHECK == 0:
                        ctx.check_time()
                    cells = [_cell(v) for v in row]
                    if any(cells):
                        lines.append("\t".join(cells).rstrip("\t"))
                ctx.add("\n".join(lines), f"{blob.source}/sheet{number}", "document")
            ctx.add(_properties(workbook), f"{blob.source}/props", "document")
        finally:
            workbook.close()
