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
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

import numpy as np

from baomi.catalog import catalog
from baomi.detectors.base import Candidate, Context, mask
from baomi.errors import ModelError
from baomi.learn.features import Features, extract
from baomi.model import Channel, Finding, Reason, Span

MODEL_FILE = "learned_model.npz"
SENSITIVITIES = ("standard", "high")
NGRAM_PREFIX = "ngram:"
# Findings from the organisation's own dictionaries: the model never saw them in training.
AUTHORITATIVE_ANCHORS = frozenset({"codename", "registered_doc"})
R10_CHANNELS = frozenset({Channel.EXTERNAL_GROUP, Channel.MOMENTS, Channel.PUBLISH})
TOP_FEATURES = 4
_SENTENCE = re.compile(r"[^。!?;\n]+[。!?;\n]*")


def gram_value(n_grams: int) -> float:
    """The value of each n-gram feature: the n-gram block has unit length."""
    return 1.0 / math.sqrt(n_grams) if n_grams else 0.0


def calibrated(p: float, threshold: float) -> float:
    """A finding's score: 0.5 exactly at the rule's threshold, monotone in `p`."""
    p = min(max(p, 1e-6), 1 - 1e-6)
    t = min(max(threshold, 1e-6), 1 - 1e-6)
    z = math.log(p / (1 - p)) - math.log(t / (1 - t))
    return 1.0 / (1.0 + math.exp(-z))


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
    ) -> None:
        self.rules = rules
        self.weights = weights  # (n_features, n_rules) float32
        self.bias = bias
        self.meta = meta
        self.source = source
        self.names = names
        self.named_index: dict[str, int] = {}
        self.gram_index: dict[str, int] = {}
        for i, name in enumerate(names):
            if name.startswith(NGRAM_PREFIX):
                self.gram_index[name[len(NGRAM_PREFIX) :]] = i
            else:
                self.named_index[name] = i
        self.thresholds: dict[str, dict[str, float]] = meta["thresholds"]
        # per channel group, the cue categories that open the scorer
        self.gate_inside = frozenset(meta["gate"]["inside"])
        self.gate_outside = frozenset(meta["gate"]["outside"])
        self._rule_pos = {r: i for i, r in enumerate(rules)}

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
        except (OSError, KeyError, ValueError) as exc:
            raise ModelError(f"无法读取模型文件 {p}：{exc.__class__.__name__}") from None
        if weights.shape != (len(names), len(meta["rules"])):
            raise ModelError(f"模型文件 {p} 已损坏：权重与特征数不符")
        return cls(tuple(meta["rules"]), names, weights, bias, meta, str(p))

    def save(self, path: str | Path) -> None:
        """Write the model as npz with fixed zip timestamps: the same model, the same bytes."""
        meta = json.dumps(self.meta, ensure_ascii=False, sort_keys=True).encode("utf-8")
        arrays = {
            "weights": self.weights.astype(np.float16),
            "bias": np.asarray(self.bias, dtype=np.float64),
            "names": np.frombuffer("\n".join(self.names).encode("utf-8"), dtype=np.uint8),
            "meta": np.frombuffer(meta, dtype=np.uint8),
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
        gate = self.gate_outside if channel in R10_CHANNELS else self.gate_inside
        return not gate.isdisjoint(categories)

    def _indices(self, feats: Features) -> tuple[list[int], list[int]]:
        ni, gi = self.named_index, self.gram_index
        named = [ni[n] for n in feats.named if n in ni]
        grams = [gi[g] for g in feats.grams if g in gi]
        return named, grams

    def logits(self, feats: Features) -> np.ndarray:
        named, grams = self._indices(feats)
        z = self.bias.copy()
        if named:
            values = np.fromiter((feats.named[self.names[i]] for i in named), np.float32, len(named))
            z += values @ self.weights[named]
        if grams:
            z += self.weights[grams].sum(axis=0, dtype=np.float64) * gram_value(len(grams))
        return z

    def probabilities(self, feats: Features) -> dict[str, float]:
        z = self.logits(feats)
        return {r: 1.0 / (1.0 + math.exp(-float(v))) for r, v in zip(self.rules, z, strict=True)}

    def contributions(self, feats: Features, rule: str) -> list[tuple[str, float]]:
        """Every feature's part in the rule's score, largest first."""
        col = self._rule_pos[rule]
        named, grams = self._indices(feats)
        out = [(self.names[i], float(self.weights[i, col]) * feats.named[self.names[i]]) for i in named]
        gv = gram_value(len(grams))
        out += [(self.names[i], float(self.weights[i, col]) * gv) for i in grams]
        out.sort(key=lambda kv: -kv[1])
        return out

    def best_sentence(self, ctx: Context, rule: str) -> tuple[int, int]:
        """The sentence (normalised offsets) whose cues and n-grams weigh most for `rule`."""
        col = self._rule_pos[rule]
        text = ctx.text
        best, best_span = -math.inf, (0, len(text))
        hits = [h for hs in ctx.hits.by_category.values() for h in hs]
        for m in _SENTENCE.finditer(text[:20000]):
            lo, hi = m.span()
            piece = text[lo:hi]
            grams = {piece[i : i + k] for k in (1, 2, 3) for i in range(len(piece) - k + 1)}
            idx = [self.gram_index[g] for g in grams if g in self.gram_index]
            total = float(self.weights[idx, col].sum()) * gram_value(len(idx)) if idx else 0.0
            for h in hits:
                if lo <= h.start < hi and (i := self.named_index.get(f"cue:{h.category}")) is not None:
                    total += float(self.weights[i, col])
            if total > best:
                best, best_span = total, (lo, hi)
        return best_span

    # ----------------------------------------------------------------- findings
    def review_segment(
        self,
        ctx: Context,
        kept: list[Candidate],
        removed: list[tuple[Candidate, str, str]],
        sensitivity: str = "standard",
    ) -> tuple[list[Finding], SegmentScore]:
        """The segment's findings: a rule is found when its probability reaches the
        threshold of `sensitivity`. A detector's candidate for that rule lends its span
        and evidence; without one, the sentence that weighed most is the span."""
        feats = extract(ctx, kept, removed)
        probs = self.probabilities(feats)
        thresholds = self.thresholds[sensitivity]
        findings: list[Finding] = []
        by_rule: dict[str, list[Candidate]] = {}
        for c in kept:
            by_rule.setdefault(c.rule, []).append(c)
        rejected = []
        for rule, p in probs.items():
            thr = thresholds[rule]
            cands = by_rule.get(rule, [])
            authoritative = [c for c in cands if c.anchor.category in AUTHORITATIVE_ANCHORS]
            if rule == "R10" and ctx.channel not in R10_CHANNELS:
                continue
            if p < thr:
                findings += [c.finding for c in authoritative]
                rejected += [c for c in cands if c not in authoritative]
                continue
            top = [(n, w) for n, w in self.contributions(feats, rule)[:TOP_FEATURES] if w > 0]
            detail = f"模型判定 {rule}（概率 {p:.2f}，阈值 {thr:.2f}）：" + "、".join(
                f"{n} {w:+.2f}" for n, w in top
            )
            reason = Reason("learn", detail, round(p, 4))
            score = calibrated(p, thr)
            if cands:
                best = max(cands, key=lambda c: c.finding.score)
                f = best.finding
                findings.append(
                    Finding(
                        f.rule,
                        f.span,
                        f.evidence,
                        f.detector,
                        max(score, f.score if best in authoritative else 0),
                        (*f.reasons, reason),
                        f.normalisations,
                    )
                )
                continue
            lo, hi = self.best_sentence(ctx, rule)
            ostart, oend = ctx.norm.to_original(lo, hi)
            findings.append(
                Finding(
                    rule=rule,
                    span=Span(ostart, oend, ctx.source),
                    evidence=mask(catalog()[rule].name),
                    detector="learned",
                    score=score,
                    reasons=(reason,),
                    normalisations=ctx.norm.normalisations(lo, hi),
                )
            )
        return findings, SegmentScore(feats, probs, dict(thresholds), rejected)


@cache
def default_model() -> LearnedModel:
    """The model shipped in baomi/data, loaded once per process."""
    path = resources.files("baomi.data").joinpath(MODEL_FILE)
    if not path.is_file():
        raise ModelError(f"缺少模型文件 {MODEL_FILE}：请运行 baomi train")
    return LearnedModel.load(Path(str(path)))
