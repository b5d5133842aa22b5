"""Attachment extraction benchmark: OCR per photo, pre-filter, docx and pdf pages/s.

    python bench/bench_attachments.py [--eval-dir DIR] [--dump OUT.jsonl] [--synthetic N]

Phone photos: every *.jpg in --eval-dir (read-only; default ../shared/eval/images)
plus N synthetic photos of 红头 pages. Times are wall-clock for the whole `extract()`
of one image (decode, visual cues, pre-filter, OCR), after one warm-up call that also
loads the models. `--dump` writes one JSON line per eval image: id, cues, OCR text.
Prints a table and one JSON line.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # for tests.synth (the synthetic inputs)

from baomi.extract import extract  # noqa: E402
from baomi.model import Attachment  # noqa: E402
from baomi.ocr import RapidOcrBackend  # noqa: E402


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def eval_ids(eval_dir: Path) -> dict[str, str]:
    """Image file name → corpus id, from images.jsonl beside the images folder."""
    index = eval_dir.parent / "images.jsonl"
    ids: dict[str, str] = {}
    if index.is_file():
        for line in index.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                for att in row.get("attachments", []):
                    ids[Path(att).name] = row["id"]
    return ids


def synthetic_photos(out_dir: Path, count: int) -> list[Path]:
    from tests.synth.pages import PageText, official_page, phone_photo

    variants = [
        PageText(),
        PageText(marking="秘密★1年", authority="临江县财政局文件", doc_no="临财发〔2023〕9号"),
        PageText(marking="内部★", urgency="加急", authority="北岸区卫生健康局文件"),
    ]
    paths = []
    for i in range(count):
        page = official_page(variants[i % len(variants)])
        path = out_dir / f"synthetic_{i}.jpg"
        phone_photo(page, seed=100 + i).save(path, quality=85)
        paths.append(path)
    return paths


def time_images(paths: list[Path], ocr: RapidOcrBackend) -> list[tuple[Path, float, object]]:
    rows = []
    for path in paths:
        start = time.perf_counter()
        result = extract(Attachment(path), 1, ocr=ocr)
        rows.append((path, time.perf_counter() - start, result))
    return rows


def prefilter_times(out_dir: Path) -> tuple[float, float]:
    """(has_text_structure ms on a 12 MP textless photo, full extract ms of it)."""
    import numpy as np

    from baomi.ocr import FakeOcr
    from baomi.vision import has_text_structure
    from tests.synth.pages import blank_photo

    image = blank_photo(size=(4000, 3000))
    arr = np.asarray(image)
    has_text_structure(arr)
    runs = []
    for _ in range(5):
        start = time.perf_counter()
        assert not has_text_structure(arr)
        runs.append(time.perf_counter() - start)
    path = out_dir / "sky.jpg"
    image.save(path, quality=90)
    ocr = FakeOcr(["x"])
    start = time.perf_counter()
    extract(Attachment(path), 1, ocr=ocr)
    whole = time.perf_counter() - start
    assert ocr.calls == 0
    return statistics.median(runs) * 1000, whole * 1000


LINE = "各有关单位要按照年度计划认真组织实施，确保各项任务按期完成并及时报送进展情况。"


def docx_pages_per_s(out_dir: Path, pages: int = 100) -> float:
    """A docx of `pages` pages (30 paragraphs of ~40 characters each)."""
    import docx

    document = docx.Document()
    for page in range(pages):
        for line in range(30):
            document.add_paragraph(f"{page}-{line} {LINE}")
        document.add_page_break()
    path = out_dir / "long.docx"
    document.save(path)
    start = time.perf_counter()
    result = extract(Attachment(path), 1)
    elapsed = time.perf_counter() - start
    assert not result.problems, result.problems
    return pages / elapsed


def pdf_pages_per_s(out_dir: Path, pages: int = 200) -> float:
    """A text-layer PDF of `pages` pages, 30 lines each."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    path = out_dir / "long.pdf"
    c = canvas.Canvas(str(path))
    for page in range(pages):
        c.setFont("STSong-Light", 10)
        for line in range(30):
            c.drawString(40, 800 - 25 * line, f"{page}-{line} {LINE}")
        c.showPage()
    c.save()
    start = time.perf_counter()
    result = extract(Attachment(path), 1)
    elapsed = time.perf_counter() - start
    assert not result.problems, result.problems
    return pages / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--eval-dir", type=Path, default=ROOT.parent / "shared" / "eval" / "images")
    parser.add_argument("--dump", type=Path, default=None)
    parser.add_argument("--synthetic", type=int, default=6)
    args = parser.parse_args()

    load_before = os.getloadavg()[0]
    ocr = RapidOcrBackend()
    with tempfile.TemporaryDirectory() as tmp:
        out_dir = Path(tmp)
        eval_paths = sorted(args.eval_dir.glob("*.jpg")) if args.eval_dir.is_dir() else []
        synth_paths = synthetic_photos(out_dir, args.synthetic)
        warm = synth_paths[0] if synth_paths else eval_paths[0]
        start = time.perf_counter()
        extract(Attachment(warm), 1, ocr=ocr)
        first_call = time.perf_counter() - start

        eval_rows = time_images(eval_paths, ocr)
        synth_rows = time_images(synth_paths, ocr)
        prefilter_ms, textless_ms = prefilter_times(out_dir)
        docx_rate = docx_pages_per_s(out_dir)
        pdf_rate = pdf_pages_per_s(out_dir)

    if args.dump:
        ids = eval_ids(args.eval_dir)
        with args.dump.open("w", encoding="utf-8") as out:
            for path, seconds, result in eval_rows:
                ocr_text = "\n".join(s.text for s in result.segments if s.source.endswith("/ocr"))
                row = {
                    "id": ids.get(path.name, path.name),
                    "file": path.name,
                    "cues": sorted(result.cues),
                    "problems": [str(p) for p in result.problems],
                    "seconds": round(seconds, 2),
                    "ocr_text": ocr_text,
                }
                out.write(json.dumps(row, ensure_ascii=False) + "\n")

    def stats(rows: list) -> tuple[float, float]:
        times = [seconds for _p, seconds, _r in rows] or [0.0]
        return statistics.median(times), percentile(times, 0.95)

    eval_med, eval_p95 = stats(eval_rows)
    synth_med, synth_p95 = stats(synth_rows)
    all_med, all_p95 = stats(eval_rows + synth_rows)
    table = [
        ("first image incl. model load (s)", f"{first_call:.2f}"),
        (
            f"eval photos/screenshots n={len(eval_rows)}: median / p95 (s)",
            f"{eval_med:.2f} / {eval_p95:.2f}",
        ),
        (
            f"synthetic phone photos n={len(synth_rows)}: median / p95 (s)",
            f"{synth_med:.2f} / {synth_p95:.2f}",
        ),
        ("all images: median / p95 (s)", f"{all_med:.2f} / {all_p95:.2f}"),
        ("pre-filter, 12 MP textless photo (ms)", f"{prefilter_ms:.0f}"),
        ("extract() of that photo, OCR skipped (ms)", f"{textless_ms:.0f}"),
        ("docx pages/s (30 paragraphs a page)", f"{docx_rate:.0f}"),
        ("pdf text-layer pages/s (30 lines a page)", f"{pdf_rate:.0f}"),
        (
            "1-min load average before / after (2 cores)",
            f"{load_before:.1f} / {os.getloadavg()[0]:.1f}",
        ),
    ]
    width = max(len(k) for k, _ in table)
    for key, value in table:
        print(f"{key.ljust(width)}  {value}")
    print(json.dumps({
        "bench": "attachments",
        "first_image_s": round(first_call, 2),
        "eval_images": len(eval_rows),
        "ocr_eval_median_s": round(eval_med, 3), "ocr_eval_p95_s": round(eval_p95, 3),
        "ocr_synthetic_median_s": round(synth_med, 3), "ocr_synthetic_p95_s": round(synth_p95, 3),
        "ocr_all_median_s": round(all_med, 3), "ocr_all_p95_s": round(all_p95, 3),
        "prefilter_textless_12mp_ms": round(prefilter_ms, 1),
        "extract_textless_12mp_ms": round(textless_ms, 1),
        "docx_pages_per_s": round(docx_rate, 1), "pdf_pages_per_s": round(pdf_rate, 1),
        "loadavg_before": round(load_before, 2), "loadavg_after": round(os.getloadavg()[0], 2),
        "cpus": os.cpu_count(),
    }, ensure_ascii=False))  # fmt: skip


if __name__ == "__main__":
    main()
