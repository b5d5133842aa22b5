"""Plain text, csv, markdown and html files (UTF-8/UTF-16/GB18030, html tags stripped)."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import PurePath
from typing import ClassVar

from baomi.extract import cues
from baomi.extract.base import Match
from baomi.extract.blob import Blob
from baomi.extract.context import Context
from baomi.extract.sniff import has_known_magic, looks_like_text

TEXT_SUFFIXES = {".txt", ".text", ".csv", ".tsv", ".md", ".markdown", ".log", ".json", ".xml",
                 ".yaml", ".yml", ".ini", ".html", ".htm", ".xhtml", ".srt", ".vtt"}  # fmt: skip
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}


def decode_text(data: bytes) -> str:
    """Decode by BOM, then strict UTF-8, then GB18030 (which accepts any byte string
    of GBK/GB2312 text); undecodable bytes become U+FFFD rather than failing."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    sample = data[:4096]
    if sample.count(b"\x00") > len(sample) // 8:  # UTF-16 without a byte-order mark
        odd_nuls = sample[1::2].count(b"\x00")
        even_nuls = sample[0::2].count(b"\x00")
        return data.decode("utf-16-le" if odd_nuls >= even_nuls else "utf-16-be", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("gb18030", errors="replace")


class _TextOfHtml(HTMLParser):
    """Visible text of an html page (script and style dropped, entities resolved)."""

    SKIP: ClassVar[set[str]] = {"script", "style", "noscript", "template"}
    BLOCK: ClassVar[set[str]] = {
        "p",
        "div",
        "br",
        "tr",
        "li",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "td",
        "th",
        "title",
    }

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.SKIP:
            self._skipping += 1
        elif tag in self.BLOCK:
            self.parts.append("\n")
        for name, value in attrs:  # alt/title text is visible to people too
            if name in ("alt", "title") and value:
                self.parts.append(f" {value} ")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP and self._skipping:
            self._skipping -= 1
        elif tag in self.BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(data)


def html_to_text(markup: str) -> str:
    parser = _TextOfHtml()
    parser.feed(markup)
    parser.close()
    lines = (" ".join(line.split()) for line in "".join(parser.parts).splitlines())
    return "\n".join(line for line in lines if line)


def _looks_like_html(text: str) -> bool:
    start = text.lstrip()[:200].lower()
    return start.startswith(("<!doctype html", "<html")) or "<body" in text[:2000].lower()


class PlainTextExtractor:
    name = "text"

    def accepts(self, path: PurePath, head: bytes) -> Match:
        if has_known_magic(head):
            return Match.NO
        if path.suffix.lower() in TEXT_SUFFIXES:
            return Match.EXTENSION
        return Match.GUESS if looks_like_text(head) else Match.NO

    def media(self, path: PurePath, head: bytes) -> str:
        return "text"

    def extract(self, blob: Blob, ctx: Context) -> None:
        text = decode_text(blob.read())
        if blob.suffix in HTML_SUFFIXES or _looks_like_html(text):
            text = html_to_text(text)
        ctx.cue(cues.TEXT)
        ctx.add(text, f"{blob.source}/text", "text")
