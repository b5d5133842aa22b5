"""The module's logic without Synapse (the main virtualenv has none): config, the reading of
events, decisions to outcomes, fail modes, the release mark and the in-process hold store."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from baomi.integrations.matrix import gate, release
from baomi.integrations.matrix.backends import BackendError, LocalBackend, Outgoing, ServiceBackend
from baomi.integrations.matrix.config import ConfigError, parse_config
from baomi.model import Channel
from tests.service.support import free_port

SECRET = "unit-release-secret-0123"
ROOM, ALICE = "!room:localhost", "@alice:localhost"


def test_imports_without_synapse():
    """The package never imports Synapse itself: only Synapse's call of `BaomiModule` does."""
    code = "import sys, baomi.integrations.matrix as m; m.BaomiModule; print('synapse' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


@pytest.mark.parametrize(
    ("raw", "names"),
    [
        ({}, "release_secret"),
        ({"release_secret": "short"}, "release_secret"),
        ({"release_secret": SECRET, "backend": "cloud"}, "backend"),
        ({"release_secret": SECRET, "backend": "service"}, "service.url"),
        ({"release_secret": SECRET, "backend": "service", "service": {"url": "http://x"}}, "service.token"),
        ({"release_secret": SECRET, "rooms": {ROOM: "wechat"}}, f"rooms.{ROOM}"),
        ({"release_secret": SECRET, "default_channel": "群"}, "default_channel"),
        ({"release_secret": SECRET, "fail_modes": {"direct": "maybe"}}, "fail_modes.direct"),
        ({"release_secret": SECRET, "poll_seconds": 0}, "poll_seconds"),
        ({"release_secret": SECRET, "polll_seconds": 1}, "polll_seconds"),
        ({"release_secret": SECRET, "policy": "/no/such/policy.yaml"}, "policy"),
    ],
)
def test_bad_config_names_the_setting(raw, names):
    with pytest.raises(ConfigError, match=names.replace("[", r"\[")):
        parse_config(raw)


def test_config_defaults_and_maps():
    cfg = parse_config(
        {"release_secret": SECRET, "rooms": {ROOM: "external_group"}, "fail_modes": {"work_group": "closed"}}
    )
    assert cfg.default_channel == Channel.WORK_GROUP and cfg.rooms == {ROOM: Channel.EXTERNAL_GROUP}
    assert cfg.fail_open(Channel.DIRECT) and not cfg.fail_open(Channel.WORK_GROUP)
    assert not cfg.fail_open(Channel.EXTERNAL_GROUP) and not cfg.fail_open(Channel.MOMENTS)


@pytest.mark.parametrize(
    ("etype", "content", "expected"),
    [
        ("m.room.message", {"msgtype": "m.text", "body": "你好"}, gate.Content("你好")),
        ("m.room.message", {"msgtype": "m.image", "body": "a.jpg", "url": "mxc://hs/abc"},
         gate.Content("", "mxc://hs/abc", "a.jpg")),
        ("m.room.message", {"msgtype": "m.file", "body": "看一下", "filename": "通知.docx", "url": "mxc://hs/d"},
         gate.Content("看一下", "mxc://hs/d", "通知.docx")),
        ("m.reaction", {"m.relates_to": {}}, None),
    ],
)
def test_content_of_events(etype, content, expected):
    assert gate.content_of(etype, content) == expected


@pytest.mark.parametrize(
    ("etype", "content"),
    [
        ("m.room.encrypted", {"ciphertext": "…"}),
        ("m.room.message", {"msgtype": "m.image", "body": "x.jpg", "file": {"url": "mxc://hs/e"}}),
    ],
)
def test_content_that_cannot_be_inspected(etype, content):
    with pytest.raises(gate.MediaError) as err:
        gate.content_of(etype, content)
    out = gate.uninspectable(str(err.value))
    assert not out.deliver and out.body["cn.baomi.rules"] == ["X01"] and "无法审查" in out.body["error"]


@pytest.fixture(scope="module")
def local():
    return LocalBackend()


def _outcome(local, text, channel=Channel.WORK_GROUP):
    cfg = parse_config({"release_secret": SECRET})
    content = {"msgtype": "m.text", "body": text}
    msg = Outgoing(text, channel, ALICE, ROOM)
    return gate.judge(local, cfg, msg, "m.room.message", content, {"sender": ALICE})


def test_allow_warn_block_review_outcomes(local):
    allow = _outcome(local, "今晚单位食堂加了一道清蒸鱼")
    assert allow.deliver and allow.notice is None and allow.pending is None

    warn = _outcome(local, "听说北街化工厂着火了，烧死了三个人，赶紧转发扩散")
    assert warn.deliver and "F01" in warn.notice and "保密提醒" in warn.notice

    block = _outcome(local, "这页纸右上角印着秘密★5年，我用手机拍下来了")
    assert not block.deliver and block.body["cn.baomi.decision"] == "block"
    assert "R01" in block.body["error"] and block.body["cn.baomi.rules"] == ["R01"]

    held = _outcome(local, "周五上午李书记去高新区考察，随行人员七点在楼下集合")
    assert not held.deliver and held.body["cn.baomi.decision"] == "review"
    hold_id = held.body["cn.baomi.hold_id"]
    assert hold_id in held.body["error"] and held.pending.hold_id == hold_id
    assert held.pending.content["body"] == "周五上午李书记去高新区考察，随行人员七点在楼下集合"


def test_the_same_text_is_held_at_work_and_blocked_outside(local):
    text = "周五上午李书记去高新区考察，随行人员七点在楼下集合"
    assert _outcome(local, text).body["cn.baomi.decision"] == "review"
    assert _outcome(local, text, Channel.EXTERNAL_GROUP).body["cn.baomi.decision"] == "block"


def test_in_process_holds_approve_reject_once(local):
    held = [_outcome(local, "周五上午李书记去高新区考察，随行人员七点在楼下集合").pending for _ in range(2)]
    a, b = held[0].hold_id, held[1].hold_id
    assert local.outcome(a) == "held"
    local.approve(a)
    local.reject(b)
    with pytest.raises(KeyError):
        local.approve(a)  # decided already
    assert (local.outcome(a), local.outcome(b)) == ("released", "rejected")
    assert local.outcome(a) == "rejected"  # reported once, then forgotten (an unknown hold never releases)


class _Down:
    def judge(self, msg):
        raise BackendError("保密审查服务不可用（ConnectionRefusedError）")


@pytest.mark.parametrize(
    ("channel", "delivered", "event"),
    [
        (Channel.DIRECT, True, "fail_open"),
        (Channel.WORK_GROUP, True, "fail_open"),
        (Channel.EXTERNAL_GROUP, False, "fail_closed"),
        (Channel.MOMENTS, False, "fail_closed"),
        (Channel.PUBLISH, False, "fail_closed"),
    ],
)
def test_fail_modes(channel, delivered, event, tmp_path):
    cfg = parse_config({"release_secret": SECRET})
    out = gate.judge(_Down(), cfg, Outgoing("随便", channel, ALICE, ROOM), "m.room.message", {}, {"x": 1})
    assert out.deliver is delivered and out.audit["event"] == event and out.audit["x"] == 1
    if not delivered:
        assert "保密审查暂不可用" in out.body["error"]
    path = tmp_path / "audit.jsonl"
    gate.append_audit(path, out.audit)
    assert json.loads(path.read_text())["event"] == event


def test_service_backend_times_out_or_is_refused_as_backend_error():
    backend = ServiceBackend(f"http://127.0.0.1:{free_port()}", "token", timeout=1)
    with pytest.raises(BackendError, match="不可用"):
        backend.judge(Outgoing("你好", Channel.DIRECT, ALICE, ROOM))


def test_release_mark_verifies_only_its_own_content():
    secret = SECRET.encode()
    content = {"msgtype": "m.text", "body": "征求意见稿"}
    marked = release.mark(secret, "h1", ROOM, ALICE, content)
    assert release.verified_hold(secret, ROOM, ALICE, marked) == "h1"
    assert release.verified_hold(secret, ROOM, ALICE, content) is None
    assert release.verified_hold(secret, "!other:localhost", ALICE, marked) is None  # another room
    assert release.verified_hold(secret, ROOM, "@mallory:localhost", marked) is None  # another sender
    assert release.verified_hold(secret, ROOM, ALICE, {**marked, "body": "机密★"}) is None  # edited
    assert release.verified_hold(b"another-secret-xxxxxxxx", ROOM, ALICE, marked) is None  # forged
    bad = {**marked, release.FIELD: {"hold_id": "h1", "sig": 5}}
    assert release.verified_hold(secret, ROOM, ALICE, bad) is None


def test_audit_hash_is_keyed_and_carries_no_text():
    content = {"msgtype": "m.text", "body": "机密★10年"}
    h = gate.content_hash(b"k1" * 8, content)
    assert h != gate.content_hash(b"k2" * 8, content) and "机密" not in h


def test_held_events_are_sealed_for_storage():
    from baomi.integrations.matrix.pending import Pending, seal, unseal

    secret = SECRET.encode()
    p = Pending("h1", "check-1", ROOM, ALICE, "m.room.message", {"msgtype": "m.text", "body": "征求意见稿"})
    record = seal(secret, p)
    assert "征求意见稿" not in json.dumps(record, ensure_ascii=False)
    assert unseal(secret, "h1", record) == p
    for bad_secret, hold_id, rec in (
        (b"another-secret-xxxxxxxx", "h1", record),  # another key
        (secret, "h2", record),  # moved to another hold
        (secret, "h1", {**record, "sealed": record["sealed"][:-8] + "AAAAAAA="}),  # altered
        (secret, "h1", {"ref": "x"}),  # not a record
    ):
        with pytest.raises(ValueError, match="无法读取"):
            unseal(bad_secret, hold_id, rec)
