"""xlsx: every sheet (hidden ones too), cell values row by row, plus properties."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from typing import Any

from baomi.extract import cues, safexml
from baomi.extract import problems as P
from baomi.extract.blob import Blob
from baomi.extract.context import Context
from baomi.extract.guard import parser_boundary
from baomi.extract.zipsafe import read_member

ROWS_PER_CHECK = 500
LONG_VALUE_CHARS = 1000  # a cell value this long is reviewed once however often it is used
MAX_LONG_REPEATS = 100
REPEAT_MARK = "〃"  # ditto mark in place of a long value already read


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


def _fit(cells: list[str], room: int) -> list[str]:
    """The leading cells that fit in `room` characters, the last one cut."""
    kept: list[str] = []
    for cell in cells:
        if room <= 0:
            break
        kept.append(cell[:room])
        room -= len(cell) + 1
    return kept


class _LongValues:
    """Long cell values already read: a value that comes back (many cells pointing at one
    large shared string) is not copied again, and too many returns are a bomb."""

    def __init__(self) -> None:
        self.seen: set[str] = set()
        self.repeats = 0

    def cell(self, text: str) -> str:
        if len(text) < LONG_VALUE_CHARS:
            return text
        if text not in self.seen:
            self.seen.add(text)
            return text
        self.repeats += 1
        if self.repeats > MAX_LONG_REPEATS:
            raise P.LimitReached(
                P.BOMB, f"超过 {MAX_LONG_REPEATS} 个单元格引用同一段长文字，疑似展开炸弹，其余未检查"
            )
        return REPEAT_MARK


def _sheet_lines(sheet: Any, ctx: Context, long_values: _LongValues) -> Iterator[str]:
    """The sheet's title, then its rows as tab-separated lines. Cells are costed before
    they are joined: a long value is read once (`_LongValues`), a row is cut to the text
    budget before it is built, and every cell visited (empty padding too) costs one
    character, so a sheet's declared size cannot buy unbounded work."""
    yield sheet.title
    for count, row in enumerate(sheet.iter_rows(values_only=True), 1):
        if count % ROWS_PER_CHECK == 0:
            ctx.check_time()
        ctx.charge(len(row), "表格单元格")
        cells = [long_values.cell(_cell(v)) for v in row]
        if sum(map(len, cells)) + len(cells) > ctx.chars_left:
            cells = _fit(cells, ctx.chars_left + 1)
        if any(cells):
            yield "\t".join(cells).rstrip("\t")


def _declared_sheets(zf: zipfile.ZipFile, ctx: Context) -> int:
    """How many sheets workbook.xml lists (openpyxl skips a sheet whose part is missing)."""
    info = next(i for i in zf.infolist() if i.filename.lower().lstrip("/") == "xl/workbook.xml")
    root = safexml.parse(read_member(zf, info, ctx.limits.max_file_bytes), "xlsx")
    return sum(1 for e in root.iter() if isinstance(e.tag, str) and _local(e.tag) == "sheet")


def _untyped_inline_strings(zf: zipfile.ZipFile, ctx: Context) -> Iterator[str]:
    """Inline strings (`<c><is><t>…`) of cells whose `t="inlineStr"` was dropped: openpyxl
    reads such a cell as empty, Excel still shows its text. Only sheets that hold an
    inline string at all are parsed again."""
    for info in zf.infolist():
        name = info.filename.lower().lstrip("/")
        if not (name.startswith("xl/worksheets/") and name.endswith(".xml")):
            continue
        data = read_member(zf, info, ctx.limits.max_file_bytes)
        if b"<is>" not in data and b":is>" not in data:
            continue
        for cell in safexml.parse(data, "xlsx").iter():
            if not isinstance(cell.tag, str) or _local(cell.tag) != "c" or cell.get("t") == "inlineStr":
                continue
            for child in cell:
                if isinstance(child.tag, str) and _local(child.tag) == "is":
                    text = "".join(
                        t.text or "" for t in child.iter() if isinstance(t.tag, str) and _local(t.tag) == "t"
                    )
                    if text.strip():
                        yield text


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def read_xlsx(blob: Blob, zf: zipfile.ZipFile, ctx: Context) -> None:
    """Review an opened (and bomb-checked) xlsx, streaming rows in read-only mode."""
    import openpyxl

    ctx.cue(cues.DOCUMENT)
    declared = _declared_sheets(zf, ctx)
    with blob.open() as stream, parser_boundary("xlsx"):
        workbook = openpyxl.load_workbook(stream, read_only=True, data_only=True)
        try:
            long_values = _LongValues()
            for number, sheet in enumerate(workbook.worksheets, 1):
                lines = _sheet_lines(sheet, ctx, long_values)
                ctx.add_lines(lines, f"{blob.source}/sheet{number}", "document")
            ctx.add(_properties(workbook), f"{blob.source}/props", "document")
            found = len(workbook.worksheets) + len(workbook.chartsheets)
        finally:
            workbook.close()
    ctx.add_lines(_untyped_inline_strings(zf, ctx), f"{blob.source}/inline", "document")
    if found < declared:
        ctx.problem(P.PARTIAL, f"xlsx 列出 {declared} 个工作表，只有 {found} 个可读，其余未检查")
