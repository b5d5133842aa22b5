"""A cheap pre-filter: does an image contain anything that looks like text?

Counts glyph-sized blobs in both polarities (dark on light, light on dark). It is
tuned to be permissive: a false "has text" only costs an OCR run, a false "no text"
would let text pass uninspected, so only plainly textless images are skipped.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from baomi.vision.resize import fit_within

if TYPE_CHECKING:
    import numpy as np

WORK_SIDE = 800
MIN_GLYPHS = 8


def _glyph_count(binary: np.ndarray) -> int:
    import cv2

    count, _labels, stats, _ = cv2.connectedComponentsWithStats(binary, 8)
    glyphs = 0
    for i in range(1, count):
        _x, _y, bw, bh, area = (int(v) for v in stats[i])
        if 3 <= bh <= 120 and 1 <= bw <= 160 and area >= 6 and area <= 0.9 * bw * bh:
            glyphs += 1
    return glyphs


def has_text_structure(rgb: np.ndarray) -> bool:
    """True unless the image plainly holds no glyph-like strokes."""
    import cv2

    small, _ = fit_within(rgb, WORK_SIDE)
    gray = cv2.cvtColor(small, cv2.COLOR_RGB2GRAY)
    if float(gray.std()) < 3.0:  # a flat picture
        return False
    for polarity in (cv2.THRESH_BINARY_INV, cv2.THRESH_BINARY):
        binary = cv2.adaptiveThreshold(gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, polarity, 21, 12)
        if _glyph_count(binary) >= MIN_GLYPHS:
            return True
    return False
