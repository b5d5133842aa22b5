"""Request, attachment and text size limits, the rate limit per token, and settings errors."""

from __future__ import annotations

import pytest

pytest.importorskip("fastapi")

from fastapi.testclient import TestClient

from baomi.service.app import create_app
from baomi.service.settings import Settings, SettingsError, load_settings
from tests.service.support import ADMIN_PASSWORD, Api


@pytest.fixture(scope="module")
def admin(tmp_path_factory):
    settings = Settings(
        data_dir=tmp_path_factory.mktemp("limits"),
        admin_password=ADMIN_PASSWORD,
        max_request_bytes=64 * 1024,
        max_attachment_bytes=4096,
        max_text_chars=2000,
        rate_limit_per_minute=60,
    )
    with TestClient(create_app(settings, say=lambda _: None)) as client:
        yield Api.login("http://testserver", "admin", ADMIN_PASSWORD, transport=client._transport)


def test_oversized_request_is_413(admin):
    r = admin.post("/v1/checks", json={"text": "字" * 40_000, "channel": "direct"})
    assert r.status_code == 413 and "请求体过大" in r.json()["detail"]


def test_oversized_text_and_attachment(admin):
    r = admin.post("/v1/checks", json={"text": "字" * 2001, "channel": "direct"})
    assert r.status_code == 413 and "text" in r.json()["detail"]
    files = [("attachments", ("a.txt", b"x" * 5000, "text/plain"))]
    r = admin.post("/v1/checks", data={"channel": "direct"}, files=files)
    assert r.status_code in (413, 422) and r.json()["code"] in ("too_large", "invalid")


def test_rate_limit_per_token(admin):
    codes = [admin.get("/v1/me").status_code for _ in range(45)]
    assert codes.count(429) >= 1 and codes[0] == 200


def test_settings_errors_name_the_setting(tmp_path, monkeypatch):
    with pytest.raises(SettingsError, match="BAOMI_PORT"):
        load_settings(port=0)
    monkeypatch.setenv("BAOMI_DATABASE_URL", "mysql://x")
    with pytest.raises(SettingsError, match="BAOMI_DATABASE_URL"):
        load_settings()
    monkeypatch.delenv("BAOMI_DATABASE_URL")
    toml = tmp_path / "baomi.toml"
    toml.write_text("[baomi]\nretention_days = 3\nsla = 5\n", encoding="utf-8")
    with pytest.raises(SettingsError, match="sla"):
        load_settings(toml)
    toml.write_text("[baomi]\nretention_days = 3\nport = 9000\n", encoding="utf-8")
    s = load_settings(toml)
    assert s.retention_days == 3 and s.port == 9000
