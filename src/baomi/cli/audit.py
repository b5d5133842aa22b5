"""`baomi audit EXPORT… -o OUT/`: audit chat exports, write the report and the lists."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.tree import Tree

from baomi.archive.importers import FORMATS
from baomi.errors import BaomiError

err = Console(stderr=True, highlight=False)
CONSOLE_TREES = 5


def audit_command(
    exports: Annotated[list[Path], typer.Argument(help="导出文件或文件夹（可多个）")],
    out: Annotated[Path, typer.Option("--out", "-o", help="输出文件夹")],
    format: Annotated[
        str | None, typer.Option("--format", "-f", help=f"导出格式：{' / '.join(FORMATS)}（默认自动识别）")
    ] = None,
    roster: Annotated[Path | None, typer.Option("--roster", "-r", help="会话名册（YAML）")] = None,
    media: Annotated[Path | None, typer.Option("--media", help="媒体文件夹（默认与导出文件同目录）")] = None,
    policy: Annotated[Path | None, typer.Option("--policy", help="本单位策略文件（YAML）")] = None,
    workers: Annotated[int | None, typer.Option("--workers", "-j", help="进程数（默认全部核心）")] = None,
    restart: Annotated[bool, typer.Option("--restart", help="忽略断点，从头审计")] = False,
    ray: Annotated[
        bool, typer.Option("--ray", help="在 Ray 集群上运行（RAY_ADDRESS 或 --ray-address）")
    ] = False,
    ray_address: Annotated[
        str | None, typer.Option("--ray-address", help="Ray 集群地址，如 ray://host:10001")
    ] = None,
) -> None:
    """审计聊天记录导出：逐条审查（含附件），追踪传播链，输出报告。断点续审：再次运行即从断点继续。"""
    from baomi.archive import audit, write_outputs

    if format is not None and format not in FORMATS:
        raise typer.BadParameter(f"未知格式 {format!r}，可用：{', '.join(FORMATS)}", param_hint="--format")
    address = ray_address or (os.environ.get("RAY_ADDRESS") if ray else None)
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=err, transient=False) as bar:
        tasks: dict[str, int] = {}

        def progress(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(stage, total=total or None)
            bar.update(tasks[stage], completed=done, total=total or None)

        try:
            result = audit(
                exports,
                out,
                fmt=format,
                roster=roster,
                media=media,
                policy=policy,
                workers=workers,
                progress=progress,
                resume=not restart,
                use_ray=ray,
                ray_address=address,
            )
        except BaomiError as exc:
            err.print(f"[red]错误：[/red]{exc}")
            raise typer.Exit(exc.exit_code) from None
    paths = write_outputs(result, out)
    flagged = len(result.flagged())
    err.print(
        f"已审查 {len(result.results)} / {len(result.messages)} 条消息，命中 {flagged} 条，传播链 "
        f"{len(result.chains)} 条，导入问题 {len(result.problems)} 条；用时 {result.seconds:.1f} 秒"
        f"（{result.messages_per_s:.0f} 条/秒）"
        + (f"，从断点恢复 {result.resumed_chunks} 批" if result.resumed_chunks else "")
    )
    for chain in result.chains[:CONSOLE_TREES]:
        err.print(chain_tree(chain, result))
    if len(result.chains) > CONSOLE_TREES:
        err.print(f"（另有 {len(result.chains) - CONSOLE_TREES} 条传播链，见 report.html / chains.jsonl）")
    for path in paths.values():
        err.print(f"  {path}")


def chain_tree(chain, result) -> Tree:
    """One chain as a console tree: conversation (channel) · sender · time, per copy."""
    from baomi.archive.report.html import CHANNEL_ZH
    from baomi.archive.report.records import iso

    def label(conversation: str, sender: str, at: float, recalled: bool) -> str:
        conv = result.conversations[conversation]
        mark = " [red]已撤回[/red]" if recalled else ""
        when = iso(at)[5:16].replace("T", " ")
        return f"{conv.name}（{CHANNEL_ZH[conv.channel.value]}）· {sender} · {when}{mark}"

    o = chain.origin
    root = Tree(
        f"[bold]{chain.item}[/bold] {'、'.join(chain.rules)} · 到达 {chain.conversations_reached} 个会话、"
        f"{chain.people_reached} 人 · 外部占比 {chain.outside_share:.0%}"
    )
    nodes = {o.index: root.add(label(o.conversation, o.sender, o.time, o.recalled))}
    for hop in chain.hops:
        nodes[hop.index] = nodes[hop.parent].add(
            label(hop.to_conversation, hop.sender, hop.time, hop.recalled)
        )
    return root
