"""Scores of a model on labelled examples through the whole engine: per-rule P/R,
stop-recall, false-stop, and stop-recall / false-stop per style."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from baomi.engine import Reviewer
from baomi.eval.score import Score
from baomi.learn.corpus import Example, matrix_decision


def score_examples(reviewer: Reviewer, examples: Iterable[Example]) -> tuple[Score, dict[str, Score]]:
    """One overall score and one per style (real everyday text has style "real")."""
    total = Score()
    styles: dict[str, Score] = defaultdict(Score)
    for ex in examples:
        verdict = reviewer.review(ex.text, ex.channel)
        expected = matrix_decision(ex.rules, ex.channel)
        for s in (total, styles[ex.style or "?"]):
            s.add(ex.key[:20], expected, ex.rules, verdict)
    return total, dict(sorted(styles.items()))


def fmt(value: float | None, digits: int = 3) -> str:
    """A measure, or — where there was nothing to measure (Score gives None)."""
    return "—" if value is None else f"{value:.{digits}f}"


def render(total: Score, styles: dict[str, Score]) -> list[str]:
    """Chinese lines for the console."""
    lines = [
        f"样本 {total.n}：决定准确率 {fmt(total.accuracy, 4)}  拦截召回 {fmt(total.stop_recall, 4)}  "
        f"误拦率 {fmt(total.false_stop, 4)}",
        "规则  精确率  召回率  样本",
    ]
    for rule, (p, r, _f, support) in total.per_rule().items():
        lines.append(f"{rule}   {fmt(p)}   {fmt(r)}   {support}")
    lines.append("风格            样本   拦截召回  误拦率")
    for style, s in styles.items():
        lines.append(f"{style:15} {s.n:5}   {fmt(s.stop_recall)}    {fmt(s.false_stop, 4)}")
    return lines
