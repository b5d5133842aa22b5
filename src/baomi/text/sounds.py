"""Han text read by sound, so that a strong cue written with homophones (鸡蜜★, 柿长) is found.

Every Han character stands for its commonest toneless reading (`data/han_sounds.tsv`,
built with pypinyin by scripts/build_variants.py). `sound_text` is a length-preserving
`str.translate`: each Han character becomes the private-use character of its syllable,
so an automaton over the sound keys of the strong cues (`sound_cues`) finds every homophone spelling at
the offsets of the text itself, in one more C-speed pass. Real words that sound like a
strong cue, or hold such characters (书籍 for 书记, 会议室 holding 议室 for 疑似), are in
`data/sound_blockers.txt`: characters inside one of them never count.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

from baomi.text.translate import CharMap

SOUNDS_FILE = "han_sounds.tsv"
BLOCKERS_FILE = "sound_blockers.txt"
SOUND_CUES_FILE = "sound_cues.txt"
_FIRST = 0xE000  # the private-use character of the first syllable
_OTHER = ord("\ufffd")  # what a private-use character of the text itself becomes


@cache
def readings() -> dict[str, str]:
    """Han character → its commonest toneless syllable."""
    text = resources.files("baomi.data").joinpath(SOUNDS_FILE).read_text(encoding="utf-8")
    out = {}
    for line in text.splitlines():
        syllable, _, chars = line.partition("\t")
        out.update(dict.fromkeys(chars, syllable))
    return out


@cache
def _table() -> CharMap:
    """The map over the whole BMP: Han characters to the codes of their syllables."""
    table = list(range(0x10000))
    syllables = sorted(set(readings().values()))
    code = {s: _FIRST + i for i, s in enumerate(syllables)}
    for cp in range(_FIRST, _FIRST + len(syllables)):
        table[cp] = _OTHER
    for ch, syllable in readings().items():
        if ord(ch) < 0x10000:
            table[ord(ch)] = code[syllable]
    return CharMap(table)


def sound_text(text: str) -> str:
    """`text` with every Han character replaced by the code of its syllable (same length)."""
    return _table()(text)


def sound_key(term: str) -> str | None:
    """The sound of a Han term (two characters or more), or None when it has other characters."""
    if len(term) < 2 or any(ch not in readings() for ch in term):
        return None
    return sound_text(term)


@cache
def sound_cues() -> frozenset[str]:
    """The strong cues read by sound (scripts/build_variants.py leaves out the two-character
    ones whose sound everyday text makes too often: 疑似, 倒塌)."""
    text = resources.files("baomi.data").joinpath(SOUND_CUES_FILE).read_text(encoding="utf-8")
    return frozenset(text.split())


@cache
def blockers() -> tuple[frozenset[str], tuple[int, ...]]:
    """Real words holding characters that sound like a strong cue (书籍, 会议室), and their lengths."""
    text = resources.files("baomi.data").joinpath(BLOCKERS_FILE).read_text(encoding="utf-8")
    words = frozenset(text.split())
    return words, tuple(sorted({len(w) for w in words}))


def inside_word(text: str, start: int, end: int) -> bool:
    """True when text[start:end] lies inside a real word that sounds partly like a cue
    (议室 inside 会议室 is no 疑似)."""
    words, lengths = blockers()
    for n in lengths:
        if n < end - start:
            continue
        for at in range(max(0, end - n), min(start, len(text) - n) + 1):
            if text[at : at + n] in words:
                return True
    return False
