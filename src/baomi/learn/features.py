"""Features of one text segment for the learned scorer, with names a secrecy officer reads.

| feature                        | what it says                                                    |
|--------------------------------|-----------------------------------------------------------------|
| `cue:<category>`               | a lexicon cue of that category (`cue:draft_formal`, `cue:star`) |
| `<category>+<category>`        | two cues within a few characters (`draft_formal+work_subject`)  |
| `pinyin_variant[:<category>]`  | a cue written in pinyin, initials or a homophone                |
| `found:<detector>/<rule>`      | a detector's conjunction held (`marking_grammar`, …)            |
| `look_alike:<filter>`          | a look-alike filter fired (`look_alike:is_fiction`)             |
| `id_check_digit_valid` …       | a validator's answer                                            |
| `normalised[:<kind>]`          | the text needed normalising; what a detector's match needed     |
| `channel:<channel>`, `media:<kind>`, `segment:<kind>` | where it goes and what it carries        |
| `ngram:<chars>`                | a character 1–3-gram of the normalised text (in the vocabulary) |
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from baomi.detectors.base import Candidate, Context
from baomi.validators import Validity, validate_bank_card, validate_id_card

PAIR_WINDOW = 12  # characters between two cues that make a pair
MAX_PAIR_HITS = 400  # bound the work a long text can cause
MAX_NGRAM_CHARS = 4000
NGRAM_SIZES = (1, 2, 3)

# The organisation's own dictionaries are features of the cue they stand for (training
# corpora never hold an organisation's names).
CATEGORY_ALIAS = {"leader_name": "leader", "codename": "secret_matter", "registered_doc": "level_doc"}
# Precise detectors under the names the design gives them.
DETECTOR_NAMES = {
    ("markings", "R01"): "marking_grammar",
    ("markings", "R03"): "marked_title_or_number",
    ("personal_data", "P01"): "personal_data_pattern",
}


@dataclass(frozen=True, slots=True)
class Features:
    """The named features present (each worth 1) and the text whose n-grams count too
    (`ngram_text`; the model looks its vocabulary up in it, training uses `ngrams`)."""

    named: set[str]
    text: str


def detector_feature(cand: Candidate) -> str:
    f = cand.finding
    return DETECTOR_NAMES.get((f.detector, f.rule)) or f"found:{f.detector}/{f.rule}"


def extract(ctx: Context, kept: list[Candidate], removed: list[tuple[Candidate, str, str]]) -> Features:
    """Every feature of the segment in `ctx`, given the detectors' candidates."""
    named = {f"channel:{ctx.channel.value}"}
    add = named.add
    for m in ctx.media:
        add(f"media:{m}")
    if ctx.segment_media != "text":
        add(f"segment:{ctx.segment_media}")
    by_category = ctx.hits.by_category
    for category, hs in by_category.items():
        if hs:
            add(_cue_name(category))
            if any(h.weak for h in hs):
                add("pinyin_variant")
                add("pinyin_variant:" + category)
    hits = sorted((h for hs in by_category.values() for h in hs), key=_start)[:MAX_PAIR_HITS]
    for i, a in enumerate(hits):
        reach = a.end + PAIR_WINDOW
        for b in hits[i + 1 :]:
            if b.start > reach:
                break
            if a.category != b.category:
                add(_pair_name(a.category, b.category))
    for h in ctx.hits.get("id_number")[:20]:
        v = validate_id_card(h.term)
        add("id_check_digit_valid" if v is Validity.VALID else f"id_check_digit_{v.name.lower()}")
    for h in ctx.hits.get("bank_card")[:20]:
        if validate_bank_card(h.term) is Validity.VALID:
            add("bank_card_luhn_valid")
    if any(len(star.term) > 1 for star in ctx.hits.get("star")):
        add("star_with_period")
    for cand in kept:
        name = detector_feature(cand)
        add(name)
        if cand.finding.score >= 0.9:
            add(name + ":strong")
        for kind in cand.finding.normalisations:
            add("normalised:" + kind)
    for cand, filter_name, _ in removed:
        add("look_alike:" + filter_name)
        add(f"look_alike:{filter_name}/{cand.rule}")
    norm = ctx.norm
    if norm.breaks:
        add("normalised:separator_removed")
    if norm.text != norm.original.lower():
        add("normalised")
    return Features(named, ngram_text(ctx.text))


def _start(hit) -> int:
    return hit.start


@cache
def _cue_name(category: str) -> str:
    return "cue:" + CATEGORY_ALIAS.get(category, category)


@cache
def _pair_name(a: str, b: str) -> str:
    x, y = sorted((CATEGORY_ALIAS.get(a, a), CATEGORY_ALIAS.get(b, b)))
    return f"{x}+{y}" if x != y else f"cue:{x}"


def ngram_text(text: str) -> str:
    """The text n-grams are read from: whitespace dropped, bounded in length."""
    return "".join(text[:MAX_NGRAM_CHARS].split())


def ngrams(t: str) -> set[str]:
    """Distinct character 1–3-grams of an `ngram_text`."""
    grams = set(t)
    grams.update(t[i : i + 2] for i in range(len(t) - 1))
    grams.update(t[i : i + 3] for i in range(len(t) - 2))
    return grams
