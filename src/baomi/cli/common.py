"""What every `baomi` command shares: consoles, exit codes, the error guard, reading the
message argument, escaping user text for Rich, versions.

Exit codes (README, docs/rules.md):

    0   done: every message allowed or warned
    1   some corpus lines could not be checked (each has an "error" in the output)
    2   bad input: usage, unknown channel, empty message, missing file, unreadable corpus
    3   bad policy file
    5   eval: a --fail-under / --fail-over threshold was not met
    10  a message is held for review (review)
    11  a message is blocked (block)
    70  internal error (a bug: the message text is never printed)
    130 interrupted
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import re
import sys
from collections.abc import Callable
from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as _dist_version
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.markup import escape

from baomi.errors import BaomiError, InputError
from baomi.model import Channel, Decision, Verdict

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)

EXIT_OK = 0
EXIT_LINES_FAILED = 1
EXIT_BAD_INPUT = 2
EXIT_BAD_POLICY = 3
EXIT_BELOW_THRESHOLD = 5
EXIT_REVIEW = 10
EXIT_BLOCK = 11
EXIT_INTERNAL = 70
EXIT_INTERRUPTED = 130

_DECISION_EXIT = {Decision.ALLOW: EXIT_OK, Decision.WARN: EXIT_OK, Decision.REVIEW: EXIT_REVIEW,
                  Decision.BLOCK: EXIT_BLOCK}  # fmt: skip
DECISION_STYLE = {"allow": "green", "warn": "yellow", "review": "magenta", "block": "bold red"}
DECISION_ZH = {"allow": "放行", "warn": "提醒", "review": "待审", "block": "拦截"}
# Standard input holds at most this much message text (a corpus on stdin streams instead).
MAX_STDIN_BYTES = 20_000_000

CHANNEL_HELP = "渠道：" + "；".join(f"{c.value}（{'/'.join(c.aliases)}）" for c in Channel)

ChannelOpt = Annotated[str, typer.Option("--channel", "-c", help=CHANNEL_HELP + "。批量时为缺省渠道")]
PolicyOpt = Annotated[Path | None, typer.Option("--policy", help="本单位策略文件（YAML），覆盖默认策略")]
TextFlag = Annotated[bool, typer.Option("--text", help="参数就是消息文本，即使它看起来像文件路径")]


def exit_code(decision: Decision) -> int:
    """0 for allow/warn, 10 for review, 11 for block."""
    return _DECISION_EXIT[decision]


def versions(policy: Any) -> dict[str, str]:
    """Engine and policy version, for --version and every JSON output."""
    return {"engine_version": engine_version(), "policy_version": policy.version}


def engine_version() -> str:
    try:
        return _dist_version("baomi")
    except PackageNotFoundError:  # running from a source tree without install
        return "0+unknown"


def emit(text: str, sink: Any = None) -> None:
    """Write one line of data (JSON, a masked copy) to stdout, never through Rich markup.
    A lone surrogate that cannot be written as UTF-8 comes out escaped, not as a crash."""
    sink = sink or sys.stdout
    try:
        sink.write(text + "\n")
    except UnicodeEncodeError:
        sink.write(text.encode("utf-8", "backslashreplace").decode("utf-8") + "\n")


def dump_json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False)


def fail(exc: BaomiError) -> None:
    """Print a Chinese error (never the message text) and exit with its code."""
    err.print(f"[red]错误：[/red]{escape(str(exc))}")
    raise typer.Exit(exc.exit_code)


F = TypeVar("F", bound=Callable[..., Any])


def guarded(fn: F) -> F:
    """Every command answers with a Chinese error and an exit code, never a traceback (the
    traceback of an internal error could hold the message). BAOMI_DEBUG=1 re-raises."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except (typer.Exit, typer.Abort, typer.BadParameter):
            raise
        except BaomiError as exc:
            fail(exc)
        except KeyboardInterrupt:
            err.print("[yellow]已中断[/yellow]")
            raise typer.Exit(EXIT_INTERRUPTED) from None
        except BrokenPipeError:
            # the reader went away (| head): stop quietly, also when Python flushes at exit
            with contextlib.suppress(OSError, ValueError):
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            raise typer.Exit(EXIT_OK) from None
        except Exception as exc:
            if os.environ.get("BAOMI_DEBUG"):
                raise
            err.print(
                f"[red]内部错误：[/red]{type(exc).__name__}（为保护消息内容，不显示详情；"
                "设 BAOMI_DEBUG=1 可查看，请勿在含真实消息时使用）"
            )
            raise typer.Exit(EXIT_INTERNAL) from None

    return wrapper  # type: ignore[return-value]


# --- the message argument -----------------------------------------------------------

_FILE_EXTENSIONS = frozenset(
    re.findall(
        r"\w+",
        "doc docx xls xlsx et ppt pptx dps pdf ofd wps txt csv tsv html htm md rtf xml json jsonl "
        "yaml yml eml zip rar 7z tar gz tgz jpg jpeg png gif bmp webp heic heif tif tiff "
        "mp3 m4a amr wav silk aac ogg mp4 mov avi mkv 3gp",
    )
)
_PATH_START = re.compile(r"(?:/|\./|\.\./|~[/\\]|[A-Za-z]:[\\/])")
_EXTENSION = re.compile(r"\.([A-Za-z0-9]{1,5})$")


def looks_like_path(arg: str) -> bool:
    """One token that starts like a path (/, ./, ~/, C:\\) or ends in a file extension
    (通知2.docx). A message with spaces or line breaks is never a path."""
    if not arg or len(arg) > 1024 or any(c.isspace() for c in arg):
        return False
    if _PATH_START.match(arg):
        return True
    m = _EXTENSION.search(arg)
    return bool(m and m.group(1).lower() in _FILE_EXTENSIONS)


def _is_file(arg: str) -> bool:
    try:
        return Path(arg).expanduser().is_file()
    except (OSError, ValueError):  # too long for a file name, NUL inside
        return False


def read_stdin_text() -> str:
    """The whole of standard input as one message (UTF-8)."""
    data = sys.stdin.buffer.read(MAX_STDIN_BYTES + 1)
    if len(data) > MAX_STDIN_BYTES:
        raise InputError(f"标准输入超过 {MAX_STDIN_BYTES // 1_000_000} MB，请用 --input 按行批量检查")
    try:
        return data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        raise InputError(f"标准输入不是有效的 UTF-8 文本（第 {exc.start + 1} 字节）") from None


def message_argument(arg: str | None, as_text: bool) -> tuple[str, list[Path]]:
    """The message text and the files named by the positional argument: "-" reads standard
    input; a path-looking argument is a file, which must exist (unless --text)."""
    if arg is None:
        return "", []
    if as_text:
        return arg, []
    if arg == "-":
        return read_stdin_text(), []
    if looks_like_path(arg):
        if _is_file(arg):
            return "", [Path(arg).expanduser()]
        m = _EXTENSION.search(arg)
        kind = f"（{m.group()}）" if m else ""
        raise InputError(f"参数像是文件路径{kind}，但该文件不存在；若要检查这段文字本身，请加 --text")
    return arg, []


def check_attachments(paths: list[Path]) -> None:
    """Every --attach file exists (named by position: a file name can itself leak)."""
    for i, p in enumerate(paths, start=1):
        if not _is_file(str(p)):
            raise InputError(f"第 {i} 个附件不存在或不是文件")


# --- human output ---------------------------------------------------------------------


def print_verdict(v: Verdict) -> None:
    """The verdict for people; every piece of user-derived text is escaped for Rich."""
    d = v.decision.value
    out.print(f"[{DECISION_STYLE[d]}]{DECISION_ZH[d]}（{d}）[/] 规则：{', '.join(v.rules) or '无'}")
    for f in v.findings:
        reasons = "；".join(r.detail for r in f.reasons)
        where = f"[{f.span.source} {f.span.start}-{f.span.end}]"
        out.print(f"  · {f.rule} {escape(where)} {escape(f.evidence)}  {escape(reasons)}")
    out.print(f"提示：{escape(v.tip)}")
