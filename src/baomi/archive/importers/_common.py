"""Helpers the importers share: text decoding, epoch times, media lookup, size bounds."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

from baomi.archive.model import CHINA_TZ, ImportProblem

# Bounds on what one export can make us do (a record, a file, a media folder).
MAX_RECORD_CHARS = 1_000_000
MAX_TEXT_CHARS = 100_000
MAX_MEDIA_FILES = 500_000

_ENCODINGS = ("utf-8", "gb18030")


def read_text(path: Path) -> str:
    """Decode an export file: UTF-8 (with or without BOM), UTF-16 with BOM, or GBK/GB18030."""
    raw = path.read_bytes()
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8", errors="replace")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16", errors="replace")
    for encoding in _ENCODINGS:
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return raw.decode("utf-8", errors="replace")


def head_text(path: Path, size: int = 4096) -> str:
    """The first bytes of a file decoded leniently (for format detection)."""
    with path.open("rb") as fh:
        raw = fh.read(size)
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    for encoding in _ENCODINGS:
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError as exc:
            if exc.start > len(raw) - 4:  # a character cut by the read size
                return raw[: exc.start].decode(encoding)
    return raw.decode("utf-8", errors="replace")


def from_epoch(value: object) -> datetime:
    """Epoch seconds or milliseconds (number or digit string) → Beijing time."""
    number = float(str(value).strip())
    if number > 1e11:  # milliseconds
        number /= 1000.0
    return datetime.fromtimestamp(number, CHINA_TZ)


def parse_local(value: str) -> datetime:
    """'YYYY-MM-DD HH:MM[:SS]' in local (Beijing) time."""
    text = value.strip().replace("/", "-")
    for fmt in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M"):
        try:
            return datetime.strptime(text, fmt).replace(tzinfo=CHINA_TZ)
        except ValueError:
            continue
    raise ValueError(f"无法识别的时间 {value[:30]!r}")


def clip(text: str) -> str:
    return text if len(text) <= MAX_TEXT_CHARS else text[:MAX_TEXT_CHARS]


class MediaFolder:
    """Finds an export's media files by relative path, file name or stem (md5, msgid).

    The folder is indexed once, lazily, and at most `MAX_MEDIA_FILES` files are indexed."""

    def __init__(self, root: Path | None) -> None:
        self.root = root
        self._by_name: dict[str, Path] | None = None
        self._by_stem: dict[str, Path] = {}

    def _index(self) -> dict[str, Path]:
        if self._by_name is None:
            self._by_name = {}
            if self.root is not None and self.root.is_dir():
                count = 0
                for folder, _dirs, files in os.walk(self.root):
                    for name in files:
                        path = Path(folder, name)
                        self._by_name.setdefault(name.lower(), path)
                        self._by_stem.setdefault(path.stem.lower(), path)
                        count += 1
                        if count >= MAX_MEDIA_FILES:
                            return self._by_name
        return self._by_name

    def find(self, *keys: str | None) -> Path | None:
        """The first file matching a key: a path relative to the root, a name or a stem."""
        for key in keys:
            if not key:
                continue
            key = str(key).strip().replace("\\", "/")
            if self.root is not None and "/" in key:
                candidate = (self.root / key).resolve()
                if candidate.is_file() and self.root.resolve() in candidate.parents:
                    return candidate
            by_name = self._index()
            name = key.rsplit("/", 1)[-1].lower()
            found = by_name.get(name) or self._by_stem.get(name)
            if found is not None:
                return found
        return None


def media_root(export: Path, media: Path | None) -> Path:
    """The media folder of an export: given, or the export's own folder."""
    return media if media is not None else export.parent


def csv_rows(path: Path, archive: str, required: tuple[str, ...]):
    """(position, row) for each CSV row, or (position, ImportProblem) for a bad one.

    The header must name every `required` column; a row with missing or extra cells,
    or a cell beyond the size bound, is reported and skipped."""
    import csv
    import io


    reader = csv.reader(io.StringIO(read_text(path), newline=""))
    try:
        header = [h.strip() for h in next(reader)]
    except (StopIteration, csv.Error):
        yield "第 1 行", ImportProblem(archive, "第 1 行", "缺少表头")
        return
    lacking = [c for c in required if c not in header]
    if lacking:
        yield "第 1 行", ImportProblem(archive, "第 1 行", f"表头缺少列：{', '.join(lacking)}")
        return
    while True:
        position = f"第 {reader.line_num + 1} 行"
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error:
            yield position, ImportProblem(archive, position, "CSV 格式错误（引号或字段过长）")
            continue
        if not cells or not any(c.strip() for c in cells):
            continue
        if len(cells) != len(header):
            yield position, ImportProblem(archive, position, f"有 {len(cells)} 列，表头有 {len(header)} 列")
            continue
        yield position, dict(zip(header, cells, strict=True))


def xml_texts(xml: str, *tags: str) -> list[str]:
    """Inner texts of simple tags in an app message's XML (no parser: the XML is untrusted
    and often broken; CDATA and entities are unwrapped)."""
    import html
    import re

    found = []
    for tag in tags:
        for m in re.finditer(rf"<{tag}>(.*?)</{tag}>", xml, re.S):
            value = m.group(1).strip()
            if value.startswith("<![CDATA[") and value.endswith("]]>"):
                value = value[9:-3]
            value = html.unescape(value).strip()
            if value:
                found.append(value)
    return found


def xml_attr(xml: str, name: str) -> str | None:
    import re

    m = re.search(rf'\b{name}\s*=\s*"([^"]*)"', xml)
    return m.group(1) if m else None


def csv_messages(path: Path, required: tuple[str, ...], build) -> Iterator:
    """Messages of a CSV export: `build(row, archive, position)` for each good row, an
    `ImportProblem` for a bad row or one `build` cannot parse (ValueError); the import goes on."""
    archive = path.name
    for position, row in csv_rows(path, archive, required):
        if isinstance(row, ImportProblem):
            yield row
            continue
        try:
            yield build(row, archive, position)
        except ValueError as exc:
            yield ImportProblem(archive, position, f"记录无法解析（{exc}）")
