"""The `baomi` command: check, eval, explain, redact, rules. Console text is Chinese.

Exit codes are listed in `baomi.cli.common` (and README): 0 allow/warn, 10 review,
11 block, 1 some lines failed, 2 bad input, 3 bad policy, 5 below a threshold, 70 bug.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from baomi.cli import serve
from baomi.cli.audit import audit_command
from baomi.cli.batch import check_batch
from baomi.cli.common import (
    ChannelOpt,
    PolicyOpt,
    TextFlag,
    check_attachments,
    dump_json,
    emit,
    engine_version,
    err,
    exit_code,
    guarded,
    message_argument,
    out,
    print_verdict,
    read_stdin_text,
    versions,
)
from baomi.cli.evaluate import parse_thresholds, run_eval
from baomi.cli.registry import app as registry_app
from baomi.cli.train_cmd import train as train_command
from baomi.engine import Reviewer, build_message
from baomi.errors import InputError
from baomi.model import Channel, Decision

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    help="baomi 保密审查：检查即时通信消息是否涉密、涉敏。退出码：0 放行/提醒，10 待审，11 拦截，"
    "1 部分行无法检查，2 输入有误，3 策略有误，5 未达评分阈值，70 内部错误。",
)


RegistryOpt = Annotated[
    Path | None, typer.Option("--registry", help="涉密文件登记库（密钥取自 BAOMI_REGISTRY_KEY）")
]


def _version(value: bool) -> None:
    if value:
        from baomi.policy.frozen import default_frozen_policy

        emit(f"baomi {engine_version()}（默认策略 {default_frozen_policy().version}）")
        raise typer.Exit(0)


@app.callback()
def _main(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="显示版本并退出")
    ] = False,
) -> None:
    """baomi 保密审查。"""


@app.command()
@guarded
def check(
    text: Annotated[
        str | None, typer.Argument(help="消息文本；- 从标准输入读取；像文件路径的参数按附件检查")
    ] = None,
    channel: ChannelOpt = "direct",
    attach: Annotated[list[Path] | None, typer.Option("--attach", "-a", help="附件（可多次给出）")] = None,
    input: Annotated[
        str | None, typer.Option("--input", "-i", help="批量：JSONL 语料文件，- 为标准输入")
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="批量：结果 JSONL（默认标准输出）")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="输出 JSON")] = False,
    as_text: TextFlag = False,
    pretty: Annotated[bool, typer.Option("--pretty", help="批量：逐条输出可读结果而不是 JSONL")] = False,
    policy: PolicyOpt = None,
    registry: RegistryOpt = None,
) -> None:
    """检查一条消息，或用 --input 批量检查语料（每行输入对应一行输出）。"""
    Channel.parse(channel)  # a bad -c is an error before anything is read
    reviewer = Reviewer(policy, registry=registry)
    if input is not None:
        if text is not None:
            raise InputError("批量检查（--input）时不能再给消息文本")
        raise typer.Exit(check_batch(reviewer, input, output, pretty, channel))
    body, files = message_argument(text, as_text)
    check_attachments(attach or [])
    attachments = [*files, *(attach or [])]
    if text is None and not attachments:
        raise InputError("请给出消息文本（- 为标准输入）、附件或 --input 语料文件")
    verdict = reviewer.review(build_message(body, channel, attachments))
    if as_json:
        emit(dump_json({**verdict.to_dict(), **versions(reviewer.policy)}))
    else:
        print_verdict(verdict)
    raise typer.Exit(exit_code(verdict.decision))


@app.command("eval")
@guarded
def evaluate(
    corpus: Annotated[str, typer.Argument(help="带 expect 标注的 JSONL 语料，- 为标准输入")],
    channel: ChannelOpt = "direct",
    policy: PolicyOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="输出 JSON")] = False,
    show_misses: Annotated[int, typer.Option("--misses", help="列出多少条错判")] = 50,
    fail_under: Annotated[
        list[str] | None,
        typer.Option("--fail-under", help="下限，如 stop_recall=0.95,accuracy=0.9,R01.recall=0.9"),
    ] = None,
    fail_over: Annotated[
        list[str] | None, typer.Option("--fail-over", help="上限，如 false_stop=0.02")
    ] = None,
    by: Annotated[
        str | None, typer.Option("--by", help="另按语料的某个字段分组评分，如 style、channel、source")
    ] = None,
) -> None:
    """在标注语料上评分：准确率、拦截召回、误拦率、各规则 P/R/F1、混淆矩阵。"""
    Channel.parse(channel)
    thresholds = parse_thresholds(fail_under or [], upper=False) + parse_thresholds(fail_over or [], True)
    reviewer = Reviewer(policy)
    raise typer.Exit(run_eval(reviewer, corpus, channel, thresholds, as_json, show_misses, by))


# Categories whose matched text is personal data: explain shows them masked.
_MASKED = {"id_number", "mobile", "bank_card", "address"}


@app.command()
@guarded
def explain(
    text: Annotated[str, typer.Argument(help="要解释的消息文本；- 从标准输入读取")],
    channel: ChannelOpt = "direct",
    as_text: TextFlag = False,
    policy: PolicyOpt = None,
) -> None:
    """逐阶段展示审查过程：规范化、匹配、检测、过滤、派生、决定（只显示给发送者本人，不写日志）。"""
    body, files = message_argument(text, as_text)
    reviewer = Reviewer(policy)
    trace = reviewer.trace(build_message(body, channel, files))
    for st in trace.segments:
        out.print(f"[bold]片段[/bold] {escape(st.segment.source)}（{len(st.segment.text)} 字）")
        out.print(f"  规范化：{escape(st.norm.text[:300])}")
        for cat, hits in sorted(st.hits.by_category.items()):
            terms = "、".join(dict.fromkeys(h.term if cat not in _MASKED else "**" for h in hits))
            out.print(f"  匹配 {cat}: {escape(terms[:200])}")
        for c in st.candidates:
            reasons = "；".join(r.detail for r in c.finding.reasons)
            out.print(
                f"  [green]检出[/green] {c.rule} {escape(c.finding.evidence)} "
                f"分数 {c.finding.score:.2f} {escape(reasons)}"
            )
        for c, name, reason in st.removed:
            out.print(f"  [yellow]过滤[/yellow] {c.rule} 被 {name} 移除：{escape(reason)}")
    for f in trace.findings:
        if f.detector == "derive":
            out.print(f"  [cyan]派生[/cyan] {f.rule}：{escape(f.reasons[-1].detail)}")
    for rule, decision in trace.cells:
        out.print(f"  策略 {rule} × {trace.message.channel.value} → {decision.value}")
    print_verdict(trace.verdict)
    raise typer.Exit(exit_code(trace.verdict.decision))


@app.command()
@guarded
def redact(
    text: Annotated[str | None, typer.Argument(help="要打码的消息文本；- 从标准输入读取")] = None,
    channel: ChannelOpt = "direct",
    image: Annotated[Path | None, typer.Option("--image", help="要打码的图片（按文字识别框遮盖）")] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="打码后的图片保存路径")] = None,
    as_text: TextFlag = False,
    policy: PolicyOpt = None,
) -> None:
    """输出打码后的副本：文本中检出的内容替换为＊，图片中对应文字区域涂黑。"""
    from baomi.redact import boxes_for_span, redact_image, redact_text

    reviewer = Reviewer(policy)
    if image is None:
        body = read_stdin_text() if text == "-" and not as_text else (text or "")
        if not body:
            raise InputError("请给出要打码的文本（- 为标准输入），或用 --image 指定图片")
        verdict = reviewer.review(build_message(body, channel))
        spans = [(f.span.start, f.span.end) for f in verdict.findings if f.span.source == "text"]
        emit(redact_text(body, spans))
        raise typer.Exit(exit_code(verdict.decision))
    if output is None:
        raise InputError("图片打码需要 --output 指定保存路径")
    check_attachments([image])
    try:
        from baomi.extract.image import ocr_lines
        from baomi.ocr.base import page_text

        lines = ocr_lines(image)
    except ImportError:
        raise InputError("图片打码需要可选依赖：pip install 'baomi[attachments]'") from None
    page = page_text(lines)[0]
    verdict = reviewer.review(build_message(page or " ", channel))
    # a classified document is covered whole; otherwise what was caught
    if "R01" in verdict.rules:
        spans = [(0, len(page))]
    else:
        spans = [(f.span.start, f.span.end) for f in verdict.findings if f.span.end > f.span.start]
    boxes = [b for start, end in spans for b in boxes_for_span(lines, start, end)]
    drawn = redact_image(image, boxes, output)
    err.print(f"已遮盖 {drawn} 处，规则：{', '.join(verdict.rules) or '无'}；已保存")
    raise typer.Exit(exit_code(verdict.decision))


@app.command()
@guarded
def rules(
    as_json: Annotated[bool, typer.Option("--json", help="输出 JSON")] = False,
    policy: PolicyOpt = None,
) -> None:
    """列出规则目录、渠道和（本单位策略下的）决定矩阵。"""
    from baomi.catalog import catalog

    pol = Reviewer(policy).policy
    if as_json:
        data = {
            **versions(pol),
            "rules": [
                {"id": rid, "name": info.name, "forbids": info.forbids,
                 "decisions": {c.value: pol.decide(rid, c).value for c in Channel}}
                for rid, info in catalog().items()
            ],
            "channels": [
                {"id": c.value, "names": list(c.aliases)} for c in Channel
            ],
            "decisions": [d.value for d in Decision],
        }  # fmt: skip
        emit(dump_json(data))
        return
    table = Table(title=f"规则目录（策略 {escape(pol.version)}）")
    for col in ("规则", "名称", "禁止", *[c.value for c in Channel]):
        table.add_column(col, overflow="fold")
    for rid, info in catalog().items():
        table.add_row(rid, info.name, info.forbids, *(pol.decide(rid, c).value for c in Channel))
    # in a pipe Rich would squeeze the table into 80 columns: give it the room it needs
    Console(highlight=False, width=None if out.is_terminal else 240).print(table)


app.add_typer(registry_app, name="registry")
app.command("audit")(audit_command)
serve.register(app)  # serve, audit-log
app.command("train")(train_command)


def main() -> None:
    try:
        app()
    except SystemExit:
        raise
    except BaseException as exc:  # outside any command (argument parsing): still no traceback
        if isinstance(exc, KeyboardInterrupt):
            raise SystemExit(130) from None
        err.print(f"[red]内部错误：[/red]{type(exc).__name__}")
        raise SystemExit(70) from None


__all__ = ["app", "main"]
