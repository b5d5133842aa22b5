"""Tell a screenshot from a photo of a paper document (or anything else).

Screenshots are rendered, not photographed: large areas of one exact colour, no
sensor noise, often a device aspect ratio and a status-bar strip at the top. Document
photos show a large bright, unsaturated paper region carrying rows of dark text.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from baomi.vision.resize import fit_within

if TYPE_CHECKING:
    import numpy as np

WORK_SIDE = 800
# Long/short side ratios of phone and desktop screens (16:9, 18:9, 19:9, 19.5:9, 20:9, 16:10, 3:2).
DEVICE_RATIOS = (16 / 9, 2.0, 19 / 9, 19.5 / 9, 20 / 9, 1.6, 1.5)


class ImageKind(StrEnum):
    SCREENSHOT = "screenshot"
    DOCUMENT_PHOTO = "document_photo"
    OTHER = "other"


@dataclass(frozen=True, slots=True)
class KindEvidence:
    """The measurements behind a classification (for explain/debugging)."""

    kind: ImageKind
    flat_share: float  # share of pixels in the few most common exact colours
    noise: float  # mean absolute Laplacian in smooth areas
    device_ratio: bool
    status_bar: bool
    paper_share: float
    text_rows: int


def _top_colour_share(small: np.ndarray, top: int = 3) -> float:
    import numpy as np

    packed = (small[:, :, 0].astype(np.int32) >> 1 << 14) | (small[:, :, 1].astype(np.int32) >> 1 << 7)
    packed |= small[:, :, 2].astype(np.int32) >> 1
    counts = np.bincount(packed.ravel())
    return float(np.sort(counts)[-top:].sum() / packed.size)


def _noise(gray: np.ndarray) -> float:
    import cv2
    import numpy as np

    lap = np.abs(cv2.Laplacian(gray, cv2.CV_16S, ksize=1))
    smooth = lap < 12  # ignore edges: measure grain where the picture is smooth
    return float(lap[smooth].mean()) if smooth.any() else 0.0


def _has_device_ratio(h: int, w: int) -> bool:
    ratio = max(h, w) / max(min(h, w), 1)
    return any(abs(ratio - r) / r < 0.006 for r in DEVICE_RATIOS)


def _has_status_bar(gray: np.ndarray) -> bool:
    """A thin top strip: flat in the middle, small marks (time, icons) at both ends."""
    import numpy as np

    h, w = gray.shape
    if h < w:  # desktop screenshots have no phone status bar
        return False
    strip = gray[: max(4, int(0.035 * h)), :].astype(np.int16)
    background = int(np.median(strip))
    marks = np.abs(strip - background) > 40
    left = marks[:, : w // 4].mean()
    middle = marks[:, int(0.4 * w) : int(0.6 * w)].mean()
    right = marks[:, 3 * w // 4 :].mean()
    return bool(left > 0.01 and right > 0.01 and middle < 0.005)


def _paper_and_rows(small: np.ndarray, gray: np.ndarray) -> tuple[float, int]:
    """Share of the image covered by the largest bright unsaturated region, and the
    number of dark text rows inside it."""
    import cv2
    import numpy as np

    hsv = cv2.cvtColor(small, cv2.COLOR_RGB2HSV)
    value = hsv[:, :, 2]
    otsu, _ = cv2.threshold(value, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    bright = (hsv[:, :, 1] < 60) & (value > max(80.0, min(130.0, otsu)))  # dim rooms too
    mask = bright.astype(np.uint8) * 255
    mask = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, np.ones((9, 9), np.uint8))
    count, _labels, stats, _ = cv2.connectedComponentsWithStats(mask, 8)
    if count < 2:
        return 0.0, 0
    best = 1 + int(np.argmax(stats[1:, cv2.CC_STAT_AREA]))
    x, y, bw, bh, area = (int(v) for v in stats[best])
    share = area / mask.size
    region = gray[y : y + bh, x : x + bw]
    if region.size == 0:
        return share, 0
    ink = cv2.adaptiveThreshold(region, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 25, 15)
    profile = (ink > 0).mean(axis=1)
    inked = profile > max(0.01, 0.25 * float(profile.mean()))
    rows = int(np.count_nonzero(inked[1:] & ~inked[:-1]))
    return share, rows


def classify(rgb: np.ndarray) -> KindEvidence:
    """Classify an RGB image as screenshot, document photo or other."""
    import cv2

    h, w = rgb.shape[:2]
    small, _ = fit_within(rgb, WORK_SIDE)
    gray = cv2.cvtColor(small, cv2.COLOR_RGB2GRAY)
    flat = _top_colour_share(small)
    noise = _noise(gray)
    ratio = _has_device_ratio(h, w)
    status = _has_status_bar(gray)
    paper, rows = _paper_and_rows(small, gray)

    screen_votes = int(flat >= 0.3) + int(noise < 1.0) + int(ratio) + int(status)
    if flat >= 0.15 and screen_votes >= 3:
        kind = ImageKind.SCREENSHOT
    elif paper >= 0.2 and rows >= 4:
        kind = ImageKind.DOCUMENT_PHOTO
    else:
        kind = ImageKind.OTHER
    return KindEvidence(kind, flat, noise, ratio, status, paper, rows)
