"""Text-line recognition on OpenVINO, in place of RapidOCR's own recogniser.

The same PP-OCR recognition model, run differently (measured with `bench/bench_ocr.py`):

- lines padded only to their width rounded up to a multiple of `WIDTH_STEP` (at least
  `min_width` pixels), where RapidOCR pads batches of six to the widest line and to at
  least 320 pixels: about 40 % of its work was padding. Rounding keeps the number of
  input shapes small, each compiled once by OpenVINO's CPU plugin (exact widths cost
  about 30 % more CPU than multiples of 32);
- up to `GROUP` lines of one padded width per inference;
- two OpenVINO streams of one thread each, fed by an async queue, so both cores read
  lines without splitting one small inference over two threads;
- nothing else changes: the same model file, input normalisation and CTC decoder (a TopK
  in the graph, in place of numpy's argmax over the 18,710 class probabilities, was
  measured 5–10 % slower and is not used).

Lines come back in input order as RapidOCR's `TextRecOutput`, decoded by its CTC decoder,
so the rest of the RapidOCR pipeline (boxes, score filter) is unchanged.
"""

from __future__ import annotations

import math
import threading
from pathlib import Path
from typing import Any

REC_HEIGHT = 48  # input height of the PP-OCR recognition models
MIN_WIDTH = 48  # narrowest input: one square character cell
WIDTH_STEP = 32  # input widths are rounded up to a multiple of this
GROUP = 4  # lines of one width per inference


def read_model(path: Path) -> tuple[Any, list[str]]:
    """The recognition model read by OpenVINO, and its character list (kept in the
    ONNX file's metadata; CTC decoding adds the blank and the space)."""
    import openvino as ov

    model = ov.Core().read_model(path)
    return model, model.get_rt_info()["framework"]["character"].value.splitlines()


def line_width(crop: Any) -> int:
    """Width of a crop scaled to the model height, keeping its aspect ratio."""
    h, w = crop.shape[:2]
    return max(1, math.ceil(REC_HEIGHT * w / max(h, 1)))


def padded_width(crop: Any, min_width: int = MIN_WIDTH) -> int:
    """The input width of a crop: its scaled width rounded up to `WIDTH_STEP`, at least
    `min_width`."""
    return max(min_width, -(-line_width(crop) // WIDTH_STEP) * WIDTH_STEP)


def resize_line(crop: Any, width: int) -> Any:
    """A crop as a 3×48×`width` float array in [-1, 1] (RapidOCR's normalisation): height
    48, its own aspect ratio (squeezed only when wider than `width`), zeros on the right."""
    import cv2
    import numpy as np

    own = min(line_width(crop), width)
    line = cv2.resize(crop, (own, REC_HEIGHT)).astype(np.float32)
    line = line.transpose(2, 0, 1) / 127.5 - 1.0
    if own < width:
        line = np.pad(line, ((0, 0), (0, 0), (0, width - own)))
    return line


def groups(crops: list[Any], min_width: int, size: int = GROUP) -> list[tuple[int, list[int]]]:
    """(input width, crop numbers) of each inference: crops of one padded width together,
    at most `size` at a time, widest first (long lines do not end up last, alone)."""
    by_width: dict[int, list[int]] = {}
    for number, crop in enumerate(crops):
        by_width.setdefault(padded_width(crop, min_width), []).append(number)
    return [
        (width, numbers[start : start + size])
        for width, numbers in sorted(by_width.items(), reverse=True)
        for start in range(0, len(numbers), size)
    ]


class FastRecognizer:
    """Callable like RapidOCR's TextRecognizer (`TextRecInput` → `TextRecOutput`)."""

    def __init__(self, model_path: Path, *, streams: int = 2, min_width: int = MIN_WIDTH) -> None:
        import openvino as ov
        from rapidocr.ch_ppocr_rec.utils import CTCLabelDecode

        model, characters = read_model(model_path)
        config = {
            "PERFORMANCE_HINT": "THROUGHPUT",
            "NUM_STREAMS": str(streams),
            "INFERENCE_NUM_THREADS": str(streams),  # one thread per stream
            "ENABLE_CPU_PINNING": "NO",  # the cores are shared
        }
        self._compiled = ov.Core().compile_model(model, "CPU", config)
        self._queue = ov.AsyncInferQueue(self._compiled, streams)
        self._lock = threading.Lock()  # one page at a time through the queue
        self._decoder = CTCLabelDecode(character=characters)
        self.min_width = min_width

    def read(self, crops: list[Any]) -> list[tuple[str, float]]:
        """(text, score) of each crop, in order."""
        import numpy as np

        results: list[tuple[str, float]] = [("", 0.0)] * len(crops)
        errors: list[BaseException] = []

        def done(request: Any, numbers: list[int]) -> None:
            try:
                lines, _ = self._decoder(request.get_output_tensor().data)
                for number, line in zip(numbers, lines, strict=True):
                    results[number] = line
            except BaseException as exc:  # raised again below, in the caller's thread
                errors.append(exc)

        with self._lock:
            self._queue.set_callback(done)
            for width, numbers in groups(crops, self.min_width):
                batch = np.stack([resize_line(crops[n], width) for n in numbers])
                self._queue.start_async([batch], numbers)
            self._queue.wait_all()
        if errors:
            raise errors[0]
        return results

    def __call__(self, args: Any) -> Any:
        import time

        import numpy as np
        from rapidocr.ch_ppocr_rec.typings import TextRecOutput

        start = time.perf_counter()
        crops = [args.img] if isinstance(args.img, np.ndarray) else list(args.img)
        lines = self.read(crops)
        txts = tuple(text for text, _ in lines)
        scores = tuple(score for _, score in lines)
        words = tuple(None for _ in lines)
        return TextRecOutput(crops, txts, scores, words, time.perf_counter() - start)
