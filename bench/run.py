"""baomi benchmark: throughput, latency, scaling, memory, workers and start-up,
side by side with Presidio and a plain-`re` baseline, in one process run.

    python -m bench.run [--quick] [--workers N] [--dev PATH] [--engine MODULE] [--check]

Every engine reads the same messages. Throughput and latency runs are interleaved
in chunks, the engine order rotating per chunk, so a noisy neighbour slows every
engine alike and the ratios hold. One-core figures are taken with the process pinned
to one CPU. The last line printed is one JSON object with every figure; see
bench/README.md for what each figure means.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import json
import math
import multiprocessing
import os
import platform
import statistics
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

from bench.compare import Summary, agreement, flag_rates, summarize_verdict
from bench.corpus_gen import chat_corpus, long_document, long_text

OUT_DIR = Path(__file__).resolve().parent / "out"
CHANNEL_LONG = "work_group"
STARTUP_TEXT = "明天上午九点在三楼会议室开会，请准时参加"

# Targets from the issue: (name, figure key, comparison, threshold)
TARGETS = (
    ("ratio_vs_presidio>=3", "ratio_vs_presidio", ">=", 3.0),
    ("chat_msgs_per_s>=20000", "chat_msgs_per_s", ">=", 20_000.0),
    ("p99_1000_chars_ms<=2", "p99_1000_chars_ms", "<=", 2.0),
    ("growth_exponent<=1.1", "growth_exponent", "<=", 1.1),
)


@dataclass(frozen=True)
class Sizes:
    chat: int
    dev: int
    short_latency: int
    long_latency: int
    docs: tuple[int, ...]
    startup_reps: int
    probe_chat: int
    chunk: int = 1000


FULL = Sizes(
    chat=200_000,
    dev=30_000,
    short_latency=20_000,
    long_latency=3_000,
    docs=(10_000, 100_000, 1_000_000, 10_000_000),
    startup_reps=5,
    probe_chat=200_000,
)
QUICK = Sizes(
    chat=5_000,
    dev=1_500,
    short_latency=2_000,
    long_latency=300,
    docs=(10_000, 100_000, 1_000_000),
    startup_reps=2,
    probe_chat=5_000,
    chunk=500,
)


# --------------------------------------------------------------------------- engines


@dataclass
class Engine:
    """One engine as the harness sees it: `call(text, channel)` returns its raw
    result; `summarize(text, result)` reduces it (outside the timed loop)."""

    name: str
    call: Callable[[str, str], object]
    summarize: Callable[[str, object], Summary]
    version: str = ""


def baomi_engine(module: str) -> Engine:
    mod = importlib.import_module(module)
    review = mod.Reviewer().review

    def call(text: str, channel: str):
        return review(text, channel=channel)

    return Engine("baomi", call, summarize_verdict, _version(module))


def presidio_engine() -> Engine:
    from bench.peers.presidio_peer import PresidioPeer

    peer = PresidioPeer()
    analyze = peer.analyze

    def call(text: str, channel: str):
        return analyze(text)

    def summarize(text: str, results) -> Summary:
        return Summary(bool(results), frozenset(peer.pii_kinds(results)), "hit" if results else "none")

    return Engine("presidio", call, summarize, _version("presidio-analyzer"))


def naive_engine() -> Engine:
    from bench.peers.naive_re import NaiveRegexPeer

    peer = NaiveRegexPeer()
    analyze = peer.analyze

    def call(text: str, channel: str):
        return analyze(text)

    def summarize(text: str, hits) -> Summary:
        return Summary(bool(hits), frozenset(peer.pii_kinds(hits)), "hit" if hits else "none")

    return Engine("naive_re", call, summarize, f"{len(peer.cues)} cues")


def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "?"


# --------------------------------------------------------------------------- timing


@dataclass
class Run:
    """Totals per engine: wall and CPU seconds, per-message latencies (ns), summaries."""

    wall: dict[str, float] = field(default_factory=dict)
    cpu: dict[str, float] = field(default_factory=dict)
    wall_ns: dict[str, list[int]] = field(default_factory=dict)
    cpu_ns: dict[str, list[int]] = field(default_factory=dict)
    summaries: dict[str, list[Summary]] = field(default_factory=dict)


def interleaved(
    engines: Sequence[Engine],
    items: Sequence[tuple[str, str]],
    chunk: int,
    per_message: bool = False,
    summarize: bool = False,
) -> Run:
    """Run every engine over `items`, chunk by chunk, rotating the engine order.

    Wall time is what a caller waits; CPU time (this thread's) is the engine's own
    cost, which a neighbour process taking turns on the same core does not inflate.
    """
    run = Run()
    for e in engines:
        for text, channel in items[:100]:  # warm-up: lazy loads, caches, first calls
            e.call(text, channel)
        run.wall[e.name] = run.cpu[e.name] = 0.0
        run.wall_ns[e.name], run.cpu_ns[e.name], run.summaries[e.name] = [], [], []
    wall, cpu = time.perf_counter, time.thread_time
    wall_ns, cpu_ns = time.perf_counter_ns, time.thread_time_ns
    for k, lo in enumerate(range(0, len(items), chunk)):
        part = items[lo : lo + chunk]
        r = k % len(engines)
        for e in (*engines[r:], *engines[:r]):
            call = e.call
            if per_message:
                lat_w, lat_c = run.wall_ns[e.name], run.cpu_ns[e.name]
                out = []
                w0, c0 = wall(), cpu()
                for text, channel in part:
                    c, w = cpu_ns(), wall_ns()
                    out.append(call(text, channel))
                    lat_w.append(wall_ns() - w)
                    lat_c.append(cpu_ns() - c)
            else:
                w0, c0 = wall(), cpu()
                out = [call(text, channel) for text, channel in part]
            run.cpu[e.name] += cpu() - c0
            run.wall[e.name] += wall() - w0
            if summarize:
                run.summaries[e.name].extend(
                    e.summarize(text, res) for (text, _), res in zip(part, out, strict=True)
                )
    return run


def percentile(sorted_values: Sequence[float], p: float) -> float:
    """Nearest-rank percentile of an already sorted list."""
    idx = max(0, math.ceil(p / 100 * len(sorted_values)) - 1)
    return sorted_values[idx]


def latency_stats(wall_ns: list[int], cpu_ns: list[int]) -> dict[str, float]:
    w, c = sorted(wall_ns), sorted(cpu_ns)
    return {
        "n": len(w),
        "p50_us": round(percentile(c, 50) / 1000, 1),
        "p99_us": round(percentile(c, 99) / 1000, 1),
        "max_us": round(c[-1] / 1000, 1),
        "wall_p50_us": round(percentile(w, 50) / 1000, 1),
        "wall_p99_us": round(percentile(w, 99) / 1000, 1),
        "wall_max_us": round(w[-1] / 1000, 1),
    }


def slope(xs: Sequence[float], ys: Sequence[float]) -> float:
    """Least-squares slope of log(y) against log(x): the growth exponent."""
    lx = [math.log(x) for x in xs]
    ly = [math.log(y) for y in ys]
    mx, my = statistics.fmean(lx), statistics.fmean(ly)
    return sum((a - mx) * (b - my) for a, b in zip(lx, ly, strict=True)) / sum((a - mx) ** 2 for a in lx)


def long_docs(engines: Sequence[Engine], sizes: Sequence[int]) -> dict:
    """Median CPU and wall time per engine per document size; MB/s and the growth
    exponent (from CPU time; the wall-time exponent is reported beside it)."""
    cpu: dict[str, list[float]] = {e.name: [] for e in engines}
    wall: dict[str, list[float]] = {e.name: [] for e in engines}
    for size in sizes:
        doc = long_document(size)
        reps = max(1, min(30, 3_000_000 // size))
        per_c: dict[str, list[float]] = {e.name: [] for e in engines}
        per_w: dict[str, list[float]] = {e.name: [] for e in engines}
        for e in engines:  # warm-up on a slice of the same text
            e.call(doc[:2000], CHANNEL_LONG)
        for k in range(reps):
            r = k % len(engines)
            for e in (*engines[r:], *engines[:r]):
                w0, c0 = time.perf_counter(), time.thread_time()
                e.call(doc, CHANNEL_LONG)
                per_c[e.name].append(time.thread_time() - c0)
                per_w[e.name].append(time.perf_counter() - w0)
        for e in engines:
            cpu[e.name].append(statistics.median(per_c[e.name]))
            wall[e.name].append(statistics.median(per_w[e.name]))
        del doc
        gc.collect()
    out: dict = {"bytes": list(sizes)}
    for e in engines:
        c, w = cpu[e.name], wall[e.name]
        out[e.name] = {
            "seconds": [round(t, 5) for t in c],
            "mb_per_s": [round(b / t / 1e6, 2) for b, t in zip(sizes, c, strict=True)],
            "exponent": round(slope(sizes, c), 3) if len(sizes) > 1 else None,
            # slope between each size and the next: a cost that turns quadratic only
            # at the top shows here before it moves the overall fit
            "local_exponents": [
                round(slope(sizes[i : i + 2], c[i : i + 2]), 3) for i in range(len(sizes) - 1)
            ],
            "wall_seconds": [round(t, 5) for t in w],
            "wall_exponent": round(slope(sizes, w), 3) if len(sizes) > 1 else None,
        }
    return out


# --------------------------------------------------------------------------- subprocesses


def startup(engine_module: str, reps: int) -> dict:
    """Wall time of a fresh interpreter that imports the engine and gives one verdict."""
    code = {
        "python": "pass",
        "baomi": f"from {engine_module} import review; review({STARTUP_TEXT!r}, channel='direct')",
        "presidio": (
            f"from bench.peers.presidio_peer import PresidioPeer; PresidioPeer().analyze({STARTUP_TEXT!r})"
        ),
    }
    out = {}
    for name, src in code.items():
        ts = []
        for _ in range(reps):
            t0 = time.perf_counter()
            subprocess.run([sys.executable, "-c", src], check=True)
            ts.append(time.perf_counter() - t0)
        out[name] = round(statistics.median(ts), 3)
    return out


def memory(engine_modules: dict[str, str], chat_items: Sequence[tuple[str, str]], doc_bytes: int) -> dict:
    """Peak RSS of a fresh interpreter per engine (see bench/_probe.py)."""
    OUT_DIR.mkdir(exist_ok=True)
    chat_path = OUT_DIR / "probe_chat.jsonl"
    doc_path = OUT_DIR / f"probe_doc_{doc_bytes}.txt"
    with chat_path.open("w", encoding="utf-8") as f:
        for text, channel in chat_items:
            f.write(json.dumps({"text": text, "channel": channel}, ensure_ascii=False) + "\n")
    doc_path.write_text(long_document(doc_bytes), encoding="utf-8")
    out = {"doc_bytes": doc_bytes}
    for name, module in engine_modules.items():
        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "bench._probe",
                "--engine",
                module,
                "--chat",
                str(chat_path),
                "--doc",
                str(doc_path),
            ],
            check=True,
            capture_output=True,
            text=True,
        )
        out[name] = json.loads(proc.stdout.strip().splitlines()[-1])
    return out


# --------------------------------------------------------------------------- workers

_WORK: dict = {}


def _worker_init(module: str) -> None:
    review = importlib.import_module(module).Reviewer().review
    review(STARTUP_TEXT, channel="direct")
    _WORK["review"] = review


def _worker_run(bounds: tuple[int, int]) -> tuple[int, float]:
    review = _WORK["review"]
    flagged = 0
    c0 = time.thread_time()
    for text, channel in _WORK["items"][bounds[0] : bounds[1]]:
        flagged += review(text, channel=channel).decision != "allow"
    return flagged, time.thread_time() - c0


def workers_throughput(module: str, items: Sequence[tuple[str, str]], n: int) -> dict:
    """Batch throughput of `n` worker processes (fork; each builds its own Reviewer).
    Wall-clock msgs/s, plus the CPU seconds the workers spent, to tell a slow run from
    a run that had to share the cores with other processes."""
    _WORK["items"] = items
    ctx = multiprocessing.get_context("fork")
    step = 2000
    ranges = [(lo, min(lo + step, len(items))) for lo in range(0, len(items), step)]
    with ctx.Pool(n, initializer=_worker_init, initargs=(module,)) as pool:
        pool.map(_worker_run, [(0, 50)] * n, chunksize=1)  # all workers up and warm
        t0 = time.perf_counter()
        done = pool.map(_worker_run, ranges, chunksize=1)
        seconds = time.perf_counter() - t0
    cpu = sum(c for _, c in done)
    return {
        "n": n,
        "messages": len(items),
        "seconds": round(seconds, 3),
        "msgs_per_s": round(len(items) / seconds),
        "worker_cpu_s": round(cpu, 3),
        "msgs_per_cpu_s": round(len(items) / cpu),
        "flagged": sum(f for f, _ in done),
    }


# --------------------------------------------------------------------------- output


def table(title: str, headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    cells = [[str(h) for h in headers]] + [[_fmt(c) for c in row] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    lines = [title, "  ".join(h.ljust(w) for h, w in zip(cells[0], widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    for row in cells[1:]:
        lines.append(
            "  ".join(
                c.rjust(w) if i else c.ljust(w) for i, (c, w) in enumerate(zip(row, widths, strict=True))
            )
        )
    return "\n".join(lines) + "\n"


def _fmt(v: object) -> str:
    if v is None:
        return "-"
    if isinstance(v, float):
        if v >= 100:
            return f"{v:,.0f}"
        return f"{v:.3g}" if abs(v) < 10 else f"{v:.1f}"
    if isinstance(v, int):
        return f"{v:,}"
    return str(v)


def pin_one_cpu() -> tuple[set[int] | None, int | None]:
    """Pin this process (and what it starts) to one CPU; returns the old affinity."""
    if not hasattr(os, "sched_setaffinity"):
        return None, None
    before = os.sched_getaffinity(0)
    cpu = max(before)
    os.sched_setaffinity(0, {cpu})
    return before, cpu


def log(msg: str) -> None:
    print(f"[bench] {msg}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- main


def throughput_figures(run: Run, n: int) -> dict:
    """msgs/s per engine from CPU time (and from wall time), and baomi's ratios."""
    cpu = {name: n / t for name, t in run.cpu.items()}
    wall = {name: n / t for name, t in run.wall.items()}
    out: dict = {"messages": n}
    out.update({f"{name}_msgs_per_s": round(v) for name, v in cpu.items()})
    out.update({f"{name}_wall_msgs_per_s": round(v) for name, v in wall.items()})
    for peer in ("presidio", "naive_re"):
        out[f"ratio_vs_{peer}"] = round(cpu["baomi"] / cpu[peer], 2)
        out[f"wall_ratio_vs_{peer}"] = round(wall["baomi"] / wall[peer], 2)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="baomi benchmark with Presidio and plain-re peers")
    ap.add_argument("--quick", action="store_true", help="small sizes (CI smoke run)")
    ap.add_argument(
        "--workers",
        type=int,
        default=None,
        help="worker processes for batch throughput (default: usable CPUs)",
    )
    ap.add_argument(
        "--dev", type=Path, default=None, help="dev corpus JSONL to repeat as a second chat corpus"
    )
    ap.add_argument(
        "--engine", default="baomi", help="module with Reviewer/review to benchmark (default: baomi)"
    )
    ap.add_argument("--seed", type=int, default=20240)
    ap.add_argument("--check", action="store_true", help="exit 1 when a target of the issue is missed")
    args = ap.parse_args(argv)
    sizes = QUICK if args.quick else FULL
    t_start = time.perf_counter()

    old_affinity, cpu = pin_one_cpu()
    n_workers = args.workers or (len(old_affinity) if old_affinity else os.cpu_count() or 1)
    report: dict = {
        "bench": "baomi",
        "mode": "quick" if args.quick else "full",
        "engine": args.engine,
        "python": platform.python_version(),
        "pinned_cpu": cpu,
        "cpus": len(old_affinity or ()) or os.cpu_count(),
        "loadavg_start": _loadavg(),
    }
    out: list[str] = []

    log("start-up (fresh interpreters)")
    report["startup_s"] = startup(args.engine, sizes.startup_reps)

    log("building engines")
    engines = [baomi_engine(args.engine), presidio_engine(), naive_engine()]
    names = [e.name for e in engines]
    report["versions"] = {e.name: e.version for e in engines}

    log(f"generating {sizes.chat:,} chat messages and {sizes.long_latency:,} of 1,000 chars")
    messages = chat_corpus(sizes.chat, args.seed)
    items = [(m.text, m.channel) for m in messages]
    long_items = [(long_text(1000, args.seed + i), CHANNEL_LONG) for i in range(sizes.long_latency)]
    dev_items: list[tuple[str, str]] = []
    if args.dev:
        dev = [
            (d["text"], d["channel"])
            for d in map(json.loads, args.dev.read_text(encoding="utf-8").splitlines())
            if d.get("text")
        ]
        dev_items = (dev * (sizes.dev // len(dev) + 1))[: max(sizes.dev, len(dev))]
    # The harness's own objects (corpora, results) leave the collector's view, so a
    # full collection during a timed call costs what the engine allocated, not them.
    gc.collect()
    gc.freeze()

    log("chat throughput (one core)")
    run = interleaved(engines, items, sizes.chunk, summarize=True)
    chat = throughput_figures(run, len(items))
    chat["mean_chars"] = round(sum(len(t) for t, _ in items) / len(items), 1)
    chat["baomi_decisions"] = dict(Counter(s.label for s in run.summaries["baomi"]))
    report["chat"] = chat
    report["flag_rates"] = flag_rates(messages, run.summaries)
    report["pii_agreement"] = agreement(messages, run.summaries)
    del run
    corpora = [("generated chat", chat)]
    if dev_items:
        log(f"dev corpus repeated ({args.dev})")
        report["dev"] = throughput_figures(interleaved(engines, dev_items, sizes.chunk), len(dev_items))
        report["dev"]["distinct"] = len(dev)
        corpora.append(("dev corpus repeated", report["dev"]))
    rows = []
    for label, f in corpora:
        rows.append(
            [
                label,
                f["messages"],
                *(f[f"{n}_msgs_per_s"] for n in names),
                f["ratio_vs_presidio"],
                f["ratio_vs_naive_re"],
            ]
        )
        rows.append(
            [
                "  (wall clock)",
                "",
                *(f[f"{n}_wall_msgs_per_s"] for n in names),
                f["wall_ratio_vs_presidio"],
                f["wall_ratio_vs_naive_re"],
            ]
        )
    out.append(
        table(
            f"Messages/s on one core (cpu {cpu}; CPU time, wall clock below)",
            ["corpus", "messages", *names, "baomi/presidio", "baomi/naive_re"],
            rows,
        )
    )

    log("latency per message")
    lat = {}
    for kind, its, chunk in (("short", items[: sizes.short_latency], 500), ("1000_chars", long_items, 100)):
        run = interleaved(engines, its, chunk, per_message=True)
        lat[kind] = {n: latency_stats(run.wall_ns[n], run.cpu_ns[n]) for n in names}
    report["latency"] = lat
    del run, long_items
    rows = [
        [
            f"{kind} ({lat[kind]['baomi']['n']:,})",
            n,
            st["p50_us"],
            st["p99_us"],
            st["max_us"],
            st["wall_p50_us"],
            st["wall_p99_us"],
            st["wall_max_us"],
        ]
        for kind in lat
        for n in names
        for st in [lat[kind][n]]
    ]
    out.append(
        table(
            "Latency per message, µs (CPU time; wall clock on the right)",
            ["messages", "engine", "p50", "p99", "max", "wall p50", "wall p99", "wall max"],
            rows,
        )
    )

    log("long documents " + ", ".join(f"{s:,} B" for s in sizes.docs))
    docs = long_docs(engines, sizes.docs)
    report["long_docs"] = docs
    rows = [
        [f"{size:,}", *(docs[n]["seconds"][i] for n in names), *(docs[n]["mb_per_s"][i] for n in names)]
        for i, size in enumerate(sizes.docs)
    ]
    for i in range(1, len(sizes.docs)):
        rows.append(
            [
                f"  exponent {sizes.docs[i - 1]:,} → {sizes.docs[i]:,}",
                *(docs[n]["local_exponents"][i - 1] for n in names),
                "",
                "",
                "",
            ]
        )
    rows.append(["growth exponent (fit)", *(docs[n]["exponent"] for n in names), "", "", ""])
    rows.append(["  (wall clock)", *(docs[n]["wall_exponent"] for n in names), "", "", ""])
    out.append(
        table(
            "Long documents (median CPU seconds; MB/s of UTF-8 text)",
            ["bytes", *(f"{n} s" for n in names), *(f"{n} MB/s" for n in names)],
            rows,
        )
    )

    log("peak memory (fresh interpreters)")
    mem = memory({"baomi": args.engine, "presidio": "presidio"}, items[: sizes.probe_chat], sizes.docs[-1])
    report["memory_mib"] = mem
    out.append(
        table(
            f"Peak RSS, MiB ({mem['baomi']['chat_messages']:,} chat messages, then one "
            f"{sizes.docs[-1]:,}-byte document)",
            ["engine", "first verdict", "after chat", "after doc", "growth in doc review"],
            [
                [n, mem[n]["ready"], mem[n]["after_chat"], mem[n]["after_doc"], mem[n]["doc_growth"]]
                for n in ("baomi", "presidio")
            ],
        )
    )

    if old_affinity:
        os.sched_setaffinity(0, old_affinity)
    log(f"batch throughput with {n_workers} workers")
    wk = workers_throughput(args.engine, items, n_workers)
    wk["speedup_vs_one_core_wall"] = round(wk["msgs_per_s"] / chat["baomi_wall_msgs_per_s"], 2)
    report["workers"] = wk
    st = report["startup_s"]
    out.append(
        table(
            "Start-up to first verdict (fresh interpreter, median wall s) and batch throughput",
            ["figure", "value"],
            [
                ["python -c pass", st["python"]],
                ["baomi: import + first review", st["baomi"]],
                ["presidio: import + build + first analyze", st["presidio"]],
                [f"baomi --workers {n_workers}: msgs/s (wall)", wk["msgs_per_s"]],
                ["  speed-up over one core (wall)", wk["speedup_vs_one_core_wall"]],
                ["  workers' msgs per CPU-second", wk["msgs_per_cpu_s"]],
                ["  load average at start / end", f"{report['loadavg_start']} / {_loadavg()}"],
            ],
        )
    )

    fr = report["flag_rates"]
    groups = ("clean", "lookalike", "positive")
    out.append(
        table(
            "Share of generated messages flagged (baomi: a decision other than allow)",
            ["engine", *(f"{g} ({fr['_counts'][g]:,})" for g in groups)],
            [[n, *(f"{fr[n][g]:.1%}" for g in groups)] for n in names],
        )
    )
    out.append(
        table(
            "Personal data both can express, in messages (duty: other people's data in a "
            "work context; own: one's own number; none: nothing of that kind planted)",
            ["kind", "group", "planted", *names, "both", "only baomi", "only presidio"],
            [
                [
                    r["kind"],
                    r["group"],
                    r["planted"],
                    *(r[f"found_{n}"] for n in names),
                    r["both"],
                    r["only_baomi"],
                    r["only_presidio"],
                ]
                for r in report["pii_agreement"]
            ],
        )
    )

    figures = {
        "ratio_vs_presidio": chat["ratio_vs_presidio"],
        "chat_msgs_per_s": chat["baomi_msgs_per_s"],
        "p99_1000_chars_ms": round(lat["1000_chars"]["baomi"]["p99_us"] / 1000, 3),
        "growth_exponent": docs["baomi"]["exponent"],
    }
    targets = {}
    for name, key, op, limit in TARGETS:
        value = figures[key]
        ok = value is not None and (value >= limit if op == ">=" else value <= limit)
        targets[name] = {"value": value, "ok": ok}
    report["targets"] = targets
    out.append(
        table(
            "Targets of the issue (CPU-time figures)"
            + (" — quick run: sizes too small to judge" if args.quick else ""),
            ["target", "value", "met"],
            [[k, v["value"], "yes" if v["ok"] else "NO"] for k, v in targets.items()],
        )
    )
    report["loadavg_end"] = _loadavg()
    report["wall_s"] = round(time.perf_counter() - t_start, 1)

    print("\n".join(out))
    OUT_DIR.mkdir(exist_ok=True)
    line = json.dumps(report, ensure_ascii=False, separators=(",", ":"))
    (OUT_DIR / ("last_quick.json" if args.quick else "last.json")).write_text(line + "\n")
    print(line)
    return 1 if args.check and not all(v["ok"] for v in targets.values()) else 0


def _loadavg() -> list[float] | None:
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:
        return None


if __name__ == "__main__":
    raise SystemExit(main())
