"""Red 红头 cues: the large red issuing-authority title and the red separator rule.

Works on colour alone (HSV red ranges), so a photographed 红头文件 is recognised even
when OCR misses the title. Thresholds are fractions of the image size, not pixels.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from baomi.vision.resize import fit_within

if TYPE_CHECKING:
    import numpy as np

WORK_SIDE = 1200  # analysis scale: thin rules survive, cost stays in milliseconds
MIN_SATURATION = 70
MIN_VALUE = 70


Box = tuple[int, int, int, int]


@dataclass(frozen=True, slots=True)
class RedCues:
    """What was found; boxes are (x0, y0, x1, y1) in input pixels.

    `title` is a large red text block in the top part, `rule` a long thin red line,
    `header` the classic 红头 layout: a red title with a red rule below it.
    """

    title: bool
    rule: bool
    header: bool
    title_box: Box | None = None
    rule_box: Box | None = None


def red_mask(rgb: np.ndarray) -> np.ndarray:
    """uint8 mask (255 = red) of saturated red pixels, both ends of the hue circle."""
    import cv2

    hsv = cv2.cvtColor(rgb, cv2.COLOR_RGB2HSV)
    low = cv2.inRange(hsv, (0, MIN_SATURATION, MIN_VALUE), (10, 255, 255))
    high = cv2.inRange(hsv, (165, MIN_SATURATION, MIN_VALUE), (180, 255, 255))
    return cv2.bitwise_or(low, high)


def _title_box(mask: np.ndarray) -> tuple[int, int, int, int] | None:
    """A wide band of red glyphs (text, not a solid block) in the top part of the image."""
    import cv2

    h, w = mask.shape
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (max(3, w // 40), max(3, h // 120)))
    merged = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, kernel)
    count, _labels, stats, _centroids = cv2.connectedComponentsWithStats(merged, 8)
    for i in range(1, count):
        x, y, bw, bh, _area = (int(v) for v in stats[i])
        if bw < 0.18 * w or bh < 0.015 * h or bh > 0.2 * h or bw < 2.5 * bh:
            continue
        if y + bh / 2 > 0.6 * h:
            continue
        window = mask[y : y + bh, x : x + bw]
        fill = float((window > 0).mean())
        if not 0.08 <= fill <= 0.75:  # glyph strokes, not a filled banner
            continue
        glyphs = cv2.connectedComponents(window, connectivity=8)[0] - 1
        if glyphs >= 4:
            return (x, y, x + bw, y + bh)
    return None


def _rule_box(mask: np.ndarray) -> tuple[int, int, int, int] | None:
    """Long thin near-horizontal red segments whose collinear total spans the page."""
    import cv2

    h, w = mask.shape
    bridged = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (5, 1)))
    contours, _ = cv2.findContours(bridged, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    pieces: list[tuple[float, float, float, float]] = []  # (centre_y, x0, x1, length)
    for contour in contours:
        (_cx, cy), (rw, rh), angle = cv2.minAreaRect(contour)
        long_side, short_side = max(rw, rh), min(rw, rh)
        if long_side < 0.08 * w or short_side > max(0.012 * h, 3.0):
            continue
        if long_side < 12 * max(short_side, 1.0):
            continue
        tilt = angle if rw >= rh else angle - 90.0
        if abs(((tilt + 90.0) % 180.0) - 90.0) > 12.0:
            continue
        if cv2.contourArea(contour) < 0.35 * long_side * max(short_side, 1.0):
            continue
        x, _y, bw, _bh = cv2.boundingRect(contour)
        pieces.append((cy, float(x), float(x + bw), long_side))
    pieces.sort()
    for i, (cy, x0, x1, length) in enumerate(pieces):
        total, left, right = length, x0, x1
        for cy2, a0, a1, len2 in pieces[i + 1 :]:
            if abs(cy2 - cy) > 0.02 * h:
                break
            total, left, right = total + len2, min(left, a0), max(right, a1)
        if total >= 0.3 * w:
            band = int(0.01 * h) + 2
            return (int(left), int(cy) - band, int(right), int(cy) + band)
    return None


def find_red_cues(rgb: np.ndarray) -> RedCues:
    """Look for a red header title and a red rule in an RGB page image."""
    small, factor = fit_within(rgb, WORK_SIDE)
    mask = red_mask(small)
    if int((mask > 0).sum()) < 0.0005 * mask.size:
        return RedCues(False, False, False)
    title, rule = _title_box(mask), _rule_box(mask)
    header = title is not None and rule is not None and _rule_below(title, rule, mask.shape[0])

    def scale(box: Box | None) -> Box | None:
        return None if box is None else tuple(round(v * factor) for v in box)  # type: ignore[return-value]

    return RedCues(title is not None, rule is not None, header, scale(title), scale(rule))


def _rule_below(title: Box, rule: Box, height: int) -> bool:
    """The rule starts under the title, within a third of the page height."""
    rule_y = (rule[1] + rule[3]) / 2
    return title[3] - 0.01 * height <= rule_y <= title[3] + 0.35 * height
