"""A canary token in held content is found nowhere on disk (database, WAL, logs, exports,
temp files) except inside the encrypted blob, and is gone once the hold is purged."""

from __future__ import annotations

import json
import random
import sqlite3
import time

import pytest

pytest.importorskip("fastapi")

from baomi.service.security import load_keys
from baomi.service.settings import Settings
from tests.service.support import ADMIN_PASSWORD, PASSWORD, Api, Server, make_org


def _files_with(root, needle: bytes) -> list[str]:
    return [str(p) for p in root.rglob("*") if p.is_file() and needle in p.read_bytes()]


def test_canary_only_inside_the_encrypted_blob(tmp_path):
    # letters with no vowel: no digit run (a mobile or card number) and no pinyin the
    # engine could read in it, so the canary never changes the verdict
    canary = "CANARY" + "".join(random.choices("qxzvkwQXZVKW", k=24))
    data_dir = tmp_path / "data"
    srv = Server(data_dir, extra_env={"BAOMI_RETENTION_DAYS": "0"}).start()
    try:
        admin = Api.login(srv.url, "admin", ADMIN_PASSWORD)
        make_org(admin)
        sender, reviewer = (Api.login(srv.url, n, PASSWORD) for n in ("sender1", "reviewer1"))
        officer = Api.login(srv.url, "officer1", PASSWORD)
        text = f"周六上午刘书记去新港区调研，随行人员联系 {canary}"
        files = [("attachments", (f"行程{canary}.txt", f"{canary} 附件里的行程\n".encode(), "text/plain"))]
        out = sender.post(
            "/v1/checks",
            data={"text": text, "channel": "work_group", "conversation": "综合科工作群"},
            files=files,
        ).json()
        assert out["decision"] == "review", out
        hold = out["hold"]
        assert canary in reviewer.get(f"/v1/holds/{hold['id']}/content").text  # readable by its reviewer
        officer.get("/v1/incidents/export", params={"format": "csv"})
        needle = canary.encode()
        assert _files_with(data_dir, needle) == []

        # the blob in the database decrypts to the canary: it is there, but only encrypted
        keys = load_keys(Settings(data_dir=data_dir))
        with sqlite3.connect(data_dir / "baomi.db") as conn:
            key_id, nonce, blob = conn.execute(
                "SELECT key_id, nonce, ciphertext FROM held_contents WHERE hold_id=?", (hold["id"],)
            ).fetchone()
        assert canary in json.loads(keys.decrypt(key_id, nonce, blob, aad=hold["id"]))["text"]

        r = reviewer.post(f"/v1/holds/{hold['id']}/reject", json={"version": 1, "reason": "itinerary"})
        assert r.status_code == 200
        export = officer.get("/v1/incidents/export", params={"format": "xlsx"}).content
        (data_dir / "export.xlsx").write_bytes(export)
        (data_dir / "export.csv").write_bytes(officer.get("/v1/incidents/export").content)
        deadline = time.monotonic() + 20
        while reviewer.get(f"/v1/holds/{hold['id']}/content").status_code != 404:
            assert time.monotonic() < deadline, "held content was not purged"
            time.sleep(0.3)
        assert reviewer.get(f"/v1/holds/{hold['id']}").json()["purged"]
    finally:
        srv.stop()
    assert _files_with(data_dir, canary.encode()) == []
    with sqlite3.connect(data_dir / "baomi.db") as conn:
        assert conn.execute("SELECT count(*) FROM held_contents").fetchone()[0] == 0
