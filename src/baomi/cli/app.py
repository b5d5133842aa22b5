"""The `baomi` command: check, eval, explain, rules. Console text is Chinese."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from baomi.cli.registry import app as registry_app
from baomi.cli.train_cmd import train as train_command
from baomi.engine import Reviewer, build_message
from baomi.errors import BaomiError, InputError
from baomi.eval.corpus import CorpusItem, read_corpus
from baomi.eval.score import DECISIONS, Score
from baomi.model import Channel, Decision, Verdict

app = typer.Typer(
    add_completion=False, no_args_is_help=True, help="baomi 保密审查：检查即时通信消息是否涉密、涉敏。"
)
out = Console(highlight=False)
err = Console(stderr=True, highlight=False)

EXIT_SOME_LINES_FAILED = 1
_DECISION_STYLE = {"allow": "green", "warn": "yellow", "review": "magenta", "block": "bold red"}
_DECISION_ZH = {"allow": "放行", "warn": "提醒", "review": "待审", "block": "拦截"}

ChannelOpt = Annotated[
    str,
    typer.Option("--channel", "-c", help="渠道：direct / work_group / external_group / moments / publish"),
]
PolicyOpt = Annotated[Path | None, typer.Option("--policy", help="本单位策略文件（YAML），覆盖默认策略")]
RegistryOpt = Annotated[
    Path | None, typer.Option("--registry", help="涉密文件登记库（密钥取自 BAOMI_REGISTRY_KEY）")
]


def _fail(exc: BaomiError) -> None:
    err.print(f"[red]错误：[/red]{exc}")
    raise typer.Exit(exc.exit_code)


def _reviewer(policy: Path | None, registry: Path | None = None) -> Reviewer:
    try:
        return Reviewer(policy, registry=registry)
    except BaomiError as exc:
        _fail(exc)
        raise  # unreachable


def _print_verdict(v: Verdict) -> None:
    d = v.decision.value
    out.print(f"[{_DECISION_STYLE[d]}]{_DECISION_ZH[d]}（{d}）[/] 规则：{', '.join(v.rules) or '无'}")
    for f in v.findings:
        reasons = "；".join(r.detail for r in f.reasons)
        out.print(f"  · {f.rule} [{f.span.source} {f.span.start}-{f.span.end}] {f.evidence}  {reasons}")
    out.print(f"提示：{v.tip}")


@app.command()
def check(
    text: Annotated[str | None, typer.Argument(help="要检查的消息文本（或一个文件路径）")] = None,
    channel: ChannelOpt = "direct",
    attach: Annotated[list[Path] | None, typer.Option("--attach", "-a", help="附件（可多次给出）")] = None,
    input: Annotated[Path | None, typer.Option("--input", "-i", help="批量：JSONL 语料文件")] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="批量：结果 JSONL（默认标准输出）")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="输出 JSON")] = False,
    as_text: Annotated[bool, typer.Option("--text", help="批量：逐条输出可读结果而不是 JSONL")] = False,
    policy: PolicyOpt = None,
    registry: RegistryOpt = None,
) -> None:
    """检查一条消息，或用 --input 批量检查语料。"""
    reviewer = _reviewer(policy, registry)
    if input is not None:
        raise typer.Exit(_check_batch(reviewer, input, output, as_text))
    attachments = list(attach or [])
    if text and not attachments and Path(text).is_file():
        attachments, text = [Path(text)], ""
    if text is None and not attachments:
        _fail(InputError("请给出消息文本、附件或 --input 语料文件"))
    try:
        verdict = reviewer.review(build_message(text or "", channel, attachments))
    except BaomiError as exc:
        _fail(exc)
        return
    if as_json:
        out.print_json(data=verdict.to_dict())
    else:
        _print_verdict(verdict)


def _items_with_progress(path: Path) -> Iterator[CorpusItem]:
    try:
        total = sum(1 for line in path.open(encoding="utf-8") if line.strip())
    except (OSError, UnicodeDecodeError) as exc:
        _fail(InputError(f"无法读取语料文件 {path}：{exc}"))
    with Progress(
        TextColumn("审查中"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
    ) as bar:
        task = bar.add_task("review", total=total)
        for item in read_corpus(path):
            yield item
            bar.advance(task)


def _check_batch(reviewer: Reviewer, path: Path, output: Path | None, as_text: bool = False) -> int:
    failed = 0
    sink = output.open("w", encoding="utf-8") if output else sys.stdout
    try:
        for item in _items_with_progress(path):
            verdict = None
            if item.error:
                failed += 1
                row = {"id": item.id, "error": item.error}
            else:
                try:
                    verdict = reviewer.review(item.message)
                    row = verdict.to_dict()
                except BaomiError as exc:
                    failed += 1
                    row = {"id": item.id, "error": str(exc)}
            if as_text and not output:
                out.print(f"[bold]{item.id}[/bold] {item.message.channel.value if item.message else ''}")
                if verdict:
                    _print_verdict(verdict)
                else:
                    out.print(f"[red]错误：[/red]{row['error']}")
                out.print()
                continue
            row.pop("tip", None)
            sink.write(json.dumps(row, ensure_ascii=False) + "\n")
    finally:
        if output:
            sink.close()
    if failed:
        err.print(f"[yellow]{failed} 行无法检查，见输出中的 error 字段[/yellow]")
    return EXIT_SOME_LINES_FAILED if failed else 0


@app.command("eval")
def evaluate(
    corpus: Annotated[Path, typer.Argument(help="带 expect 标注的 JSONL 语料")],
    policy: PolicyOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="输出 JSON")] = False,
    show_misses: Annotated[int, typer.Option("--misses", help="列出多少条错判")] = 50,
) -> None:
    """在标注语料上评分：准确率、拦截召回、误拦率、各规则 P/R/F1、混淆矩阵。"""
    reviewer = _reviewer(policy)
    score = Score()
    for item in _items_with_progress(corpus):
        if item.error or item.expect_decision is None:
            score.errors += 1
            continue
        try:
            verdict = reviewer.review(item.message)
        except BaomiError:
            score.errors += 1
            continue
        score.add(item.id, item.expect_decision, item.expect_rules or frozenset(), verdict)
    if as_json:
        out.print_json(data=score.summary())
        return
    _print_score(score, show_misses)


def _print_score(score: Score, show_misses: int) -> None:
    table = Table(title="各规则 P/R/F1")
    for col in ("规则", "精确率", "召回率", "F1", "样本"):
        table.add_column(col)
    for rule, (p, r, f1, support) in score.per_rule().items():
        table.add_row(rule, f"{p:.3f}", f"{r:.3f}", f"{f1:.3f}", str(support))
    out.print(table)
    conf = Table(title="混淆矩阵（行：期望，列：实际）")
    conf.add_column("")
    for d in DECISIONS:
        conf.add_column(d)
    for e in DECISIONS:
        conf.add_row(e, *(str(score.confusion[(e, g)]) for g in DECISIONS))
    out.print(conf)
    for m in score.misses[:show_misses]:
        out.print(f"  错判 {m.id}: 期望 {m.expected} {m.expected_rules} 实际 {m.got} {m.got_rules}")
    out.print(f"样本 {score.n}，错误行 {score.errors}")
    out.print(
        f"决定准确率 {score.accuracy:.4f}  拦截召回 {score.stop_recall:.4f}  误拦率 {score.false_stop:.4f}"
    )


@app.command()
def explain(
    text: Annotated[str, typer.Argument(help="要解释的消息文本")],
    channel: ChannelOpt = "direct",
    policy: PolicyOpt = None,
) -> None:
    """逐阶段展示审查过程：规范化、匹配、检测、过滤、派生、决定。"""
    reviewer = _reviewer(policy)
    try:
        trace = reviewer.trace(build_message(text, channel))
    except BaomiError as exc:
        _fail(exc)
        return
    for st in trace.segments:
        out.print(f"[bold]片段[/bold] {st.segment.source}（{len(st.segment.text)} 字）")
        out.print(f"  规范化：{st.norm.text[:300]}")
        for cat, hits in sorted(st.hits.by_category.items()):
            terms = "、".join(dict.fromkeys(h.term if cat not in _MASKED else "**" for h in hits))
            out.print(f"  匹配 {cat}: {terms[:200]}")
        for c in st.candidates:
            out.print(
                f"  [green]检出[/green] {c.rule} {c.finding.evidence} 分数 {c.finding.score:.2f} "
                f"{'；'.join(r.detail for r in c.finding.reasons)}"
            )
        for c, name, reason in st.removed:
            out.print(f"  [yellow]过滤[/yellow] {c.rule} 被 {name} 移除：{reason}")
    for f in trace.findings:
        if f.detector == "derive":
            out.print(f"  [cyan]派生[/cyan] {f.rule}：{f.reasons[-1].detail}")
    for rule, decision in trace.cells:
        out.print(f"  策略 {rule} × {trace.message.channel.value} → {decision.value}")
    _print_verdict(trace.verdict)


@app.command()
def redact(
    text: Annotated[str | None, typer.Argument(help="要打码的消息文本")] = None,
    channel: ChannelOpt = "direct",
    image: Annotated[Path | None, typer.Option("--image", help="要打码的图片（按文字识别框遮盖）")] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="打码后的图片保存路径")] = None,
    policy: PolicyOpt = None,
) -> None:
    """输出打码后的副本：文本中检出的内容替换为＊，图片中对应文字区域涂黑。"""
    from baomi.redact import boxes_for_span, redact_image, redact_text

    reviewer = _reviewer(policy)
    try:
        if image is None:
            if not text:
                raise InputError("请给出要打码的文本，或用 --image 指定图片")
            verdict = reviewer.review(build_message(text, channel))
            spans = [(f.span.start, f.span.end) for f in verdict.findings if f.span.source == "text"]
            out.print(redact_text(text, spans), soft_wrap=True)
            return
        if output is None:
            raise InputError("图片打码需要 --output 指定保存路径")
        from baomi.extract.image import ocr_lines
        from baomi.ocr.base import page_text

        lines = ocr_lines(image)
        page = page_text(lines)[0]
        verdict = reviewer.review(build_message(page or " ", channel))
        # a classified document is covered whole; otherwise what was caught
        if "R01" in verdict.rules:
            spans = [(0, len(page))]
        else:
            spans = [(f.span.start, f.span.end) for f in verdict.findings if f.span.end > f.span.start]
        boxes = [b for start, end in spans for b in boxes_for_span(lines, start, end)]
        drawn = redact_image(image, boxes, output)
    except BaomiError as exc:
        _fail(exc)
        return
    err.print(f"已遮盖 {drawn} 处，规则：{', '.join(verdict.rules) or '无'}；保存到 {output}")


# Categories whose matched text is personal data: explain shows them masked.
_MASKED = {"id_number", "mobile", "bank_card", "address"}


@app.command()
def rules() -> None:
    """列出规则目录和默认决定矩阵。"""
    from baomi.catalog import catalog
    from baomi.policy.load import default_policy

    pol = default_policy()
    table = Table(title="规则目录")
    for col in ("规则", "名称", "禁止", *[c.value for c in Channel]):
        table.add_column(col)
    for rid, info in catalog().items():
        table.add_row(rid, info.name, info.forbids, *(pol.decide(rid, c).value for c in Channel))
    out.print(table)


app.add_typer(registry_app, name="registry")
app.command("train")(train_command)


def main() -> None:
    try:
        app()
    except BaomiError as exc:
        err.print(f"[red]错误：[/red]{exc}")
        sys.exit(exc.exit_code)


__all__ = ["Decision", "app", "main"]
