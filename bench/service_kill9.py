"""Durability: kill -9 the server (all workers) under concurrent clients, restart, and
count acknowledged checks and holds that are missing. 0 lost is the only passing result.

    .venv/bin/python -m bench.service_kill9 --kills 20 --workers 2 --clients 6
    .venv/bin/python -m bench.service_kill9 --postgres postgresql+psycopg://u:p@127.0.0.1/postgres

A check is acknowledged when the client received 200 with its check_id (and a hold_id for a
held message). After each restart every acknowledged check is fetched back; the audit chain
must still verify.
"""

from __future__ import annotations

import argparse
import json
import random
import signal
import tempfile
import threading
import time
from pathlib import Path

import httpx

from bench.service_common import PostgresDatabase, messages, sender_token, start
from tests.service.support import ADMIN_PASSWORD, Api

HELD = "周三上午孙书记去保税区考察，随行人员八点在门口集合"


def _client(url: str, token: str, bodies: list[dict], stop: threading.Event, acked: list, n: int) -> None:
    with httpx.Client(base_url=url, timeout=10, headers={"Authorization": f"Bearer {token}"}) as http:
        i = 0
        while not stop.is_set():
            body = dict(bodies[i % len(bodies)]) if i % 3 else {"text": HELD, "channel": "work_group"}
            body["idempotency_key"] = f"c{n}-{i}-{random.random()}"
            i += 1
            try:
                r = http.post("/v1/checks", json=body)
            except httpx.HTTPError:
                time.sleep(0.05)
                continue
            if r.status_code == 200:
                out = r.json()
                acked.append((out["check_id"], out["hold_id"]))


def _lost(srv, token: str, acked: list) -> tuple[int, int]:
    lost_checks = lost_holds = 0
    with httpx.Client(base_url=srv.url, timeout=30, headers={"Authorization": f"Bearer {token}"}) as http:
        for check_id, hold_id in acked:
            r = http.get(f"/v1/checks/{check_id}")
            if r.status_code != 200:
                lost_checks += 1
                lost_holds += hold_id is not None
            elif hold_id is not None and r.json()["hold_id"] != hold_id:
                lost_holds += 1
    return lost_checks, lost_holds


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--kills", type=int, default=20)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--clients", type=int, default=6)
    ap.add_argument("--min-run", type=float, default=1.0, help="seconds of load before a kill (min)")
    ap.add_argument("--max-run", type=float, default=3.0)
    ap.add_argument("--postgres", default="")
    ap.add_argument("--seed", type=int, default=9)
    args = ap.parse_args(argv)
    random.seed(args.seed)
    db = PostgresDatabase(args.postgres) if args.postgres else None
    bodies = messages(300)
    acked_total = held_total = lost_checks = lost_holds = 0
    verify = {}
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp)
        srv = start(data, args.workers, db.url if db else "", rate_limit_per_minute=0)
        token = sender_token(srv)
        try:
            for k in range(args.kills):
                acked: list = []
                stop = threading.Event()
                threads = [
                    threading.Thread(target=_client, args=(srv.url, token, bodies, stop, acked, n))
                    for n in range(args.clients)
                ]
                for t in threads:
                    t.start()
                time.sleep(random.uniform(args.min_run, args.max_run))
                srv.stop(signal.SIGKILL)  # the whole process group: parent and workers
                stop.set()
                for t in threads:
                    t.join()
                srv = start(data, args.workers, db.url if db else "", rate_limit_per_minute=0)
                lc, lh = _lost(srv, token, acked)
                verify = Api.login(srv.url, "admin", ADMIN_PASSWORD).get("/v1/audit/verify").json()
                acked_total += len(acked)
                held_total += sum(1 for _, h in acked if h)
                lost_checks += lc
                lost_holds += lh
                print(
                    f"kill {k + 1:2d}: acknowledged {len(acked):4d} checks, lost {lc} checks, {lh} holds; "
                    f"audit ok={verify['ok']}",
                    flush=True,
                )
                if not verify["ok"]:
                    break
        finally:
            srv.stop()
            if db:
                db.close()
    out = {
        "bench": "service_kill9",
        "database": "postgresql" if db else "sqlite",
        "kills": args.kills,
        "workers": args.workers,
        "clients": args.clients,
        "acknowledged_checks": acked_total,
        "acknowledged_holds": held_total,
        "lost_checks": lost_checks,
        "lost_holds": lost_holds,
        "audit_ok": verify.get("ok", False),
    }
    print(json.dumps(out, ensure_ascii=False))
    return 0 if lost_checks == lost_holds == 0 and out["audit_ok"] and acked_total > 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
