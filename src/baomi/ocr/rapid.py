"""OCR with RapidOCR 3.x on OpenVINO, with the PP-OCR models shipped in its wheel.

Offline by construction: every model is named by its path inside the installed
`rapidocr` package, so RapidOCR never resolves a model by name (which would download
it). The engine is loaded lazily, once, on the first `recognise` call — never at import
or construction — because loading the ONNX models takes about a second.

Speed settings (chosen with `bench/bench_ocr.py`): OpenVINO (about half the CPU time
of ONNX Runtime on these models), detection with two threads on an image whose long
side is at most `det_side` pixels (smaller sides lose small print), lines recognised by
`baomi.ocr.fastrec` (little padding, two streams of one thread) instead of RapidOCR's
recogniser, and the 0°/180° line classifier only when a first pass reads the page
poorly (an upside-down photo): EXIF orientation is already applied, so almost every
line arrives upright.
"""

from __future__ import annotations

import math
import threading
from pathlib import Path
from typing import Any

from baomi.ocr.base import OcrLine, as_rgb_array

# The models in the rapidocr 3.x wheel (`rapidocr/models/`).
DET_MODEL = "PP-OCRv6_det_small.onnx"
REC_MODEL = "PP-OCRv6_rec_small.onnx"
CLS_MODEL = "ch_ppocr_mobile_v2.0_cls_mobile.onnx"

DET_SIDE = 960  # long side for text detection; recognition still reads full-resolution crops
THREADS = 2  # detection (and classifier) threads: the 2 cores of the target machine
ENGINE = "openvino"
ENGINE_MODULES = {"openvino": "openvino", "onnxruntime": "onnxruntime"}
REC_STREAMS = 2  # recognition: lines read two at a time, one thread each (baomi.ocr.fastrec)
REC_MIN_WIDTH = 48  # recognition input width floor (RapidOCR's own recogniser pads to 320)
UPRIGHT_SCORE = 0.75  # a first pass whose median line score is below this is retried with the classifier


class OcrUnavailableError(RuntimeError):
    """rapidocr or its inference engine is not installed (install baomi[attachments])."""


def rapidocr_available(engine: str = ENGINE) -> bool:
    """True when rapidocr and the module of `engine` can be imported (checked without
    importing them)."""
    import importlib.util

    return all(importlib.util.find_spec(name) is not None for name in ("rapidocr", ENGINE_MODULES[engine]))


def shipped_models() -> dict[str, Path]:
    """Paths of the det/rec/cls models inside the installed rapidocr package."""
    import importlib.util

    spec = importlib.util.find_spec("rapidocr")
    if spec is None or not spec.submodule_search_locations:
        raise OcrUnavailableError("rapidocr is not installed")
    folder = Path(next(iter(spec.submodule_search_locations))) / "models"
    models = {"Det": folder / DET_MODEL, "Rec": folder / REC_MODEL, "Cls": folder / CLS_MODEL}
    missing = [path.name for path in models.values() if not path.is_file()]
    if missing:
        raise OcrUnavailableError(f"rapidocr wheel lacks its shipped models: {', '.join(missing)}")
    return models


def engine_params(*, det_side: int | None, threads: int | None, engine: str) -> dict[str, Any]:
    """RapidOCR 3.x parameters: shipped model files, detection size, thread counts."""
    from rapidocr import EngineType

    params: dict[str, Any] = {"Global.log_level": "error", "Global.use_cls": False}
    for task, path in shipped_models().items():
        params[f"{task}.model_path"] = str(path)
        params[f"{task}.engine_type"] = EngineType(engine)
    if det_side:
        params["Det.limit_side_len"] = det_side
        params["Det.limit_type"] = "max"
    if threads:
        params["EngineConfig.onnxruntime.intra_op_num_threads"] = threads
        params["EngineConfig.onnxruntime.inter_op_num_threads"] = 1
        params["EngineConfig.openvino.inference_num_threads"] = threads
    # one request at a time per model, threads not pinned (the cores are shared)
    params["EngineConfig.openvino.performance_hint"] = "LATENCY"
    params["EngineConfig.openvino.enable_cpu_pinning"] = False
    return params


class RapidOcrBackend:
    """PP-OCR through RapidOCR 3.x. `min_score` drops lines recognised with low confidence;
    `det_side` bounds the detector's input (None: RapidOCR's own sizing); `upright_only`
    never runs the angle classifier, `always_classify` always does; `engine` is
    "openvino" or "onnxruntime" (when that package is installed). With OpenVINO, lines are
    recognised by `baomi.ocr.fastrec` on `rec_streams` streams, each input at least
    `rec_min_width` pixels wide; `rec_streams=None` keeps RapidOCR's own recogniser."""

    def __init__(
        self,
        min_score: float = 0.5,
        threads: int | None = THREADS,
        *,
        det_side: int | None = DET_SIDE,
        upright_only: bool = False,
        always_classify: bool = False,
        engine: str = ENGINE,
        rec_streams: int | None = REC_STREAMS,
        rec_min_width: int = REC_MIN_WIDTH,
    ) -> None:
        if engine not in ENGINE_MODULES:
            raise ValueError(f"unknown OCR engine {engine!r}")
        self.min_score = min_score
        self.threads = threads
        self.det_side = det_side
        self.upright_only = upright_only
        self.always_classify = always_classify
        self.engine = engine
        self.rec_streams = rec_streams if engine == "openvino" else None
        self.rec_min_width = rec_min_width
        self._engine: Any = None
        self._lock = threading.Lock()
        # one page at a time: each model has one OpenVINO infer request (not thread-safe),
        # and a page already keeps both cores busy
        self._busy = threading.Lock()

    def _load(self) -> Any:
        with self._lock:
            if self._engine is None:
                if not rapidocr_available(self.engine):
                    raise OcrUnavailableError(f"rapidocr or {self.engine} is not installed")
                from rapidocr import RapidOCR

                params = engine_params(det_side=self.det_side, threads=self.threads, engine=self.engine)
                engine = RapidOCR(params=params)
                if self.rec_streams:
                    from baomi.ocr.fastrec import FastRecognizer

                    engine.text_rec = FastRecognizer(
                        Path(params["Rec.model_path"]), streams=self.rec_streams, min_width=self.rec_min_width
                    )
                self._engine = engine
            return self._engine

    def _read(self, bgr: Any, *, use_cls: bool) -> list[OcrLine]:
        engine = self._load()
        with self._busy:
            output = engine(bgr, use_cls=use_cls)
        if output.boxes is None or output.txts is None:
            return []
        lines: list[OcrLine] = []
        for points, text, score in zip(output.boxes, output.txts, output.scores, strict=True):
            xs = [float(p[0]) for p in points]
            ys = [float(p[1]) for p in points]
            # points run clockwise from the top-left: the top edge gives the baseline slope
            angle = math.degrees(math.atan2(ys[1] - ys[0], max(xs[1] - xs[0], 1e-6)))
            lines.append(OcrLine(str(text), (min(xs), min(ys), max(xs), max(ys)), float(score), angle))
        return lines

    def recognise(self, image: Any) -> list[OcrLine]:
        """Read text lines from an RGB image (numpy array or PIL image)."""
        rgb = as_rgb_array(image)
        bgr = rgb[:, :, ::-1].copy()  # RapidOCR takes numpy input as BGR (OpenCV order)
        lines = self._read(bgr, use_cls=self.always_classify)
        if not (self.always_classify or self.upright_only or reads_well(lines)):
            lines = self._read(bgr, use_cls=True)
        return [ln for ln in lines if ln.score >= self.min_score and ln.text.strip()]


def reads_well(lines: list[OcrLine]) -> bool:
    """True when a pass (all its lines, before `min_score`) found nothing or read its
    lines with a median score that an upside-down page, read without the angle
    classifier, does not reach."""
    if not lines:
        return True
    scores = sorted(ln.score for ln in lines)
    return scores[len(scores) // 2] >= UPRIGHT_SCORE


_default: RapidOcrBackend | None = None
_default_lock = threading.Lock()


def default_backend() -> RapidOcrBackend:
    """A process-wide RapidOcrBackend, created on first use (models still load lazily)."""
    global _default
    with _default_lock:
        if _default is None:
            _default = RapidOcrBackend()
        return _default
