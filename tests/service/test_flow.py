"""The whole flow against a real server process, on SQLite and on PostgreSQL."""

from __future__ import annotations

import subprocess

from tests.service.support import ADMIN_PASSWORD, BAOMI, PASSWORD, Api

# Messages written for these tests (not from any corpus).
ITINERARY = "周五上午李书记去高新区考察，随行人员七点在楼下集合"
ITINERARY_2 = "下周一市长的航班是早上八点，到机场后直接去会场"
CLASSIFIED = "这页纸右上角印着秘密★5年，我用手机拍下来了"
HEARSAY = "听说北街化工厂着火了，烧死了三个人，赶紧转发扩散"
HARMLESS = "今晚单位食堂加了一道清蒸鱼"


def _login(server, name):
    return Api.login(server.url, name, PASSWORD)


def _check(api, text, channel="work_group", **kw):
    r = api.post("/v1/checks", json={"text": text, "channel": channel, **kw})
    assert r.status_code == 200, r.text
    return r.json()


def test_held_message_approved_and_released(server, org):
    sender, reviewer = _login(server, "sender1"), _login(server, "reviewer1")
    out = _check(sender, ITINERARY)
    assert out["decision"] == "review" and "R09" in out["rules"]
    assert out["status"] == "held" and out["hold"]["state"] == "pending"
    assert all("李书记" not in f["evidence"] for f in out["findings"])  # masked
    hold_id = out["hold_id"]

    queue = reviewer.get("/v1/holds", params={"state": "pending"}).json()
    assert hold_id in [h["id"] for h in queue["items"]]
    claimed = reviewer.post(f"/v1/holds/{hold_id}/claim", json={"version": 1})
    assert claimed.status_code == 200 and claimed.json()["state"] == "claimed"
    stale = reviewer.post(f"/v1/holds/{hold_id}/approve", json={"version": 1, "reason": "not_secret"})
    assert stale.status_code == 409
    content = reviewer.get(f"/v1/holds/{hold_id}/content").json()
    assert content["text"] == ITINERARY
    approved = reviewer.post(f"/v1/holds/{hold_id}/approve", json={"version": 2, "reason": "authorised"})
    assert approved.status_code == 200, approved.text
    assert approved.json()["state"] == "approved"

    polled = sender.get(f"/v1/checks/{out['check_id']}").json()
    assert polled["status"] == "released" and polled["hold"]["state"] == "approved"
    again = reviewer.post(f"/v1/holds/{hold_id}/reject", json={"version": 3, "reason": "classified"})
    assert again.status_code == 409  # approved is final


def test_rejected_hold_becomes_incident_and_same_text_joins_it(server, org):
    reviewer = _login(server, "reviewer1")
    first = _check(_login(server, "sender1"), ITINERARY_2)
    second = _check(_login(server, "sender2"), ITINERARY_2, channel="direct")  # sender2: a sub-unit
    for out in (first, second):
        h = out["hold"]
        r = reviewer.post(
            f"/v1/holds/{h['id']}/reject", json={"version": h["version"], "reason": "itinerary"}
        )
        assert r.status_code == 200, r.text
        assert r.json()["state"] == "rejected"
    assert _login(server, "sender1").get(f"/v1/checks/{first['check_id']}").json()["status"] == "rejected"

    officer = _login(server, "officer1")
    incidents = officer.get("/v1/incidents", params={"rule": "R09"}).json()["items"]
    # the same text sent by someone else (another unit) joins the incident
    assert len(incidents) == 1 and incidents[0]["count"] == 2
    assert incidents[0]["evidence"] == [f["evidence"] for f in first["findings"]]
    assert "航班是早上八点" not in str(incidents[0])
    blocks = [_check(_login(server, name), CLASSIFIED) for name in ("sender1", "sender1")]
    assert {b["decision"] for b in blocks} == {"block"} and blocks[0]["check_id"] != blocks[1]["check_id"]
    r01 = officer.get("/v1/incidents", params={"rule": "R01"}).json()["items"]
    assert len(r01) == 1 and r01[0]["count"] == 2
    detail = officer.get(f"/v1/incidents/{r01[0]['id']}").json()
    assert {e["check_id"] for e in detail["events"]} == {b["check_id"] for b in blocks}

    csv = officer.get("/v1/incidents/export", params={"format": "csv"})
    assert csv.status_code == 200 and "事件编号" in csv.content.decode("utf-8-sig")
    assert "秘密★5年" not in csv.content.decode("utf-8-sig")
    xlsx = officer.get("/v1/incidents/export", params={"format": "xlsx", "rule": "R01"})
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    # a unit's reviewer never sees another unit's incidents
    assert _login(server, "reviewer_fin").get("/v1/incidents").json()["total"] == 0


def test_warn_overridden_with_justification_block_never(server, org):
    sender = _login(server, "sender1")
    warn = _check(sender, HEARSAY, channel="direct")
    assert warn["decision"] == "warn" and warn["overridable"]
    r = sender.post(
        f"/v1/checks/{warn['check_id']}/override", json={"justification": "已向应急局核实，属公开通报"}
    )
    assert r.status_code == 200 and r.json()["overridden"] and not r.json()["overridable"]
    block = _check(sender, CLASSIFIED, channel="direct")
    for who in (sender, _login(server, "officer1"), Api.login(server.url, "admin", ADMIN_PASSWORD)):
        r = who.post(f"/v1/checks/{block['check_id']}/override", json={"justification": "领导要求马上发群里"})
        assert r.status_code == 403, r.text
    held = _check(sender, ITINERARY, channel="direct")
    r = sender.post(f"/v1/checks/{held['check_id']}/override", json={"justification": "急"})
    assert r.status_code == 409


def test_false_alarm_reported_and_counted(server, org):
    sender = _login(server, "sender1")
    out = _check(sender, HEARSAY, channel="work_group")
    r = sender.post(f"/v1/checks/{out['check_id']}/false-alarm", json={"note": "这是演练通知"})
    assert r.status_code == 200 and r.json()["false_alarm"]
    assert sender.post(f"/v1/checks/{out['check_id']}/false-alarm", json={}).status_code == 409
    nothing = _check(sender, HARMLESS)
    assert nothing["decision"] == "allow"
    assert sender.post(f"/v1/checks/{nothing['check_id']}/false-alarm", json={}).status_code == 409
    rates = {r["rule"]: r for r in _login(server, "officer1").get("/v1/stats/rates").json()}
    assert rates["F01"]["false_alarms"] >= 1 and rates["F01"]["overrides"] >= 1


def test_classified_sender_gets_the_stricter_matrix(server, org):
    normal = _check(_login(server, "sender1"), ITINERARY, channel="direct")
    secret = _check(_login(server, "secret1"), ITINERARY, channel="direct")
    assert normal["decision"] == "review" and secret["decision"] == "block"


def test_report_from_colleague_reaches_the_queue(server, org):
    r = _login(server, "sender1").post(
        "/v1/reports",
        json={
            "text": CLASSIFIED,
            "channel": "external_group",
            "conversation": "小区业主群",
            "seen_at": "2026-11-30T08:00:00Z",
        },
    )
    assert r.status_code == 200, r.text
    report = r.json()
    assert report["kind"] == "report" and report["status"] == "held"
    queue = _login(server, "reviewer1").get("/v1/holds", params={"kind": "report"}).json()
    assert report["hold_id"] in [h["id"] for h in queue["items"]]


def test_idempotency_and_batch(server, org):
    sender = _login(server, "sender1")
    a = _check(sender, ITINERARY, idempotency_key="msg-42")
    b = _check(sender, ITINERARY, idempotency_key="msg-42")
    assert a["check_id"] == b["check_id"] and a["hold_id"] == b["hold_id"]
    items = [{"text": t, "channel": "work_group"} for t in (HARMLESS, HEARSAY, CLASSIFIED)]
    r = sender.post("/v1/checks:batch", json={"items": items})
    assert r.status_code == 200, r.text
    assert [i["decision"] for i in r.json()["items"]] == ["allow", "warn", "block"]
    too_many = sender.post("/v1/checks:batch", json={"items": [items[0]] * 1001})
    assert too_many.status_code == 422


def test_a_clean_check_answered_before_its_commit_is_found_at_once(server, org):
    sender = _login(server, "sender1")
    outs = [_check(sender, f"{HARMLESS}（第{i}次）", channel="direct") for i in range(20)]
    assert {o["decision"] for o in outs} == {"allow"} and not any(o["findings"] for o in outs)
    for out in outs:  # the read waits for what the writer had queued
        got = sender.get(f"/v1/checks/{out['check_id']}")
        assert got.status_code == 200 and got.json()["created_at"] == out["created_at"]


def test_unknown_or_missing_token_on_the_check_route(server, org):
    body = {"text": HARMLESS, "channel": "direct"}
    r = Api(server.url, token="bms_not-a-token").post("/v1/checks", json=body)
    assert r.status_code == 401 and r.json()["code"] == "unauthorized"
    assert r.headers["www-authenticate"] == "Bearer"
    assert Api(server.url).post("/v1/checks", json=body).status_code == 401


def test_multipart_with_attachment(server, org):
    sender = _login(server, "sender1")
    files = [("attachments", ("会议纪要.txt", f"{CLASSIFIED}\n".encode(), "text/plain"))]
    r = sender.post("/v1/checks", data={"text": "请看附件", "channel": "work_group"}, files=files)
    assert r.status_code == 200, r.text
    out = r.json()
    assert out["decision"] == "block" and any(f["source"].startswith("att1") for f in out["findings"])


def test_bad_input_gets_a_chinese_error(server, org):
    sender = _login(server, "sender1")
    r = sender.post("/v1/checks", json={"text": "你好", "channel": "wechat"})
    assert r.status_code == 422 and "channel" in r.json()["detail"]
    r = sender.post("/v1/checks", json={"text": "   ", "channel": "direct"})
    assert r.status_code == 422 and "消息为空" in r.json()["detail"]
    r = sender.post("/v1/checks", content=b"{not json", headers={"content-type": "application/json"})
    assert r.status_code == 422 and "JSON" in r.json()["detail"]
    assert Api(server.url).get("/v1/holds").status_code == 401


def test_audit_log_verified(server, org):
    auditor = _login(server, "auditor1")
    result = auditor.get("/v1/audit/verify").json()
    assert result["ok"] is True and result["checked"] > 10
    actions = {e["action"] for e in auditor.get("/v1/audit", params={"limit": 500}).json()["items"]}
    assert {
        "check.create",
        "hold.claim",
        "hold.approve",
        "hold.reject",
        "hold.view_content",
        "check.override",
        "check.false_alarm",
        "auth.login",
        "incident.export",
    } <= actions
    log = server.log_path.read_text(encoding="utf-8")
    assert '"route": "/v1/checks"' in log  # JSON request lines …
    for text in (ITINERARY, ITINERARY_2, CLASSIFIED, HEARSAY, HARMLESS):
        assert text not in log and text[:8] not in log  # … that never carry the message
    env = server.env()
    run = subprocess.run(
        [BAOMI, "audit-log", "verify", "--data-dir", str(server.data_dir)],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert run.returncode == 0, run.stderr
    assert '"ok": true' in run.stdout
