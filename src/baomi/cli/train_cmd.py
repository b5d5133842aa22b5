"""`baomi train`: build the learned model from the repository's corpora (see baomi.learn.train)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

out = Console(highlight=False)
err = Console(stderr=True, highlight=False)


def train(
    extra: Annotated[
        list[Path] | None, typer.Option("--extra", help="本单位已审查的标注消息（JSONL，可多次给出）")
    ] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="模型文件保存路径")] = None,
    corpus: Annotated[
        list[Path] | None, typer.Option("--corpus", help="训练语料（JSONL，默认仓库 corpus/train 等）")
    ] = None,
    real: Annotated[bool, typer.Option("--real/--no-real", help="加入真实日常文本（训练半区）")] = True,
    show_validation: Annotated[bool, typer.Option("--validate/--no-validate", help="在验证集上评分")] = True,
) -> None:
    """训练学习型评分模型（确定性：相同语料得到相同模型文件）。"""
    from importlib import resources

    from baomi.engine import Reviewer
    from baomi.errors import InputError
    from baomi.learn.model import MODEL_FILE
    from baomi.learn.report import render, score_examples
    from baomi.learn.train import Settings, default_corpora
    from baomi.learn.train import train as fit

    try:
        import sklearn  # noqa: F401
    except ImportError:
        err.print("[red]错误：[/red]训练需要 scikit-learn：pip install -e '.[train]'")
        raise typer.Exit(2) from None
    corpora = tuple(corpus) if corpus else default_corpora()
    for p in (*corpora, *(extra or ())):
        if not p.is_file():
            raise InputError(f"找不到训练语料 {p}")
    if not corpora:
        raise InputError("没有训练语料：请给出 --corpus")
    target = output or Path(str(resources.files("baomi.data").joinpath(MODEL_FILE)))
    model, info = fit(Settings(corpora, tuple(extra or ()), real=real, log=lambda s: err.print(s)))
    model.save(target)
    if show_validation:
        val = [ex for ex, is_train in info["examples"] if not is_train and "+" not in ex.source]
        total, styles = score_examples(Reviewer(model=model), val)
        model.meta["validation"] = {
            "overall": {k: v for k, v in total.summary().items() if k != "confusion"},
            "styles": {
                k: {"n": s.n, "stop_recall": _rounded(s.stop_recall), "false_stop": _rounded(s.false_stop)}
                for k, s in styles.items()
            },
        }
        out.print("验证集（未增强的原始样本）：")
        for line in render(total, styles):
            out.print("  " + line)
    model.save(target)
    out.print(f"模型已保存：{target}（{target.stat().st_size / 1e6:.1f} MB，{len(model.names)} 个特征）")


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 4)
