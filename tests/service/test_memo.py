"""The per-worker memos of verified tokens and unit policies: they expire, they hold no token,
and a commit that changes tokens, users, units or policies in this process drops them."""

from __future__ import annotations

import time

import pytest

pytest.importorskip("fastapi")

from baomi.service.bootstrap import prepare
from baomi.service.db import make_engine, make_sessionmaker, transaction
from baomi.service.memo import Memo, forget_on_commit
from baomi.service.security import load_keys
from baomi.service.settings import Settings
from baomi.service.users.models import ApiToken, User
from baomi.service.users.service import login, logout, principal_for


def test_entries_expire_and_clear():
    memo = Memo(ttl=0.2)
    memo.put("a", 1, time.monotonic())
    assert memo.get("a") == 1
    time.sleep(0.25)
    assert memo.get("a") is None
    memo.put("b", 2, time.monotonic())
    memo.clear()
    assert memo.get("b") is None


def test_a_value_read_before_a_clear_is_not_kept():
    memo = Memo(ttl=10)
    since = time.monotonic()  # the read starts …
    memo.clear()  # … a change commits meanwhile …
    memo.put("a", 1, since)  # … the stale value is not remembered
    assert memo.get("a") is None


def test_no_ttl_remembers_nothing():
    memo = Memo(ttl=0)
    memo.put("a", 1, time.monotonic())
    assert memo.get("a") is None


def test_secret_keys_are_keyed_hashes_per_process():
    one, two = Memo(ttl=1), Memo(ttl=1)
    token = "bms_secret-token-value"
    assert one.secret_key(token) != two.secret_key(token)
    assert token.encode() not in one.secret_key(token)
    assert one.secret_key(token) == one.secret_key(token)


@pytest.fixture
def sessions(tmp_path):
    settings = Settings(data_dir=tmp_path, admin_password="memo-test-password")
    engine = make_engine(settings.db_url)
    prepare(settings, engine, say=lambda _: None)
    yield make_sessionmaker(engine), load_keys(settings)
    engine.dispose()


def test_a_commit_touching_tokens_or_users_forgets(sessions):
    factory, keys = sessions
    forgotten = []
    forget_on_commit(factory, (ApiToken, User), lambda: forgotten.append(1))
    with transaction(factory) as s:
        _, token = login(s, keys, "admin", "memo-test-password", hours=1)
    assert len(forgotten) == 1  # the new session token
    with transaction(factory) as s:
        who = principal_for(s, token)
    assert len(forgotten) == 1  # a read forgets nothing
    with pytest.raises(RuntimeError), transaction(factory) as s:
        logout(s, keys, who)
        raise RuntimeError("rolled back")
    assert len(forgotten) == 1  # nothing committed, nothing forgotten
    with transaction(factory) as s:
        logout(s, keys, who)
    assert len(forgotten) == 2
