"""One normalisation pass with a reversible offset map.

The normalised view folds the tricks people use to slip past a keyword list:
full-width forms (NFKC), traditional characters, zero-width characters, separators
inside Han words (机 密, 机*密, 机-密), star look-alikes (☆ * ※ for ★) and bracket
variants around a document-number year (【2024】 (2024) [2024] → 〔2024〕).

Every character of the normalised text keeps the index of the original character it
came from, so each match maps back to an exact span of what the user wrote.
Character-for-character substitutions are one `str.translate`; only deletions need
an offset map, kept as a short list of breakpoints.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass
from functools import cache
from importlib import resources

STAR = "★"
_STAR_LIKES = "☆✩✪⭐✭✮✯✰※⋆✱✲✳✴✵✶✷✸✹✺✻✼✽✾✿❀"
_ZERO_WIDTH = "\u200b\u200c\u200d\u200e\u200f\u2060\u2061\u2062\u2063\u2064\ufeff\u00ad\u180e"
_HAN = r"\u3400-\u4dbf\u4e00-\u9fff"
_LEVEL_BEFORE_STAR = "绝密|机密|秘密|内部"

# Runs to delete: zero-width characters anywhere; separators between two Han characters,
# except right after a marking word, where a separator may stand for the star (秘密*十年).
_DELETE_RE = re.compile(
    f"(?<=[{_HAN}])(?<!{_LEVEL_BEFORE_STAR})[ \t\u3000*★·.\\-_|/~・•{_ZERO_WIDTH}]+(?=[{_HAN}])"
    f"|(?<=[a-z]) (?=[{_HAN}])|(?<=[{_HAN}]) (?=[a-z])"
    f"|[{_ZERO_WIDTH}]+"
)
# An ASCII asterisk after a marking word (possibly spaced) is a star.
_ASTERISK_STAR_RE = re.compile(f"(?<={_LEVEL_BEFORE_STAR}|jm|JM)\\*")
# Bracket variants around a 4-digit year, as in document numbers.
_BRACKET_OPEN = re.compile(r"[\[【(（〔［]")
# Anything at all for the deletion, asterisk and bracket steps (most chat has none).
_ANY_WORK = re.compile(f"[{_ZERO_WIDTH}*\\[【(（〔［]|[{_HAN}][ \t\u3000★·.\\-_|/~・•]|[a-z] ")
_YEAR_BRACKETS_RE = re.compile(r"[\[【(（〔［]((?:19|20)\d\d)[\]】)）〕］]")

WIDTH, T2S, ZERO_WIDTH, SEPARATOR, STAR_FORM, BRACKET = (
    "全角/兼容字符",
    "繁体",
    "零宽字符",
    "字间分隔符",
    "星号变体",
    "括号变体",
)


@cache
def _t2s_pairs() -> dict[str, str]:
    text = resources.files("baomi.data").joinpath("t2s_chars.txt").read_text(encoding="utf-8")
    return {line[0]: line[1] for line in text.splitlines() if len(line) == 2}


@cache
def _translate_table() -> list[int]:
    """Length-preserving map for `str.translate`: NFKC (1:1 only), traditional →
    simplified, star forms, lowercase. A list over the whole BMP rather than a dict:
    `translate` then never takes the slow miss path (a raised LookupError per
    unmapped character); characters beyond the BMP fall through unchanged."""
    table: dict[int, str] = {}
    t2s = _t2s_pairs()
    for cp in range(0xA0, 0x10000):
        if 0xD800 <= cp < 0xE000:
            continue
        ch = chr(cp)
        out = unicodedata.normalize("NFKC", ch)
        if len(out) != 1:
            out = ch  # expansions (… → ...) would shift offsets and add nothing useful
        out = t2s.get(out, out)
        if out != ch:
            table[cp] = out
    for ch, simple in t2s.items():
        table.setdefault(ord(ch), simple)
    for ch in _STAR_LIKES:
        table[ord(ch)] = STAR
    table[ord("＊")] = "*"
    for cp in range(ord("A"), ord("Z") + 1):
        table[cp] = chr(cp + 32)
    for cp, out in list(table.items()):
        if "A" <= out <= "Z":
            table[cp] = out.lower()
    return [ord(table[cp]) if cp in table else cp for cp in range(0x10000)]


@dataclass(frozen=True, slots=True)
class NormalisedText:
    """The normalised view of `original` and the map back to it.

    `breaks` holds (normalised_index, original_index) pairs where the offset between
    the two changes; between breakpoints the mapping is a constant shift.
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
        if any(c in _ZERO_WIDTH for c in orig):
            used.add(ZERO_WIDTH)
        if len(orig) - sum(c in _ZERO_WIDTH for c in orig) != len(norm):
            used.add(SEPARATOR)
        t2s = _t2s_pairs()
        for c in orig:
            if c in t2s:
                used.add(T2S)
            elif c in _STAR_LIKES or c in "*＊":
                used.add(STAR_FORM)
            elif 0xFF00 <= ord(c) <= 0xFFEF or c == "\u3000":
                used.add(WIDTH)
            elif c in "[]【】()（）［］":
                used.add(BRACKET)
        return tuple(sorted(used))


def normalise(original: str) -> NormalisedText:
    """Normalise `original` in one pass; see the module docstring for what is folded."""
    text = original.translate(_translate_table())
    breaks: list[tuple[int, int]] = []
    if not _ANY_WORK.search(text):
        return NormalisedText(original, text, ())
    parts: list[str] = []
    last = removed = 0
    for m in _DELETE_RE.finditer(text):
        parts.append(text[last : m.start()])
        removed += m.end() - m.start()
        last = m.end()
        breaks.append((m.start() - (removed - (m.end() - m.start())), m.end()))
    if breaks:
        parts.append(text[last:])
        text = "".join(parts)
    if "*" in text:
        text = _ASTERISK_STAR_RE.sub(STAR, text)
    if _BRACKET_OPEN.search(text):
        text = _YEAR_BRACKETS_RE.sub(r"〔\1〕", text)
    return NormalisedText(original, text, tuple(breaks))
