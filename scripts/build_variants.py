"""Regenerate the disguise tables in src/baomi/data from lexicon.yaml (with pypinyin, so
that start-up never loads pypinyin's dictionary):

- homophone_variants.tsv, from the `homophones` section: one line per word,
  `word|swap|initials<TAB>variant variant …`;
- pinyin_syllables.txt: every toneless pinyin syllable (ü as v and as u);
- cue_pinyin.tsv: the pinyin of every Han cue of two or more characters, `term<TAB>ji yao shi`;
- han_sounds.tsv: every Han character by its commonest toneless reading, `ji<TAB>机鸡基…`;
- sound_blockers.txt: real words (jieba's dictionary, seen at least SOUND_WORD_FREQ times)
  holding characters that sound like a strong cue without being it (书籍 for 书记);
- sound_cues.txt: the strong cues read by sound: those of three characters or more, and
  those of two whose sound everyday text makes at most SOUND_MAX_REAL_HITS times outside a
  real word (the training half of the real-text sources: 疑似 and 倒塌 are too common).

Run after editing lexicon.yaml: .venv/bin/python scripts/build_variants.py
(tests/test_lexicon.py fails while a file is out of date).
"""

import re
import unicodedata
from functools import cache
from pathlib import Path

from baomi.lexicon import (
    VARIANTS_FILE,
    cue_terms,
    load_homophone_specs,
    strong_terms,
    variant_key,
    word_variants,
)
from baomi.text.pinyin import CUE_PINYIN_FILE, SYLLABLES_FILE
from baomi.text.sounds import BLOCKERS_FILE, SOUND_CUES_FILE, SOUNDS_FILE

DATA = Path(__file__).resolve().parents[1] / "src/baomi/data"
_HAN_TERM = re.compile(r"[\u4e00-\u9fff]{2,}")
_VOWEL = re.compile(r"[aeiouv]")


def render() -> str:
    lines = []
    for word, spec in load_homophone_specs().items():
        variants = sorted(word_variants(word, spec["swap"], spec["initials"]))
        lines.append(f"{variant_key(word, spec)}\t{' '.join(variants)}")
    return "\n".join(lines) + "\n"


def _toneless(reading: str) -> str:
    decomposed = unicodedata.normalize("NFD", reading.replace("ü", "v"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def render_syllables() -> str:
    from pypinyin.pinyin_dict import pinyin_dict

    found = {_toneless(r) for readings in pinyin_dict.values() for r in readings.split(",")}
    found = {s for s in found if s.isascii() and s.isalpha() and _VOWEL.search(s)}
    found |= {s.replace("v", "u") for s in found}
    return " ".join(sorted(found)) + "\n"


def render_cue_pinyin() -> str:
    from pypinyin import Style, lazy_pinyin

    lines = []
    for term in sorted(t for t in cue_terms() if _HAN_TERM.fullmatch(t)):
        readings = lazy_pinyin(term, style=Style.NORMAL)
        if all(r.isascii() and r.isalpha() for r in readings):
            lines.append(f"{term}\t{' '.join(readings)}")
    return "\n".join(lines) + "\n"


SOUND_WORD_FREQ = 3
MAX_BLOCKER_CHARS = 6
SOUND_MAX_REAL_HITS = 2
_HAN_RANGES = (range(0x3400, 0x4DC0), range(0x4E00, 0xA000))


@cache
def _char_readings() -> dict[str, str]:
    from pypinyin.pinyin_dict import pinyin_dict

    out = {}
    for block in _HAN_RANGES:
        for cp in block:
            if cp in pinyin_dict:
                reading = _toneless(pinyin_dict[cp].split(",")[0])
                if reading.isascii() and reading.isalpha():
                    out[chr(cp)] = reading
    return out


def render_han_sounds() -> str:
    by_syllable: dict[str, list[str]] = {}
    for ch, reading in _char_readings().items():
        by_syllable.setdefault(reading, []).append(ch)
    return "".join(f"{s}\t{''.join(chars)}\n" for s, chars in sorted(by_syllable.items()))


def render_sound_blockers() -> str:
    """Real words holding a run of characters that sounds like a strong cue without being
    it (书籍 for 书记, 会议室 holds 议室 for 疑似): such a run is part of the word."""
    import jieba

    table = _char_readings()

    def key(word: str) -> tuple[str, ...] | None:
        return tuple(table[c] for c in word) if all(c in table for c in word) else None

    strong = strong_terms()
    keys = {k for k in map(key, strong) if k}
    lengths = sorted({len(k) for k in keys})
    words = set(cue_terms())
    with open(Path(jieba.__file__).with_name("dict.txt"), encoding="utf-8") as f:
        for line in f:
            word, freq, *_ = line.split()
            if int(freq) >= SOUND_WORD_FREQ and len(word) <= MAX_BLOCKER_CHARS:
                words.add(word)
    found = set()
    for w in words:
        for n in lengths:
            if any(w[i : i + n] not in strong and key(w[i : i + n]) in keys for i in range(len(w) - n + 1)):
                if w not in strong:
                    found.add(w)
                break
    return "\n".join(sorted(found)) + "\n"


def render_sound_cues() -> str:
    """Needs han_sounds.tsv and sound_blockers.txt written first (it reads them)."""
    from collections import Counter

    import ahocorasick_rs

    from baomi.learn.realtext import training_texts
    from baomi.text import sounds
    from baomi.text.normalise import normalise

    for loader in (sounds.readings, sounds.blockers):
        loader.cache_clear()
    sounds._table.cache_clear()
    strong = strong_terms()
    by_key: dict[str, list[str]] = {}
    for term in sorted(strong):
        key = sounds.sound_key(term)
        if key is not None:
            by_key.setdefault(key, []).append(term)
    keys = list(by_key)
    automaton = ahocorasick_rs.AhoCorasick(keys)
    hits: Counter[str] = Counter()
    for text in training_texts(("reviews", "news")):
        norm = normalise(text).text
        for index, start, end in automaton.find_matches_as_indexes(sounds.sound_text(norm), overlapping=True):
            if norm[start:end] not in strong and not sounds.inside_word(norm, start, end):
                hits[keys[index]] += 1
    kept = (t for k, ts in by_key.items() for t in ts if len(k) >= 3 or hits[k] <= SOUND_MAX_REAL_HITS)
    return "\n".join(sorted(kept)) + "\n"


def main() -> None:
    for name, text in (
        (VARIANTS_FILE, render()),
        (SYLLABLES_FILE, render_syllables()),
        (CUE_PINYIN_FILE, render_cue_pinyin()),
        (SOUNDS_FILE, render_han_sounds()),
        (BLOCKERS_FILE, render_sound_blockers()),
    ):
        (DATA / name).write_text(text, encoding="utf-8")
        print(f"wrote {DATA / name}")
    (DATA / SOUND_CUES_FILE).write_text(render_sound_cues(), encoding="utf-8")  # reads the two above
    print(f"wrote {DATA / SOUND_CUES_FILE}")


if __name__ == "__main__":
    main()
