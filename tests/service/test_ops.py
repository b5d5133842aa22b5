"""First start (one-time admin password), key rotation, graceful shutdown of a real server."""

from __future__ import annotations

import base64
import os
import signal
import threading

import httpx
import pytest

pytest.importorskip("fastapi")

from fastapi.testclient import TestClient

from baomi.service.app import create_app
from baomi.service.security import load_keys
from baomi.service.settings import Settings
from tests.service.support import Api, Server, make_org


def test_first_start_prints_a_one_time_password_that_must_be_changed(tmp_path):
    said: list[str] = []
    app = create_app(Settings(data_dir=tmp_path), say=said.append)
    assert len(said) == 1 and "一次性密码" in said[0]
    password = said[0].split("一次性密码：")[1].split()[0]
    create_app(Settings(data_dir=tmp_path), say=said.append)
    assert len(said) == 1  # printed once, never again
    with TestClient(app) as client:
        admin = Api.login("http://testserver", "admin", password, transport=client._transport)
        assert admin.get("/v1/me").json()["must_change_password"] is True
        assert admin.get("/v1/users").status_code == 403
        new = "a-brand-new-password"
        r = admin.post("/v1/auth/password", json={"old_password": password, "new_password": new})
        assert r.status_code == 204
        admin = Api.login("http://testserver", "admin", new, transport=client._transport)
        assert admin.get("/v1/users").status_code == 200
        bad = Api("http://testserver", transport=client._transport)
        assert bad.post("/v1/auth/token", data={"username": "admin", "password": password}).status_code == 401


def test_key_rotation_keeps_old_blobs_readable(tmp_path):
    old, new = (base64.b64encode(os.urandom(32)).decode() for _ in range(2))
    hmac_key = base64.b64encode(os.urandom(32)).decode()
    before = load_keys(Settings(data_dir=tmp_path, content_keys=f"k1:{old}", hmac_key=hmac_key))
    kid, nonce, blob = before.encrypt(b"held", aad="hold-1")
    after = load_keys(Settings(data_dir=tmp_path, content_keys=f"k2:{new},k1:{old}", hmac_key=hmac_key))
    assert kid == "k1" and after.active == "k2"
    assert after.decrypt(kid, nonce, blob, aad="hold-1") == b"held"
    assert after.encrypt(b"x", aad="h")[0] == "k2"
    with pytest.raises(Exception):  # noqa: B017 - AES-GCM refuses a blob moved to another hold
        after.decrypt(kid, nonce, blob, aad="hold-2")


def test_graceful_shutdown_finishes_checks_in_flight(tmp_path):
    srv = Server(tmp_path / "data", extra_env={"BAOMI_SHUTDOWN_GRACE_SECONDS": "90"}).start()
    try:
        admin = Api.login(srv.url, "admin", "admin-test-password")
        make_org(admin)
        items = [
            {"text": f"第{i}条：明天下午三点在二楼会议室开周例会，请带上笔记本", "channel": "work_group"}
            for i in range(400)
        ]
        result: dict = {}

        def send():
            result["r"] = httpx.post(
                f"{srv.url}/v1/checks:batch", json={"items": items}, timeout=120, headers=admin.http.headers
            )

        t = threading.Thread(target=send)
        t.start()
        threading.Event().wait(0.5)  # the batch is being reviewed
        os.killpg(srv.proc.pid, signal.SIGTERM)
        t.join(120)
        assert result["r"].status_code == 200 and len(result["r"].json()["items"]) == 400
        assert srv.proc.wait(30) in (0, -signal.SIGTERM)  # uvicorn re-raises the signal once done
    finally:
        srv.stop()
