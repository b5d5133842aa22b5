"""The learned scorer: loads the model file built by `baomi train` and turns a segment's
features into per-rule findings whose reasons name the features that carried them.

Inference is numpy only. The file (`.npz`, no pickles) holds one weight column per rule
over named features and character n-grams, a bias per rule, calibrated thresholds per
sensitivity, and the gate: the cue categories without which a segment is not scored.
"""

from __future__ import annotations

import io
import json
import math
import re
import zipfile
from bisect import bisect_right
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

import numpy as np

from baomi.catalog import catalog
from baomi.detectors.base import Candidate, Context, mask
from baomi.errors import ModelError
from baomi.learn.features import CATEGORY_ALIAS, Features, extract
from baomi.model import Channel, Finding, Reason, Span
from baomi.policy.load import default_policy

MODEL_FILE = "learned_model.npz"
SENSITIVITIES = ("standard", "high")
NGRAM_PREFIX = "ngram:"
# Findings from the organisation's own dictionaries: the model never saw them in training.
AUTHORITATIVE_ANCHORS = frozenset({"codename", "registered_doc"})
R10_CHANNELS = frozenset({Channel.EXTERNAL_GROUP, Channel.MOMENTS, Channel.PUBLISH})
# The message-level head, a weight column after the rules': must the message be held or
# stopped at all? Where the rules' own scores split between confusable rules (a closed
# meeting's decision: R04, R05 or R06?) none may reach its threshold while the message
# plainly must not go out.
STOP_HEAD = "stop"
# The share of its own threshold a rule's probability needs for the stop head to raise it:
# the head says whether to stop, the rule's own score which rule is broken.
STOP_RULE_SHARE = 0.3


@cache
def stops_on(rule: str, channel: Channel) -> bool:
    """True when a finding of `rule` on `channel` holds or stops the message under the
    default matrix, the one the stop head learned from (R10 and F01 do not, inside)."""
    return default_policy().decide(rule, channel).stops


TOP_FEATURES = 4
# A rule a detector named needs this share of the rule's threshold: the conjunctions stay
# strong evidence, and the model can still turn them down. The precise ones (a marking
# with its period, a 文号 tied to a marking, an ID whose check digit holds: a detector
# score of PRECISE_SCORE or more) stand: the look-alike filters, not the n-grams of the
# text around them, turn those down (机密★1年 in an ordinary notice is still a marking).
DETECTOR_TRUST = 0.5
PRECISE_TRUST, PRECISE_SCORE = 0.0, 0.9
MAX_ATTRIBUTION_CHARS = 20_000
GATE_CACHE_SIZE = 65_536  # distinct (cue categories, outside) combinations remembered
_SENTENCE = re.compile(r"[^。!?;\n]+[。!?;\n]*")


_DEDUPE_FIRST = 256  # n-gram keys above which repeats are dropped before the lookup
_SHIFT = np.uint64(21)  # a code point fits in 21 bits: a 1–3-gram is one exact integer key


def _gram_key(gram: str) -> int:
    key = 0
    for ch in gram:
        key = (key << 21) | ord(ch)
    return key


# Length of a text's n-gram block. One L2 penalty holds all weights; a longer block lets the
# n-grams weigh as much as the named features (6 was best on the validation split of 1, 3,
# 6, 10). A model file records the value it was trained with.
GRAM_SCALE = 6.0
# A text counts as holding at least this many n-grams: the two characters of a caption
# (配图) are no evidence, yet divided by the square root of their three n-grams each
# would weigh as much as a named feature.
MIN_GRAMS = 9


def gram_value(n_grams: int) -> float:
    """The value of each n-gram feature of a text with `n_grams` distinct ones."""
    return GRAM_SCALE / math.sqrt(max(n_grams, MIN_GRAMS)) if n_grams else 0.0


def calibrated(p: float, threshold: float) -> float:
    """A finding's score: 0.5 exactly at the rule's threshold, monotone in `p`."""
    p = min(max(p, 1e-6), 1 - 1e-6)
    t = min(max(threshold, 1e-6), 1 - 1e-6)
    z = math.log(p / (1 - p)) - math.log(t / (1 - t))
    return 1.0 / (1.0 + math.exp(-z))


class GateScreen:
    """The first stage: a linear score over the cue categories hit; below its threshold
    a segment is not scored (no finding), which keeps ordinary chat fast."""

    def __init__(self, gate: dict) -> None:
        self.weights: dict[str, float] = gate["weights"]
        self.outside = gate["outside"]
        self.start = gate["bias"] - gate["threshold"]

    def opens(self, categories, channel: Channel) -> bool:
        get = self.weights.get
        z = self.start + (self.outside if channel in R10_CHANNELS else 0.0)
        cats = sorted({CATEGORY_ALIAS.get(c, c) for c in categories})
        for i, a in enumerate(cats):
            z += get(a, 0.0)
            for b in cats[i + 1 :]:
                z += get(f"{a}&{b}", 0.0)
        return z >= 0.0


@dataclass
class SegmentScore:
    """What the model made of one segment (for explain)."""

    features: Features
    probabilities: dict[str, float]
    thresholds: dict[str, float]
    rejected: list[Candidate]


class LearnedModel:
    """Per-rule logistic weights over named features and n-grams."""

    def __init__(
        self,
        rules: tuple[str, ...],
        names: list[str],
        weights: np.ndarray,
        bias: np.ndarray,
        meta: dict,
        source: str = "",
        gram_keys: tuple[np.ndarray, np.ndarray] | None = None,
    ) -> None:
        self.rules = rules
        # the columns: one per rule, then the stop head when the model was trained with one
        self.columns = (*rules, STOP_HEAD) if weights.shape[1] == len(rules) + 1 else rules
        self.weights = weights  # (n_features, n_columns) float32
        self.bias = bias
        self.meta = meta
        self.source = source
        self.names = names
        # Named features by name; n-grams by an exact integer key of their code points,
        # sorted, so that all n-grams of a text are looked up in a few vectorised steps.
        self.named_index = {n: i for i, n in enumerate(names) if not n.startswith(NGRAM_PREFIX)}
        if gram_keys is None:
            keyed = sorted(
                (_gram_key(n[len(NGRAM_PREFIX) :]), i)
                for i, n in enumerate(names)
                if n.startswith(NGRAM_PREFIX) and len(n) - len(NGRAM_PREFIX) <= 3
            )
            gram_keys = np.array([k for k, _ in keyed], dtype=np.uint64), np.array([i for _, i in keyed])
        self._gram_keys, self._gram_rows = gram_keys[0], gram_keys[1].astype(np.int64)
        self._has_grams = len(self._gram_keys) > 0
        self._gate_cache: dict[tuple[frozenset[str], bool], bool] = {}
        self.thresholds: dict[str, dict[str, float]] = meta["thresholds"]
        self.screen = GateScreen(meta["gate"])
        self._logit_thresholds = {
            sens: np.array([math.log(max(t[r], 1e-9) / max(1 - t[r], 1e-9)) for r in self.columns])
            for sens, t in self.thresholds.items()
        }
        # per rule, the cue categories one of which a finding needs (unless a detector named it)
        self.anchors = {r: frozenset(meta.get("anchors", {}).get(r, ())) for r in rules}
        self._rule_pos = {r: i for i, r in enumerate(self.columns)}
        # every rule needs one of its anchors (None: some rule is free to fire without one)
        self._any_anchor = frozenset().union(*self.anchors.values()) if all(self.anchors.values()) else None

    # ----------------------------------------------------------------- file
    @classmethod
    def load(cls, path: str | Path) -> LearnedModel:
        p = Path(path)
        try:
            with np.load(p, allow_pickle=False) as data:
                meta = json.loads(bytes(data["meta"]).decode("utf-8"))
                names = bytes(data["names"]).decode("utf-8").split("\n")
                weights = data["weights"].astype(np.float32)
                bias = data["bias"].astype(np.float64)
                gram_keys = data["gram_keys"], data["gram_rows"]
        except (OSError, KeyError, ValueError) as exc:
            raise ModelError(f"无法读取模型文件 {p}：{exc.__class__.__name__}") from None
        if meta.get("gram_scale", GRAM_SCALE) != GRAM_SCALE or meta.get("min_grams", 1) != MIN_GRAMS:
            raise ModelError(f"模型文件 {p} 由另一版本训练（n-gram 尺度不同）：请重新运行 baomi train")
        if weights.shape[0] != len(names) or weights.shape[1] - len(meta["rules"]) not in (0, 1):
            raise ModelError(f"模型文件 {p} 已损坏：权重与特征数不符")
        return cls(tuple(meta["rules"]), names, weights, bias, meta, str(p), gram_keys)

    def save(self, path: str | Path) -> None:
        """Write the model as npz with fixed zip timestamps: the same model, the same bytes."""
        meta = json.dumps(self.meta, ensure_ascii=False, sort_keys=True).encode("utf-8")
        arrays = {
            "weights": self.weights.astype(np.float16),
            "bias": np.asarray(self.bias, dtype=np.float64),
            "names": np.frombuffer("\n".join(self.names).encode("utf-8"), dtype=np.uint8),
            "meta": np.frombuffer(meta, dtype=np.uint8),
            "gram_keys": self._gram_keys,
            "gram_rows": self._gram_rows.astype(np.int32),
        }
        with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            for key, arr in arrays.items():
                buf = io.BytesIO()
                np.lib.format.write_array(buf, np.ascontiguousarray(arr), allow_pickle=False)
                info = zipfile.ZipInfo(f"{key}.npy", date_time=(2020, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                zf.writestr(info, buf.getvalue())

    # ----------------------------------------------------------------- scoring
    def gated(self, categories, channel: Channel) -> bool:
        """True when a segment with these hit categories, sent to `channel`, is worth scoring."""
        if not categories and self._any_anchor is not None:
            return False  # no cue, no anchor
        key = (frozenset(categories), channel in R10_CHANNELS)
        opens = self._gate_cache.get(key)
        if opens is None:
            # no rule's anchor among the cues: no finding is possible, whatever the score
            anchored = self._any_anchor is None or not self._any_anchor.isdisjoint(
                CATEGORY_ALIAS.get(c, c) for c in key[0]
            )
            opens = anchored and self.screen.opens(categories, channel)
            if len(self._gate_cache) < GATE_CACHE_SIZE:
                self._gate_cache[key] = opens
        return opens

    def _indices(self, feats: Features) -> tuple[list[int], list[int]]:
        get = self.named_index.get
        named = [i for i in map(get, feats.named) if i is not None]
        return named, self.gram_indices(feats.text)

    def gram_indices(self, text: str) -> list[int]:
        """Rows of the distinct vocabulary n-grams in `text`."""
        if not text or not self._has_grams:
            return []
        keys = self._text_keys(text)
        # sorted queries walk the vocabulary in order: far fewer cache misses (a stable sort
        # of integers is a radix sort in numpy)
        keys.sort(kind="stable")
        long = len(keys) > _DEDUPE_FIRST
        if long:  # drop repeated n-grams before the lookup rather than after it, in a set
            first = np.empty(len(keys), dtype=bool)
            first[0] = True
            np.not_equal(keys[1:], keys[:-1], out=first[1:])
            keys = keys[first]
        pos = np.searchsorted(self._gram_keys, keys)
        np.minimum(pos, len(self._gram_keys) - 1, out=pos)
        rows = self._gram_rows[pos[self._gram_keys[pos] == keys]].tolist()
        return rows if long else list(set(rows))

    @staticmethod
    def _text_keys(text: str) -> np.ndarray:
        """The integer key of every 1-, 2- and 3-gram of `text`, in that order."""
        cp = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
        two = (cp[:-1] << _SHIFT) | cp[1:]
        return np.concatenate((cp, two, (two[:-1] << _SHIFT) | cp[2:]))

    def _gram_hits(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """Rows and start offsets of every vocabulary n-gram occurrence in `text`."""
        if not text or not self._has_grams:
            return np.zeros(0, np.int64), np.zeros(0, np.int64)
        keys = self._text_keys(text)
        pos = np.minimum(np.searchsorted(self._gram_keys, keys), len(self._gram_keys) - 1)
        found = self._gram_keys[pos] == keys
        n = len(text)
        at = np.concatenate((np.arange(n), np.arange(max(n - 1, 0)), np.arange(max(n - 2, 0))))
        return self._gram_rows[pos[found]], at[found]

    def logits(self, feats: Features, indices: tuple[list[int], list[int]] | None = None) -> np.ndarray:
        """Per-rule logits of a segment (`indices`: its `_indices`, when already known)."""
        named, grams = indices or self._indices(feats)
        if not grams:
            return self.bias + self.weights[named].sum(axis=0) if named else self.bias.copy()
        z = self.bias + self.weights.take(grams, axis=0).sum(axis=0) * gram_value(len(grams))
        return z + self.weights.take(named, axis=0).sum(axis=0) if named else z

    def probabilities(self, feats: Features) -> dict[str, float]:
        return self._probs(self.logits(feats))

    def _probs(self, z: np.ndarray) -> dict[str, float]:
        return dict(zip(self.columns, (1.0 / (1.0 + np.exp(-z))).tolist(), strict=True))

    def contributions(
        self,
        feats: Features,
        rule: str,
        k: int = TOP_FEATURES,
        indices: tuple[list[int], list[int]] | None = None,
    ) -> list[tuple[str, float]]:
        """The `k` features with the largest part in the rule's score, largest first."""
        col = self._rule_pos[rule]
        named, grams = indices or self._indices(feats)
        idx = np.array(named + grams, dtype=np.int64)
        if not len(idx):
            return []
        parts = self.weights[idx, col].astype(np.float64)
        parts[len(named) :] *= gram_value(len(grams))
        top = (
            sorted(range(len(idx)), key=lambda i: (-parts[i], idx[i]))[:k]
            if len(idx) <= 64
            else (sorted(np.argpartition(-parts, k)[:k].tolist(), key=lambda i: (-parts[i], idx[i])))
        )
        return [(self.names[idx[i]], float(parts[i])) for i in top]

    def best_sentence(self, ctx: Context, rule: str) -> tuple[int, int]:
        """The sentence (normalised offsets) whose cues and n-grams weigh most for `rule`."""
        col = self._rule_pos[rule]
        text = ctx.text[:MAX_ATTRIBUTION_CHARS]
        spans = [m.span() for m in _SENTENCE.finditer(text)] or [(0, len(text))]
        if len(spans) == 1:
            return spans[0]
        ends = [hi for _, hi in spans]
        totals = np.zeros(len(spans))
        rows, starts = self._gram_hits(text)
        if len(rows):
            where = np.minimum(np.searchsorted(ends, starts, side="right"), len(spans) - 1)
            np.add.at(totals, where, self.weights[rows, col])
        for category, hits in ctx.hits.by_category.items():
            i = self.named_index.get(f"cue:{CATEGORY_ALIAS.get(category, category)}")
            if i is not None:
                for h in hits:
                    totals[min(bisect_right(ends, h.start), len(spans) - 1)] += self.weights[i, col]
        return spans[int(np.argmax(totals))]

    # ----------------------------------------------------------------- findings
    def review_segment(
        self,
        ctx: Context,
        kept: list[Candidate],
        removed: list[tuple[Candidate, str, str]],
        sensitivity: str = "standard",
    ) -> tuple[list[Finding], SegmentScore]:
        """The segment's findings: a rule is found when its probability reaches the
        threshold of `sensitivity` (DETECTOR_TRUST of it when a detector's conjunction
        named the rule). A detector's candidate lends its span and evidence; without
        one, the sentence that weighed most is the span. When no rule that stops the
        message on its channel is found but the stop head reaches its threshold, the
        rule closest to its own threshold is found, on the stop head's evidence."""
        feats = extract(ctx, kept, removed)
        indices = self._indices(feats)
        z = self.logits(feats, indices)
        thresholds = self.thresholds[sensitivity]
        if not kept and (z < self._logit_thresholds[sensitivity]).all():  # the common case
            return [], SegmentScore(feats, self._probs(z), thresholds, [])
        probs = self._probs(z)
        trust: dict[str, float] = {}
        for c in kept:
            factor = PRECISE_TRUST if c.finding.score >= PRECISE_SCORE else DETECTOR_TRUST
            trust[c.rule] = min(trust.get(c.rule, 1.0), factor)
        thresholds = {r: t * trust.get(r, 1.0) for r, t in thresholds.items()}
        # a disguised cue anchors too: the model, trained on disguised positives and
        # negatives alike, decides whether what the message says is a breach
        found = {CATEGORY_ALIAS.get(c, c) for c in ctx.hits.by_category}
        by_rule: dict[str, list[Candidate]] = {}
        for c in kept:
            by_rule.setdefault(c.rule, []).append(c)
        findings: list[Finding] = []
        rejected: list[Candidate] = []
        possible: list[str] = []  # rules the stop head may raise: anchored, stopping here
        for rule in self.rules:
            p, thr = probs[rule], thresholds[rule]
            cands = by_rule.get(rule, [])
            authoritative = [c for c in cands if c.anchor.category in AUTHORITATIVE_ANCHORS]
            if rule == "R10" and ctx.channel not in R10_CHANNELS:
                continue
            anchored = rule in trust or not self.anchors[rule] or not found.isdisjoint(self.anchors[rule])
            if p < thr or not anchored:
                findings += [c.finding for c in authoritative]
                rejected += [c for c in cands if c not in authoritative]
                if anchored and stops_on(rule, ctx.channel) and p >= STOP_RULE_SHARE * thr:
                    possible.append(rule)
                continue
            detail = f"模型判定 {rule}（概率 {p:.2f}，阈值 {thr:.2f}）："
            findings.append(self._finding(ctx, rule, calibrated(p, thr), detail, feats, indices, cands))
        p_stop = probs.get(STOP_HEAD)
        if (
            p_stop is not None
            and possible
            and p_stop >= thresholds[STOP_HEAD]
            and not any(stops_on(f.rule, ctx.channel) for f in findings)
        ):
            rule = max(possible, key=lambda r: probs[r] / thresholds[r])
            detail = (
                f"模型判定需审查（整体概率 {p_stop:.2f}，阈值 {thresholds[STOP_HEAD]:.2f}），"
                f"最接近的规则 {rule}（概率 {probs[rule]:.2f}）："
            )
            cands = by_rule.get(rule, [])
            rejected = [c for c in rejected if c not in cands]
            score = calibrated(p_stop, thresholds[STOP_HEAD])
            findings.append(self._finding(ctx, rule, score, detail, feats, indices, cands, STOP_HEAD))
        return findings, SegmentScore(feats, probs, thresholds, rejected)

    def _finding(
        self,
        ctx: Context,
        rule: str,
        score: float,
        detail: str,
        feats: Features,
        indices: tuple[list[int], list[int]],
        cands: list[Candidate],
        column: str | None = None,
    ) -> Finding:
        """A learned finding of `rule`: its reason names the features that carried the
        score of `column` (the rule's own unless given); a detector's candidate lends its
        span and evidence, else the sentence that weighed most for the rule is the span."""
        top = [(n, w) for n, w in self.contributions(feats, column or rule, indices=indices) if w > 0]
        reason = Reason("learn", detail + "、".join(f"{n} {w:+.2f}" for n, w in top), round(score, 4))
        if cands:
            best = max(cands, key=lambda c: c.finding.score)
            f = best.finding
            authoritative = best.anchor.category in AUTHORITATIVE_ANCHORS
            return Finding(
                f.rule,
                f.span,
                f.evidence,
                f.detector,
                max(score, f.score if authoritative else 0),
                (*f.reasons, reason),
                f.normalisations,
            )
        lo, hi = self.best_sentence(ctx, rule)
        ostart, oend = ctx.norm.to_original(lo, hi)
        return Finding(
            rule=rule,
            span=Span(ostart, oend, ctx.source),
            evidence=mask(catalog()[rule].name),
            detector="learned",
            score=score,
            reasons=(reason,),
            normalisations=ctx.norm.normalisations(lo, hi),
        )


@cache
def default_model() -> LearnedModel:
    """The model shipped in baomi/data, loaded once per process."""
    path = resources.files("baomi.data").joinpath(MODEL_FILE)
    if not path.is_file():
        raise ModelError(f"缺少模型文件 {MODEL_FILE}：请运行 baomi train")
    return LearnedModel.load(Path(str(path)))
