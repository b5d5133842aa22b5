"""End to end in a real Synapse (its own virtualenv) with the baomi module and a real
`baomi serve`: everything goes through the client-server API, as a Matrix client would."""

from __future__ import annotations

import io
import json
import os
import time

import pytest

from tests.integrations.matrix.synapse_harness import Homeserver, synapse_missing
from tests.service.support import ADMIN_PASSWORD, PASSWORD, Api, Server

_missing = synapse_missing()
if _missing and os.environ.get("BAOMI_REQUIRE_SYNAPSE") == "1":
    raise RuntimeError(f"BAOMI_REQUIRE_SYNAPSE=1 but {_missing}")
pytestmark = pytest.mark.skipif(_missing is not None, reason=_missing or "")

# Messages written for these tests (not from any corpus).
HARMLESS = "今晚单位食堂加了一道清蒸鱼，六点开饭"
MARKED_DOC = "机密★10年\n青禾市农业农村局文件\n青农发〔2024〕38号\n关于开展秋季种子市场专项检查的通知"
DRAFT = "办公用房调整方案的征求意见稿发给大家看看，还在改，先别外传"
HEARSAY = "听说北街化工厂着火了，烧死了三个人，赶紧转发扩散"
ITINERARY = "周五上午李书记去高新区考察，随行人员七点在楼下集合"


def _wait(what, predicate, timeout: float = 60.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.3)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    base = tmp_path_factory.mktemp("matrix")
    service = Server(base / "service").start(timeout=180)
    admin = Api.login(service.url, "admin", ADMIN_PASSWORD)
    unit = admin.get("/v1/units").json()[0]["id"]
    ids = {}
    for name, role in (("matrix", "sender"), ("reviewer1", "reviewer")):
        user = {"username": name, "password": PASSWORD, "role": role, "unit_id": unit}
        r = admin.post("/v1/users", json=user)
        assert r.status_code == 201, r.text
        ids[name] = r.json()["id"]
    token = admin.post("/v1/tokens", json={"user_id": ids["matrix"], "name": "synapse", "scopes": ["checks"]})
    assert token.status_code == 201, token.text
    audit = base / "matrix-audit.jsonl"
    hs = Homeserver(base / "synapse", {
        "release_secret": "e2e-release-secret-0123456789",
        "backend": "service",
        "service": {"url": service.url, "token": token.json()["token"], "timeout_seconds": 120},
        "default_channel": "work_group",
        "poll_seconds": 0.3,
        "audit_path": str(audit),
    })
    try:
        hs.start()
        alice, bob = hs.register("alice"), hs.register("bob")
        work = alice.create_room("科室工作群", "work_group", invite=(bob.user_id,))
        outside = alice.create_room("外部联络群", "external_group", invite=(bob.user_id,))
        direct = alice.create_room("私聊", "direct", invite=(bob.user_id,))
        for room in (work, outside, direct):
            bob.join(room)
        yield {"hs": hs, "service": service, "alice": alice, "bob": bob, "work": work, "outside": outside,
               "direct": direct, "reviewer": Api.login(service.url, "reviewer1", PASSWORD), "audit": audit}
    finally:
        hs.stop()
        service.stop()


def _bodies(client, room):
    return [e["content"].get("body") for e in client.messages(room)]


def _notices(client, text_part):
    """m.notice bodies from the baomi bot that contain `text_part` (any room of the client)."""
    found = []
    for room in client.joined_rooms():
        for e in client.messages(room):
            body = e["content"].get("body", "")
            if e["sender"].startswith("@baomi:") and e["content"].get("msgtype") == "m.notice" \
                    and text_part in body:
                found.append(body)
    return found


def test_normal_message_delivered_in_both_channels(env):
    for room in (env["work"], env["outside"]):
        r = env["alice"].text(room, HARMLESS)
        assert r.status_code == 200, r.text
        assert HARMLESS in _bodies(env["bob"], room)


def test_text_of_a_marked_document_rejected_with_chinese_error(env):
    r = env["alice"].text(env["work"], MARKED_DOC)
    assert r.status_code == 403
    body = r.json()
    assert body["errcode"] == "M_FORBIDDEN" and body["cn.baomi.decision"] == "block"
    assert "R01" in body["cn.baomi.rules"] and "R01" in body["error"] and "不能发送" in body["error"]
    assert MARKED_DOC not in _bodies(env["bob"], env["work"])


def test_the_same_itinerary_is_held_at_work_and_blocked_outside(env):
    r = env["alice"].text(env["outside"], ITINERARY)
    assert r.status_code == 403 and r.json()["cn.baomi.decision"] == "block"
    assert "R10" in r.json()["cn.baomi.rules"]
    r = env["alice"].text(env["work"], ITINERARY)
    assert r.status_code == 403 and r.json()["cn.baomi.decision"] == "review"


def test_room_admins_set_the_channel_and_a_bad_one_is_refused(env):
    alice, bob = env["alice"], env["bob"]
    room = alice.create_room("临时群", invite=(bob.user_id,))  # no state event: the default (work_group)
    bob.join(room)
    assert alice.text(room, ITINERARY).json()["cn.baomi.decision"] == "review"
    path = f"/_matrix/client/v3/rooms/{room}/state/cn.baomi.channel/"
    assert bob.http.put(path, json={"channel": "direct"}).status_code == 403  # not a room admin
    bad = alice.http.put(path, json={"channel": "微信群"})
    assert bad.status_code == 403 and "channel 无效" in bad.json()["error"]
    assert alice.http.put(path, json={"channel": "external_group"}).status_code == 200
    assert alice.text(room, ITINERARY).json()["cn.baomi.decision"] == "block"


@pytest.mark.ocr
def test_photo_of_a_marked_page_rejected(env):
    from tests.synth.pages import official_page, phone_photo

    buf = io.BytesIO()
    phone_photo(official_page(), seed=11).save(buf, "JPEG", quality=85)
    mxc = env["alice"].upload(buf.getvalue(), "IMG_0417.jpg", "image/jpeg")
    r = env["alice"].send(env["work"], {"msgtype": "m.image", "body": "IMG_0417.jpg", "url": mxc,
                                         "info": {"mimetype": "image/jpeg"}})
    assert r.status_code == 403, r.text
    assert r.json()["cn.baomi.decision"] == "block" and "R01" in r.json()["cn.baomi.rules"]
    assert not [e for e in env["bob"].messages(env["work"]) if e["content"].get("url") == mxc]


def test_marked_word_file_rejected(env, tmp_path):
    import docx

    document = docx.Document()
    for line in ("秘密★5年", "关于开展秋季种子市场专项检查的通知", "各县区农业农村局："):
        document.add_paragraph(line)
    path = tmp_path / "检查通知.docx"
    document.save(path)
    ctype = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    mxc = env["alice"].upload(path.read_bytes(), path.name, ctype)
    r = env["alice"].send(env["work"], {"msgtype": "m.file", "body": path.name, "url": mxc,
                                         "info": {"mimetype": ctype}})
    assert r.status_code == 403, r.text
    assert r.json()["cn.baomi.decision"] == "block" and "R01" in r.json()["cn.baomi.rules"]


def test_encrypted_event_refused_as_uninspectable(env):
    ciphertext = {"algorithm": "m.megolm.v1.aes-sha2", "ciphertext": "AwgAEnAC…", "session_id": "s1",
                  "sender_key": "k", "device_id": "D"}
    r = env["alice"].send(env["direct"], ciphertext, "m.room.encrypted")
    assert r.status_code == 403 and r.json()["cn.baomi.rules"] == ["X01"], r.text


def test_draft_held_then_delivered_after_approval_in_the_service(env):
    alice, bob, reviewer = env["alice"], env["bob"], env["reviewer"]
    r = alice.text(env["work"], DRAFT)
    assert r.status_code == 403, r.text
    body = r.json()
    assert body["cn.baomi.decision"] == "review" and "R05" in body["cn.baomi.rules"]
    hold_id = body["cn.baomi.hold_id"]
    assert hold_id in body["error"] and "审查" in body["error"]
    assert DRAFT not in _bodies(bob, env["work"])

    hold = reviewer.get(f"/v1/holds/{hold_id}").json()
    assert hold["state"] == "pending" and hold["channel"] == "work_group" and hold["sender"] == alice.user_id
    assert reviewer.get(f"/v1/holds/{hold_id}/content").json()["text"] == DRAFT
    action = {"version": hold["version"], "reason": "authorised"}
    ok = reviewer.post(f"/v1/holds/{hold_id}/approve", json=action)
    assert ok.status_code == 200, ok.text

    released = _wait("the released draft", lambda: [
        e for e in bob.messages(env["work"]) if e["content"].get("body") == DRAFT])
    assert released[0]["sender"] == alice.user_id  # sent on the sender's behalf
    mark = released[0]["content"]["cn.baomi.release"]
    assert mark["hold_id"] == hold_id
    assert _wait("the approval notice", lambda: _notices(alice, hold_id))

    # the signed mark lets the release through once: a copy is reviewed like any message
    replay = alice.send(env["work"], released[0]["content"])
    assert replay.status_code == 403 and replay.json()["cn.baomi.decision"] == "review"


def test_a_held_message_outlives_a_synapse_restart(env):
    alice, bob, reviewer = env["alice"], env["bob"], env["reviewer"]
    text = "机构改革方案的讨论稿还没定，先在群里给大家看看，不要外传"
    r = alice.text(env["work"], text)
    assert r.status_code == 403 and r.json()["cn.baomi.decision"] == "review", r.text
    hold_id = r.json()["cn.baomi.hold_id"]
    env["hs"].restart()  # the held event waits in the bot's account data, sealed
    for db in env["hs"].data_dir.glob("homeserver.db*"):  # with the WAL, if any
        assert text.encode() not in db.read_bytes()
    ok = reviewer.post(f"/v1/holds/{hold_id}/approve", json={"version": 1, "reason": "authorised"})
    assert ok.status_code == 200, ok.text
    assert _wait("the draft released after the restart", lambda: text in _bodies(bob, env["work"]))


def test_rejected_hold_is_not_delivered_and_the_sender_is_told(env):
    alice, reviewer = env["alice"], env["reviewer"]
    text = "新的干部轮岗办法初稿出来了，还没定，先别外传"
    r = alice.text(env["work"], text)
    assert r.status_code == 403 and r.json()["cn.baomi.decision"] == "review", r.text
    hold_id = r.json()["cn.baomi.hold_id"]
    rej = reviewer.post(f"/v1/holds/{hold_id}/reject", json={"version": 1, "reason": "classified"})
    assert rej.status_code == 200, rej.text
    assert any("未通过审查" in n for n in _wait("the rejection notice", lambda: _notices(alice, hold_id)))
    assert text not in _bodies(env["bob"], env["work"])


def test_warn_delivered_with_its_notice(env):
    r = env["alice"].text(env["work"], HEARSAY)
    assert r.status_code == 200, r.text
    assert HEARSAY in _bodies(env["bob"], env["work"])
    notices = _wait("the warn notice", lambda: _notices(env["alice"], "保密提醒"))
    assert any("F01" in n for n in notices)
    assert not _notices(env["bob"], "保密提醒")  # the tip goes to the sender only


def test_service_down_fails_closed_outside_and_open_with_audit_in_direct_rooms(env):
    env["service"].stop()
    r = env["alice"].text(env["outside"], HARMLESS + "。")
    assert r.status_code == 403 and "保密审查暂不可用" in r.json()["error"]
    r = env["alice"].text(env["direct"], HARMLESS + "！")
    assert r.status_code == 200, r.text
    records = [json.loads(line) for line in env["audit"].read_text().splitlines()]
    assert [x["event"] for x in records] == ["fail_closed", "fail_open"]
    assert records[1]["channel"] == "direct" and records[1]["sender"] == env["alice"].user_id
    assert HARMLESS not in env["audit"].read_text()  # ids and a keyed hash, never the text
