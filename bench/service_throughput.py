"""Throughput and latency of POST /v1/checks (text) against a real server with N workers.

    .venv/bin/python -m bench.service_throughput --workers 2 --requests 4000 --concurrency 16
    .venv/bin/python -m bench.service_throughput --postgres postgresql+psycopg://u:p@127.0.0.1/postgres

Prints a table and one JSON line (also bench/out/service_throughput.json).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import tempfile
import time
from pathlib import Path

import httpx

from bench.service_common import PostgresDatabase, messages, sender_token, start


async def _run(url: str, token: str, bodies: list[dict], concurrency: int) -> tuple[list[float], dict]:
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    queue: asyncio.Queue = asyncio.Queue()
    for b in bodies:
        queue.put_nowait(b)
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(
        base_url=url, limits=limits, timeout=60, headers={"Authorization": f"Bearer {token}"}
    ) as client:

        async def worker():
            while not queue.empty():
                body = queue.get_nowait()
                t0 = time.perf_counter()
                r = await client.post("/v1/checks", json=body)
                latencies.append(time.perf_counter() - t0)
                statuses[r.status_code] = statuses.get(r.status_code, 0) + 1

        await asyncio.gather(*(worker() for _ in range(concurrency)))
    return latencies, statuses


def _pct(sorted_values: list[float], p: float) -> float:
    return sorted_values[min(len(sorted_values) - 1, int(p / 100 * len(sorted_values)))]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--requests", type=int, default=4000)
    ap.add_argument("--concurrency", type=int, default=16)
    ap.add_argument("--warmup", type=int, default=200)
    ap.add_argument("--postgres", default="", help="admin URL: run on a fresh PostgreSQL database")
    args = ap.parse_args(argv)
    db = PostgresDatabase(args.postgres) if args.postgres else None
    with tempfile.TemporaryDirectory() as tmp:
        srv = start(Path(tmp), args.workers, db.url if db else "", rate_limit_per_minute=0)
        try:
            token = sender_token(srv)
            bodies = messages(args.requests + args.warmup)
            asyncio.run(_run(srv.url, token, bodies[: args.warmup], args.concurrency))
            t0 = time.perf_counter()
            lat, statuses = asyncio.run(_run(srv.url, token, bodies[args.warmup :], args.concurrency))
            wall = time.perf_counter() - t0
        finally:
            srv.stop()
            if db:
                db.close()
    lat.sort()
    out = {
        "bench": "service_throughput",
        "database": "postgresql" if db else "sqlite",
        "workers": args.workers,
        "concurrency": args.concurrency,
        "requests": len(lat),
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
        "throughput_rps": round(len(lat) / wall, 1),
        "p50_ms": round(_pct(lat, 50) * 1000, 2),
        "p99_ms": round(_pct(lat, 99) * 1000, 2),
        "mean_ms": round(statistics.fmean(lat) * 1000, 2),
    }
    print(f"POST /v1/checks  {out['database']}  workers={args.workers}  concurrency={args.concurrency}")
    print(
        f"  {out['requests']} requests in {wall:.1f} s: {out['throughput_rps']} req/s, "
        f"p50 {out['p50_ms']} ms, p99 {out['p99_ms']} ms, statuses {out['statuses']}"
    )
    print(json.dumps(out, ensure_ascii=False))
    outdir = Path(__file__).parent / "out"
    outdir.mkdir(exist_ok=True)
    (outdir / f"service_throughput_{out['database']}.json").write_text(json.dumps(out, indent=1))
    return 0 if set(statuses) == {200} else 1


if __name__ == "__main__":
    raise SystemExit(main())
