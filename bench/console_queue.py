"""The 待审 page with many open holds: server time of `GET /queue` (first page, by due time)
for a reviewer, on SQLite, in process (the app as `baomi serve` builds it).

    .venv/bin/python -m bench.console_queue --holds 10000 --runs 20

Holds are written straight into the database (checks with masked findings, their rules and
holds; no held content, which the queue page never reads). Exit 1 if p50 is over --target-ms.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
import uuid
from datetime import timedelta
from pathlib import Path

from sqlalchemy import insert


def _seed(app, n: int) -> None:
    from baomi.service.checks.models import Check, CheckRule
    from baomi.service.db import transaction, utcnow
    from baomi.service.holds.models import Hold
    from baomi.service.users.models import User

    now = utcnow()
    with transaction(app.state.sessions) as session:
        sender = session.query(User).filter_by(username="sender1").one()
        checks, rules, holds = [], [], []
        for i in range(n):
            cid, hid = uuid.uuid4().hex, uuid.uuid4().hex
            created = now - timedelta(seconds=n - i)
            finding = {"rule": "R09", "source": "text", "span": [5, 7], "evidence": "书记**",
                       "detector": "itinerary", "score": 0.9, "reasons": ["领导称谓+时间+地点"],
                       "normalisations": []}  # fmt: skip
            checks.append({"id": cid, "kind": "check", "user_id": sender.id, "unit_id": sender.unit_id,
                           "channel": "work_group", "sender": "sender1", "content_hash": uuid.uuid4().hex,
                           "chars": 30, "attachments": 0, "decision": "review", "engine_decision": "review",
                           "rules": ["R09"], "findings": [finding], "tip": "已暂扣", "shadow": False,
                           "classified_sender": False, "status": "held", "created_at": created})  # fmt: skip
            rules.append({"check_id": cid, "rule": "R09"})
            holds.append({"id": hid, "check_id": cid, "kind": "check", "unit_id": sender.unit_id,
                          "state": "claimed" if i % 10 == 0 else "pending", "version": 1,
                          "claimed_by": sender.id if i % 10 == 0 else None,
                          "due_at": created + timedelta(minutes=30), "on_expiry": "reject",
                          "created_at": created})  # fmt: skip
        session.execute(insert(Check), checks)
        session.execute(insert(CheckRule), rules)
        session.execute(insert(Hold), holds)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--holds", type=int, default=10_000)
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--target-ms", type=float, default=300.0)
    args = ap.parse_args(argv)

    from fastapi.testclient import TestClient

    from baomi.console.routes import router as console
    from baomi.service.app import create_app
    from baomi.service.settings import Settings
    from tests.service.support import ADMIN_PASSWORD, PASSWORD, Api, make_org

    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(data_dir=Path(tmp), admin_password=ADMIN_PASSWORD, rate_limit_per_minute=0,
                            sweep_seconds=3600)  # fmt: skip
        app = create_app(settings, say=lambda _: None, routers=(console,))
        with TestClient(app, base_url="https://testserver") as client:
            make_org(Api.login("https://testserver", "admin", ADMIN_PASSWORD, transport=client._transport))
            _seed(app, args.holds)
            csrf = client.get("/login").cookies["baomi_csrf"]
            r = client.post("/login", data={"username": "reviewer1", "password": PASSWORD, "csrf": csrf},
                            follow_redirects=False)  # fmt: skip
            assert r.status_code == 303, r.text
            times = []
            for _ in range(args.runs + 2):
                t = time.perf_counter()
                page = client.get("/queue")
                times.append((time.perf_counter() - t) * 1000)
                assert page.status_code == 200 and f"共 {args.holds} 条" in page.text, page.text[:300]
            times = times[2:]  # the first two warm the template cache and the database pages
    out = {
        "bench": "console_queue",
        "holds": args.holds,
        "runs": args.runs,
        "p50_ms": round(statistics.median(times), 1),
        "p90_ms": round(sorted(times)[int(len(times) * 0.9) - 1], 1),
        "max_ms": round(max(times), 1),
        "target_ms": args.target_ms,
    }
    print(
        f"GET /queue with {args.holds} open holds: p50 {out['p50_ms']} ms, p90 {out['p90_ms']} ms, "
        f"max {out['max_ms']} ms (target ≤ {args.target_ms:g} ms)"
    )
    print(json.dumps(out))
    return 0 if out["p50_ms"] <= args.target_ms else 1


if __name__ == "__main__":
    sys.exit(main())
