"""One matching pass: all literal cues in one Aho-Corasick automaton, all structural
patterns (document numbers, ID numbers, periods after ★ …) in one compiled expression.

The result, `Hits`, indexes every match by category so detectors can ask for cues near
a position without scanning the text again.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass, field

import ahocorasick

from baomi.lexicon import BLOCKER, Cue, load_lexicon
from baomi.text.normalise import normalise

_CN_NUM = "一二三四五六七八九十两零〇百"
# Structural patterns, one alternation; group names are hit categories.
PATTERNS: dict[str, str] = {
    # ★ and what follows it: a period in years/months, 长期, a date, or a condition
    "star": (
        rf"★\s?(?:\d{{1,3}}\s?(?:年|个月|月|天)|[{_CN_NUM}]{{1,3}}\s?(?:年|个月)|长期|"
        rf"\d{{4}}年\d{{1,2}}月(?:\d{{1,2}}日)?|[^\s,.;:!?，。；]{{1,12}}?(?:后|止|前|为止|解密))?"
    ),
    # 〔年份〕序号号; the issuer's code before it (临政办发) is added in `_doc_number_prefix`
    "doc_number": r"〔(?:19|20)\d\d〕\s?\d{1,4}\s?号",
    "title": r"《[^《》\n]{2,80}》",
    "guanyu_title": (
        r"关于[^,.。;:!?“”\n]{2,60}?的(?:实施意见|总体方案|工作方案|实施方案|实施办法|通知|意见|请示|"
        r"报告|决定|方案|批复|函|通报|规定|办法|纪要|决议|通告|预案)"
    ),
    "copy_number": r"份号\s?[:：]?\s?\d{2,6}",
    "id_number": r"(?<![\dA-Za-z])\d{6}[ -]?(?:18|19|20)\d{2}[ -]?\d{4}[ -]?\d{3}[\dxX](?![\dA-Za-z])",
    "mobile": r"(?<![\d])(?:\+?86[ -]?)?1[3-9]\d[ -]?\d{4}[ -]?\d{4}(?!\d)",
    "bank_card": r"(?<![\d])(?:\d{4}[ -]?){3,4}\d{1,3}(?!\d)",
    "clock": (
        r"(?:\d{1,2}|十[一二]?|[两二三四五六七八九]|一(?=点[半钟]))\s?[点时]"
        rf"(?:\d{{1,2}}分?|半|整|[{_CN_NUM}]{{1,3}}分)?|(?<!\d)\d{{1,2}}:\d{{2}}(?!\d)"
    ),
    # a head count (死了好几个, 3人遇难): kept as a casualty only next to harm (see `scan`)
    "count": r"(?:好几|几十|十几|二十多|几|\d+|[两二三四五六七八九十百]+)多?(?:个人|个|人|名)",
    "date": rf"(?:\d{{1,2}}|[{_CN_NUM}]{{1,3}})月(?:\d{{1,2}}|[{_CN_NUM}]{{1,3}})[日号]",
    "age": r"(?<!\d)\d{1,3}岁",
    "address": (
        rf"(?:\d{{1,4}}|[{_CN_NUM}]{{1,3}})(?:栋|幢|单元|号楼|组|床)"
        r"|住(?:在)?[\u4e00-\u9fff\d]{2,14}?(?:小区|社区|村|苑|园|街道|路|镇|乡|号|巷)"
    ),
    "media_tag": r"\[(?:图片|视频|语音|文件|动画表情|照片|音频)[^\]]{0,12}\]",
}
# Every pattern starts with one of these characters; the leading look-ahead lets the regex
# engine skip all other positions at C speed instead of trying each alternative there.
_FIRST_CHARS = r"★〔《关份\[住+\d一二三四五六七八九十两零〇百几"
_COMBINED = re.compile(
    f"(?=[{_FIRST_CHARS}])(?:" + "|".join(f"(?P<{name}>{rx})" for name, rx in PATTERNS.items()) + ")"
)
_CODE_BEFORE = re.compile(r"[\u4e00-\u9fff]{1,8}$")
_HARM_BEFORE = re.compile(r"(?:死|伤|埋|困|冲走|中毒|感染)了?$")
_HARM_AFTER = re.compile(r"^(?:死亡|遇难|受伤|失联|被埋|被困|中毒|感染|获救)")


@dataclass(frozen=True, slots=True)
class Hit:
    """One cue or pattern found in the normalised text at [start, end)."""

    category: str
    start: int
    end: int
    term: str
    weak: bool = False


@dataclass(slots=True)
class Hits:
    """All hits of one text, by category, each list sorted by start."""

    by_category: dict[str, list[Hit]] = field(default_factory=dict)
    _starts: dict[str, list[int]] = field(default_factory=dict)

    def add(self, hit: Hit) -> None:
        self.by_category.setdefault(hit.category, []).append(hit)

    def finish(self) -> Hits:
        for hits in self.by_category.values():
            hits.sort(key=lambda h: (h.start, -h.end))
        self._starts = {c: [h.start for h in hs] for c, hs in self.by_category.items()}
        return self

    def __bool__(self) -> bool:
        return bool(self.by_category)

    def get(self, category: str) -> list[Hit]:
        return self.by_category.get(category, [])

    def has(self, *categories: str) -> bool:
        return any(c in self.by_category for c in categories)

    def within(self, category: str, lo: int, hi: int, strong_only: bool = False) -> list[Hit]:
        """Hits of `category` that start in [lo, hi)."""
        hits = self.by_category.get(category)
        if not hits:
            return []
        starts = self._starts[category]
        i = bisect_left(starts, max(lo, 0))
        out = []
        while i < len(hits) and hits[i].start < hi:
            if not (strong_only and hits[i].weak):
                out.append(hits[i])
            i += 1
        return out

    def near(self, category: str, hit: Hit, before: int, after: int) -> list[Hit]:
        """Hits of `category` starting within `before` chars before and `after` after `hit`."""
        return [h for h in self.within(category, hit.start - before, hit.end + after) if h != hit]

    def any_near(self, categories: Iterable[str], hit: Hit, before: int, after: int) -> bool:
        return any(self.near(c, hit, before, after) for c in categories)

    def count(self) -> int:
        return sum(len(v) for v in self.by_category.values())


class Matcher:
    """The compiled automaton and patterns. Build once (see `default_matcher`), reuse."""

    def __init__(self, extra_terms: dict[str, Iterable[str]] | None = None) -> None:
        lexicon: dict[str, tuple[Cue, ...]] = dict(load_lexicon())
        for category, terms in (extra_terms or {}).items():
            for term in terms:
                key = normalise(term).text  # the organisation writes terms as people do
                lexicon[key] = (*lexicon.get(key, ()), Cue(category))
        automaton = ahocorasick.Automaton()
        for term, cues in lexicon.items():
            latin_edges = (term[0].isascii() and term[0].isalpha(), term[-1].isascii() and term[-1].isalpha())
            automaton.add_word(term, (len(term), term, cues, latin_edges))
        automaton.make_automaton()
        self._automaton = automaton

    def scan(self, text: str) -> Hits:
        """Every cue and pattern in `text` (already normalised), in two passes total."""
        hits = Hits()
        by_category = hits.by_category
        n = len(text)
        for end_index, (length, term, cues, (latin_head, latin_tail)) in self._automaton.iter(text):
            start = end_index - length + 1
            if (latin_head and start > 0 and "a" <= text[start - 1] <= "z") or (
                latin_tail and end_index + 1 < n and "a" <= text[end_index + 1] <= "z"
            ):
                continue  # a Latin cue inside a longer word (jm in jmeter)
            for cue in cues:
                hit = Hit(cue.category, start, end_index + 1, term, cue.weak)
                if cue.category in by_category:
                    by_category[cue.category].append(hit)
                else:
                    by_category[cue.category] = [hit]
        for m in _COMBINED.finditer(text):
            kind, start, end = m.lastgroup, m.start(), m.end()
            if kind == "doc_number":
                code = _CODE_BEFORE.search(text, max(0, start - 8), start)
                if not code:
                    continue
                start = code.start()
            elif kind == "count":
                if not (_HARM_BEFORE.search(text, max(0, start - 3), start) or _HARM_AFTER.match(text, end)):
                    continue
                kind = "casualty"
            hits.add(Hit(kind, start, end, text[start:end]))
        blockers = hits.by_category.pop(BLOCKER, None)
        if blockers:
            _drop_blocked(hits, blockers)
        return hits.finish()


def _drop_blocked(hits: Hits, blockers: list[Hit]) -> None:
    """Remove cue hits that lie inside a blocker word (定了 inside 确定了)."""
    spans = [(b.start, b.end) for b in blockers]
    for category, items in hits.by_category.items():
        hits.by_category[category] = [
            h
            for h in items
            if not any(s <= h.start and h.end <= e and (e - s) > (h.end - h.start) for s, e in spans)
        ]


_DEFAULT: Matcher | None = None


def default_matcher() -> Matcher:
    """The matcher for the shipped lexicon, built on first use."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = Matcher()
    return _DEFAULT
