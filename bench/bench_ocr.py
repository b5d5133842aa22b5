"""OCR variants side by side in one run: seconds per photo (wall and CPU), and reading.

    python -m bench.bench_ocr [--variants a,b,...] [--synthetic N] [--eval-dir DIR]
                              [--eval-limit N] [--rounds R] [--json OUT]

Every input goes through the whole `extract()` of one image attachment (decode,
visual cues, text-less pre-filter, OCR) once per variant; the variants take turns on
each input (the order rotates from input to input), so a machine whose load changes
during the run weighs on all of them alike. CPU time is `time.process_time()` (all
threads of this process: ONNX Runtime's and OpenVINO's pools included); on a machine
shared with other work it is the steadier figure, and wall time on 2 idle cores is
about CPU / 2 for the 2-thread variants.

Inputs: phone photos of synthetic 红头 pages and chat screenshots (tests/synth/pages.py)
and, for timing only, the images in --eval-dir (read at run time; nothing of them is
printed or kept). For the synthetic inputs the bench also scores reading: the share of
their key strings (marking, issuing body, document number, chat lines) found in the
OCR text, spaces ignored.

Variants (`--variants`, comma-separated; default: all that can run here; the first
is the base of the ratios):
  v1.4            rapidocr-onnxruntime 1.4 (PP-OCRv4 mobile), its defaults (the former backend)
  v1.4-tuned      the same with detection at 960 px and no classifier
  v1.4-1t         v1.4 with one intra-op thread (CPU time without thread-pool spinning)
  v3-ort-default  rapidocr 3.x (PP-OCRv6 small, shipped) on ONNX Runtime, RapidOCR's own
                  sizing and threads, classifier always
  v3-ort-cls      ONNX Runtime, 2 threads, detection at 960 px, classifier always
  v3-ort          ONNX Runtime, 2 threads, 960 px, classifier only for pages read poorly
  v3-ort-736      the same at 736 px
  v3-cls          OpenVINO, 2 threads, 960 px, classifier always
  v3              baomi's backend as shipped: OpenVINO, detection with 2 threads at 960 px,
                  classifier only for pages read poorly, lines recognised one per
                  inference at their own width on 2 streams of 1 thread (baomi.ocr.fastrec)
  v3-1t           the same, detection on one thread
  v3-w96          the same, recognition inputs at least 96 px wide
  v3-w320         the same, at least 320 px wide (RapidOCR's floor)
  v3-rec1s        the same, recognition on 1 stream (one line at a time)
  v3-736          the same, detection at 736 px
  v3-640          the same, detection at 640 px
  v3-rapidrec     OpenVINO with RapidOCR's own recogniser: batches of 6 padded to the widest
                  line and to 320 px, 2 threads (the backend shipped until 2026-12-02)
  v3-rapidrec-1t  the same with one thread
  no-ocr          FakeOcr: what extract() costs besides OCR (decode, visual cues, pre-filter)
Prints a table and one JSON line (also written to --json).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # for tests.synth (the synthetic inputs)

from baomi.extract import extract  # noqa: E402
from baomi.model import Attachment  # noqa: E402
from baomi.ocr import FakeOcr, OcrLine, RapidOcrBackend  # noqa: E402


class Legacy14:
    """rapidocr-onnxruntime 1.4 behind the OcrBackend protocol (the former backend)."""

    def __init__(self, **kwargs: Any) -> None:
        from rapidocr_onnxruntime import RapidOCR

        self._engine = RapidOCR(print_verbose=False, **kwargs)

    def recognise(self, image: Any) -> list[OcrLine]:
        import numpy as np

        bgr = np.asarray(image)[:, :, ::-1].copy()
        result, _ = self._engine(bgr)
        lines = []
        for points, text, score in result or ():
            xs, ys = [p[0] for p in points], [p[1] for p in points]
            if float(score) >= 0.5:
                lines.append(OcrLine(str(text), (min(xs), min(ys), max(xs), max(ys)), float(score)))
        return lines


IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png"}


def has(module: str) -> bool:
    return importlib.util.find_spec(module) is not None


def ort(**kwargs: Any) -> tuple[Callable[[], Any], Callable[[], bool]]:
    return (lambda: RapidOcrBackend(engine="onnxruntime", **kwargs)), (lambda: has("onnxruntime"))


VARIANTS: dict[str, tuple[Callable[[], Any], Callable[[], bool]]] = {
    "v1.4": (lambda: Legacy14(), lambda: has("rapidocr_onnxruntime")),
    "v1.4-tuned": (
        lambda: Legacy14(use_cls=False, det_limit_side_len=960, det_limit_type="max"),
        lambda: has("rapidocr_onnxruntime"),
    ),
    "v1.4-1t": (
        lambda: Legacy14(intra_op_num_threads=1, inter_op_num_threads=1),
        lambda: has("rapidocr_onnxruntime"),
    ),
    "v3-ort-default": ort(det_side=None, threads=None, always_classify=True),
    "v3-ort-cls": ort(always_classify=True),
    "v3-ort": ort(),
    "v3-ort-736": ort(det_side=736),
    "v3-cls": (lambda: RapidOcrBackend(always_classify=True), lambda: has("openvino")),
    "v3": (lambda: RapidOcrBackend(), lambda: has("openvino")),
    "v3-1t": (lambda: RapidOcrBackend(threads=1), lambda: has("openvino")),
    "v3-w96": (lambda: RapidOcrBackend(rec_min_width=96), lambda: has("openvino")),
    "v3-w320": (lambda: RapidOcrBackend(rec_min_width=320), lambda: has("openvino")),
    "v3-rec1s": (lambda: RapidOcrBackend(rec_streams=1), lambda: has("openvino")),
    "v3-736": (lambda: RapidOcrBackend(det_side=736), lambda: has("openvino")),
    "v3-640": (lambda: RapidOcrBackend(det_side=640), lambda: has("openvino")),
    "v3-rapidrec": (lambda: RapidOcrBackend(rec_streams=None), lambda: has("openvino")),
    "v3-rapidrec-1t": (lambda: RapidOcrBackend(rec_streams=None, threads=1), lambda: has("openvino")),
    "no-ocr": (lambda: FakeOcr(), lambda: True),
}


@dataclass
class Input:
    path: Path
    group: str
    expected: tuple[str, ...] = ()


@dataclass
class Runs:
    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    found: list[int] = field(default_factory=list)
    expected: int = 0


def synthetic_inputs(out_dir: Path, count: int) -> list[Input]:
    """Phone photos of 红头 pages (three texts) and chat screenshots, `count` of each."""
    from tests.synth.pages import PageText, chat_screenshot, official_page, phone_photo

    pages = [
        PageText(),
        PageText(marking="秘密★1年", authority="临江县财政局文件", doc_no="临财发〔2023〕9号"),
        PageText(marking="内部★", urgency="加急", authority="北岸区卫生健康局文件"),
    ]
    chats = [
        ("明天上午九点在三楼会议室开会", "收到，我会准时参加", "材料已经发到邮箱了"),
        ("请把第二季度的统计表报给我", "好的，下午四点前发你", "附件里有填写说明"),
    ]
    inputs = []
    for i in range(count):
        page = pages[i % len(pages)]
        path = out_dir / f"photo_{i}.jpg"
        phone_photo(official_page(page), seed=100 + i).save(path, quality=85)
        inputs.append(Input(path, "phone photo", (page.marking, page.authority, page.doc_no)))
    for i in range(count):
        lines = chats[i % len(chats)]
        path = out_dir / f"chat_{i}.png"
        chat_screenshot(lines).save(path)
        inputs.append(Input(path, "chat screenshot", lines))
    return inputs


def default_eval_dir() -> Path:
    """shared/eval/images beside the checkout (main) or beside its worktree folder."""
    for base in (ROOT.parent, ROOT.parent.parent):
        if (base / "shared" / "eval" / "images").is_dir():
            return base / "shared" / "eval" / "images"
    return ROOT.parent / "shared" / "eval" / "images"


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def timed_extract(path: Path, backend: Any) -> tuple[float, float, str]:
    cpu, wall = time.process_time(), time.perf_counter()
    result = extract(Attachment(path), 1, ocr=backend)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    text = "".join(s.text for s in result.segments if s.source.endswith("/ocr"))
    return wall, cpu, text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--variants", default="")
    parser.add_argument("--synthetic", type=int, default=4, help="photos and screenshots, each")
    parser.add_argument("--eval-dir", type=Path, default=default_eval_dir())
    parser.add_argument("--eval-limit", type=int, default=0, help="at most N eval images (0: all)")
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()

    names = [n for n in args.variants.split(",") if n] or list(VARIANTS)
    unknown = sorted(set(names) - set(VARIANTS))
    if unknown:
        parser.error(f"unknown variants: {', '.join(unknown)}")
    missing = [n for n in names if not VARIANTS[n][1]()]
    if missing:
        print(f"skipped (package not installed): {', '.join(missing)}", file=sys.stderr)
        names = [n for n in names if n not in missing]
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        inputs = synthetic_inputs(Path(tmp), args.synthetic)
        if args.eval_dir.is_dir():
            evals = sorted(p for p in args.eval_dir.iterdir() if p.suffix.lower() in IMAGE_SUFFIXES)
            inputs += [Input(p, "eval image") for p in evals[: args.eval_limit or None]]
        backends, load_s = {}, {}
        for name in names:
            start = time.process_time()
            backends[name] = VARIANTS[name][0]()
            timed_extract(inputs[0].path, backends[name])  # loads the models
            load_s[name] = time.process_time() - start
        groups: dict[tuple[str, str], Runs] = {}
        for _round in range(args.rounds):
            for i, item in enumerate(inputs):
                for j in range(len(names)):
                    name = names[(i + j) % len(names)]
                    wall, cpu, text = timed_extract(item.path, backends[name])
                    for key in ((name, item.group), (name, "all")):
                        runs = groups.setdefault(key, Runs())
                        runs.wall.append(wall)
                        runs.cpu.append(cpu)
                        if item.expected:
                            flat = text.replace(" ", "").replace("\n", "")
                            runs.found.append(sum(s.replace(" ", "") in flat for s in item.expected))
                            runs.expected += len(item.expected)
                    print(f"{name:14s} {item.group:16s} {wall:6.2f}s wall {cpu:6.2f}s cpu", file=sys.stderr)

    rows = []
    for (name, group), runs in groups.items():
        wall, cpu = runs.wall, runs.cpu
        rows.append({
            "variant": name, "group": group, "n": len(wall),
            "wall_median_s": round(statistics.median(wall), 3),
            "wall_p95_s": round(percentile(wall, 0.95), 3),
            "cpu_median_s": round(statistics.median(cpu), 3),
            "cpu_p95_s": round(percentile(cpu, 0.95), 3),
            "read": round(sum(runs.found) / runs.expected, 3) if runs.expected else None,
            "load_cpu_s": round(load_s[name], 2),
        })  # fmt: skip
    rows.sort(key=lambda r: (r["group"], names.index(r["variant"])))
    base = {r["group"]: r for r in rows if r["variant"] == names[0]}
    head = f"{'group':16s} {'variant':14s} {'n':>3s}  wall med/p95 (s)  cpu med/p95 (s)"
    print(f"{head}  cpu vs {names[0]}  read")
    for r in rows:
        ratio = r["cpu_median_s"] / max(base[r["group"]]["cpu_median_s"], 1e-9)
        read = "" if r["read"] is None else f"{r['read']:.0%}"
        print(
            f"{r['group']:16s} {r['variant']:14s} {r['n']:3d}"
            f"  {r['wall_median_s']:6.2f} / {r['wall_p95_s']:5.2f}"
            f"    {r['cpu_median_s']:6.2f} / {r['cpu_p95_s']:5.2f}    {ratio:5.2f}×       {read}"
        )
    summary = {
        "bench": "ocr",
        "rows": rows,
        "loadavg_before": round(load_before, 2),
        "loadavg_after": round(os.getloadavg()[0], 2),
        "cpus": os.cpu_count(),
    }
    print(f"1-min load average before / after: {load_before:.1f} / {os.getloadavg()[0]:.1f}")
    line = json.dumps(summary, ensure_ascii=False)
    print(line)
    if args.json:
        args.json.write_text(line + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
