"""Read a JSONL corpus in the corpus format (docs/rules.md); a bad line becomes an item
with `error` set, never a stop.

The file is read once, as bytes, line by line (standard input works the same way), and
each line is decoded on its own: one invalid UTF-8 line is an error for that line only.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from baomi.engine import build_message
from baomi.errors import BaomiError, CorpusLineError
from baomi.model import ALL_RULE_IDS, Channel, Decision, Message

MAX_LINE_BYTES = 20_000_000
STDIN = "-"
# Fields the reader consumes; every other field is the caller's and passes through.
_OWN_FIELDS = ("text", "attachments")


@dataclass(frozen=True)
class CorpusItem:
    """One line. `id` is the caller's id as text (or `line<n>`); `raw_id` is the id as
    the caller wrote it (None when absent); `extra` holds the caller's other fields
    (everything but the text and the attachments)."""

    line_no: int
    id: str
    message: Message | None
    expect_decision: Decision | None
    expect_rules: frozenset[str] | None
    error: str | None = None
    raw_id: Any = None
    extra: dict = field(default_factory=dict)
    blank: bool = False


def _encodable(value: Any) -> bool:
    """False when a string inside `value` holds a lone surrogate (cannot be written as UTF-8)."""
    try:
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _parse_id(obj: dict, line_no: int) -> Any:
    raw = obj.get("id")
    if raw is None:
        return None
    if isinstance(raw, bool) or not isinstance(raw, (str, int)):
        raise CorpusLineError(line_no, "id 必须是字符串或整数")
    if isinstance(raw, str) and not _encodable(raw):
        raise CorpusLineError(line_no, "id 含有无效的 Unicode 字符（孤立代理项）")
    return raw


def _parse_expect(obj: dict, line_no: int) -> tuple[Decision | None, frozenset[str] | None]:
    expect = obj.get("expect")
    if expect is None:
        return None, None
    if not isinstance(expect, dict):
        raise CorpusLineError(line_no, 'expect 必须是对象，如 {"decision": "block", "rules": ["R01"]}')
    try:
        decision = Decision(expect.get("decision"))
    except ValueError:
        valid = ", ".join(d.value for d in Decision)
        raise CorpusLineError(line_no, f"expect.decision 无效，可选：{valid}") from None
    rules = expect.get("rules", [])
    if rules is None:
        rules = []
    if not isinstance(rules, list) or not all(isinstance(r, str) for r in rules):
        raise CorpusLineError(line_no, "expect.rules 必须是规则编号（字符串）的列表")
    unknown = [r for r in rules if r not in ALL_RULE_IDS]
    if unknown:
        raise CorpusLineError(line_no, f"expect.rules 中有未知规则 {unknown[0][:10]!r}")
    return decision, frozenset(rules)


def _parse(line: str, line_no: int, base: Path, default_channel: Channel | str | None) -> CorpusItem:
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        raise CorpusLineError(line_no, f"不是有效的 JSON（第 {exc.colno} 列）") from None
    except RecursionError:
        raise CorpusLineError(line_no, "JSON 嵌套过深") from None
    if not isinstance(obj, dict):
        raise CorpusLineError(line_no, "每行必须是一个 JSON 对象")
    raw_id = _parse_id(obj, line_no)
    item_id = f"line{line_no}" if raw_id is None else str(raw_id)
    extra = {k: v for k, v in obj.items() if k not in _OWN_FIELDS}
    try:
        text = obj.get("text", "")
        if text is None:
            text = ""
        if not isinstance(text, str):
            raise CorpusLineError(line_no, "text 必须是字符串")
        atts = obj.get("attachments") or []
        if not isinstance(atts, list) or not all(isinstance(a, str) for a in atts):
            raise CorpusLineError(line_no, "attachments 必须是路径字符串的列表")
        if not _encodable(extra):
            extra = {}
            raise CorpusLineError(line_no, "有字段含有无效的 Unicode 字符（孤立代理项）")
        channel = obj.get("channel")
        if channel is None:
            channel = default_channel
        if channel is None:
            raise CorpusLineError(line_no, "缺少 channel（或用 -c 给出默认渠道）")
        if not isinstance(channel, str):
            raise CorpusLineError(line_no, "channel 必须是字符串")
        decision, rules = _parse_expect(obj, line_no)
        try:
            msg = build_message(text, channel, [base / a for a in atts], item_id)
        except BaomiError as exc:
            raise CorpusLineError(line_no, str(exc)) from None
    except CorpusLineError as exc:
        return CorpusItem(line_no, item_id, None, None, None, str(exc), raw_id, extra)
    return CorpusItem(line_no, item_id, msg, decision, rules, None, raw_id, extra)


def _lines(fh: IO[bytes]) -> Iterator[bytes | None]:
    """Lines of a binary stream, one pass; an over-long line is skipped and yields None."""
    while True:
        line = fh.readline(MAX_LINE_BYTES + 1)
        if not line:
            return
        if len(line) > MAX_LINE_BYTES and not line.endswith(b"\n"):
            while (rest := fh.readline(1 << 20)) and not rest.endswith(b"\n"):
                pass
            yield None
            continue
        yield line


def read_corpus(
    source: Path | str,
    *,
    default_channel: Channel | str | None = None,
    keep_blank: bool = False,
) -> Iterator[CorpusItem]:
    """Yield one item per line of `source` (a path, or "-" for standard input); malformed
    lines come back with `error` set. Blank lines are skipped unless `keep_blank`.
    Attachment paths are relative to the corpus file (to the working directory for stdin).
    Raises OSError when the file cannot be opened."""
    if str(source) == STDIN:
        yield from _read(sys.stdin.buffer, Path.cwd(), default_channel, keep_blank)
        return
    path = Path(source)
    with path.open("rb") as fh:
        yield from _read(fh, path.parent, default_channel, keep_blank)


def _read(
    fh: IO[bytes], base: Path, default_channel: Channel | str | None, keep_blank: bool
) -> Iterator[CorpusItem]:
    for line_no, raw in enumerate(_lines(fh), start=1):
        if raw is None:
            yield CorpusItem(line_no, f"line{line_no}", None, None, None, f"第 {line_no} 行无效：行过长")
            continue
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            problem = f"不是有效的 UTF-8 文本（第 {exc.start + 1} 字节）"
            yield CorpusItem(line_no, f"line{line_no}", None, None, None, f"第 {line_no} 行无效：{problem}")
            continue
        if line_no == 1:
            line = line.removeprefix("\ufeff")
        if not line.strip():
            if keep_blank:
                yield CorpusItem(line_no, f"line{line_no}", None, None, None, blank=True)
            continue
        try:
            yield _parse(line, line_no, base, default_channel)
        except CorpusLineError as exc:
            yield CorpusItem(line_no, f"line{line_no}", None, None, None, str(exc))
