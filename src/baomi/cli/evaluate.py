"""`baomi eval`: score a labelled corpus; name every bad line; thresholds for CI gates."""

from __future__ import annotations

from dataclasses import dataclass

from rich.markup import escape
from rich.table import Table

from baomi.cli.batch import corpus_items, review_item
from baomi.cli.common import (
    EXIT_BAD_INPUT,
    EXIT_BELOW_THRESHOLD,
    EXIT_LINES_FAILED,
    EXIT_OK,
    dump_json,
    emit,
    err,
    out,
    versions,
)
from baomi.engine import Reviewer
from baomi.errors import InputError
from baomi.eval.score import DECISIONS, Score

NO_VALUE = "—"
# Metrics where lower is better: only --fail-over makes sense for them.
_LOWER_IS_BETTER = ("false_stop",)


@dataclass(frozen=True)
class Threshold:
    metric: str
    bound: float
    upper: bool  # True: fail when the metric is above `bound` (--fail-over)

    def failed(self, value: float | None) -> bool:
        """A metric without samples fails any threshold: a gate never passes on nothing."""
        if value is None:
            return True
        return value > self.bound if self.upper else value < self.bound


def parse_thresholds(specs: list[str], upper: bool) -> list[Threshold]:
    """`stop_recall=0.95,accuracy=0.9` (repeatable) → thresholds; names are checked."""
    known = Score().metrics()
    option = "--fail-over" if upper else "--fail-under"
    out_: list[Threshold] = []
    for spec in specs:
        for part in filter(None, (p.strip() for p in spec.split(","))):
            name, sep, value = part.partition("=")
            name = name.strip()
            if not sep or name not in known:
                valid = "accuracy, stop_recall, false_stop, R01.recall, R01.precision, R01.f1 …"
                raise InputError(f"{option} 的指标无效：{name[:30]!r}（可用：{valid}）")
            if (name in _LOWER_IS_BETTER) != upper:
                hint = "--fail-over" if name in _LOWER_IS_BETTER else "--fail-under"
                raise InputError(f"{name} 请用 {hint} 给阈值")
            try:
                bound = float(value)
            except ValueError:
                bound = -1.0
            if not 0.0 <= bound <= 1.0:
                raise InputError(f"{option} {name} 的阈值必须是 0 到 1 之间的数")
            out_.append(Threshold(name, bound, upper))
    return out_


def run_eval(
    reviewer: Reviewer,
    source: str,
    default_channel: str,
    thresholds: list[Threshold],
    as_json: bool,
    show_misses: int,
    by: str | None = None,
) -> int:
    """Score `source`; exit 1 when lines failed, 5 when a threshold failed, 2 when nothing
    could be scored. `by`: also score each group of lines sharing that field (style …)."""
    score = Score()
    groups: dict[str, Score] = {}
    bad: list[dict] = []
    for item in corpus_items(source, default_channel, keep_blank=False):
        where = {"line": item.line_no, "id": item.raw_id}
        if item.error is None and item.expect_decision is None:
            bad.append({**where, "error": f"第 {item.line_no} 行缺少 expect 标注"})
            continue
        verdict, error = review_item(reviewer, item)
        if verdict is None:
            bad.append({**where, "error": error})
            continue
        score.add(item.id, item.expect_decision, item.expect_rules or frozenset(), verdict)
        if by is not None:
            group = groups.setdefault(str(item.extra.get(by, NO_VALUE)), Score())
            group.add(item.id, item.expect_decision, item.expect_rules or frozenset(), verdict)
    score.errors = len(bad)
    metrics = score.metrics()
    failed = [t for t in thresholds if t.failed(metrics[t.metric])]
    if as_json:
        data = {**score.summary(), **versions(reviewer.policy), "bad_lines": bad}
        data["thresholds"] = [
            {"metric": t.metric, "bound": t.bound, "kind": "max" if t.upper else "min",
             "value": metrics[t.metric], "passed": t not in failed}
            for t in thresholds
        ]  # fmt: skip
        if by is not None:
            data["by"] = {"field": by, "groups": {k: _group_summary(g) for k, g in sorted(groups.items())}}
        emit(dump_json(data))
    else:
        _print_score(score, show_misses, bad)
        if by is not None:
            _print_groups(by, groups)
        for t in failed:
            value = metrics[t.metric]
            shown = _fmt(value, 4)
            side = "高于上限" if t.upper else "低于下限"
            err.print(f"[red]未达标：[/red]{t.metric} = {shown}，{side} {t.bound}")
    if score.n == 0:
        err.print("[red]错误：[/red]语料中没有可评分的样本（需要带 expect 标注的有效行）")
        return EXIT_BAD_INPUT
    if bad:
        return EXIT_LINES_FAILED
    return EXIT_BELOW_THRESHOLD if failed else EXIT_OK


def _group_summary(g: Score) -> dict:
    return {k: g.summary()[k] for k in ("n", "accuracy", "stop_recall", "false_stop")}


def _print_groups(by: str, groups: dict[str, Score]) -> None:
    table = Table(title=f"按 {by} 分组")
    for col in (by, "样本", "准确率", "拦截召回", "误拦率"):
        table.add_column(col, overflow="fold")
    for name, g in sorted(groups.items()):
        table.add_row(name, str(g.n), _fmt(g.accuracy), _fmt(g.stop_recall), _fmt(g.false_stop))
    out.print(table)


def _fmt(x: float | None, digits: int = 3) -> str:
    return NO_VALUE if x is None else f"{x:.{digits}f}"


def _print_score(score: Score, show_misses: int, bad: list[dict]) -> None:
    table = Table(title="各规则 P/R/F1（— 表示没有可计算的样本）")
    for col in ("规则", "精确率", "召回率", "F1", "样本"):
        table.add_column(col, overflow="fold")
    for rule, (p, r, f1, support) in score.per_rule().items():
        table.add_row(rule, _fmt(p), _fmt(r), _fmt(f1), str(support))
    out.print(table)
    conf = Table(title="混淆矩阵（行：期望，列：实际）")
    conf.add_column("")
    for d in DECISIONS:
        conf.add_column(d)
    for e in DECISIONS:
        conf.add_row(e, *(str(score.confusion[(e, g)]) for g in DECISIONS))
    out.print(conf)
    for m in score.misses[:show_misses]:
        out.print(f"  错判 {escape(m.id)}: 期望 {m.expected} {m.expected_rules} 实际 {m.got} {m.got_rules}")
    for b in bad:
        label = f"（id {escape(str(b['id']))}）" if b["id"] is not None else ""
        err.print(f"  [red]无效行[/red] 第 {b['line']} 行{label}：{escape(str(b['error']))}")
    out.print(f"样本 {score.n}，无效行 {len(bad)}")
    acc, rec, fs = (_fmt(x, 4) for x in (score.accuracy, score.stop_recall, score.false_stop))
    out.print(f"决定准确率 {acc}  拦截召回 {rec}  误拦率 {fs}")
