"""One matching pass: all literal cues in one Aho-Corasick automaton (ahocorasick_rs: the
whole text in one call, every overlapping match back as character offsets), all structural
patterns (document numbers, ID numbers, periods after ★ …) in one compiled expression.

The result, `Hits`, indexes every match by category so detectors can ask for cues near
a position without scanning the text again.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable
from operator import itemgetter
from typing import NamedTuple

import ahocorasick_rs

from baomi.lexicon import BLOCKER, SOUND_CATEGORIES, Cue, load_lexicon, strong_terms
from baomi.text import pinyin, sounds
from baomi.text.normalise import normalise

_CN_NUM = "一二三四五六七八九十两零〇百"
# Structural patterns, one alternation; group names are hit categories.
PATTERNS: dict[str, str] = {
    # ★ and what follows it: a period in years/months, 长期, a date, or a condition
    "star": (
        rf"★\s?(?:\d{{1,3}}\s?(?:年|个月|月|天)|[{_CN_NUM}]{{1,3}}\s?(?:年|个月)|长期|"
        rf"\d{{4}}年\d{{1,2}}月(?:\d{{1,2}}日)?|[^\s,.;:!?，。；]{{1,12}}?(?:后|止|前|为止|解密))?"
    ),
    # 〔年份〕序号号, the number of a classified one may carry 密 (〔2024〕密5号, 密字第5号);
    # the issuer's code before it (临政办发) is added in `scan`
    "doc_number": r"〔\s?(?:19|20)\d\d\s?〕\s?(?:[密秘]\s?字?\s?第?\s?)?\d{1,4}\s?号",
    "title": r"《[^《》\n]{2,80}》",
    "guanyu_title": (
        r"关于[^,.。;:!?“”\n]{2,60}?的(?:实施意见|总体方案|工作方案|实施方案|实施办法|通知|意见|请示|"
        r"报告|决定|方案|批复|函|通报|规定|办法|纪要|决议|通告|预案)"
    ),
    "copy_number": r"份号\s?[:：]?\s?\d{2,6}",
    "id_number": r"(?<![\dA-Za-z])\d{6}[ -]?(?:18|19|20)\d{2}[ -]?\d{4}[ -]?\d{3}[\dxX](?![\dA-Za-z])",
    "mobile": r"(?<![\d])(?:\+?86[ -]?)?1[3-9]\d[ -]?\d{4}[ -]?\d{4}(?!\d)",
    "bank_card": r"(?<![\d])\d{4}(?:[ -]?\d{4}){2,3}(?:[ -]?\d{1,3})?(?!\d)",
    "clock": (
        r"(?:\d{1,2}|十[一二]?|[两二三四五六七八九]|一(?=点[半钟]))\s?[点时]"
        rf"(?:\d{{1,2}}分?|半|整|[{_CN_NUM}]{{1,3}}分)?|(?<!\d)\d{{1,2}}:\d{{2}}(?!\d)"
    ),
    # a head count (死了好几个, 3人遇难): kept as a casualty only next to harm (see `scan`)
    "count": (
        r"(?:好几|好多|很多|不少|[两二三四五六七八九十百]*几十?|十几|二十多|\d+|[两二三四五六七八九十百]+)多?"
        r"(?:个人|个|人|名)"
    ),
    "date": rf"(?:\d{{1,2}}|[{_CN_NUM}]{{1,3}})月(?:\d{{1,2}}|[{_CN_NUM}]{{1,3}})[日号]",
    "age": r"(?<!\d)\d{1,3}岁",
    "address": (
        rf"(?:\d{{1,4}}|[{_CN_NUM}]{{1,3}})(?:栋|幢|单元|号楼|组|床)"
        r"|(?<![入记抓挡站忍停保居留])住(?:在)?[\u4e00-\u9fff\d]{2,14}?(?:小区|社区|村|苑|园|街道|路|镇|乡|号|巷)"
    ),
    "media_tag": r"\[(?:图片|视频|语音|文件|动画表情|照片|音频|截图)[^\]]{0,12}\]",
    # 涉密 … 工程/项目/演练: a classified thing with a few words between (涉密人防工程)
    "secret_thing": (
        r"(?:涉|she)密[\u4e00-\u9fff]{0,6}?"
        r"(?:工程|项目|专案|任务|设施|基地|试验|测绘|课题|事项|部署|装备|演练|演习|会议|行动|线索|指挥所|阵地|"
        r"数据|图纸|地图|坐标|型号|靶场|洞库|仓库|兵力|布防|方案|名单|案件|案子|内容|情况)"
    ),
}
# Every pattern starts with one of these characters; the leading look-ahead lets the regex
# engine skip all other positions at C speed instead of trying each alternative there.
_FIRST_CHARS = r"★〔《关份\[住+\d一二三四五六七八九十两零〇百几好涉s"
# Patterns that span other patterns (a title holding a marking, an address holding digits)
# match as look-aheads: they consume nothing, so what lies inside them is matched too.
CONTAINERS = frozenset({"title", "guanyu_title", "address", "secret_thing"})
_GROUPS = (f"(?=(?P<{n}>{rx}))" if n in CONTAINERS else f"(?P<{n}>{rx})" for n, rx in PATTERNS.items())
_COMBINED = re.compile(f"(?=[{_FIRST_CHARS}])(?:" + "|".join(_GROUPS) + ")")
_CODE_CHARS = 8  # an issuer's code before 〔: 临政办发, 市委办公厅
_CODE_BEFORE = re.compile(rf"[\u4e00-\u9fff]{{1,{_CODE_CHARS}}}\s?$")
_HARM_BEFORE = re.compile(r"(?:死|伤|埋|困|冲走|中毒|感染)了?$")
_HARM_AFTER = re.compile(r"^(?:死亡|遇难|受伤|失联|被埋|被困|中毒|感染|获救)")


class Hit(NamedTuple):
    """One cue or pattern found in the normalised text at [start, end).

    A named tuple rather than a dataclass: a text yields many hits and tuples are cheap."""

    category: str
    start: int
    end: int
    term: str
    weak: bool = False


_START = itemgetter(1)


class Hits:
    """All hits of one text, by category, each list sorted by start."""

    __slots__ = ("_starts", "by_category")

    def __init__(self, by_category: dict[str, list[Hit]] | None = None) -> None:
        self.by_category: dict[str, list[Hit]] = by_category or {}
        self._starts: dict[str, list[int]] = {}

    def finish(self) -> Hits:
        for hits in self.by_category.values():
            if len(hits) > 1:
                hits.sort(key=_START)
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
        starts = self._starts.get(category)
        if starts is None:
            starts = self._starts[category] = [h.start for h in hits]
        i = bisect_left(starts, max(lo, 0))
        j = bisect_left(starts, hi, i)
        if strong_only:
            return [h for h in hits[i:j] if not h.weak]
        return hits[i:j]

    def near(self, category: str, hit: Hit, before: int, after: int) -> list[Hit]:
        """Hits of `category` starting within `before` chars before and `after` after `hit`."""
        return [h for h in self.within(category, hit.start - before, hit.end + after) if h != hit]


class Matcher:
    """The compiled automaton and patterns. Build once (see `default_matcher`), reuse."""

    def __init__(self, extra_terms: dict[str, Iterable[str]] | None = None) -> None:
        lexicon: dict[str, tuple[Cue, ...]] = dict(load_lexicon())
        for category, terms in (extra_terms or {}).items():
            for term in terms:
                key = normalise(term).text  # the organisation writes terms as people do
                lexicon[key] = (*lexicon.get(key, ()), Cue(category))
        terms = list(lexicon)
        # per pattern index: (term, its (category, weak) pairs, Latin first / last letter)
        self._values = [
            (
                term,
                tuple((cue.category, cue.weak) for cue in lexicon[term]),
                term[0].isascii() and term[0].isalpha(),
                term[-1].isascii() and term[-1].isalpha(),
            )
            for term in terms
        ]
        self._automaton = ahocorasick_rs.AhoCorasick(terms)
        self._sound = _sound_automaton(lexicon, extra_terms or {})
        self._homophones = _homophone_automaton(lexicon)
        self._strong = strong_terms()  # written as they are, the ordinary scan finds them

    def scan(self, text: str) -> Hits:
        """Every cue and pattern in `text` (already normalised), in two passes total."""
        by_category: dict[str, list[Hit]] = {}
        n = len(text)
        new = tuple.__new__  # Hit(...) without the named tuple's Python-level __new__
        values = self._values
        for index, start, end in self._automaton.find_matches_as_indexes(text, overlapping=True):
            term, pairs, latin_head, latin_tail = values[index]
            if (latin_head or latin_tail) and (
                (latin_head and start > 0 and "a" <= text[start - 1] <= "z")
                or (latin_tail and end < n and "a" <= text[end] <= "z")
            ):
                continue  # a Latin cue inside a longer word (jm in jmeter)
            for category, weak in pairs:
                hit = new(Hit, (category, start, end, term, weak))
                if category in by_category:
                    by_category[category].append(hit)
                else:
                    by_category[category] = [hit]
        for m in _COMBINED.finditer(text):
            kind = m.lastgroup
            start, end = m.span(kind)
            if kind == "doc_number":
                code = _CODE_BEFORE.search(text, max(0, start - _CODE_CHARS - 1), start)
                if not code:
                    continue
                start = code.start()
            elif kind == "secret_thing":
                kind = "secret_matter"
            elif kind == "count":
                if not (_HARM_BEFORE.search(text, max(0, start - 3), start) or _HARM_AFTER.match(text, end)):
                    continue
                kind = "casualty"
            hit = new(Hit, (kind, start, end, text[start:end], False))
            if kind in by_category:
                by_category[kind].append(hit)
            else:
                by_category[kind] = [hit]
        self._scan_homophones(text, by_category)
        if pinyin.has_latin(text):
            self._scan_pinyin(text, by_category)
        if not by_category:
            return Hits(by_category)
        blockers = by_category.pop(BLOCKER, None)
        if blockers:
            _drop_blocked(by_category, blockers)
        return Hits(by_category).finish()

    def _scan_homophones(self, text: str, by_category: dict[str, list[Hit]]) -> None:
        """Strong cues written with other characters of the same sound (鸡蜜, 柿长): weak
        hits of the cue, unless the characters are the cue itself or inside a real word."""
        automaton, values = self._homophones
        for index, start, end in automaton.find_matches_as_indexes(sounds.sound_text(text), overlapping=True):
            term, categories = values[index]
            if text[start:end] in self._strong or sounds.inside_word(text, start, end):
                continue
            for category in categories:
                hits = by_category.setdefault(category, [])
                if not any(h.start == start and h.end == end for h in hits):  # a listed swap
                    hits.append(Hit(category, start, end, term, True))

    def _scan_pinyin(self, text: str, by_category: dict[str, list[Hit]]) -> None:
        """Cues spelt in pinyin (`ji yao shi`, `jiyaoshi`): weak hits of their Han term."""
        automaton, values = self._sound
        if automaton is None:
            return
        view, starts, spans = pinyin.syllable_view(text)
        if not starts:
            return
        seen: set[tuple[str, int, int]] | None = None  # what is found already: made at the first key
        for index, key_start, _ in automaton.find_matches_as_indexes(view, overlapping=True):
            term, categories, n_syllables = values[index]
            first = bisect_left(starts, key_start + 1)
            start, end = spans[first][0], spans[first + n_syllables - 1][1]
            if not pinyin.has_letter(text, start, end):
                continue  # Han characters read by sound alone: the homophone scan's part
            if seen is None:
                seen = {(h.category, h.start, h.end) for hs in by_category.values() for h in hs}
            for category in categories:
                if (category, start, end) not in seen:
                    seen.add((category, start, end))
                    by_category.setdefault(category, []).append(Hit(category, start, end, term, True))


def _homophone_automaton(
    lexicon: dict[str, tuple[Cue, ...]],
) -> tuple[ahocorasick_rs.AhoCorasick, list[tuple[str, tuple[str, ...]]]]:
    """The sound keys of the strong cues, and per key the cue and its categories."""
    by_key: dict[str, tuple[str, tuple[str, ...]]] = {}
    for term in sorted(sounds.sound_cues() & lexicon.keys()):
        key = sounds.sound_key(term)
        if key is not None and key not in by_key:
            cats = (c.category for c in lexicon[term] if c.category in SOUND_CATEGORIES)
            by_key[key] = (term, tuple(dict.fromkeys(cats)))
    return ahocorasick_rs.AhoCorasick(list(by_key)), list(by_key.values())


class _SoundAutomaton(NamedTuple):
    """The pinyin keys of the Han cues and, per key, (term, categories, syllable count)."""

    automaton: ahocorasick_rs.AhoCorasick | None
    values: list[tuple[str, tuple[str, ...], int]]


def _sound_automaton(
    lexicon: dict[str, tuple[Cue, ...]], extra_terms: dict[str, Iterable[str]]
) -> _SoundAutomaton:
    """The pinyin of every Han cue (` ji yao shi ` → 机要室 and its categories)."""
    readings = pinyin.cue_readings()
    extra = [normalise(t).text for terms in extra_terms.values() for t in terms]
    missing = [t for t in extra if t not in readings and _is_han(t)]
    if missing:  # the organisation's own names: read them now (pypinyin loads only here)
        from pypinyin import Style, lazy_pinyin

        readings = {**readings, **{t: lazy_pinyin(t, style=Style.NORMAL) for t in missing}}
    by_key: dict[str, tuple[str, tuple[str, ...], int]] = {}
    for term, cues in lexicon.items():
        syls = readings.get(term)
        if syls is None or all(c.weak for c in cues) or BLOCKER in (c.category for c in cues):
            continue
        key = pinyin.cue_key(syls)
        categories = tuple(c.category for c in cues if not c.weak)
        if key in by_key:  # homophones read alike (书记, 书籍): one key, all their cues
            first, known, _ = by_key[key]
            term, categories = first, (*known, *categories)
        by_key[key] = (term, tuple(dict.fromkeys(categories)), len(syls))
    keys = list(by_key)
    return _SoundAutomaton(ahocorasick_rs.AhoCorasick(keys) if keys else None, [by_key[k] for k in keys])


def _is_han(term: str) -> bool:
    return len(term) >= 2 and all("\u4e00" <= c <= "\u9fff" for c in term)


def _drop_blocked(by_category: dict[str, list[Hit]], blockers: list[Hit]) -> None:
    """Remove cue hits that lie inside a longer blocker word (定了 inside 确定了).

    One sweep per category over hits and blockers, both sorted by start: a hit is inside
    a blocker when some blocker starting at or before it ends at or after its end."""
    blockers.sort(key=_START)
    for category, items in by_category.items():
        items.sort(key=_START)
        kept, j, reach, reach_start = [], 0, -1, -1
        for h in items:
            while j < len(blockers) and blockers[j].start <= h.start:
                if blockers[j].end > reach:
                    reach, reach_start = blockers[j].end, blockers[j].start
                j += 1
            if reach >= h.end and (reach_start, reach) != (h.start, h.end):
                continue
            kept.append(h)
        by_category[category] = kept


_DEFAULT: Matcher | None = None


def default_matcher() -> Matcher:
    """The matcher for the shipped lexicon, built on first use."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = Matcher()
    return _DEFAULT
