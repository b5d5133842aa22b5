"""The single boundary where third-party parsers meet hostile bytes."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from baomi.errors import ExtractionError
from baomi.extract import problems as P


@contextmanager
def parser_boundary(kind: str) -> Iterator[None]:
    """Turn any exception of a third-party parser into a 文件损坏 problem.

    pypdf, openpyxl, python-docx, Pillow and friends raise arbitrary exception types
    (KeyError, ValueError, AttributeError, struct.error …) on garbage input, so this
    one boundary catches broadly on purpose; our own ExtractionErrors pass through.
    """
    try:
        yield
    except ExtractionError:
        raise
    except (MemoryError, RecursionError) as exc:
        raise ExtractionError(P.CORRUPT, f"{kind} 结构异常，解析中止（{type(exc).__name__}）") from exc
    except Exception as exc:  # broad on purpose: see docstring
        raise ExtractionError(P.CORRUPT, f"{kind} 无法解析（{type(exc).__name__}）") from exc
