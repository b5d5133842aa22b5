"""What each engine found, reduced to what every engine can express, and the agreement.

The three engines report in different shapes (baomi verdicts, Presidio results, cue
indexes). Each is reduced per message to a `Summary`: did the engine flag the message
at all, and which personal-data kinds (ID number, mobile, bank card) did it point at.
For baomi the kinds are read from the original text under each finding's span, so
the comparison does not depend on baomi's detector names.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from bench.corpus_gen import (
    BANK_CARD,
    CN_ID,
    MOBILE,
    PII_KINDS,
    ChatMessage,
    id_check_digit,
    luhn_ok,
)

_CANDIDATE = re.compile(r"(?<![0-9])(?:\+?86[- ]?)?[0-9](?:[- ]?[0-9]){10,18}[0-9Xx]?(?![0-9])")


@dataclass(frozen=True, slots=True)
class Summary:
    flagged: bool
    pii: frozenset[str]
    label: str  # baomi: the decision; peers: "hit" or "none"


def pii_kinds_in(text: str) -> set[str]:
    """Personal-data kinds written in `text` (validated like the Presidio peer does)."""
    kinds: set[str] = set()
    for m in _CANDIDATE.finditer(text):
        raw = m.group()
        digits = re.sub(r"[- ]", "", raw)
        if digits.startswith("+86"):
            digits = digits[3:]
        elif digits.startswith("86") and len(digits) == 13:
            digits = digits[2:]
        if len(digits) == 18 and digits[:17].isdigit():
            if id_check_digit(digits[:17]) == digits[17].upper():
                kinds.add(CN_ID)
        elif len(digits) == 11 and digits[0] == "1" and digits[1] in "3456789":
            kinds.add(MOBILE)
        if digits.isdigit() and len(digits) in (16, 19) and luhn_ok(digits):
            kinds.add(BANK_CARD)
    return kinds


def summarize_verdict(text: str, verdict) -> Summary:
    kinds: set[str] = set()
    for f in verdict.findings:
        if f.span.source == "text":
            kinds |= pii_kinds_in(text[f.span.start : f.span.end])
    decision = str(getattr(verdict.decision, "value", verdict.decision))
    return Summary(decision != "allow", frozenset(kinds), decision)


def agreement(
    messages: Sequence[ChatMessage],
    summaries: dict[str, list[Summary]],
    a: str = "baomi",
    b: str = "presidio",
) -> list[dict]:
    """Per PII kind and message group: planted count, what each engine found, and how
    far `a` and `b` agree (both, only a, only b). Groups: `duty` (personal data in a
    work context: lists, screenings, payouts), `own` (a person's own number: a
    look-alike that baomi must allow), `none` (nothing of that kind planted)."""
    rows = []
    names = list(summaries)
    for kind in PII_KINDS:
        for group in ("duty", "own", "none"):
            planted = 0
            found = Counter()
            both = only_a = only_b = 0
            for i, m in enumerate(messages):
                has = kind in m.pii
                if group == "none":
                    if has:
                        continue
                elif not has or (group == "own") != m.kind.startswith("lookalike"):
                    continue
                planted += has
                hit = {n: kind in summaries[n][i].pii for n in names}
                for n in names:
                    found[n] += hit[n]
                both += hit[a] and hit[b]
                only_a += hit[a] and not hit[b]
                only_b += hit[b] and not hit[a]
            if group != "none" and planted == 0:
                continue
            rows.append(
                {
                    "kind": kind,
                    "group": group,
                    "planted": planted,
                    **{f"found_{n}": found[n] for n in names},
                    "both": both,
                    f"only_{a}": only_a,
                    f"only_{b}": only_b,
                }
            )
    return rows


def flag_rates(messages: Sequence[ChatMessage], summaries: dict[str, list[Summary]]) -> dict:
    """Share of messages each engine flags, by generated group."""
    groups = {"clean": [], "lookalike": [], "positive": []}
    for i, m in enumerate(messages):
        g = "positive" if m.positive else ("lookalike" if m.kind.startswith("lookalike") else "clean")
        groups[g].append(i)
    out = {}
    for name, summ in summaries.items():
        out[name] = {
            g: (sum(summ[i].flagged for i in idx) / len(idx) if idx else None) for g, idx in groups.items()
        }
    out["_counts"] = {g: len(idx) for g, idx in groups.items()}
    return out
