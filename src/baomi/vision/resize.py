"""Downscaling that keeps text legible and maps coordinates back."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np


def fit_within(rgb: np.ndarray, max_side: int) -> tuple[np.ndarray, float]:
    """Shrink so the longer side is at most `max_side` (area resampling).

    Returns the image and the factor that maps its coordinates back to the original
    (original = small * factor); the factor is 1.0 when nothing was done.
    """
    import cv2

    h, w = rgb.shape[:2]
    longest = max(h, w)
    if longest <= max_side:
        return rgb, 1.0
    scale = max_side / longest
    size = (max(1, round(w * scale)), max(1, round(h * scale)))
    small = cv2.resize(rgb, size, interpolation=cv2.INTER_AREA)
    return small, longest / max_side
