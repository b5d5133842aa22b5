"""`baomi check --input`: one output line per input line, in order, in one streaming pass.

A row carries the caller's id and every field of the input line except the text and
the attachments (sender, roomid, msgtime … pass through), then the verdict. A line that
cannot be checked gives a row with its line number, the id when it could be read, and
an `error`; a blank line gives a row with `skipped`.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from rich.markup import escape
from rich.progress import MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from baomi.cli.common import EXIT_LINES_FAILED, dump_json, emit, err, exit_code, out, print_verdict
from baomi.engine import Reviewer
from baomi.errors import BaomiError, InputError
from baomi.eval.corpus import STDIN, CorpusItem, read_corpus
from baomi.model import Decision, Verdict


def corpus_items(source: str, default_channel: str, keep_blank: bool) -> Iterator[CorpusItem]:
    """The corpus items of `source` (a path or "-"), with a progress counter on a terminal."""
    if source != STDIN and (not Path(source).exists() or Path(source).is_dir()):
        raise InputError("语料文件不存在或是目录")  # a pipe (/dev/stdin) is fine: it is read once
    items = read_corpus(source, default_channel=default_channel, keep_blank=keep_blank)
    with _progress() as advance:
        try:
            for item in items:
                yield item
                advance()
        except OSError as exc:
            raise InputError(f"无法读取语料：{exc.strerror or type(exc).__name__}") from None


@contextmanager
def _progress() -> Iterator:
    if not err.is_terminal:
        yield lambda: None
        return
    columns = (SpinnerColumn(), TextColumn("审查中"), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=err, transient=True) as bar:
        task = bar.add_task("review", total=None)
        yield lambda: bar.advance(task)


def review_item(reviewer: Reviewer, item: CorpusItem) -> tuple[Verdict | None, str | None]:
    """The verdict for one corpus line, or why there is none. Nothing one line holds stops
    the run: even an internal error becomes that line's error (named by type only)."""
    if item.error is not None or item.message is None:
        return None, item.error
    try:
        return reviewer.review(item.message), None
    except BaomiError as exc:
        return None, str(exc)
    except Exception as exc:  # a bug in a reader or detector
        return None, f"第 {item.line_no} 行审查时出现内部错误（{type(exc).__name__}）"


def _row(reviewer: Reviewer, item: CorpusItem) -> tuple[dict, Verdict | None]:
    if item.blank:
        return {"line": item.line_no, "skipped": "空行"}, None
    verdict, error = review_item(reviewer, item)
    if verdict is None:
        return {**item.extra, "id": item.raw_id, "line": item.line_no, "error": error}, None
    row = {**item.extra, **verdict.to_dict(), "id": item.raw_id}
    row.pop("tip", None)
    return row, verdict


def check_batch(
    reviewer: Reviewer, source: str, output: Path | None, pretty: bool, default_channel: str
) -> int:
    """Review every line; the exit code: 1 if any line failed, else by the strongest decision."""
    failed = 0
    strongest = Decision.ALLOW
    try:
        sink = output.open("w", encoding="utf-8") if output else sys.stdout
    except OSError as exc:
        raise InputError(f"无法写入输出文件：{exc.strerror}") from None
    try:
        for item in corpus_items(source, default_channel, keep_blank=True):
            row, verdict = _row(reviewer, item)
            failed += "error" in row
            if verdict is not None:
                strongest = Decision.strongest([strongest, verdict.decision])
            if pretty and not output:
                _print_row(item, row, verdict)
                continue
            emit(dump_json(row), sink)
            if sink is sys.stdout:
                sink.flush()  # a pipe reader sees each answer as it is made
    finally:
        if output:
            sink.close()
    if failed:
        err.print(f"[yellow]{failed} 行无法检查，见输出中的 error 字段[/yellow]")
        return EXIT_LINES_FAILED
    return exit_code(strongest)


def _print_row(item: CorpusItem, row: dict, verdict: Verdict | None) -> None:
    label = escape(str(item.raw_id)) if item.raw_id is not None else f"第 {item.line_no} 行"
    if "skipped" in row:
        out.print(f"[dim]{label}：空行[/dim]\n")
        return
    if "error" in row:
        out.print(f"[bold]{label}[/bold] [red]错误：[/red]{escape(str(row['error']))}\n")
        return
    if verdict is not None and item.message is not None:
        out.print(f"[bold]{label}[/bold] {item.message.channel.value}")
        print_verdict(verdict)
    out.print()
