"""The OCR contract: a backend turns an image into lines of text with boxes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

if TYPE_CHECKING:
    import numpy as np

BBox = tuple[float, float, float, float]


@dataclass(frozen=True, slots=True)
class OcrLine:
    """One recognised line: text, axis-aligned box (x0, y0, x1, y1) in pixels, score 0..1,
    and the slope of its baseline in degrees (positive: falling to the right), when known."""

    text: str
    bbox: BBox
    score: float = 1.0
    angle: float = 0.0

    def scaled(self, factor: float) -> OcrLine:
        """The same line with its box multiplied by `factor` (undo a downscale)."""
        x0, y0, x1, y1 = self.bbox
        box = (x0 * factor, y0 * factor, x1 * factor, y1 * factor)
        return OcrLine(self.text, box, self.score, self.angle)


@runtime_checkable
class OcrBackend(Protocol):
    """Anything that reads text lines from an RGB image (numpy HxWx3 uint8 or PIL image)."""

    def recognise(self, image: Any) -> list[OcrLine]: ...


def as_rgb_array(image: Any) -> np.ndarray:
    """An HxWx3 uint8 RGB array from a PIL image or a numpy array (gray/RGB/RGBA)."""
    import numpy as np

    if hasattr(image, "convert") and hasattr(image, "mode"):  # PIL image
        return np.asarray(image.convert("RGB"))
    arr = np.asarray(image)
    if arr.ndim == 2:
        return np.repeat(arr[:, :, None], 3, axis=2).astype(np.uint8, copy=False)
    if arr.ndim == 3 and arr.shape[2] == 4:
        return arr[:, :, :3]
    if arr.ndim == 3 and arr.shape[2] == 3:
        return arr.astype(np.uint8, copy=False)
    raise ValueError(f"unsupported image shape {arr.shape}")


def _skew(lines: list[OcrLine]) -> float:
    """Median baseline slope (radians) of lines long enough to measure it."""
    import math

    angles = sorted(ln.angle for ln in lines if ln.bbox[2] - ln.bbox[0] > 2 * (ln.bbox[3] - ln.bbox[1]))
    if not angles:
        return 0.0
    return math.radians(angles[len(angles) // 2])


def layout(lines: list[OcrLine]) -> list[list[OcrLine]]:
    """Group lines into rows, top to bottom, each row left to right. Positions are first
    rotated by the page's median skew, so rows of a tilted photo (tables) stay rows."""
    import math

    if not lines:
        return []
    skew = _skew(lines)
    cos, sin = math.cos(skew), math.sin(skew)

    def upright(line: OcrLine) -> tuple[float, float]:
        cx, cy = (line.bbox[0] + line.bbox[2]) / 2, (line.bbox[1] + line.bbox[3]) / 2
        return cx * cos + cy * sin, cy * cos - cx * sin

    placed = sorted(((upright(ln), ln) for ln in lines), key=lambda item: item[0][1])
    rows: list[list[tuple[tuple[float, float], OcrLine]]] = []
    for (x, y), line in placed:
        height = max(line.bbox[3] - line.bbox[1], 1.0) * cos
        if rows:
            row = rows[-1]
            centre = sum(p[1] for p, _ in row) / len(row)
            if abs(y - centre) < 0.5 * height:
                row.append(((x, y), line))
                continue
        rows.append([((x, y), line)])
    return [[ln for _, ln in sorted(row, key=lambda item: item[0][0])] for row in rows]


def reading_order(lines: list[OcrLine]) -> list[OcrLine]:
    """Lines in reading order (rows of `layout`, flattened)."""
    return [ln for row in layout(lines) for ln in row]


CELL_SEPARATOR = " "


def page_text(lines: list[OcrLine]) -> tuple[str, list[tuple[int, OcrLine]]]:
    """The text of a page: the lines of a row joined by a space, rows by newlines; with
    the start offset of each line in that text (to map spans back to boxes)."""
    parts: list[str] = []
    placed: list[tuple[int, OcrLine]] = []
    offset = 0
    for number, row in enumerate(layout(lines)):
        if number:
            parts.append("\n")
            offset += 1
        for position, line in enumerate(row):
            if position:
                parts.append(CELL_SEPARATOR)
                offset += len(CELL_SEPARATOR)
            placed.append((offset, line))
            parts.append(line.text)
            offset += len(line.text)
    return "".join(parts), placed
