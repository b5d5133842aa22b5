"""What baomi's decision adds to sending a Matrix message: the client's send latency
(`PUT /rooms/{id}/send`, one message at a time, as a user types) in a real Synapse without
the module, with the module deciding in-process (engine in Synapse's thread pool), and with
the module asking a real `baomi serve`.

    .venv/bin/python -m bench.matrix_send --messages 1000          # make bench-matrix
    .venv/bin/python -m bench.matrix_send --messages 200 --modes none,local

The same generated chat messages (bench.corpus_gen) in every mode; delivered, warned, held
and blocked ones all count (a refusal is the module's answer too). Prints a table and one
JSON line (also bench/out/matrix_send.json). The client-side difference is small next to
Synapse's own send time on a loaded machine, so the decision alone is timed too
(`gate.judge` with each backend, in this process, on the same messages).
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from baomi.integrations.matrix import gate
from baomi.integrations.matrix.backends import LocalBackend, Outgoing, ServiceBackend
from baomi.integrations.matrix.config import parse_config
from baomi.model import Channel
from bench.corpus_gen import chat_corpus
from tests.integrations.matrix.synapse_harness import Homeserver, synapse_missing
from tests.service.support import ADMIN_PASSWORD, Api, Server

SECRET = "bench-release-secret-0123456789"


def _service_token(srv: Server, username: str = "matrix") -> str:
    admin = Api.login(srv.url, "admin", ADMIN_PASSWORD)
    unit = admin.get("/v1/units").json()[0]["id"]
    user = admin.post("/v1/users", json={"username": username, "password": "bench-password-1",
                                         "role": "sender", "unit_id": unit}).json()
    return admin.post("/v1/tokens", json={"user_id": user["id"], "name": "bench", "scopes": ["checks"]}
                      ).json()["token"]


def _pct(values: list[float], p: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, int(p / 100 * len(s)))]


def _start(mode: str, tmp: Path) -> tuple[Homeserver, Server | None]:
    service = None
    module = None
    if mode == "local":
        module = {"release_secret": SECRET, "backend": "local", "poll_seconds": 60}
    elif mode == "service":
        service = Server(tmp / "service", extra_env={"BAOMI_SQLITE_SYNCHRONOUS": "normal"}).start(timeout=180)
        module = {"release_secret": SECRET, "backend": "service", "poll_seconds": 60,
                  "service": {"url": service.url, "token": _service_token(service), "timeout_seconds": 30}}
    elif mode != "none":
        raise SystemExit(f"未知模式 {mode}（none、local、service）")
    return Homeserver(tmp / f"synapse-{mode}", module).start(), service


def _measure(modes: list[str], texts: list[str], warmup: int, tmp: Path) -> list[dict]:
    """All homeservers run at once and each message goes to each in turn (rotating the
    order), so the machine's load falls on every mode alike."""
    servers = {}
    try:
        for mode in modes:
            servers[mode] = _start(mode, tmp)
        clients = {}
        for mode, (hs, _) in servers.items():
            alice = hs.register("alice")
            clients[mode] = (alice, alice.create_room("科室工作群", "work_group"))
        lat: dict[str, list[float]] = {m: [] for m in modes}
        statuses: dict[str, dict[int, int]] = {m: {} for m in modes}
        for i, text in enumerate(texts):
            order = modes[i % len(modes):] + modes[: i % len(modes)]
            for mode in order:
                alice, room = clients[mode]
                t0 = time.perf_counter()
                r = alice.text(room, text)
                if i >= warmup:
                    lat[mode].append(time.perf_counter() - t0)
                    statuses[mode][r.status_code] = statuses[mode].get(r.status_code, 0) + 1
        service = servers.get("service", (None, None))[1]
        decisions = _decision_costs(texts, warmup, service)
    finally:
        for hs, service in servers.values():
            hs.stop()
            if service:
                service.stop()
    return [_row(m, lat[m], statuses[m]) for m in modes], decisions


def _row(name: str, latencies: list[float], statuses: dict) -> dict:
    return {"mode": name, "messages": len(latencies), "statuses": statuses,
            "p50_ms": round(_pct(latencies, 50) * 1000, 2), "p99_ms": round(_pct(latencies, 99) * 1000, 2),
            "mean_ms": round(sum(latencies) / len(latencies) * 1000, 2)}


def _decision_costs(texts: list[str], warmup: int, service: Server | None) -> list[dict]:
    """The module's decision alone, outside Synapse: `gate.judge` with each backend."""
    cfg = parse_config({"release_secret": SECRET})
    backends = {"decision_local": LocalBackend()}
    if service is not None:
        backends["decision_service"] = ServiceBackend(service.url, _service_token(service, "matrix2"), 30)
    rows = []
    for name, backend in backends.items():
        lat, decided = [], {}
        for i, text in enumerate(texts):
            msg = Outgoing(text, Channel.WORK_GROUP, "@alice:localhost", "!room:localhost")
            t0 = time.perf_counter()
            out = gate.judge(backend, cfg, msg, "m.room.message", {"body": text}, {})
            if i >= warmup:
                lat.append(time.perf_counter() - t0)
                key = out.body.get("cn.baomi.decision", "delivered")
                decided[key] = decided.get(key, 0) + 1
        rows.append(_row(name, lat, decided))
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--messages", type=int, default=1000)
    ap.add_argument("--warmup", type=int, default=50)
    ap.add_argument("--modes", default="none,local,service")
    ap.add_argument("--seed", type=int, default=20240)
    args = ap.parse_args(argv)
    missing = synapse_missing()
    if missing:
        print(missing)
        return 2
    texts = [m.text for m in chat_corpus(args.messages + args.warmup, args.seed)]
    with tempfile.TemporaryDirectory() as tmp:
        rows, decisions = _measure(args.modes.split(","), texts, args.warmup, Path(tmp))
    base = next((r for r in rows if r["mode"] == "none"), None)
    if base:
        for r in rows:
            r["added_p50_ms"] = round(r["p50_ms"] - base["p50_ms"], 2)
            r["added_p99_ms"] = round(r["p99_ms"] - base["p99_ms"], 2)
    print(f"\n{'mode':8} {'p50 ms':>8} {'p99 ms':>8} {'+p50':>7} {'+p99':>7}  statuses")
    for r in rows:
        print(f"{r['mode']:8} {r['p50_ms']:8.2f} {r['p99_ms']:8.2f} {r.get('added_p50_ms', 0):7.2f} "
              f"{r.get('added_p99_ms', 0):7.2f}  {r['statuses']}")
    print("\nthe decision alone (gate.judge in this process, same messages):")
    for r in decisions:
        print(f"{r['mode']:17} {r['p50_ms']:8.2f} {r['p99_ms']:8.2f}  {r['statuses']}")
    out = {"bench": "matrix_send", "rows": rows, "decision": decisions}
    Path("bench/out").mkdir(parents=True, exist_ok=True)
    Path("bench/out/matrix_send.json").write_text(json.dumps(out, ensure_ascii=False, indent=1))
    print(json.dumps(out, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
