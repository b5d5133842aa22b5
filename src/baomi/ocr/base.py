"""The OCR contract: a backend turns an image into lines of text with boxes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

if TYPE_CHECKING:
    import numpy as np

BBox = tuple[float, float, float, float]


@dataclass(frozen=True, slots=True)
class OcrLine:
    """One recognised line: text, axis-aligned box (x0, y0, x1, y1) in pixels, score 0..1."""

    text: str
    bbox: BBox
    score: float = 1.0

    def scaled(self, factor: float) -> OcrLine:
        """The same line with its box multiplied by `factor` (undo a downscale)."""
        x0, y0, x1, y1 = self.bbox
        return OcrLine(self.text, (x0 * factor, y0 * factor, x1 * factor, y1 * factor), self.score)


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


def reading_order(lines: list[OcrLine]) -> list[OcrLine]:
    """Sort lines top to bottom, then left to right within a row of similar height."""
    if not lines:
        return []
    rows: list[list[OcrLine]] = []
    for line in sorted(lines, key=lambda ln: (ln.bbox[1] + ln.bbox[3]) / 2):
        centre = (line.bbox[1] + line.bbox[3]) / 2
        height = max(line.bbox[3] - line.bbox[1], 1.0)
        if rows:
            last = rows[-1][-1]
            last_centre = (last.bbox[1] + last.bbox[3]) / 2
            if abs(centre - last_centre) < 0.5 * height:
                rows[-1].append(line)
                continue
        rows.append([line])
    return [ln for row in rows for ln in sorted(row, key=lambda ln: ln.bbox[0])]
