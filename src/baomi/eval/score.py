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
    def accuracy(self) -> float:
        return self.correct / self.n if self.n else 0.0

    @property
    def stop_recall(self) -> float:
        return self.stopped_when_should / self.should_stop if self.should_stop else 1.0

    @property
    def false_stop(self) -> float:
        return self.stopped_when_should_not / self.should_pass if self.should_pass else 0.0

    def per_rule(self) -> dict[str, tuple[float, float, float, int]]:
        out = {}
        for r in RULE_IDS:
            tp, fp, fn = self.tp[r], self.fp[r], self.fn[r]
            p = tp / (tp + fp) if tp + fp else 1.0
            rc = tp / (tp + fn) if tp + fn else 1.0
            f1 = 2 * p * rc / (p + rc) if p + rc else 0.0
            out[r] = (p, rc, f1, tp + fn)
        return out

    def summary(self) -> dict:
        return {
            "n": self.n,
            "errors": self.errors,
            "accuracy": round(self.accuracy, 4),
            "stop_recall": round(self.stop_recall, 4),
            "false_stop": round(self.false_stop, 4),
            "per_rule": {
                r: {"precision": round(p, 3), "recall": round(rc, 3), "f1": round(f, 3), "support": s}
                for r, (p, rc, f, s) in self.per_rule().items()
            },
            "confusion": {f"{e}->{g}": c for (e, g), c in sorted(self.confusion.items())},
        }
