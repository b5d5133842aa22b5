"""Drive worker processes over mutated inputs and count what matters.

Each worker runs under RLIMIT_AS; each input gets a wall-clock cap (a worker that does
not answer in time is killed and its input kept as a hang). Inputs are spread round
robin over all seeds; input i of a run is reproducible from (run seed, i).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import selectors
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from baomi.fuzz import oracle
from baomi.fuzz.seeds import Seed, all_seeds
from baomi.fuzz.worker import input_path

RECYCLE_EVERY = 4000  # inputs per worker process before a fresh one is started
RSS_LIMIT_KIB = 1024 * 1024  # an input peaking above 1 GiB RSS is a failure


@dataclass
class Tally:
    """The counts a run reports (and the inputs behind every failure)."""

    inputs: int = 0
    by_format: Counter = field(default_factory=Counter)
    rules: Counter = field(default_factory=Counter)
    oracle: Counter = field(default_factory=Counter)
    escapes: int = 0
    hangs: int = 0
    worker_deaths: int = 0
    memory_capped: int = 0
    over_rss: int = 0
    peak_rss_kib: int = 0
    slowest_secs: float = 0.0
    failures: list[dict] = field(default_factory=list)

    @property
    def silent_allows(self) -> int:
        return self.oracle[oracle.UNREADABLE] + self.oracle[oracle.MARKED]

    @property
    def ok(self) -> bool:
        memory = self.over_rss or self.memory_capped  # capped: a MemoryError under RLIMIT_AS
        return not (self.escapes or self.hangs or self.worker_deaths or self.silent_allows or memory)

    def report(self) -> dict:
        return {
            "inputs": self.inputs,
            "exceptions_escaping_review": self.escapes,
            "hangs": self.hangs,
            "worker_deaths": self.worker_deaths,
            "silent_allows_unreadable": self.oracle[oracle.UNREADABLE],
            "silent_allows_marked": self.oracle[oracle.MARKED],
            "allowed_benign": self.oracle[oracle.BENIGN],
            "peak_rss_mib": round(self.peak_rss_kib / 1024, 1),
            "inputs_over_rss_limit": self.over_rss,
            "memory_capped_answers": self.memory_capped,
            "slowest_input_secs": round(self.slowest_secs, 2),
            "answered_x01": self.rules["X01"],
            "answered_r01": self.rules["R01"],
            "by_format": dict(sorted(self.by_format.items())),
        }


class Worker:
    def __init__(self, number: int, root: Path, mem_mib: int) -> None:
        self.number = number
        self.dir = root / f"w{number}"
        self.mem_mib = mem_mib
        self.proc: subprocess.Popen | None = None
        self.job: dict | None = None
        self.deadline = 0.0
        self.done = 0

    def _limit(self) -> None:
        cap = self.mem_mib * 2**20
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))

    def start(self) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "baomi.fuzz.worker", str(self.dir)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            preexec_fn=self._limit,
            text=True,
        )
        ready = self.proc.stdout.readline()
        if not ready:
            raise RuntimeError("fuzz worker failed to start")
        self.done = 0

    def send(self, job: dict, timeout: float) -> None:
        self.job = job
        self.deadline = time.monotonic() + timeout
        self.proc.stdin.write(json.dumps(job) + "\n")
        self.proc.stdin.flush()

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self.proc = None


def _keep(out: Path | None, worker: Worker, seed: Seed, kind: str, detail: dict, tally: Tally) -> None:
    """Record a failure; with `out`, keep its input file next to a JSON line about it."""
    entry = {"kind": kind, "seed": seed.name, **detail}
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
        name = f"{kind}-{seed.name}-{detail['i']}{seed.suffix or '.msg'}"
        source = input_path(worker.dir, seed)
        if source.exists():
            shutil.copyfile(source, out / name)
        entry["file"] = name
        with (out / "findings.jsonl").open("a", encoding="utf-8") as log:
            log.write(json.dumps(entry, ensure_ascii=False) + "\n")
    tally.failures.append(entry)


def _count(answer: dict, seed: Seed, worker: Worker, tally: Tally, out: Path | None) -> None:
    tally.inputs += 1
    tally.by_format[seed.name] += 1
    tally.rules.update(answer["rules"])
    tally.peak_rss_kib = max(tally.peak_rss_kib, answer["rss_kib"])
    tally.slowest_secs = max(tally.slowest_secs, answer["secs"])
    tally.memory_capped += answer["capped"]
    if answer["oracle"]:
        tally.oracle[answer["oracle"]] += 1
    if answer["escape"]:
        tally.escapes += 1
        _keep(out, worker, seed, "escape", answer, tally)
    elif answer["oracle"] in (oracle.UNREADABLE, oracle.MARKED):
        _keep(out, worker, seed, f"silent-{answer['oracle']}", answer, tally)
    if answer["rss_kib"] > RSS_LIMIT_KIB:
        tally.over_rss += 1
        _keep(out, worker, seed, "rss", answer, tally)
    if answer["capped"]:
        _keep(out, worker, seed, "memory-capped", answer, tally)


def fuzz(
    inputs: int,
    *,
    workers: int = 2,
    run_seed: int = 1,
    timeout: float = 30.0,
    mem_mib: int = 3072,
    out: Path | None = None,
    only: set[str] | None = None,
    progress: bool = False,
) -> Tally:
    """Review `inputs` mutated inputs in `workers` processes; the counts and failures."""
    seeds = all_seeds()
    chosen = [n for n, s in enumerate(seeds) if not only or s.name in only or s.reference in only]
    tally = Tally()
    root = Path(tempfile.mkdtemp(prefix="baomi-fuzz-"))
    pool = [Worker(n, root, mem_mib) for n in range(workers)]
    selector = selectors.DefaultSelector()
    next_input = 0
    started = time.monotonic()

    def dispatch(worker: Worker) -> None:
        nonlocal next_input
        if worker.proc is None or worker.done >= RECYCLE_EVERY:
            if worker.proc is not None:
                selector.unregister(worker.proc.stdout)
            worker.stop()
            worker.start()
            selector.register(worker.proc.stdout, selectors.EVENT_READ, worker)
        if next_input >= inputs:
            worker.job = None
            return
        seed_index = chosen[next_input % len(chosen)]
        worker.send({"i": next_input, "seed": seed_index, "rng": run_seed * 1_000_003 + next_input}, timeout)
        next_input += 1

    def lost(worker: Worker, kind: str) -> None:
        job = worker.job
        seed = seeds[job["seed"]]
        tally.inputs += 1
        tally.by_format[seed.name] += 1
        if kind == "hang":
            tally.hangs += 1
        else:
            tally.worker_deaths += 1
        _keep(out, worker, seed, kind, {"i": job["i"]}, tally)
        selector.unregister(worker.proc.stdout)
        worker.stop()

    try:
        for worker in pool:
            dispatch(worker)
        while any(w.job is not None for w in pool):
            busy = [w for w in pool if w.job is not None]
            wait = max(0.0, min(w.deadline for w in busy) - time.monotonic())
            for key, _ in selector.select(timeout=wait):
                worker = key.data
                line = worker.proc.stdout.readline()
                if not line:
                    lost(worker, "worker-death")
                else:
                    answer = json.loads(line)
                    _count(answer, seeds[worker.job["seed"]], worker, tally, out)
                    worker.done += 1
                dispatch(worker)
            now = time.monotonic()
            for worker in pool:
                if worker.job is not None and now > worker.deadline:
                    lost(worker, "hang")
                    dispatch(worker)
            if progress and tally.inputs and tally.inputs % 1000 == 0:
                rate = tally.inputs / (time.monotonic() - started)
                print(f"… {tally.inputs} 个输入，{rate:.0f}/秒", file=sys.stderr, flush=True)
    finally:
        for worker in pool:
            worker.stop()
        shutil.rmtree(root, ignore_errors=True)
    return tally


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m baomi.fuzz", description="baomi 附件与文本模糊测试")
    parser.add_argument("--inputs", type=int, default=100_000, help="mutated inputs to review")
    parser.add_argument("--workers", type=int, default=max(1, min(2, os.cpu_count() or 1)))
    parser.add_argument("--seed", type=int, default=1, help="run seed (input i is reproducible)")
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds per input before a hang")
    parser.add_argument("--mem-mib", type=int, default=3072, help="RLIMIT_AS of each worker")
    parser.add_argument("--out", type=Path, default=None, help="keep failing inputs here")
    parser.add_argument("--only", action="append", help="seed name or reference kind (repeatable)")
    parser.add_argument("--json", action="store_true", help="print the counts as JSON")
    args = parser.parse_args(argv)
    started = time.monotonic()
    tally = fuzz(
        args.inputs,
        workers=args.workers,
        run_seed=args.seed,
        timeout=args.timeout,
        mem_mib=args.mem_mib,
        out=args.out,
        only=set(args.only) if args.only else None,
        progress=not args.json,
    )
    report = tally.report() | {"seconds": round(time.monotonic() - started, 1), "seed": args.seed}
    if args.json:
        print(json.dumps(report, ensure_ascii=False))
    else:
        for key, value in report.items():
            print(f"{key:28} {value}")
        for failure in tally.failures[:20]:
            print("失败:", json.dumps(failure, ensure_ascii=False))
    return 0 if tally.ok else 1


if __name__ == "__main__":
    sys.exit(main())
