"""Zip containers: decide from the member names whether a zip is a docx, xlsx, pptx,
OFD or a plain archive (names, not the file extension, decide), then read it."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import PurePath

from baomi.extract.archive import read_archive
from baomi.extract.base import Match
from baomi.extract.blob import Blob
from baomi.extract.context import Context
from baomi.extract.docx_reader import read_docx
from baomi.extract.embedded import read_embeddings, read_pictures
from baomi.extract.ofd_reader import read_ofd
from baomi.extract.pptx_reader import read_pptx
from baomi.extract.sniff import has_known_magic, is_zip
from baomi.extract.xlsx_reader import read_xlsx
from baomi.extract.zipsafe import check_xml_parts, guard_container, open_zip

Reader = Callable[[Blob, zipfile.ZipFile, Context], None]
ZIP_SUFFIXES = {
    ".zip",
    ".docx",
    ".docm",
    ".dotx",
    ".xlsx",
    ".xlsm",
    ".pptx",
    ".pptm",
    ".ofd",
    ".jar",
}


def container_kind(names: set[str]) -> str:
    """'docx', 'xlsx', 'pptx', 'ofd' or 'zip' from a zip's member names."""
    lowered = {n.lower().lstrip("/") for n in names}
    if "word/document.xml" in lowered:
        return "docx"
    if "xl/workbook.xml" in lowered:
        return "xlsx"
    if "ppt/presentation.xml" in lowered:
        return "pptx"
    if "ofd.xml" in lowered:
        return "ofd"
    return "zip"


READERS: dict[str, Reader] = {
    "docx": read_docx,
    "xlsx": read_xlsx,
    "pptx": read_pptx,
    "ofd": read_ofd,
}


class ZipFamilyExtractor:
    name = "zip"

    def accepts(self, path: PurePath, head: bytes) -> Match:
        if is_zip(head):
            return Match.MAGIC
        if not has_known_magic(head) and path.suffix.lower() in ZIP_SUFFIXES:
            return Match.EXTENSION
        return Match.NO

    def media(self, path: PurePath, head: bytes) -> str:
        return "document"

    def extract(self, blob: Blob, ctx: Context) -> None:
        with open_zip(blob) as zf:
            names = set(zf.namelist())
            kind = container_kind(names)
            reader = READERS.get(kind)
            if reader is None:
                read_archive(blob, zf, ctx)
                return
            guard_container(zf, ctx, kind)
            if kind != "ofd":  # the OOXML libraries parse with lxml; OFD uses defusedxml per part
                check_xml_parts(zf, kind)
            reader(blob, zf, ctx)
            if kind != "ofd":
                read_pictures(blob, zf, ctx)
                read_embeddings(blob, zf, ctx)
