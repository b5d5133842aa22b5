"""OFD (GB/T 33190) reader over zipfile + defusedxml.

OFD.xml → DocBody (one or more) → DocRoot (Document.xml) → Pages/Page → Content.xml
with TextObject/TextCode. Template pages (TemplatePage, where the 红头 often lives)
are merged into the pages that use them; annotations (stamps, watermarks) are read
too. Pages without text but with images (scans) are OCR'd within the OCR budget.
Red cues come from the objects' colours: a large red TextObject near the top is the
title, a long thin red PathObject the rule.
"""

from __future__ import annotations

import posixpath
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from baomi.errors import ExtractionError
from baomi.extract import cues, safexml
from baomi.extract import problems as P
from baomi.extract.blob import Blob
from baomi.extract.context import Context
from baomi.extract.zipsafe import read_member

DEFAULT_BOX = (0.0, 0.0, 210.0, 297.0)  # A4 in mm
MAX_XML_PART_BYTES = 8 * 2**20  # a page of an OFD is rarely over 1 MiB of XML
MIN_TITLE_SIZE_MM = 7.0  # about 20 pt
DOC_INFO_FIELDS = ("Title", "Author", "Subject", "Abstract", "Keywords", "Creator")


def local(tag: Any) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def children(element: Any, name: str) -> Iterator[Any]:
    return (c for c in element if local(c.tag) == name)


def child(element: Any, name: str) -> Any | None:
    return next(children(element, name), None)


def descendants(element: Any, name: str) -> Iterator[Any]:
    return (e for e in element.iter() if local(e.tag) == name)


def _numbers(text: str | None, count: int) -> tuple[float, ...] | None:
    try:
        values = tuple(float(v) for v in (text or "").split())
    except ValueError:
        return None
    return values if len(values) == count else None


def _is_red(element: Any, colour_tag: str) -> bool:
    colour = child(element, colour_tag)
    rgb = _numbers(colour.get("Value") if colour is not None else None, 3)
    return rgb is not None and rgb[0] >= 176 and rgb[1] <= 96 and rgb[2] <= 96


@dataclass(frozen=True, slots=True)
class _Glyphs:
    x: float
    y: float
    size: float
    text: str


class OfdPackage:
    """Parts of an OFD zip, read with size limits and parsed with defusedxml."""

    def __init__(self, zf: zipfile.ZipFile, ctx: Context) -> None:
        self.zf = zf
        self.ctx = ctx
        self.names = {info.filename.lstrip("/"): info for info in zf.infolist()}

    def resolve(self, base_dir: str, location: str) -> str:
        """A part path: absolute locations from the package root, others from base_dir."""
        location = location.strip().replace("\\", "/")
        joined = location.lstrip("/") if location.startswith("/") else posixpath.join(base_dir, location)
        return posixpath.normpath(joined).lstrip("/")

    def _info(self, path: str) -> zipfile.ZipInfo:
        info = self.names.get(path)
        if info is None:
            folded = {k.lower(): v for k, v in self.names.items()}
            info = folded.get(path.lower())
        if info is None:
            raise ExtractionError(P.CORRUPT, "ofd 缺少引用的部件")
        return info

    def raw(self, path: str) -> bytes:
        return read_member(self.zf, self._info(path), self.ctx.limits.max_file_bytes)

    def xml(self, path: str) -> Any:
        """A part parsed with defusedxml; parts are small XML, a huge one is refused
        before its tree is built."""
        info = self._info(path)
        if info.file_size > MAX_XML_PART_BYTES:
            raise ExtractionError(
                P.TOO_BIG, f"ofd 部件 {P.mib(info.file_size)}，超过 {P.mib(MAX_XML_PART_BYTES)} 上限，未解析"
            )
        return safexml.parse(read_member(self.zf, info, MAX_XML_PART_BYTES), "ofd")

    def distinct(self, paths: Iterable[str], what: str) -> list[str]:
        """Distinct part paths in order; past `max_archive_members` references the rest
        are dropped and reported (a part named 300,000 times is one bomb)."""
        cap = self.ctx.limits.max_archive_members
        kept: dict[str, None] = {}
        for count, path in enumerate(paths, 1):
            if count > cap:
                self.ctx.problem(P.PARTIAL, f"ofd {what}引用超过 {cap} 个上限，其余未检查")
                break
            kept[path] = None
        return list(kept)


def _lines(glyphs: list[_Glyphs]) -> str:
    """Group positioned text runs into lines (top to bottom, left to right)."""
    rows: list[list[_Glyphs]] = []
    for run in sorted(glyphs, key=lambda g: (g.y, g.x)):
        if rows and abs(run.y - rows[-1][0].y) <= 0.5 * max(run.size, rows[-1][0].size, 1.0):
            rows[-1].append(run)
        else:
            rows.append([run])
    return "\n".join("".join(g.text for g in sorted(row, key=lambda g: g.x)) for row in rows)


class _Page:
    """Text runs, red cues and image references of one page (with its templates).

    `room` bounds the characters collected: a page (or template) holding more text than
    the attachment's budget stops collecting, and adding its text ends the attachment.
    """

    def __init__(self, box: tuple[float, ...], room: int) -> None:
        self.box = box
        self.room = room
        self.glyphs: list[_Glyphs] = []
        self.images: list[str] = []
        self.red: set[str] = set()

    def _glyph(self, glyph: _Glyphs) -> None:
        if self.room >= 0:
            self.glyphs.append(glyph)
            self.room -= len(glyph.text)

    def add_content(self, root: Any) -> None:
        width, height = self.box[2] or 210.0, self.box[3] or 297.0
        for obj in descendants(root, "TextObject"):
            bound = _numbers(obj.get("Boundary"), 4) or (0.0, 0.0, 0.0, 0.0)
            size = _numbers(obj.get("Size"), 1)
            size_mm = size[0] if size else 3.5
            for code in children(obj, "TextCode"):
                x = (_numbers(code.get("X"), 1) or (0.0,))[0]
                y = (_numbers(code.get("Y"), 1) or (0.0,))[0]
                if code.text:
                    self._glyph(_Glyphs(bound[0] + x, bound[1] + y, size_mm, code.text))
            if _is_red(obj, "FillColor") and size_mm >= MIN_TITLE_SIZE_MM and bound[1] < 0.45 * height:
                self.red.add(cues.RED_TITLE)
        for obj in descendants(root, "PathObject"):
            bound = _numbers(obj.get("Boundary"), 4)
            red = _is_red(obj, "StrokeColor") or _is_red(obj, "FillColor")
            if red and bound and bound[2] >= 0.4 * width and bound[3] <= 3.0:
                self.red.add(cues.RED_RULE)
        images = (obj.get("ResourceID") for obj in descendants(root, "ImageObject"))
        self.images.extend(dict.fromkeys(i for i in images if i))

    def merge(self, other: _Page) -> None:
        for glyph in other.glyphs:
            self._glyph(glyph)
        self.red |= other.red
        self.images.extend(other.images)

    def text(self) -> str:
        return _lines(self.glyphs)


class OfdDocument:
    """One DocBody: its Document.xml, templates, resources and pages.

    References are followed once per distinct part: a file that names one part 300,000
    times (as pages, templates, resources or annotations) costs one parse of it.
    """

    def __init__(self, package: OfdPackage, root_path: str) -> None:
        self.package = package
        self.root_path = root_path
        self.base = posixpath.dirname(root_path)
        self.root = package.xml(root_path)
        common = child(self.root, "CommonData")
        self.box = self._page_box(common) or DEFAULT_BOX
        self.templates = {
            t.get("ID"): package.resolve(self.base, t.get("BaseLoc", ""))
            for t in (children(common, "TemplatePage") if common is not None else ())
            if t.get("ID") and t.get("BaseLoc")
        }
        self._template_pages: dict[str, _Page] = {}
        self._media: dict[str, str] | None = None

    @staticmethod
    def _page_box(holder: Any | None) -> tuple[float, ...] | None:
        area = child(holder, "PageArea") if holder is not None else None
        area = area if area is not None else (child(holder, "Area") if holder is not None else None)
        box = child(area, "PhysicalBox") if area is not None else None
        return _numbers(box.text if box is not None else None, 4)

    def page_paths(self) -> list[str]:
        """Distinct page parts in page order."""
        pages = child(self.root, "Pages")
        if pages is None:
            return []
        paths = (self.package.resolve(self.base, p.get("BaseLoc", "")) for p in children(pages, "Page"))
        return self.package.distinct(paths, "页面")

    def _template(self, path: str) -> _Page:
        if path not in self._template_pages:
            template = _Page(self.box, self.package.ctx.chars_left)
            template.add_content(self.package.xml(path))
            self._template_pages[path] = template
        return self._template_pages[path]

    def page(self, path: str) -> _Page:
        root = self.package.xml(path)
        page = _Page(self._page_box(root) or self.box, self.package.ctx.chars_left)
        used = (self.templates.get(ref.get("TemplateID")) or "" for ref in children(root, "Template"))
        for template in self.package.distinct(used, "模板"):
            if template:
                page.merge(self._template(template))
        content = child(root, "Content")
        if content is not None:
            page.add_content(content)
        return page

    def media_path(self, resource_id: str) -> str | None:
        """The package path of an image resource (from PublicRes/DocumentRes)."""
        if self._media is None:
            self._media = {}
            common = child(self.root, "CommonData")
            refs = (
                self.package.resolve(self.base, ref.text or "")
                for holder in ("PublicRes", "DocumentRes")
                for ref in (children(common, holder) if common is not None else ())
            )
            for res_path in self.package.distinct(refs, "资源"):
                try:
                    res = self.package.xml(res_path)
                except ExtractionError:
                    continue
                res_base = self.package.resolve(posixpath.dirname(res_path), res.get("BaseLoc", "."))
                for media in descendants(res, "MultiMedia"):
                    file = child(media, "MediaFile")
                    if media.get("ID") and file is not None and file.text:
                        self._media[media.get("ID")] = self.package.resolve(res_base, file.text)
        return self._media.get(resource_id)

    def annotation_texts(self) -> Iterator[str]:
        """Text drawn by annotations (stamps, watermarks, notes), each part read once."""
        ref = child(self.root, "Annotations")
        if ref is None or not ref.text:
            return
        index_path = self.package.resolve(self.base, ref.text)
        index = self.package.xml(index_path)
        base = posixpath.dirname(index_path)
        locations = (
            self.package.resolve(base, loc.text) for loc in descendants(index, "FileLoc") if loc.text
        )
        for part in self.package.distinct(locations, "注释"):
            self.package.ctx.check_time()
            annot = self.package.xml(part)
            yield from (code.text for code in descendants(annot, "TextCode") if code.text)


def doc_roots(package: OfdPackage) -> list[tuple[str, str]]:
    """(DocRoot path, DocInfo text) of each DocBody in OFD.xml."""
    entry = next((n for n in package.names if n.lower() == "ofd.xml"), "OFD.xml")
    root = package.xml(entry)
    found = []
    for body in children(root, "DocBody"):
        doc_root = child(body, "DocRoot")
        info = child(body, "DocInfo")
        meta = "\n".join(
            f.text for name in DOC_INFO_FIELDS
            for f in (children(info, name) if info is not None else ()) if f.text
        )  # fmt: skip
        if doc_root is not None and doc_root.text:
            found.append((package.resolve("", doc_root.text), meta))
    if not found:
        raise ExtractionError(P.CORRUPT, "ofd 缺少 DocBody/DocRoot")
    distinct: dict[str, str] = {}
    for path, meta in found:  # each DocRoot once, however often OFD.xml names it
        distinct.setdefault(path, meta)
    return list(distinct.items())


def _ocr_page_images(document: OfdDocument, page: _Page, source: str, ctx: Context) -> None:
    from baomi.extract.image import load_rgb
    from baomi.extract.ocr_page import add_visual_cues, ocr_into

    for resource_id in page.images:
        path = document.media_path(resource_id)
        if path is None:
            continue
        if not ctx.take_ocr_page():
            ctx.problem(P.OCR_PAGES, f"扫描页超过 {ctx.limits.max_ocr_pages} 页识别上限，其余未检查")
            return
        image = Blob(path, source, data=document.package.raw(path))
        rgb = load_rgb(image, ctx.limits.max_pixels)
        add_visual_cues(rgb, ctx, classify_kind=False)
        if ocr_into(rgb, ctx, source):
            ctx.cue(cues.SCANNED)


def read_ofd(blob: Blob, zf: zipfile.ZipFile, ctx: Context) -> None:
    """Review an opened (and bomb-checked) OFD package."""
    ctx.cue(cues.DOCUMENT)
    package = OfdPackage(zf, ctx)
    roots = doc_roots(package)
    pages_read = 0
    pages_total = 0
    for number, (root_path, meta) in enumerate(roots, 1):
        prefix = blob.source if len(roots) == 1 else f"{blob.source}/d{number}"
        ctx.add(meta, f"{prefix}/props", "document")
        document = OfdDocument(package, root_path)
        paths = document.page_paths()
        pages_total += len(paths)
        for page_number, path in enumerate(paths, 1):
            if pages_read >= ctx.limits.max_pages:
                break
            ctx.check_time()
            pages_read += 1
            source = f"{prefix}/p{page_number}"
            try:
                page = document.page(path)
            except P.LimitReached:
                raise
            except ExtractionError as error:
                ctx.problem(error.reason, f"ofd 第 {page_number} 页：{error.detail}")
                continue
            ctx.cue(*page.red)
            if {cues.RED_TITLE, cues.RED_RULE} <= page.red:
                ctx.cue(cues.RED_HEADER)
            text = page.text()
            ctx.add(text, source, "document")
            if not text.strip() and page.images:
                try:
                    _ocr_page_images(document, page, source, ctx)
                except P.LimitReached:
                    raise
                except ExtractionError as error:
                    ctx.record(error)
        try:
            ctx.add_lines(document.annotation_texts(), f"{prefix}/annots", "document")
        except P.LimitReached:
            raise
        except ExtractionError as error:
            ctx.problem(error.reason, f"ofd 注释：{error.detail}")
    if pages_total > pages_read:
        ctx.problem(P.PAGES, f"共 {pages_total} 页，仅检查前 {pages_read} 页，其余页未检查")
