"""Scores: decision accuracy, stop-recall, false-stop rate, per-rule P/R/F1, confusion."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from baomi.model import RULE_IDS, Decision, Verdict

DECISIONS = [d.value for d in Decision]


@dataclass
class Miss:
    id: str
    expected: str
    got: str
    expected_rules: list[str]
    got_rules: list[str]


@dataclass
class Score:
    n: int = 0
    correct: int = 0
    should_stop: int = 0
    stopped_when_should: int = 0
    should_pass: int = 0
    stopped_when_should_not: int = 0
    confusion: Counter = field(default_factory=Counter)
    tp: Counter = field(default_factory=Counter)
    fp: Counter = field(default_factory=Counter)
    fn: Counter = field(default_factory=Counter)
    misses: list[Miss] = field(default_factory=list)
    errors: int = 0

    def add(self, item_id: str, expected: Decision, expected_rules: frozenset[str], verdict: Verdict) -> None:
        got = verdict.decision
        self.n += 1
        self.correct += got == expected
        self.confusion[(expected.value, got.value)] += 1
        if expected.stops:
            self.should_stop += 1
            self.stopped_when_should += got.stops
        else:
            self.should_pass += 1
            self.stopped_when_should_not += got.stops
        got_rules = set(verdict.rules)
        for r in RULE_IDS:
            if r in got_rules and r in expected_rules:
                self.tp[r] += 1
            elif r in got_rules:
                self.fp[r] += 1
            elif r in expected_rules:
                self.fn[r] += 1
        if got != expected or got_rules & set(RULE_IDS) != set(expected_rules):
            self.misses.append(
                Miss(item_id, expected.value, got.value, sorted(expected_rules), sorted(verdict.rules))
            )

    @property
    def accuracy(self) -> float | None:
        return self.correct / self.n if self.n else None

    @property
    def stop_recall(self) -> float | None:
        """Share of the messages that must be stopped that were; None without any."""
        return self.stopped_when_should / self.should_stop if self.should_stop else None

    @property
    def false_stop(self) -> float | None:
        return self.stopped_when_should_not / self.should_pass if self.should_pass else None

    def per_rule(self) -> dict[str, tuple[float | None, float | None, float | None, int]]:
        """rule → (precision, recall, F1, support); None where there is nothing to measure
        (no finding of the rule for precision, no expected sample for recall)."""
        out = {}
        for r in RULE_IDS:
            tp, fp, fn = self.tp[r], self.fp[r], self.fn[r]
            p = tp / (tp + fp) if tp + fp else None
            rc = tp / (tp + fn) if tp + fn else None
            f1 = (2 * p * rc / (p + rc) if p + rc else 0.0) if p is not None and rc is not None else None
            out[r] = (p, rc, f1, tp + fn)
        return out

    def metrics(self) -> dict[str, float | None]:
        """Every named metric, for thresholds: accuracy, stop_recall, false_stop and
        R01.precision, R01.recall, R01.f1 … per rule."""
        out = {"accuracy": self.accuracy, "stop_recall": self.stop_recall, "false_stop": self.false_stop}
        for r, (p, rc, f1, _) in self.per_rule().items():
            out |= {f"{r}.precision": p, f"{r}.recall": rc, f"{r}.f1": f1}
        return out

    def summary(self) -> dict:
        return {
            "n": self.n,
            "errors": self.errors,
            "accuracy": _round(self.accuracy, 4),
            "stop_recall": _round(self.stop_recall, 4),
            "false_stop": _round(self.false_stop, 4),
            "per_rule": {
                r: {"precision": _round(p), "recall": _round(rc), "f1": _round(f), "support": s}
                for r, (p, rc, f, s) in self.per_rule().items()
            },
            "confusion": {f"{e}->{g}": c for (e, g), c in sorted(self.confusion.items())},
        }


def _round(x: float | None, digits: int = 3) -> float | None:
    return None if x is None else round(x, digits)
