"""Read a JSONL corpus in the rules.md format; a bad line becomes an error, not a stop."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from baomi.engine import build_message
from baomi.errors import BaomiError, CorpusLineError
from baomi.model import Decision, Message

MAX_LINE_CHARS = 20_000_000


@dataclass(frozen=True)
class CorpusItem:
    line_no: int
    id: str
    message: Message | None
    expect_decision: Decision | None
    expect_rules: frozenset[str] | None
    error: str | None = None


def _parse(line: str, line_no: int, base: Path) -> CorpusItem:
    if len(line) > MAX_LINE_CHARS:
        raise CorpusLineError(line_no, "行过长")
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        raise CorpusLineError(line_no, f"不是有效的 JSON（第 {exc.colno} 列）") from None
    if not isinstance(obj, dict):
        raise CorpusLineError(line_no, "每行必须是一个 JSON 对象")
    text = obj.get("text", "")
    if not isinstance(text, str):
        raise CorpusLineError(line_no, "text 必须是字符串")
    atts = obj.get("attachments") or []
    if not isinstance(atts, list) or not all(isinstance(a, str) for a in atts):
        raise CorpusLineError(line_no, "attachments 必须是路径字符串的列表")
    item_id = str(obj.get("id") or f"line{line_no}")
    try:
        msg = build_message(text, obj.get("channel", ""), [base / a for a in atts], item_id)
    except BaomiError as exc:
        raise CorpusLineError(line_no, str(exc)) from None
    expect = obj.get("expect") or {}
    decision = rules = None
    if expect:
        try:
            decision = Decision(expect.get("decision"))
        except ValueError:
            raise CorpusLineError(line_no, f"expect.decision 无效：{expect.get('decision')!r}") from None
        rules = frozenset(expect.get("rules") or [])
    return CorpusItem(line_no, item_id, msg, decision, rules)


def read_corpus(path: Path) -> Iterator[CorpusItem]:
    """Yield one item per non-blank line; malformed lines come back with `error` set."""
    base = path.parent
    with path.open(encoding="utf-8", errors="strict") as fh:
        for line_no, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                yield _parse(line, line_no, base)
            except CorpusLineError as exc:
                yield CorpusItem(line_no, f"line{line_no}", None, None, None, str(exc))
