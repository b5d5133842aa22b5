"""A fuzz worker process: builds the seeds once, then for each job read from stdin
(one JSON line: seed index and RNG seed) mutates, reviews the input with the engine and
answers one JSON line: the rules found, any exception that escaped `Reviewer.review`,
the oracle's answer for allowed inputs, seconds and the peak RSS of that one input.

Run by `baomi.fuzz.run`, which caps its memory (RLIMIT_AS) and time per input.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import sys
import time
import traceback
from pathlib import Path

from baomi.errors import InputError
from baomi.fuzz import oracle
from baomi.fuzz.mutate import mutate
from baomi.fuzz.seeds import Seed, all_seeds
from baomi.model import Attachment, Channel, Message

UNINSPECTED, MARKING = "X01", "R01"


def _reset_peak() -> None:
    """Reset VmHWM so that the next reading is the peak of one input (Linux ≥ 4.0)."""
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


def _peak_kib() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def input_path(workdir: Path, seed: Seed) -> Path:
    """Where the worker writes the input it is reviewing (kept by the parent on a hang)."""
    return workdir / f"input{seed.suffix or '.msg'}"


def _review(reviewer, seed: Seed, data: bytes, path: Path):
    if seed.reference == "message":
        return reviewer.review(Message(data.decode("utf-8", errors="replace"), Channel.DIRECT))
    attachment = Attachment(path, f"fuzz{seed.suffix}")
    return reviewer.review(Message("", Channel.DIRECT, (attachment,)))


def handle(reviewer, seeds: list[Seed], job: dict, workdir: Path) -> dict:
    seed = seeds[job["seed"]]
    data = mutate(seed, random.Random(job["rng"]))
    path = input_path(workdir, seed)
    path.write_bytes(data)
    _reset_peak()
    started = time.monotonic()
    answer: dict = {"i": job["i"], "rules": [], "escape": None, "oracle": None, "capped": False}
    try:
        verdict = _review(reviewer, seed, data, path)
    except InputError as exc:  # an answer on purpose (e.g. an empty message)
        answer["rules"] = [type(exc).__name__]
    except Exception as exc:  # what the fuzzer hunts: anything escaping review
        frames = traceback.extract_tb(exc.__traceback__)[-3:]
        where = " < ".join(f"{Path(f.filename).name}:{f.lineno}" for f in reversed(frames))
        answer["escape"] = f"{type(exc).__name__}: {str(exc)[:160]} @ {where}"
    else:
        answer["rules"] = list(verdict.rules)
        answer["capped"] = any("MemoryError" in str(r.detail) for f in verdict.findings for r in f.reasons)
    answer["secs"] = round(time.monotonic() - started, 4)
    answer["rss_kib"] = _peak_kib()
    if answer["escape"] is None and not {UNINSPECTED, MARKING} & set(answer["rules"]):
        answer["oracle"] = oracle.verdict(seed, data)
    return answer


def main() -> None:
    workdir = Path(sys.argv[1])
    workdir.mkdir(parents=True, exist_ok=True)
    results = os.fdopen(os.dup(sys.stdout.fileno()), "w", buffering=1)
    sys.stdout = sys.stderr  # library chatter must not mix with the answers
    from baomi.engine import Reviewer
    from baomi.ocr import FakeOcr

    reviewer = Reviewer(ocr=FakeOcr())  # OCR reads nothing: the decoders are under test
    seeds = all_seeds()
    results.write(json.dumps({"ready": len(seeds)}) + "\n")
    for line in sys.stdin:
        results.write(json.dumps(handle(reviewer, seeds, json.loads(line), workdir)) + "\n")


if __name__ == "__main__":
    main()
