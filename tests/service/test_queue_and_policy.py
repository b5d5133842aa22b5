"""The hold state machine, SLA expiry (release or reject, as the policy says), bulk actions,
the webhook, policy upload with line-numbered errors, activation and shadow mode."""

from __future__ import annotations

import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import ClassVar

import pytest

pytest.importorskip("fastapi")

from fastapi.testclient import TestClient

from baomi.service.app import create_app
from baomi.service.db import transaction, utcnow
from baomi.service.holds.service import TRANSITIONS, sweep
from baomi.service.settings import Settings
from tests.service.support import ADMIN_PASSWORD, PASSWORD, Api, free_port, make_org

ITINERARY = "下周二上午赵市长去经开区调研，随行人员九点出发"


class _Hook(BaseHTTPRequestHandler):
    received: ClassVar[list] = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        _Hook.received.append((json.loads(body), self.headers["X-Baomi-Signature"]))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    port = free_port()
    hook = HTTPServer(("127.0.0.1", port), _Hook)
    threading.Thread(target=hook.serve_forever, daemon=True).start()
    settings = Settings(
        data_dir=tmp_path_factory.mktemp("queue"),
        admin_password=ADMIN_PASSWORD,
        rate_limit_per_minute=0,
        webhook_url=f"http://127.0.0.1:{port}/hook",
        webhook_secret="hook-secret",
        sweep_seconds=3600,
    )
    app = create_app(settings, say=lambda _: None)
    with TestClient(app) as client:

        def login(name, password=PASSWORD):
            return Api.login("http://testserver", name, password, transport=client._transport)

        admin = login("admin", ADMIN_PASSWORD)
        org = make_org(admin)
        yield {"app": app, "login": login, "org": org}
    hook.shutdown()


def _held(env, who="sender1", text=ITINERARY):
    out = env["login"](who).post("/v1/checks", json={"text": text, "channel": "work_group"}).json()
    assert out["decision"] == "review", out
    return out


def _sweep(env, minutes):
    app = env["app"]
    with transaction(app.state.sessions) as s:
        return sweep(s, app.state.services, now=utcnow() + timedelta(minutes=minutes))


def test_state_machine_table_is_closed():
    states = {s for s, _ in TRANSITIONS} | set(TRANSITIONS.values())
    assert states == {"pending", "claimed", "approved", "rejected", "expired"}
    assert not any(s in ("approved", "rejected", "expired") for s, _ in TRANSITIONS)  # final states


def test_claimed_by_another_reviewer_is_a_conflict(env):
    out = _held(env)
    r1, o1 = env["login"]("reviewer1"), env["login"]("officer1")
    assert r1.post(f"/v1/holds/{out['hold_id']}/claim", json={"version": 1}).status_code == 200
    r = o1.post(f"/v1/holds/{out['hold_id']}/approve", json={"version": 2, "reason": "not_secret"})
    assert r.status_code == 409 and "认领" in r.json()["detail"]
    r = r1.post(f"/v1/holds/{out['hold_id']}/reject", json={"version": 2, "reason": "other"})
    assert r.status_code == 422  # "other" needs a text
    r = r1.post(
        f"/v1/holds/{out['hold_id']}/reject",
        json={"version": 2, "reason": "other", "reason_text": "含未公开行程"},
    )
    assert r.status_code == 200 and r.json()["reason_text"] == "含未公开行程"


def test_bulk_actions_report_each_item(env):
    holds = [_held(env)["hold"] for _ in range(3)]
    r1 = env["login"]("reviewer1")
    items = [{"id": h["id"], "version": h["version"]} for h in holds]
    items[1]["version"] = 9  # stale
    res = r1.post("/v1/holds:bulk", json={"action": "approve", "reason": "not_secret", "items": items}).json()
    assert [x["ok"] for x in res["results"]] == [True, False, True]
    assert res["results"][1]["status"] == 409


def test_expiry_rejects_by_default_and_sender_is_told(env):
    out = _held(env)
    assert _sweep(env, 31)["expired"] >= 1
    polled = env["login"]("sender1").get(f"/v1/checks/{out['check_id']}").json()
    assert polled["hold"]["state"] == "expired" and polled["status"] == "rejected"
    inc = env["login"]("officer1").get("/v1/incidents", params={"rule": "R09"}).json()
    assert inc["total"] >= 1
    for _ in range(50):
        if any(e["check_id"] == out["check_id"] for e, _ in _Hook.received):
            break
        threading.Event().wait(0.1)
    event, signature = next((e, s) for e, s in _Hook.received if e["check_id"] == out["check_id"])
    assert event["outcome"] == "rejected" and signature.startswith("sha256=")
    assert ITINERARY not in json.dumps(event, ensure_ascii=False)


def test_policy_upload_errors_name_the_line(env):
    officer = env["login"]("officer1")
    office = env["org"]["office"]
    bad = "review:\n  sla_minutes: 10\nmatrix:\n  R09: {direct: hold}\n"
    r = officer.post(f"/v1/units/{office}/policies", json={"yaml": bad})
    assert r.status_code == 422 and "第 4 行" in r.json()["detail"]
    r = officer.post(f"/v1/units/{office}/policies", json={"yaml": "mode: trial\n"})
    assert r.status_code == 422 and "第 1 行" in r.json()["detail"] and "mode" in r.json()["detail"]


def test_activation_release_on_expiry_and_shadow_mode(env):
    officer = env["login"]("officer1")
    office = env["org"]["office"]
    text = "review:\n  sla_minutes: 5\n  on_expiry: release\n"
    pol = officer.post(f"/v1/units/{office}/policies", json={"yaml": text}).json()
    assert pol["version"] >= 1 and pol["on_expiry"] == "release"
    assert officer.post(f"/v1/policies/{pol['id']}/activate").status_code == 200
    eff = officer.get(f"/v1/units/{office}/policy").json()
    assert eff["policy_id"] == pol["id"] and eff["sla_minutes"] == 5
    # the sub-unit inherits its parent's policy
    assert officer.get(f"/v1/units/{env['org']['archive']}/policy").json()["policy_id"] == pol["id"]
    out = _held(env)
    _sweep(env, 6)
    assert env["login"]("sender1").get(f"/v1/checks/{out['check_id']}").json()["status"] == "released"

    shadow = officer.post(f"/v1/units/{office}/policies", json={"yaml": "mode: shadow\n"}).json()
    officer.post(f"/v1/policies/{shadow['id']}/activate")
    r = env["login"]("sender1").post("/v1/checks", json={"text": ITINERARY, "channel": "work_group"}).json()
    assert r["decision"] == "allow" and r["engine_decision"] == "review" and r["shadow"]
    assert r["hold_id"] is None
    acts = officer.get(f"/v1/units/{office}/policy-activations").json()
    assert [a["policy_id"] for a in acts[:2]] == [shadow["id"], pol["id"]]
    # other units keep the default policy
    fin = env["login"]("sender_fin").post("/v1/checks", json={"text": ITINERARY, "channel": "work_group"})
    assert fin.json()["decision"] == "review"


def test_stats_endpoints(env):
    officer = env["login"]("officer1")
    by_rule = {row["key"]: row for row in officer.get("/v1/stats/decisions", params={"by": "rule"}).json()}
    assert by_rule["R09"]["total"] >= by_rule["R09"]["review"] >= 1
    for by in ("channel", "unit", "day"):
        rows = officer.get("/v1/stats/decisions", params={"by": by}).json()
        assert rows and all(r["total"] == r["allow"] + r["warn"] + r["review"] + r["block"] for r in rows)
    q = officer.get("/v1/stats/queue").json()
    assert q["expired"] >= 1 and q["open"] == q["pending"] + q["claimed"]


def test_metrics_and_health(env):
    client = env["login"]("sender1")
    assert client.get("/healthz").json() == {"ok": True}
    assert client.get("/readyz").json() == {"ok": True}
    text = client.get("/metrics").text
    assert "baomi_http_requests_total" in text and 'baomi_decisions_total{decision="review"}' in text
