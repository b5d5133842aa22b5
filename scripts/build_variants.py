"""Regenerate the disguise tables in src/baomi/data from lexicon.yaml (with pypinyin, so
that start-up never loads pypinyin's dictionary):

- homophone_variants.tsv, from the `homophones` section: one line per word,
  `word|swap|initials<TAB>variant variant …`;
- pinyin_syllables.txt: every toneless pinyin syllable (ü as v and as u);
- cue_pinyin.tsv: the pinyin of every Han cue of two or more characters, `term<TAB>ji yao shi`.

Run after editing lexicon.yaml: .venv/bin/python scripts/build_variants.py
(tests/test_lexicon.py fails while a file is out of date).
"""

import re
import unicodedata
from pathlib import Path

from baomi.lexicon import VARIANTS_FILE, cue_terms, load_homophone_specs, variant_key, word_variants
from baomi.text.pinyin import CUE_PINYIN_FILE, SYLLABLES_FILE

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


def main() -> None:
    for name, text in (
        (VARIANTS_FILE, render()),
        (SYLLABLES_FILE, render_syllables()),
        (CUE_PINYIN_FILE, render_cue_pinyin()),
    ):
        (DATA / name).write_text(text, encoding="utf-8")
        print(f"wrote {DATA / name}")


if __name__ == "__main__":
    main()
