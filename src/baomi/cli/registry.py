"""`baomi registry`: register the unit's classified documents, list, remove, declassify.

The registry file holds keyed fingerprints only; the key comes from BAOMI_REGISTRY_KEY
or --key-file and is never written anywhere.
"""

from __future__ import annotations

import getpass
import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from baomi.errors import BaomiError, InputError

if TYPE_CHECKING:  # numpy-backed: imported by the commands, not at CLI start-up
    from baomi.registry import Registry

app = typer.Typer(add_completion=False, no_args_is_help=True, help="涉密文件登记库：登记、列出、撤销、解密。")
out = Console(highlight=False)
err = Console(stderr=True, highlight=False)

DbOpt = Annotated[Path, typer.Option("--db", help="登记库文件（SQLite）")]
KeyOpt = Annotated[
    Path | None, typer.Option("--key-file", help="登记库密钥文件（默认读环境变量 BAOMI_REGISTRY_KEY）")
]
ByOpt = Annotated[str | None, typer.Option("--by", help="操作人（默认当前系统用户）")]
_STATUS_ZH = {"active": "生效", "declassified": "已解密", "removed": "已撤销"}


def _open(db: Path, key_file: Path | None, *, create: bool = False) -> Registry:
    from baomi.registry import Registry

    try:
        return Registry.open(db, key_file=key_file, create=create)
    except BaomiError as exc:
        _fail(exc)
        raise  # unreachable


def _fail(exc: BaomiError) -> None:
    err.print(f"[red]错误：[/red]{escape(str(exc))}")
    raise typer.Exit(exc.exit_code)


@app.command()
def add(
    files: Annotated[list[Path], typer.Argument(help="要登记的文件（照片、pdf、docx、ofd、txt …）")],
    db: DbOpt,
    level: Annotated[str, typer.Option("--level", help="密级：绝密 / 机密 / 秘密 / 内部")],
    period: Annotated[str | None, typer.Option("--period", help="保密期限，如 10年")] = None,
    title: Annotated[str | None, typer.Option("--title", help="文件标题")] = None,
    number: Annotated[str | None, typer.Option("--number", help="文号，如 临政发〔2024〕3号")] = None,
    key_file: KeyOpt = None,
    by: ByOpt = None,
) -> None:
    """登记涉密文件：只保存带密钥的指纹，不保存任何原文。"""
    from baomi.registry import LEVELS

    if level not in LEVELS:
        _fail(InputError(f"密级必须是 {'、'.join(LEVELS)} 之一"))
    registry = _open(db, key_file, create=True)
    actor = by or getpass.getuser()
    for path in files:
        try:
            record = registry.add_file(
                path, level=level, period=period, title=title, number=number, actor=actor
            )
        except BaomiError as exc:
            _fail(exc)
            return
        out.print(f"已登记 {record.id}（{record.marking}，{record.pages} 页）")


@app.command("list")
def list_(
    db: DbOpt, key_file: KeyOpt = None, as_json: Annotated[bool, typer.Option("--json")] = False
) -> None:
    """列出登记的文件（编号、密级、页数、状态、登记人和时间）。"""
    records = _open(db, key_file).store.documents()
    if as_json:
        rows = [
            {
                "id": r.id,
                "level": r.level,
                "period": r.period,
                "pages": r.pages,
                "status": r.status,
                "registered_by": r.registered_by,
                "registered_at": r.registered_at,
            }
            for r in records
        ]
        out.print_json(json.dumps(rows, ensure_ascii=False))
        return
    table = Table("编号", "密级", "页数", "状态", "登记人", "登记时间")
    for r in records:
        table.add_row(
            r.id,
            escape(r.marking),
            str(r.pages),
            _STATUS_ZH[r.status],
            escape(r.registered_by),
            r.registered_at,
        )
    out.print(table)


@app.command()
def remove(
    doc_id: Annotated[str, typer.Argument(help="登记编号，如 REG-00001")],
    db: DbOpt,
    reason: Annotated[str | None, typer.Option("--reason", help="撤销原因")] = None,
    key_file: KeyOpt = None,
    by: ByOpt = None,
) -> None:
    """撤销误登记的文件（指纹删除，操作记录保留）。"""
    try:
        _open(db, key_file).remove(doc_id, actor=by or getpass.getuser(), reason=reason)
    except BaomiError as exc:
        _fail(exc)
    out.print(f"已撤销 {doc_id}")


@app.command()
def declassify(
    doc_id: Annotated[str, typer.Argument(help="登记编号")],
    db: DbOpt,
    reason: Annotated[str, typer.Option("--reason", help="解密依据（必填，记录在案）")],
    key_file: KeyOpt = None,
    by: ByOpt = None,
) -> None:
    """记录解密决定：文件不再匹配。"""
    try:
        _open(db, key_file).declassify(doc_id, actor=by or getpass.getuser(), reason=reason)
    except BaomiError as exc:
        _fail(exc)
    out.print(f"已解密 {doc_id}，不再匹配")
