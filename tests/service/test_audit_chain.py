"""The audit chain catches an edited row, a deleted row (inside or at the end) and a
reordered pair, naming the first bad entry, through the service and `baomi audit-log verify`."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess

import pytest

pytest.importorskip("fastapi")

from baomi.service.auditlog.service import append, verify
from baomi.service.bootstrap import prepare
from baomi.service.db import make_engine, make_sessionmaker, transaction
from baomi.service.security import load_keys
from baomi.service.settings import Settings
from tests.service.support import BAOMI


@pytest.fixture
def chain(tmp_path):
    settings = Settings(data_dir=tmp_path, admin_password="chain-test-password")
    engine = make_engine(settings.db_url)
    prepare(settings, engine, say=lambda _: None)  # entry 1: the admin's creation
    keys = load_keys(settings)
    sessions = make_sessionmaker(engine)
    for i in range(2, 11):
        with transaction(sessions) as s:
            append(s, keys, "check.create", target=f"check:{i}", details={"decision": "allow"})
    yield settings, sessions, keys, tmp_path / "baomi.db"
    engine.dispose()


def _verify(sessions, keys):
    with transaction(sessions) as s:
        return verify(s, keys)


def _cli(settings):
    env = {k: v for k, v in os.environ.items() if not k.startswith("BAOMI_")}
    run = subprocess.run(
        [BAOMI, "audit-log", "verify", "--data-dir", str(settings.data_dir)],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    return run.returncode, json.loads(run.stdout.strip().splitlines()[-1])


def _sql(db, *statements):
    with sqlite3.connect(db) as conn:
        for st in statements:
            conn.execute(st)


def test_intact_chain_verifies(chain):
    settings, sessions, keys, _ = chain
    assert _verify(sessions, keys).to_dict() == {"ok": True, "checked": 10, "first_bad": None, "problem": ""}
    assert _cli(settings) == (0, {"ok": True, "checked": 10, "first_bad": None, "problem": ""})


def test_edited_row(chain):
    settings, sessions, keys, db = chain
    _sql(db, """UPDATE audit_log SET details='{"decision":"block"}' WHERE seq=6""")
    result = _verify(sessions, keys)
    assert not result.ok and result.first_bad == 6 and "修改" in result.problem
    code, out = _cli(settings)
    assert code == 1 and out["first_bad"] == 6


def test_deleted_row(chain):
    settings, sessions, keys, db = chain
    _sql(db, "DELETE FROM audit_log WHERE seq=7")
    result = _verify(sessions, keys)
    assert not result.ok and result.first_bad == 7 and "删除" in result.problem
    assert _cli(settings)[1]["first_bad"] == 7


def test_deleted_last_row(chain):
    _, sessions, keys, db = chain
    _sql(db, "DELETE FROM audit_log WHERE seq=10")
    result = _verify(sessions, keys)
    assert not result.ok and result.first_bad == 10


def test_reordered_pair(chain):
    settings, sessions, keys, db = chain
    _sql(
        db,
        "UPDATE audit_log SET seq=-4 WHERE seq=4",
        "UPDATE audit_log SET seq=4 WHERE seq=5",
        "UPDATE audit_log SET seq=5 WHERE seq=-4",
    )
    result = _verify(sessions, keys)
    assert not result.ok and result.first_bad == 4
    assert _cli(settings)[1]["first_bad"] == 4


def test_a_forged_row_needs_the_key(chain):
    """Recomputing a plain SHA-256 over an edited row does not help without the HMAC key."""
    _, sessions, keys, db = chain
    import hashlib

    _sql(
        db, f"UPDATE audit_log SET action='auth.login', hash='{hashlib.sha256(b'x').hexdigest()}' WHERE seq=3"
    )
    assert _verify(sessions, keys).first_bad == 3
