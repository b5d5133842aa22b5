"""Latin text read as pinyin syllables, so that cue words spelt out in pinyin are found.

People evade a keyword list by writing a whole message in pinyin (`jin tian ji yao shi
de mi ma gui huai le`, with or without tone marks or spaces). The normaliser has already
lowered the text and stripped the tone marks; here each run of Latin words is split into
pinyin syllables and written as ` ji yao shi de ` (a space around every syllable, `|`
between runs), the form in which the matcher keeps the pinyin of its Han cues. Han
characters next to a Latin word are read by sound into the same run, so a cue half in
pinyin (mi级, she mi 的) is found too. A match maps back through the syllables' spans to
the normalised text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from importlib import resources
from itertools import chain

from baomi.text import sounds

SYLLABLES_FILE = "pinyin_syllables.txt"
CUE_PINYIN_FILE = "cue_pinyin.tsv"
MAX_SYLLABLE = 6  # zhuang, shuang …
_BREAK = "| "  # between runs: no cue key holds it, so no match spans two runs
_WORD = re.compile(r"[a-z]+")
_LATIN = re.compile(r"[a-z]{2}")
_LETTER = re.compile(r"[a-z]")
# between two words of one run: spaces and the marks people put between syllables
_JOINERS = frozenset(" '’-·_.")
HAN_NEAR = 4  # Han characters on either side of a Latin word read with it (机mi文件)


@cache
def syllables() -> frozenset[str]:
    """Every toneless pinyin syllable (ü written as v, and as u where pinyin does)."""
    text = resources.files("baomi.data").joinpath(SYLLABLES_FILE).read_text(encoding="utf-8")
    return frozenset(text.split())


@cache
def cue_readings() -> dict[str, list[str]]:
    """The pinyin of every Han cue of the lexicon (`机要室` → ji yao shi), built ahead of
    time by scripts/build_variants.py so that start-up never loads pypinyin."""
    text = resources.files("baomi.data").joinpath(CUE_PINYIN_FILE).read_text(encoding="utf-8")
    return {t: r.split() for t, _, r in (line.partition("\t") for line in text.splitlines())}


def sound_key(syllable: str) -> str:
    """The one spelling of a syllable in the matcher's keys (lv and lü are both lu)."""
    return syllable.replace("v", "u")


def cue_key(readings: list[str] | tuple[str, ...]) -> str:
    """The matcher's key for a cue whose characters read `readings`: ` ji yao shi `."""
    return " " + " ".join(sound_key(r) for r in readings) + " "


def split_word(word: str) -> list[int] | None:
    """Where the syllables of a Latin word end (fewest syllables), or None if it is not pinyin."""
    table = syllables()
    n = len(word)
    best: list[tuple[int, int] | None] = [None] * (n + 1)  # (count, previous end)
    best[0] = (0, -1)
    for i in range(n):
        if best[i] is None:
            continue
        count = best[i][0] + 1
        for j in range(i + 1, min(n, i + MAX_SYLLABLE) + 1):
            if word[i:j] in table and (best[j] is None or count < best[j][0]):
                best[j] = (count, i)
    if best[n] is None:
        return None
    ends, j = [], n
    while j > 0:
        ends.append(j)
        j = best[j][1]
    return ends[::-1]


def has_letter(text: str, start: int, end: int) -> bool:
    """True when text[start:end] holds a Latin letter."""
    return _LETTER.search(text, start, end) is not None


def has_latin(text: str) -> bool:
    """True when `text` has two Latin letters in a row (else there is no pinyin to read)."""
    return _LATIN.search(text) is not None


def _tokens(text: str) -> Iterator[tuple[int, int, list[int] | None]]:
    """The Latin words of `text` with where their syllables end (None: not pinyin), and
    the Han characters within HAN_NEAR characters of a Latin word (one syllable each, read
    by sound), in text order: 密ji, mi级 and she mi 的 read as one run."""
    readings = sounds.readings()
    previous = 0
    words = list(_WORD.finditer(text))
    for k, m in enumerate(words):
        after = min(previous + HAN_NEAR, m.start()) if k else 0
        around = chain(range(previous, after), range(max(m.start() - HAN_NEAR, after), m.start()))
        for i in around:
            if text[i] in readings:
                yield i, i + 1, [1]
        yield m.start(), m.end(), split_word(m.group())
        previous = m.end()
    for i in range(previous, min(previous + HAN_NEAR, len(text))) if words else ():
        if text[i] in readings:
            yield i, i + 1, [1]


def syllable_view(text: str) -> tuple[str, list[int], list[tuple[int, int]]]:
    """The pinyin reading of the Latin runs of `text` and the Han characters next to them:
    the view (` ji yao shi | ni hao `), the view offset where each syllable starts, and
    each syllable's span in `text`."""
    readings = sounds.readings()
    parts = [" "]
    at = 1
    starts: list[int] = []
    spans: list[tuple[int, int]] = []
    previous_end: int | None = None
    for start, stop, ends in _tokens(text):
        joined = (
            previous_end is not None
            and start - previous_end <= 2
            and set(text[previous_end:start]) <= _JOINERS
        )
        if (ends is None or not joined) and starts and parts[-1] != _BREAK:
            parts.append(_BREAK)
            at += len(_BREAK)
        if ends is None:
            previous_end = None
            continue
        begin = start
        for end in ends:
            piece = text[begin : start + end]
            syllable = sound_key(readings.get(piece) or piece)
            starts.append(at)
            spans.append((begin, start + end))
            parts.append(syllable + " ")
            at += len(syllable) + 1
            begin = start + end
        previous_end = stop
    return "".join(parts), starts, spans
