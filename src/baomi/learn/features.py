"""Features of one text segment for the learned scorer, with names a secrecy officer reads.

| feature                        | what it says                                                    |
|--------------------------------|-----------------------------------------------------------------|
| `cue:<category>`               | a lexicon cue of that category (`cue:draft_formal`, `cue:star`) |
| `<category>+<category>`        | two cues within a few characters (`draft_formal+work_subject`)  |
| `pinyin_variant[:<category>]`  | a cue written in pinyin, initials or a homophone                |
| `found:<detector>/<rule>`      | a detector's conjunction held (`marking_grammar`, …)            |
| `look_alike:<filter>`          | a look-alike filter fired (`look_alike:is_fiction`)             |
| `id_check_digit_valid` …       | a validator's answer                                            |
| `normalised:<kind>`            | what normalisation the text needed (繁体, 字间分隔符 …)          |
| `channel:<channel>`, `media:<kind>`, `segment:<kind>` | where it goes and what it carries        |
| `ngram:<chars>`                | a character 1–3-gram of the normalised text (in the vocabulary) |
"""

from __future__ import annotations

from dataclasses import dataclass

from baomi.detectors.base import Candidate, Context
from baomi.validators import Validity, validate_bank_card, validate_id_card

PAIR_WINDOW = 12  # characters between two cues that make a pair
MAX_PAIR_HITS = 400  # bound the work a long text can cause
MAX_NGRAM_CHARS = 4000
NGRAM_SIZES = (1, 2, 3)

# Precise detectors under the names the design gives them.
DETECTOR_NAMES = {
    ("markings", "R01"): "marking_grammar",
    ("markings", "R03"): "marked_title_or_number",
    ("personal_data", "P01"): "personal_data_pattern",
}


@dataclass(frozen=True, slots=True)
class Features:
    """Named features (value 1 unless said) and the distinct n-grams of the text."""

    named: dict[str, float]
    grams: tuple[str, ...]


def detector_feature(cand: Candidate) -> str:
    f = cand.finding
    return DETECTOR_NAMES.get((f.detector, f.rule)) or f"found:{f.detector}/{f.rule}"


def extract(ctx: Context, kept: list[Candidate], removed: list[tuple[Candidate, str, str]]) -> Features:
    """Every feature of the segment in `ctx`, given the detectors' candidates."""
    named: dict[str, float] = {f"channel:{ctx.channel.value}": 1.0}
    for m in ctx.media:
        named[f"media:{m}"] = 1.0
    if ctx.segment_media != "text":
        named[f"segment:{ctx.segment_media}"] = 1.0
    hits = sorted((h for hs in ctx.hits.by_category.values() for h in hs), key=lambda h: h.start)
    for h in hits:
        named[f"cue:{h.category}"] = 1.0
        if h.weak:
            named["pinyin_variant"] = 1.0
            named[f"pinyin_variant:{h.category}"] = 1.0
    bounded = hits[:MAX_PAIR_HITS]
    for i, a in enumerate(bounded):
        for b in bounded[i + 1 :]:
            if b.start > a.end + PAIR_WINDOW:
                break
            if a.category != b.category:
                x, y = sorted((a.category, b.category))
                named[f"{x}+{y}"] = 1.0
    for h in ctx.hits.get("id_number")[:20]:
        v = validate_id_card(h.term)
        named["id_check_digit_valid" if v is Validity.VALID else f"id_check_digit_{v.name.lower()}"] = 1.0
    for h in ctx.hits.get("bank_card")[:20]:
        if validate_bank_card(h.term) is Validity.VALID:
            named["bank_card_luhn_valid"] = 1.0
    for star in ctx.hits.get("star"):
        if len(star.term) > 1:
            named["star_with_period"] = 1.0
    for cand in kept:
        name = detector_feature(cand)
        named[name] = 1.0
        if cand.finding.score >= 0.9:
            named[f"{name}:strong"] = 1.0
        if "拼音/谐音" in cand.finding.normalisations:
            named[f"{name}:disguised"] = 1.0
    for cand, filter_name, _ in removed:
        named[f"look_alike:{filter_name}"] = 1.0
        named[f"look_alike:{filter_name}/{cand.rule}"] = 1.0
    norm = ctx.norm
    if norm.text != norm.original:
        named["normalised"] = 1.0
        for kind in norm.normalisations(0, len(norm.text)):
            named[f"normalised:{kind}"] = 1.0
    return Features(named, ngrams(ctx.text))


def ngrams(text: str) -> tuple[str, ...]:
    """Distinct character n-grams of `text` (whitespace dropped), bounded in length."""
    t = "".join(text[:MAX_NGRAM_CHARS].split())
    n = len(t)
    grams = {t[i : i + k] for k in NGRAM_SIZES for i in range(n - k + 1)}
    return tuple(grams)
