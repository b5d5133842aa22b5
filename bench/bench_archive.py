"""Audit benchmark: a generated WeCom archive with planted leak chains, audited end to end.

    python -m bench.bench_archive --messages 100000 --conversations 220 --chains 120
    python -m bench.bench_archive --ray            # the same audit on a local Ray instance

Reports chains recovered exactly (origin and every hop, each hop from the right
conversation), false links (hops that join messages which are not copies of one
content), and throughput (messages per second for the whole audit: import, review
with attachments, fingerprints, trace; writing the outputs is timed apart). Photos go
through `FakeOcr` with the generator's table of what each photo shows (no OCR models).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import time
from functools import partial
from pathlib import Path

from baomi.archive import audit, write_outputs
from baomi.trace.fingerprint import normalise
from bench.archive_gen import bench_reviewer, generate


def _contents(export: Path, truth: dict) -> dict[str, str]:
    """msgid → content: the planted chain for planted copies, else the normalised text
    (or photo name) of a background message."""
    content = {}
    for chain in truth["chains"]:
        for copy in chain["copies"]:
            content[copy["msgid"]] = f"chain{chain['chain']}"
    with export.open(encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            mid = rec["msgid"]
            if mid in content or rec.get("msgtype") in ("revoke", "chatrecord"):
                continue
            body = rec.get(rec.get("msgtype"), {})
            content[mid] = "bg:" + (normalise(body.get("content", "")) or body.get("md5sum", ""))
    return content


def _shingles(text: str) -> set[str]:
    return {text[i : i + 3] for i in range(len(text) - 2)}


def _same(a: str, b: str) -> bool:
    """Copies of one content: the same planted chain, the same photo, or background texts
    whose true 3-shingle Jaccard similarity is at least one half (a near-copy)."""
    if a == b:
        return True
    if not (a.startswith("bg:") and b.startswith("bg:")):
        return False
    sa, sb = _shingles(a[3:]), _shingles(b[3:])
    return bool(sa and sb) and len(sa & sb) / len(sa | sb) >= 0.5


def _parent_msgid(chain: dict, hop: dict) -> str:
    """The copy a hop came from: the latest earlier copy in its from_conversation."""
    parent = chain["origin"]["msgid"]
    for earlier in chain["hops"]:
        if earlier is hop:
            break
        if earlier["to_conversation"] == hop["from_conversation"]:
            parent = earlier["msgid"]
    return parent


def score(truth: dict, chains: list[dict], content: dict[str, str]) -> dict:
    by_origin = {c["origin"]["msgid"]: c for c in chains}
    exact = 0
    misses = []
    for planted in truth["chains"]:
        copies = planted["copies"]
        conv_of = {c["msgid"]: c["conversation"] for c in copies}
        want = {(c["msgid"], conv_of[c["parent"]]) for c in copies[1:]}
        got_chain = by_origin.get(copies[0]["msgid"])
        got = {(h["msgid"], h["from_conversation"]) for h in got_chain["hops"]} if got_chain else set()
        if got == want:
            exact += 1
        else:
            misses.append(
                {
                    "chain": planted["chain"],
                    "kind": planted["kind"],
                    "missing": len(want - got),
                    "extra": len(got - want),
                    "origin_found": got_chain is not None,
                }
            )
    hops = [(_parent_msgid(c, h), h["msgid"]) for c in chains for h in c["hops"]]
    false = [(o, m) for o, m in hops if not _same(content.get(o, ""), content.get(m, ""))]
    planted_ids = {c["msgid"] for p in truth["chains"] for c in p["copies"]}
    background_chains = sum(1 for c in chains if c["origin"]["msgid"] not in planted_ids)
    return {
        "planted_chains": len(truth["chains"]),
        "planted_hops": sum(len(p["copies"]) - 1 for p in truth["chains"]),
        "recovered_exactly": exact,
        "recovered_exactly_share": round(exact / max(1, len(truth["chains"])), 4),
        "recovered_hops": len(hops),
        "false_links": len(false),
        "false_link_share": round(len(false) / max(1, len(hops)), 4),
        "background_chains": background_chains,
        "misses": misses[:20],
    }


def main() -> None:
    ap = argparse.ArgumentParser(description="archive audit benchmark")
    ap.add_argument("--messages", type=int, default=100_000)
    ap.add_argument("--conversations", type=int, default=220)
    ap.add_argument("--chains", type=int, default=120)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--workers", type=int, default=os.cpu_count())
    ap.add_argument("--ray", action="store_true", help="run the audit on Ray (local instance or RAY_ADDRESS)")
    ap.add_argument("--work", type=Path, default=Path("/tmp/baomi-bench-archive"))
    ap.add_argument("--results", type=Path, default=Path("bench/results"))
    args = ap.parse_args()

    data = args.work / f"n{args.messages}-c{args.conversations}-k{args.chains}-s{args.seed}"
    if not (data / "truth.json").is_file():
        started = time.perf_counter()
        generate(data, args.messages, args.conversations, args.chains, args.seed)
        print(f"generated in {time.perf_counter() - started:.1f} s: {data}")
    truth = json.loads((data / "truth.json").read_text(encoding="utf-8"))
    out = args.work / ("out-ray" if args.ray else "out-local")
    shutil.rmtree(out, ignore_errors=True)
    factory = partial(bench_reviewer, str(data / "ocr.json"))
    if args.ray and not os.environ.get("RAY_ADDRESS"):
        import ray

        # a local instance on every core; its workers import bench/ as the driver does
        ray.init(
            include_dashboard=False,
            log_to_driver=False,
            runtime_env={"env_vars": {"PYTHONPATH": os.getcwd()}},
        )
    result = audit(
        [data / "export" / "archive.jsonl"],
        out,
        roster=data / "roster.yaml",
        workers=args.workers,
        reviewer_factory=factory,
        use_ray=args.ray,
    )
    started = time.perf_counter()
    write_outputs(result, out)
    write_s = time.perf_counter() - started
    chains = [json.loads(line) for line in (out / "chains.jsonl").read_text(encoding="utf-8").splitlines()]
    figures = score(truth, chains, _contents(data / "export" / "archive.jsonl", truth))
    figures.update(
        engine=result.engine,
        workers=result.workers,
        cpu_count=os.cpu_count(),
        messages=len(result.messages),
        conversations=len(result.conversations),
        flagged=len(result.flagged()),
        audit_seconds=round(result.seconds, 2),
        stage_seconds=result.timings,
        messages_per_s=round(result.messages_per_s, 1),
        write_outputs_seconds=round(write_s, 2),
        ocr="FakeOcr (generator's table), no OCR models",
    )
    args.results.mkdir(parents=True, exist_ok=True)
    name = f"archive_{'ray' if args.ray else 'local'}.json"
    (args.results / name).write_text(
        json.dumps(figures, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    for key, value in figures.items():
        if key != "misses":
            print(f"{key:>26}: {value}")
    for miss in figures["misses"]:
        print("  miss:", miss)


if __name__ == "__main__":
    main()
