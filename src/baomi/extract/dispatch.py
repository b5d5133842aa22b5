"""Choose the extractor for a blob and run it; used for attachments and archive members."""

from __future__ import annotations

from pathlib import PurePath

from baomi.errors import ExtractionError
from baomi.extract import problems as P
from baomi.extract.base import Extractor, Match
from baomi.extract.blob import Blob
from baomi.extract.context import Context
from baomi.extract.registry import EXTRACTORS
from baomi.model import NAME_SUFFIX


def choose(path: PurePath, head: bytes) -> Extractor | None:
    """The extractor with the strongest match (magic > extension > guess), first wins ties."""
    best: Extractor | None = None
    best_match = Match.NO
    for extractor in EXTRACTORS:
        match = extractor.accepts(path, head)
        if match > best_match:
            best, best_match = extractor, match
    return best


def run(blob: Blob, ctx: Context) -> None:
    """Emit the blob's name, then its content; failures of this blob become problems.

    `LimitReached` (a budget of the whole attachment) propagates to the top.
    """
    ctx.check_time()
    head = blob.head()
    extractor = choose(blob.pure_path, head)
    media = extractor.media(blob.pure_path, head) if extractor else "document"
    ctx.add(blob.name, blob.source + NAME_SUFFIX, media)
    if extractor is None:
        ctx.problem(P.UNSUPPORTED, f"无法识别的文件格式（{blob.suffix or '无扩展名'}）")
        return
    try:
        extractor.extract(blob, ctx)
    except P.LimitReached:
        raise
    except ExtractionError as error:
        ctx.record(error)
    except (MemoryError, RecursionError) as exc:  # hostile structure exhausted a parser
        ctx.problem(P.CORRUPT, f"{extractor.name} 结构异常，解析中止（{type(exc).__name__}）")
    except ImportError as exc:  # an optional library (or its system library) is missing
        ctx.problem(
            P.MISSING_PART,
            f"{extractor.name} 所需组件无法加载（{exc.name or '未知'}），内容未检查；请安装 {P.INSTALL_HINT}",
        )
