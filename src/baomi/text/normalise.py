"""One normalisation pass with a reversible offset map.

The normalised view folds the tricks people use to slip past a keyword list, and the
errors OCR makes on photographed pages:

- full-width forms (NFKC), traditional characters, tone marks and other diacritics on
  Latin letters (jìmì → jimi), upper case;
- invisible characters: controls (NUL, BEL …), format characters (zero-width, soft
  hyphen, bidi controls U+202A–202E/2066–2069, tags), lone surrogates (from JSON
  escapes), variation selectors, and combining
  marks after a Han character or a Latin letter/digit;
- separators inside Han words (机 密, 机*密, 机-密) and line breaks inside words (a
  wrapped line that ends in a Han character, or a one-character line);
- star look-alikes for ★ (☆ ※ ⋆), and after a level word (秘密*) also the OCR
  readings 女, x, × when a period follows (机密女10年, 秘密x1年);
- bracket variants around a document-number year (【2024】 (2024) [2024] → 〔2024〕),
  with the spaces OCR puts inside them;
- digits spaced out by OCR: runs of single digits (0 0 0 1 2 3) and digit groups that
  add up to an ID-number length (4101 0219 9001 0112 34).

Every character of the normalised text keeps the index of the original character it
came from, so each match maps back to an exact span of what the user wrote.
Character-for-character substitutions are one `str.translate`; deletions are one
regex scan and kept as a short list of breakpoints.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass
from functools import cache
from importlib import resources
from itertools import chain
from typing import NamedTuple

from baomi.text.translate import CharMap

STAR = "★"
_STAR_LIKES = "☆✩✪⭐✭✮✯✰※⋆✱✲✳✴✵✶✷✸✹✺✻✼✽✾✿❀"
_ASTERISKS = "＊∗⁎﹡"
# What OCR reads for the ★ of a marking (folded only after a level word and before a period)
_OCR_STARS = "女x×"
_LINE_BREAKS = "\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"  # folded to \n
_FILLERS = "\u115f\u1160\u3164\uffa0"  # Hangul fillers: letters that show nothing
_HAN = r"\u3400-\u4dbf\u4e00-\u9fff"
_LEVEL_BEFORE_STAR = "绝密|机密|秘密|内部"
# symbols and emoji strewn between characters (❗书❗记❗, 听✦说) count as separators too
_SYMBOLS = "\u2190-\u21ff\u25a0-\u27bf\u2b00-\u2bff\U0001f300-\U0001faff"
_SEPARATORS = " \t\u3000*★·.\\-_|/~・•#@" + _SYMBOLS
_OPEN = r"\[【(〔{「"
_CLOSE = r"\]】)〕}」"
_HAN_PERIOD = "(?:长期|[一二三四五六七八九十]{1,3}个?[年月])"
_PERIOD = "(?: ?(?:[0-9]{1,2}|[一二三四五六七八九十]{1,3}) ?(?:年|个月)| ?长期)"

WIDTH, T2S, INVISIBLE, SEPARATOR, STAR_FORM, BRACKET, DIACRITIC = (
    "全角/兼容字符",
    "繁体",
    "不可见字符",
    "字间分隔符",
    "星号变体",
    "括号变体",
    "变音符号",
)


def _is_selector(cp: int) -> bool:
    """Variation selectors, Mongolian free variation selectors, the grapheme joiner."""
    return 0xFE00 <= cp <= 0xFE0F or 0xE0100 <= cp <= 0xE01EF or 0x180B <= cp <= 0x180F or cp == 0x34F


def _char_class(cps: list[int]) -> str:
    """A regex character-class body for the code points `cps` (as ranges)."""
    out: list[str] = []
    cps = sorted(set(cps))
    i = 0
    while i < len(cps):
        j = i
        while j + 1 < len(cps) and cps[j + 1] == cps[j] + 1:
            j += 1
        out.append(f"\\U{cps[i]:08x}" + (f"-\\U{cps[j]:08x}" if j > i else ""))
        i = j + 1
    return "".join(out)


@cache
def _classes() -> tuple[str, str, str]:
    """Class bodies from the Unicode database: invisible characters (anywhere), combining
    marks in the BMP, combining marks beyond it. The astral marks are a class of their
    own: a class with hundreds of astral ranges is a linear scan per character in `re`,
    so it is only tried where an astral character stands."""
    invisible: list[int] = [ord(c) for c in _FILLERS]
    marks: list[int] = []
    astral_marks: list[int] = []
    for cp in chain(range(0x20000), range(0xE0000, 0xE0200)):
        cat = unicodedata.category(chr(cp))
        if cat in ("Cf", "Cs") or (cat == "Cc" and chr(cp) not in "\t\n\r" + _LINE_BREAKS):
            invisible.append(cp)
        elif cat in ("Mn", "Me"):
            if _is_selector(cp):
                invisible.append(cp)
            else:
                (marks if cp < 0x10000 else astral_marks).append(cp)
    return _char_class(invisible), _char_class(marks), _char_class(astral_marks)


@dataclass(frozen=True, slots=True)
class _Patterns:
    delete: re.Pattern  # every run to delete, one alternation
    any_work: re.Pattern  # anything at all for the deletion and bracket steps
    invisible: re.Pattern  # for `normalisations`


@cache
def _patterns() -> _Patterns:
    inv, mark, astral_mark = _classes()
    h = _HAN
    sep = _SEPARATORS + inv + mark
    astral = f"(?=[\\U00010000-\\U0010ffff])[{astral_mark}]"
    # every branch starts with one of these: the look-ahead lets `re` skip all other
    # positions at C speed instead of trying each branch there
    first = f"{sep}\\r\\n0-9\\U00010000-\\U0010ffff"
    delete = re.compile(
        f"(?=[{first}])(?:"
        # separators, invisibles and marks between two Han characters, except right after a
        # marking word, where a separator may stand for the star (秘密*十年; 绝\0密★长期
        # when an invisible character hides the marking word from the look-behind)
        f"(?<=[{h}])(?<!{_LEVEL_BEFORE_STAR})(?!(?<=[密部])[{sep}]+{_HAN_PERIOD})[{sep}]+(?=[{h}])"
        # invisibles and combining marks after a Han character, a letter or a digit
        f"|(?<=[{h}a-z0-9★])[{inv}{mark}]+"
        f"|(?<=[{h}a-z0-9★{inv}{mark}]){astral}+"
        f"|[{inv}]+"
        f"|(?<=[a-z]) (?=[{h}])|(?<=[{h}]) (?=[a-z])"
        # symbols and emoji inside a word half or all in Latin letters (she🤫mi, mi✨级)
        f"|(?<=[a-z{h}])[{_SYMBOLS}]+(?=[a-z])|(?<=[a-z])[{_SYMBOLS}]+(?=[{h}])"
        # separators between single letters: s-h-e-m-i, j.m, s m (spelt-out pinyin, initials)
        "|(?<=[a-z])(?<![a-z]{2})[ .\\-_·]+(?=[a-z](?![a-z]))"
        # a line break inside a word: after a one-character line, or a wrapped line
        # (12+ characters ending in a Han character) continued by a Han character
        f"|(?:(?<=^[^\\s])|(?<=\\n[^\\s])|(?<=[^\\n]{{11}}[{h}]))"
        f"[ \\t\\u3000]*\\r?\\n[ \\t\\u3000]*(?=[{h}★])"
        # digits spaced out (checked in `_digit_gaps`)
        f"|(?P<digits>(?<![0-9])[0-9]{{1,6}}(?: [0-9]{{1,6}})+(?: ?x)?(?![0-9a-z]))"
        # spaces around a year in brackets: 发 ( 2024 ) → 发(2024)
        f"|(?<=[{_OPEN}]) +(?=[0-9]{{4}} *[{_CLOSE}])|(?<=(?:19|20)[0-9]{{2}}) +(?=[{_CLOSE}])"
        f"|(?<=[{h}]) +(?=[{_OPEN}] *(?:19|20)[0-9]{{2}} *[{_CLOSE}])"
        ")"
    )
    # a superset of where `delete` or the bracket step can match, as cheap as a scan gets
    any_work = re.compile(
        f"(?=[{inv}{mark}{_OPEN}\\n{_SEPARATORS}\\U00010000-\\U0010ffff])"
        f"(?:[{inv}{mark}{_OPEN}\\n]|(?<=[{h}a-z0-9])[{_SEPARATORS}]|{astral})"
    )
    invisible = re.compile(f"[{inv}{mark}]|{astral}")
    return _Patterns(delete, any_work, invisible)


_new = tuple.__new__  # NormalisedText(...) without the named tuple's Python-level __new__

# 秘密*1年, 机密女10年 (OCR), 秘密 x 1年: the star of a marking
_STAR_FORM_RE = re.compile(f"(?<={_LEVEL_BEFORE_STAR}|jm)( ?)(?:\\*|[{_OCR_STARS}](?={_PERIOD}))")
_YEAR_BRACKETS_RE = re.compile(f"[{_OPEN}]((?:19|20)[0-9][0-9])[{_CLOSE}]")
_SPACE = re.compile(" ")
_BRACKET_HINT = re.compile(f"[{_OPEN}]")


@cache
def _t2s_pairs() -> dict[str, str]:
    text = resources.files("baomi.data").joinpath("t2s_chars.txt").read_text(encoding="utf-8")
    return {line[0]: line[1] for line in text.splitlines() if len(line) == 2}


def _strip_diacritic(ch: str) -> str:
    """é → e, ǐ → i: a Latin letter with only combining marks on it loses them."""
    d = unicodedata.normalize("NFD", ch)
    if len(d) > 1 and d[0].isascii() and d[0].isalpha() and all(unicodedata.combining(c) for c in d[1:]):
        return d[0]
    return ch


@cache
def _translate_table() -> list[int]:
    """Length-preserving map for `str.translate`: NFKC (1:1 only), traditional →
    simplified, diacritics, star forms, line-break forms, lowercase. A list over the
    whole BMP rather than a dict: `translate` then never takes the slow miss path (a
    raised LookupError per unmapped character); characters beyond the BMP fall through
    unchanged."""
    table: dict[int, str] = {}
    t2s = _t2s_pairs()
    for cp in range(0xA0, 0x10000):
        if 0xD800 <= cp < 0xE000:
            continue
        ch = chr(cp)
        out = unicodedata.normalize("NFKC", ch)
        if len(out) != 1:
            out = ch  # expansions (… → ...) would shift offsets and add nothing useful
        out = _strip_diacritic(t2s.get(out, out))
        if out != ch:
            table[cp] = out
    for ch, simple in t2s.items():
        table.setdefault(ord(ch), simple)
    for ch in _STAR_LIKES:
        table[ord(ch)] = STAR
    for ch in _ASTERISKS:
        table[ord(ch)] = "*"
    for ch in _LINE_BREAKS:
        table[ord(ch)] = "\n"
    for cp in range(ord("A"), ord("Z") + 1):
        table[cp] = chr(cp + 32)
    for cp, out in list(table.items()):
        if "A" <= out <= "Z":
            table[cp] = out.lower()
    return [ord(table[cp]) if cp in table else cp for cp in range(0x10000)]


@cache
def _char_map() -> CharMap:
    return CharMap(_translate_table())


def _digit_gaps(m: re.Match) -> list[tuple[int, int]]:
    """The spaces to delete in a run of spaced digits: OCR letter-spacing (at least four
    single digits) or groups that add up to an ID or card number (15–19 characters).
    Shorter grouped numbers (a phone number, 3 5 人) keep their spaces."""
    run = m.group()
    groups = run.replace("x", " x").split(" ")
    singles = all(len(g) == 1 for g in groups if g != "x")
    if not ((singles and len(groups) >= 4) or 15 <= len(run) - run.count(" ") <= 19):
        return []
    return [(m.start() + s.start(), m.start() + s.end()) for s in _SPACE.finditer(run)]


class NormalisedText(NamedTuple):
    """The normalised view of `original` and the map back to it.

    `breaks` holds (normalised_index, original_index) pairs where the offset between
    the two changes; between breakpoints the mapping is a constant shift. A named tuple:
    one is made per text reviewed, and a frozen dataclass costs three times as much to make.
    """

    original: str
    text: str
    breaks: tuple[tuple[int, int], ...]

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a half-open normalised span to the half-open original span it covers."""
        if not self.breaks:
            return start, end
        ostart = self._orig_index(start)
        return ostart, (self._orig_index(end - 1) + 1 if end > start else ostart)

    def _orig_index(self, i: int) -> int:
        pos = bisect_right(self.breaks, (i, len(self.original) + 1)) - 1
        if pos < 0:
            return i
        n_at, o_at = self.breaks[pos]
        return o_at + (i - n_at)

    def normalisations(self, start: int, end: int) -> tuple[str, ...]:
        """Which normalisations the normalised span [start, end) needed, for evidence weight."""
        ostart, oend = self.to_original(start, end)
        orig = self.original[ostart:oend]
        norm = self.text[start:end]
        if orig == norm:
            return ()
        used: set[str] = set()
        hidden = len(_patterns().invisible.findall(orig))
        if hidden:
            used.add(INVISIBLE)
        if len(orig) - hidden != len(norm):
            used.add(SEPARATOR)
        if STAR in norm and any(c in _OCR_STARS or c == "X" for c in orig):
            used.add(STAR_FORM)
        t2s = _t2s_pairs()
        for c in orig:
            if c < "\u00c0" and c not in "*[](){}":  # plain ASCII and Latin-1 symbols: nothing folded
                continue
            if c in t2s:
                used.add(T2S)
            elif "\u4e00" <= c <= "\u9fff":
                continue  # a simplified Han character: nothing folded
            elif c in _STAR_LIKES or c in "*" + _ASTERISKS:
                used.add(STAR_FORM)
            elif 0xFF00 <= ord(c) <= 0xFFEF or c == "\u3000":
                used.add(WIDTH)
            elif c in "[]【】()（）［］{}「」":
                used.add(BRACKET)
            elif c != _strip_diacritic(c):
                used.add(DIACRITIC)
        return tuple(sorted(used))


def normalise(original: str) -> NormalisedText:
    """Normalise `original` in one pass; see the module docstring for what is folded."""
    text = _char_map()(original)
    pats = _patterns()
    breaks: list[tuple[int, int]] = []
    if pats.any_work.search(text):
        parts: list[str] = []
        last = removed = 0
        for m in pats.delete.finditer(text):
            for start, end in _digit_gaps(m) if m.lastgroup == "digits" else ((m.start(), m.end()),):
                parts.append(text[last:start])
                breaks.append((start - removed, end))
                removed += end - start
                last = end
        if breaks:
            parts.append(text[last:])
            text = "".join(parts)
        if _BRACKET_HINT.search(text):
            text = _YEAR_BRACKETS_RE.sub(r"〔\1〕", text)
    if "*" in text or "女" in text or "x" in text or "×" in text:
        text = _STAR_FORM_RE.sub(rf"\1{STAR}", text)
    return _new(NormalisedText, (original, text, tuple(breaks)))
