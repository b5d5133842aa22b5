"""A fake OCR backend for tests: answers fixed lines, or lines keyed by image hash."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from baomi.ocr.base import OcrLine, as_rgb_array


def image_key(image: Any) -> str:
    """A 64-bit difference hash (hex) of an image; stable under small rescaling."""
    import numpy as np
    from PIL import Image

    arr = as_rgb_array(image)
    small = Image.fromarray(arr).convert("L").resize((9, 8), Image.Resampling.BILINEAR)
    px = np.asarray(small).ravel().tolist()
    bits = 0
    for row in range(8):
        for col in range(8):
            left, right = px[row * 9 + col], px[row * 9 + col + 1]
            bits = (bits << 1) | (1 if left > right else 0)
    return f"{bits:016x}"


def _as_lines(items: Sequence[str | OcrLine]) -> list[OcrLine]:
    lines = []
    for i, item in enumerate(items):
        if isinstance(item, OcrLine):
            lines.append(item)
        else:
            lines.append(OcrLine(str(item), (0.0, 20.0 * i, 10.0 * len(str(item)), 20.0 * i + 18)))
    return lines


class FakeOcr:
    """OCR stand-in. `lines` are returned for every image, unless `by_key` (keys from
    `image_key`) has an entry for the image. `calls` counts recognise() calls."""

    def __init__(
        self,
        lines: Sequence[str | OcrLine] = (),
        by_key: Mapping[str, Sequence[str | OcrLine]] | None = None,
    ) -> None:
        self._default = _as_lines(lines)
        self._by_key = {k: _as_lines(v) for k, v in (by_key or {}).items()}
        self.calls = 0

    @classmethod
    def from_json(cls, path: str | Path) -> FakeOcr:
        """From a JSON file `{"lines": [[text, [x0, y0, x1, y1]], …], "by_key": {key: [...]}}`
        (a server started for browser tests or a demo, where the real models are too slow)."""
        data = json.loads(Path(path).read_text(encoding="utf-8"))

        def lines(items) -> list[OcrLine]:
            return [OcrLine(str(text), tuple(float(v) for v in box)) for text, box in items]

        return cls(lines(data.get("lines", [])), {k: lines(v) for k, v in data.get("by_key", {}).items()})

    def recognise(self, image: Any) -> list[OcrLine]:
        self.calls += 1
        if self._by_key:
            found = self._by_key.get(image_key(image))
            if found is not None:
                return list(found)
        return list(self._default)


class FailingOcr:
    """An OCR backend that always fails, to test that failures become problems."""

    def recognise(self, image: Any) -> list[OcrLine]:
        raise RuntimeError("ocr engine failed")
