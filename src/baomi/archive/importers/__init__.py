"""Chat-export importers. Each module has `NAME`, `sniff(path) -> bool` and
`read(path, media=None)` yielding `ArchiveMessage` or `ImportProblem`.

    for item in read_export(Path("export.jsonl")):   # format detected
        ...
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from baomi.archive.importers import memotrace, pywxdump, qq, wecom
from baomi.archive.model import ArchiveMessage, ImportProblem
from baomi.errors import InputError

# Order matters for detection: the most specific signatures first.
IMPORTERS = {m.NAME: m for m in (wecom, pywxdump, memotrace, qq)}
FORMATS = tuple(IMPORTERS)
_SUFFIXES = {".json", ".jsonl", ".txt", ".csv", ".log", ""}


class ExportFormatError(InputError):
    """An export whose format is unknown or cannot be detected."""


def detect_format(path: Path) -> str:
    """The importer name for a file, from its content (not its name)."""
    for name, module in IMPORTERS.items():
        try:
            if module.sniff(path):
                return name
        except (OSError, UnicodeError):
            break
    raise ExportFormatError(
        f"无法识别导出文件的格式：{path.name}（支持：{', '.join(FORMATS)}；可用 --format 指定）"
    )


def export_files(paths: list[Path]) -> list[Path]:
    """The export files named, folders expanded to the files in them that look like exports."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(
                p
                for p in sorted(path.rglob("*"))
                if p.is_file() and p.suffix.lower() in _SUFFIXES and _known(p)
            )
        elif path.is_file():
            files.append(path)
        else:
            raise ExportFormatError(f"找不到导出文件：{path}")
    return files


def _known(path: Path) -> bool:
    try:
        detect_format(path)
    except ExportFormatError:
        return False
    return True


def read_export(
    path: Path, fmt: str | None = None, media: Path | None = None
) -> Iterator[ArchiveMessage | ImportProblem]:
    """Messages (and problems) of one export file, in file order."""
    if fmt is not None and fmt not in IMPORTERS:
        raise ExportFormatError(f"未知格式 {fmt!r}，可用：{', '.join(FORMATS)}")
    module = IMPORTERS[fmt or detect_format(path)]
    return module.read(path, media)


__all__ = [
    "FORMATS",
    "ArchiveMessage",
    "ExportFormatError",
    "ImportProblem",
    "detect_format",
    "export_files",
    "read_export",
]
