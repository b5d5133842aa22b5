"""The project's disguise and OCR-noise generators, for training data.

Both are applied to positives AND negatives with the labels unchanged, so that a
disguise or OCR noise alone never means "stop": what decides is what the message says.

- `disguise(text, rng)`: strong cue words (涉密, 内部, 机要室, 讨论稿, 书记, 疫情, 听说 …, and
  the look-alike words 保密协议, 小秘密 …) spelt in full pinyin, initials, one syllable
  in pinyin, a homophone, traditional characters, or with a symbol, emoji or star inside;
  sometimes an ordinary word in pinyin too; or whole clauses written out in pinyin.
- `ocr_noise(text, rng)`: what OCR makes of a photographed page: ★ read as 女 * x or
  dropped, 〔〕 read as [] () 【】, spaced digits, words broken across lines, stray
  characters, page headers and footers.
"""

from __future__ import annotations

import random
import re
from functools import cache
from importlib import resources

import ahocorasick_rs

from baomi.lexicon import _chars_by_pinyin, _pinyin, load_lexicon

# Cue categories whose words people disguise (and look-alike words that share them).
DISGUISABLE = frozenset(
    {
        "level", "level_doc", "key_place", "secret_matter", "secret_meeting", "emergency",
        "hearsay", "leader", "internal_mark", "internal_doc", "draft_formal", "draft_weak",
        "not_public", "no_spread", "leader_instruction", "unfinished", "diagnosis",
        "everyday_secret", "generic_secret", "internal_meeting", "review_flag", "duty",
    }
)  # fmt: skip
_SYMBOLS = [
    " ",
    "*",
    "·",
    "-",
    "_",
    "|",
    "/",
    "~",
    "…",
    "★",
    "❤",
    "🔒",
    "😂",
    "、",
    ".",
    "x",
    "  ",
    "👉",
    "#",
]
_HAN_WORD = re.compile(r"[\u4e00-\u9fff]{2,4}")
_CLAUSE = re.compile(r"[^，。！？；：,.!?;:\n]*[\u4e00-\u9fff][^，。！？；：,.!?;:\n]*")
PINYIN_CLAUSES = 0.25  # share of disguised copies written (partly) in pinyin
_DIGIT_RUN = re.compile(r"\d{4,}")


@cache
def _cue_automaton() -> ahocorasick_rs.AhoCorasick:
    terms = []
    for term, cues in load_lexicon().items():
        han = len(term) >= 2 and all("\u4e00" <= c <= "\u9fff" for c in term)
        if han and any(c.category in DISGUISABLE and not c.weak for c in cues):
            terms.append(term)
    return ahocorasick_rs.AhoCorasick(terms)


@cache
def _s2t() -> dict[str, str]:
    text = resources.files("baomi.data").joinpath("t2s_chars.txt").read_text(encoding="utf-8")
    table: dict[str, str] = {}
    for line in text.splitlines():
        if len(line) == 2 and "\u4e00" <= line[1] <= "\u9fff":
            table.setdefault(line[1], line[0])
    return table


def cue_spans(text: str) -> list[tuple[int, int]]:
    """Non-overlapping spans of disguisable cue words in `text`, longest first."""
    found = sorted(
        ((start, end) for _, start, end in _cue_automaton().find_matches_as_indexes(text, overlapping=True)),
        key=lambda s: (s[0] - s[1], s[0]),
    )
    taken: list[tuple[int, int]] = []
    for s in found:
        if all(s[1] <= t[0] or t[1] <= s[0] for t in taken):
            taken.append(s)
    return sorted(taken)


def disguise_word(word: str, rng: random.Random) -> str:
    """One disguised spelling of a Han `word`."""
    syllables = _pinyin(word)
    kind = rng.randrange(8)
    if kind == 0:
        return "".join(syllables)
    if kind == 1:
        return "".join(s[0] for s in syllables)
    if kind == 2:
        i = rng.randrange(len(word))
        return word[:i] + syllables[i] + word[i + 1 :]
    if kind in (3, 4):
        i = rng.randrange(len(word))
        options = [c for c in _chars_by_pinyin().get(syllables[i], ()) if c != word[i]]
        if options:
            return word[:i] + rng.choice(options) + word[i + 1 :]
    if kind == 5:
        table = _s2t()
        out = "".join(table.get(c, c) for c in word)
        if out != word:
            return out
    i = rng.randrange(1, len(word))
    return word[:i] + rng.choice(_SYMBOLS) + word[i:]


def pinyin_clauses(text: str, rng: random.Random) -> str:
    """`text` with all its clauses, or one or two of them, written in toneless pinyin,
    syllable by syllable or with some syllables run together."""
    clauses = [m.span() for m in _CLAUSE.finditer(text)]
    if not clauses:
        return text
    chosen = clauses if rng.random() < 0.5 else rng.sample(clauses, min(len(clauses), rng.randint(1, 2)))
    out, last = [], 0
    for start, end in sorted(chosen):
        out.append(text[last:start])
        syllables = _pinyin(text[start:end])
        words = [syllables[0]]
        for syl in syllables[1:]:
            if rng.random() < 0.3:
                words[-1] += syl
            else:
                words.append(syl)
        out.append(" ".join(words))
        last = end
    out.append(text[last:])
    return "".join(out)


def disguise(text: str, rng: random.Random) -> str:
    """`text` with one to three of its cue words disguised (or, without any, an ordinary
    word spelt in pinyin or split by a symbol), or with clauses written in pinyin."""
    if rng.random() < PINYIN_CLAUSES:
        return pinyin_clauses(text, rng)
    spans = cue_spans(text)
    if spans:
        chosen = rng.sample(spans, min(len(spans), rng.randint(1, 3)))
    else:
        words = [(m.start(), m.end()) for m in _HAN_WORD.finditer(text)]
        if not words:
            return text
        chosen = [rng.choice(words)]
    if rng.random() < 0.3:  # an ordinary word disguised too: pinyin alone means nothing
        words = [(m.start(), m.start() + 2) for m in _HAN_WORD.finditer(text)]
        extra = [w for w in words if all(w[1] <= s[0] or s[1] <= w[0] for s in chosen)]
        if extra:
            chosen.append(rng.choice(extra))
    out, last = [], 0
    for start, end in sorted(chosen):
        out.append(text[last:start])
        out.append(disguise_word(text[start:end], rng))
        last = end
    out.append(text[last:])
    return "".join(out)


_STAR_READINGS = ["女", "*", "x", "", "☆", "大", "X", "★"]
_BRACKETS = [("[", "]"), ("(", ")"), ("【", "】"), ("［", "］"), ("〔", "〕"), ("(", "〕")]
_STRAY = ["丨", "|", ".", "'", "一", "·", ",", "_"]
_HEADERS = ["- 1 -", "— 2 —", "第1页 共3页", "第 2 页", "2", "-3-", "印发", "共印10份"]


def ocr_noise(text: str, rng: random.Random) -> str:
    """What OCR might read of `text` printed on a photographed page."""
    out = text
    if "★" in out:
        out = "".join(rng.choice(_STAR_READINGS) if c == "★" else c for c in out)
    if "〔" in out or "〕" in out:
        opener, closer = rng.choice(_BRACKETS)
        out = out.replace("〔", opener).replace("〕", closer)
    out = _DIGIT_RUN.sub(lambda m: _space_digits(m.group(), rng) if rng.random() < 0.5 else m.group(), out)
    chars = []
    next_break = rng.randint(8, 24)
    for i, c in enumerate(out):
        chars.append(c)
        if i == next_break:
            chars.append("\n")
            next_break = i + rng.randint(8, 24)
        elif rng.random() < 0.01:
            chars.append(rng.choice(_STRAY))
    out = "".join(chars)
    if rng.random() < 0.4:
        out = rng.choice(_HEADERS) + "\n" + out
    if rng.random() < 0.4:
        out = out + "\n" + rng.choice(_HEADERS)
    return out


def _space_digits(run: str, rng: random.Random) -> str:
    if rng.random() < 0.5:
        return " ".join(run)
    i = rng.randrange(1, len(run))
    return run[:i] + " " + run[i:]
