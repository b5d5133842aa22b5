"""Throughput and latency of POST /v1/checks (text) against a real server with N workers.

    .venv/bin/python -m bench.service_throughput --workers 2 --requests 4000 --concurrency 16
    .venv/bin/python -m bench.service_throughput --postgres postgresql+psycopg://u:p@127.0.0.1/postgres
    .venv/bin/python -m bench.service_throughput --client httpx      # the httpx client instead

The load generator shares the machine with the server, so it is made light: `--client raw`
(default) is `--client-procs` processes, each keeping its share of the `--concurrency`
connections open (HTTP/1.1 keep-alive over plain asyncio sockets, requests pre-encoded).
Besides req/s and latency it reports the CPU seconds the server (all its processes) and the
client spent, per request: on a shared machine the CPU per request is the server's cost,
whatever the neighbours do to the wall clock.

Prints a table and one JSON line (also bench/out/service_throughput_<database>.json).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing as mp
import os
import statistics
import tempfile
import time
from pathlib import Path

from bench.service_common import PostgresDatabase, messages, sender_token, start

_TICK = os.sysconf("SC_CLK_TCK")


def _tree_cpu(pid: int) -> float:
    """User + system CPU seconds of `pid` and every live descendant (the server's workers)."""
    total, todo = 0.0, [pid]
    while todo:
        p = todo.pop()
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / _TICK
            for task in Path(f"/proc/{p}/task").iterdir():
                todo.extend(int(c) for c in (task / "children").read_text().split())
        except (OSError, IndexError, ValueError):
            continue
    return total


def _request_bytes(port: int, token: str, body: dict) -> bytes:
    data = json.dumps(body, ensure_ascii=False).encode()
    head = (
        f"POST /v1/checks HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAuthorization: Bearer {token}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(data)}\r\n\r\n"
    )
    return head.encode() + data


def _decision(body: bytes) -> str:
    """The answer's decision ("allow", "review", …), read without parsing the JSON."""
    at = body.find(b'"decision":"')
    return body[at + 12 : body.find(b'"', at + 12)].decode() if at >= 0 else "?"


async def _raw_connection(port: int, requests: list[bytes], latencies: list, statuses: dict) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        while requests:
            req = requests.pop()
            t0 = time.perf_counter()
            writer.write(req)
            head = await reader.readuntil(b"\r\n\r\n")
            lines = head.decode("latin-1").split("\r\n")
            status = int(lines[0].split()[1])
            fields = (ln.partition(":") for ln in lines[1:])
            length = next((int(v) for k, _, v in fields if k.lower() == "content-length"), None)
            if length is None:
                raise RuntimeError("response without Content-Length")
            body = await reader.readexactly(length)
            latencies.append((time.perf_counter() - t0, _decision(body)))
            statuses[status] = statuses.get(status, 0) + 1
    finally:
        writer.close()


def _raw_client(port: int, requests: list[bytes], connections: int, barrier, out) -> None:
    """One load-generator process: `connections` keep-alive connections over its requests."""
    latencies: list[float] = []
    statuses: dict[int, int] = {}

    async def main():
        conns = (_raw_connection(port, requests, latencies, statuses) for _ in range(connections))
        await asyncio.gather(*conns)

    barrier.wait()
    c0, t0 = os.times(), time.perf_counter()
    asyncio.run(main())
    t1, c1 = time.perf_counter(), os.times()
    cpu = (c1.user - c0.user) + (c1.system - c0.system)
    out.send((latencies, statuses, t0, t1, cpu))
    out.close()


def _run_raw(port: int, token: str, bodies: list[dict], concurrency: int, procs: int) -> tuple:
    """(latencies, statuses, wall seconds, client CPU seconds) over `procs` client processes."""
    ctx = mp.get_context("fork")
    procs = max(1, min(procs, concurrency))
    encoded = [_request_bytes(port, token, b) for b in bodies]
    barrier = ctx.Barrier(procs)
    started = []
    for i in range(procs):
        recv, send = ctx.Pipe(duplex=False)
        share = encoded[i::procs][::-1]  # popped from the end: sent in corpus order
        conns = concurrency // procs + (1 if i < concurrency % procs else 0)
        p = ctx.Process(target=_raw_client, args=(port, share, conns, barrier, send), daemon=True)
        p.start()
        started.append((p, recv))
    latencies, statuses, starts, ends, cpu = [], {}, [], [], 0.0
    for p, recv in started:
        lat, st, t0, t1, c = recv.recv()
        p.join()
        latencies += lat
        for k, v in st.items():
            statuses[k] = statuses.get(k, 0) + v
        starts.append(t0)
        ends.append(t1)
        cpu += c
    return latencies, statuses, max(ends) - min(starts), cpu


def _run_httpx(url: str, token: str, bodies: list[dict], concurrency: int) -> tuple:
    import httpx

    latencies: list[float] = []
    statuses: dict[int, int] = {}
    queue = list(reversed(bodies))
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)

    async def run():
        async with httpx.AsyncClient(
            base_url=url, limits=limits, timeout=60, headers={"Authorization": f"Bearer {token}"}
        ) as client:

            async def worker():
                while queue:
                    body = queue.pop()
                    t0 = time.perf_counter()
                    r = await client.post("/v1/checks", json=body)
                    decision = r.json().get("decision", "?") if r.status_code == 200 else "?"
                    latencies.append((time.perf_counter() - t0, decision))
                    statuses[r.status_code] = statuses.get(r.status_code, 0) + 1

            await asyncio.gather(*(worker() for _ in range(concurrency)))

    c0, t0 = os.times(), time.perf_counter()
    asyncio.run(run())
    t1, c1 = time.perf_counter(), os.times()
    return latencies, statuses, t1 - t0, (c1.user - c0.user) + (c1.system - c0.system)


def _pct(sorted_values: list[float], p: float) -> float:
    return sorted_values[min(len(sorted_values) - 1, int(p / 100 * len(sorted_values)))]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--requests", type=int, default=4000)
    ap.add_argument("--concurrency", type=int, default=16)
    ap.add_argument("--warmup", type=int, default=400)
    ap.add_argument("--client", choices=("raw", "httpx"), default="raw")
    ap.add_argument("--client-procs", type=int, default=2, help="raw client: load-generator processes")
    ap.add_argument("--postgres", default="", help="admin URL: run on a fresh PostgreSQL database")
    ap.add_argument("--sqlite-synchronous", choices=("full", "normal"), default="full")
    args = ap.parse_args(argv)
    db = PostgresDatabase(args.postgres) if args.postgres else None

    def load(srv, token, bodies):
        if args.client == "httpx":
            return _run_httpx(srv.url, token, bodies, args.concurrency)
        return _run_raw(srv.port, token, bodies, args.concurrency, args.client_procs)

    with tempfile.TemporaryDirectory() as tmp:
        srv = start(
            Path(tmp),
            args.workers,
            db.url if db else "",
            rate_limit_per_minute=0,
            sqlite_synchronous=args.sqlite_synchronous,
        )
        try:
            token = sender_token(srv)
            bodies = messages(args.requests + args.warmup)
            load(srv, token, bodies[: args.warmup])
            load_before = os.getloadavg()[0]
            server_cpu0 = _tree_cpu(srv.proc.pid)
            lat, statuses, wall, client_cpu = load(srv, token, bodies[args.warmup :])
            server_cpu = _tree_cpu(srv.proc.pid) - server_cpu0
            load_after = os.getloadavg()[0]
        finally:
            srv.stop()
            if db:
                db.close()
    by_decision: dict[str, list[float]] = {}
    for seconds, decision in lat:
        by_decision.setdefault(decision, []).append(seconds)
    lat = sorted(seconds for seconds, _ in lat)
    n = len(lat)
    out = {
        "bench": "service_throughput",
        "database": "postgresql" if db else f"sqlite (synchronous={args.sqlite_synchronous})",
        "workers": args.workers,
        "concurrency": args.concurrency,
        "client": "httpx" if args.client == "httpx" else f"raw×{min(args.client_procs, args.concurrency)}",
        "requests": n,
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
        "throughput_rps": round(n / wall, 1),
        "p50_ms": round(_pct(lat, 50) * 1000, 2),
        "p99_ms": round(_pct(lat, 99) * 1000, 2),
        "mean_ms": round(statistics.fmean(lat) * 1000, 2),
        # allow answers come once their write is queued; the others after their commit
        "by_decision": {
            d: {
                "n": len(v),
                "p50_ms": round(_pct(sorted(v), 50) * 1000, 2),
                "p99_ms": round(_pct(sorted(v), 99) * 1000, 2),
            }
            for d, v in sorted(by_decision.items())
        },
        "wall_s": round(wall, 2),
        # CPU seconds per request and the share of the run's wall clock (1.0 = one core busy)
        "server_cpu_ms_per_request": round(server_cpu / n * 1000, 3),
        "client_cpu_ms_per_request": round(client_cpu / n * 1000, 3),
        "server_cores": round(server_cpu / wall, 2),
        "client_cores": round(client_cpu / wall, 2),
        "loadavg_1min": [round(load_before, 2), round(load_after, 2)],
        "cpus": os.cpu_count(),
    }
    print(
        f"POST /v1/checks  {out['database']}  workers={args.workers}  concurrency={args.concurrency}"
        f"  client={out['client']}"
    )
    print(
        f"  {n} requests in {wall:.1f} s: {out['throughput_rps']} req/s, "
        f"p50 {out['p50_ms']} ms, p99 {out['p99_ms']} ms, statuses {out['statuses']}"
    )
    print(
        "  by decision: "
        + ", ".join(
            f"{d} {v['n']}: p50 {v['p50_ms']} ms, p99 {v['p99_ms']} ms" for d, v in out["by_decision"].items()
        )
    )
    print(
        f"  CPU per request: server {out['server_cpu_ms_per_request']} ms ({out['server_cores']} cores), "
        f"client {out['client_cpu_ms_per_request']} ms ({out['client_cores']} cores); "
        f"load average {out['loadavg_1min'][0]} → {out['loadavg_1min'][1]}"
    )
    print(json.dumps(out, ensure_ascii=False))
    outdir = Path(__file__).parent / "out"
    outdir.mkdir(exist_ok=True)
    name = "postgresql" if db else f"sqlite_{args.sqlite_synchronous}"
    (outdir / f"service_throughput_{name}.json").write_text(json.dumps(out, indent=1))
    return 0 if set(statuses) == {200} else 1


if __name__ == "__main__":
    raise SystemExit(main())
