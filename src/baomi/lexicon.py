"""The cue lexicon: data/lexicon.yaml plus generated pinyin/homophone variants.

Variants are generated once with pypinyin for the few marking words people disguise
(机密 → jimi, jm, 鸡密, ji密 …), both on their own and inside the compound cues that
contain them (保密室 → 保蜜室, bao密室). Variant cues are flagged weak.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml

from baomi.text import sounds

BLOCKER = "_blocker"


@dataclass(frozen=True, slots=True)
class Cue:
    """One literal cue: its category, whether it is a disguised variant, and its source word."""

    category: str
    weak: bool = False
    base: str = ""


def _strip_tone(syllable: str) -> str:
    decomposed = unicodedata.normalize("NFD", syllable)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).replace("ü", "v")


def _is_common_han(ch: str) -> bool:
    """GB2312 level-1 characters: the 3,755 most common Han characters."""
    try:
        b = ch.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return len(b) == 2 and 0xB0A1 <= (b[0] << 8 | b[1]) <= 0xD7F9


@cache
def _chars_by_pinyin() -> dict[str, tuple[str, ...]]:
    from pypinyin.pinyin_dict import pinyin_dict

    table: dict[str, list[str]] = {}
    for cp, readings in pinyin_dict.items():
        ch = chr(cp)
        if not _is_common_han(ch):
            continue
        primary = _strip_tone(readings.split(",")[0])
        table.setdefault(primary, []).append(ch)
    return {k: tuple(v) for k, v in table.items()}


def _pinyin(word: str) -> list[str]:
    from pypinyin import Style, lazy_pinyin

    return lazy_pinyin(word, style=Style.NORMAL)


def word_variants(word: str, positions: list[int], initials: bool = False) -> set[str]:
    """Disguised spellings of `word`: full pinyin, initials (if asked), one syllable in
    pinyin, and one character swapped for a common homophone at the allowed positions."""
    syllables = _pinyin(word)
    out = {"".join(syllables)}
    if initials:
        out.add("".join(s[0] for s in syllables))
    for i, syl in enumerate(syllables):
        out.add(word[:i] + syl + word[i + 1 :])
    by_pinyin = _chars_by_pinyin()
    for i in positions:
        for ch in by_pinyin.get(syllables[i], ()):
            if ch != word[i]:
                out.add(word[:i] + ch + word[i + 1 :])
    out.discard(word)
    return out


VARIANTS_FILE = "homophone_variants.tsv"
DISGUISED_CATEGORIES = frozenset(
    {
        "level", "level_doc", "key_place", "secret_matter", "secret_meeting", "emergency", "hearsay",
        "leader", "internal_mark", "internal_doc", "draft_formal", "not_public", "no_spread",
        "leader_instruction",
    }
)  # fmt: skip


def variant_key(word: str, spec: dict) -> str:
    """The cache key of one homophones entry: the word and how it may be disguised."""
    swap = ",".join(str(i) for i in spec["swap"])
    return f"{word}|{swap}|{int(bool(spec['initials']))}"


def _cached_variants() -> dict[str, set[str]]:
    """Variants generated ahead of time (scripts/build_variants.py), so that start-up
    does not load pypinyin's dictionary; an entry missing here is generated live."""
    path = resources.files("baomi.data").joinpath(VARIANTS_FILE)
    if not path.is_file():
        return {}
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        key, _, variants = line.partition("\t")
        out[key] = set(variants.split(" ")) if variants else set()
    return out


def load_homophone_specs() -> dict[str, dict]:
    raw = yaml.safe_load(resources.files("baomi.data").joinpath("lexicon.yaml").read_text(encoding="utf-8"))
    return raw["homophones"]


SOUND_CATEGORIES = DISGUISED_CATEGORIES | {"secret_word"}


def strong_terms() -> set[str]:
    """The exact Han terms of two characters or more in the categories people disguise
    (and the bare 涉密, 密级): the cues whose homophone spellings may be read by sound."""
    return {
        t
        for t, cues in load_lexicon().items()
        if len(t) >= 2
        and all("\u4e00" <= c <= "\u9fff" for c in t)
        and any(not c.weak and c.category in SOUND_CATEGORIES for c in cues)
    }


def cue_terms() -> set[str]:
    """The exact (not generated) terms of the lexicon, lowered."""
    return {t for t, cues in load_lexicon().items() if any(not c.weak for c in cues)}


@cache
def load_lexicon() -> dict[str, tuple[Cue, ...]]:
    """term → cues (a term may belong to several categories)."""
    raw = yaml.safe_load(resources.files("baomi.data").joinpath("lexicon.yaml").read_text(encoding="utf-8"))
    table: dict[str, list[Cue]] = {}

    def add(term: str, cue: Cue) -> None:
        term = term.lower()
        cues = table.setdefault(term, [])
        if cue not in cues:
            cues.append(cue)

    for category, terms in raw["categories"].items():
        for term in terms:
            if not isinstance(term, str):  # e.g. an unquoted "批示:" parses as a mapping
                raise ValueError(f"lexicon.yaml: {category} has a term that is not a string: {term!r}")
            add(term, Cue(category))
    short = raw["leader_short"]
    for surname in short["surnames"]:
        for title in short["titles"]:
            add(surname + title, Cue("leader_short"))
    for term in raw.get("blockers", ()):
        add(str(term), Cue(BLOCKER))
    exact_terms = {t: [c.category for c in cues] for t, cues in table.items()}
    cached = _cached_variants()
    real_words = sounds.blockers()[0]
    for word, spec in raw["homophones"].items():
        key = variant_key(word, spec)
        variants = cached[key] if key in cached else word_variants(word, spec["swap"], spec["initials"])
        if spec["category"]:
            # a swap that is a real word (书籍 for 书记) is that word, not a disguise
            for variant in variants - real_words:
                add(variant, Cue(spec["category"], weak=True, base=word))
        # compounds that contain the word get the same disguises, in the categories that
        # find something (a disguised 保密宣传 needs no catching)
        for term, categories in exact_terms.items():
            disguised = [c for c in categories if c in DISGUISED_CATEGORIES]
            if word in term and term != word and disguised:
                for variant in variants:
                    for cat in disguised:
                        add(term.replace(word, variant), Cue(cat, weak=True, base=term))
    return {t: tuple(c) for t, c in table.items()}
