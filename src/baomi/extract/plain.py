"""Plain text, csv, markdown and html files (encoding by `textcodec`, html tags stripped)."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from pathlib import PurePath
from typing import ClassVar

from baomi.extract import cues, textcodec
from baomi.extract import problems as P
from baomi.extract.base import Match
from baomi.extract.blob import Blob
from baomi.extract.context import Context
from baomi.extract.sniff import has_known_magic, looks_like_text

TEXT_SUFFIXES = {".txt", ".text", ".csv", ".tsv", ".md", ".markdown", ".log", ".json", ".xml",
                 ".yaml", ".yml", ".ini", ".html", ".htm", ".xhtml", ".srt", ".vtt"}  # fmt: skip
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
XML_SUFFIXES = {".xml", ".rels", ".svg"}


class _TextOfHtml(HTMLParser):
    """Visible text of an html page (entities resolved), and apart from it the text a
    browser does not show: script, style, template, comments and attribute values. That
    text is still in the file, and an unclosed <style> or quote would otherwise hide
    everything after it."""

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
        self.hidden: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.SKIP:
            self._skipping += 1
        elif tag in self.BLOCK:
            self.parts.append("\n")
        for name, value in attrs:  # alt/title text is visible to people too
            if name in ("alt", "title") and value:
                self.parts.append(f" {value} ")
            elif value:  # any other attribute is still text in the file
                self.hidden.append(f"\n{value}\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP and self._skipping:
            self._skipping -= 1
        elif tag in self.BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        (self.hidden if self._skipping else self.parts).append(data)

    def handle_comment(self, data: str) -> None:
        self.hidden.append(f"\n{data}\n")

    def close(self) -> None:
        super().close()
        if self.rawdata:  # left unparsed, e.g. inside a <style> that never closes
            self.hidden.append(f"\n{self.rawdata}")
            self.rawdata = ""


_TAG = re.compile(r"<[^<>]*>")


def _tidy(parts: list[str]) -> str:
    lines = (" ".join(line.split()) for line in "".join(parts).splitlines())
    return "\n".join(line for line in lines if line)


def html_texts(markup: str) -> tuple[str, str]:
    """(visible text, hidden text) of an html page."""
    parser = _TextOfHtml()
    parser.feed(markup)
    parser.close()
    return _tidy(parser.parts), _tidy(parser.hidden)


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
        decoded = textcodec.decode(blob.read())
        if decoded.unreadable:  # binary, or an encoding we do not know
            ctx.problem(
                P.ENCODING,
                f"{decoded.garbled:.0%} 的字符无法识别（按 {decoded.encoding} 解码），内容未能可靠检查",
            )
        ctx.cue(cues.TEXT)
        if blob.suffix in HTML_SUFFIXES or _looks_like_html(decoded.text):
            visible, hidden = html_texts(decoded.text)
            ctx.add(visible, f"{blob.source}/text", "text")
            ctx.add(hidden, f"{blob.source}/hidden", "text")
            if hidden:  # a tag between two halves of a word (机<script>密★…) splits it in both
                ctx.add(html.unescape(_TAG.sub("", decoded.text)), f"{blob.source}/markup", "text")
        elif blob.suffix in XML_SUFFIXES or decoded.text.lstrip("\ufeff \r\n\t").startswith("<?xml"):
            # character references (&#26426;) would hide the text from every pattern
            ctx.add(html.unescape(decoded.text), f"{blob.source}/text", "text")
        else:
            ctx.add(decoded.text, f"{blob.source}/text", "text")
