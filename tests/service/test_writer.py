"""Group commit: jobs queued while the writer waits for its turn commit together, each caller is
answered only after that commit, a failing job fails alone, and audit entries written in one
batch still form a chain that verifies."""

from __future__ import annotations

import contextlib
import fcntl
import threading

import pytest

pytest.importorskip("fastapi")

from sqlalchemy import event, func, select

from baomi.service.auditlog.models import AuditEntry
from baomi.service.auditlog.service import append, verify
from baomi.service.bootstrap import prepare
from baomi.service.db import make_engine, make_sessionmaker, transaction
from baomi.service.security import load_keys
from baomi.service.settings import Settings
from baomi.service.writer import GroupWriter


@pytest.fixture
def store(tmp_path):
    settings = Settings(data_dir=tmp_path, admin_password="writer-test-password")
    engine = make_engine(settings.db_url)
    prepare(settings, engine, say=lambda _: None)  # audit entry 1: the admin's creation
    commits = []
    event.listen(engine, "commit", lambda conn: commits.append(1))
    sessions = make_sessionmaker(engine)
    lock_file = tmp_path / "baomi.db.writelock"
    writer = GroupWriter(sessions, lock_file)
    yield sessions, writer, load_keys(settings), lock_file, commits
    writer.close()
    engine.dispose()


def _entries(sessions) -> int:
    with transaction(sessions) as s:
        return s.scalar(select(func.count()).select_from(AuditEntry))


def _job(keys, i: int, fail: bool = False, defer: bool = False):
    def job(session):
        append(session, keys, "test.write", target=f"job:{i}", defer=defer)
        if fail:
            raise ValueError("这一条失败")
        return i

    return job


def test_jobs_queued_during_a_turn_commit_together_and_are_answered_after_it(store):
    sessions, writer, keys, lock_file, commits = store
    with open(lock_file, "a") as other_worker:
        fcntl.flock(other_worker, fcntl.LOCK_EX)  # another worker is writing: jobs queue up
        futures = [writer.submit(_job(keys, i)) for i in range(20)]
        threading.Event().wait(0.2)
        assert not any(f.done() for f in futures)  # nothing acknowledged before a commit
        assert _entries(sessions) == 1
        before = len(commits)
        fcntl.flock(other_worker, fcntl.LOCK_UN)
        assert [f.result(timeout=30) for f in futures] == list(range(20))
    assert _entries(sessions) == 21
    assert len(commits) - before <= 2  # the first job alone (it took the turn), then the rest at once
    with transaction(sessions) as s:
        assert verify(s, keys).ok


def test_a_failing_job_fails_alone(store):
    sessions, writer, keys, lock_file, _ = store
    with open(lock_file, "a") as other_worker:
        fcntl.flock(other_worker, fcntl.LOCK_EX)
        futures = [writer.submit(_job(keys, i, fail=i == 3)) for i in range(6)]
        fcntl.flock(other_worker, fcntl.LOCK_UN)
    for i, f in enumerate(futures):
        if i == 3:
            with pytest.raises(ValueError, match="这一条失败"):
                f.result(timeout=30)
        else:
            assert f.result(timeout=30) == i
    assert _entries(sessions) == 6  # the admin's entry and five jobs; the failed one left nothing
    with transaction(sessions) as s:
        assert verify(s, keys).ok


def test_concurrent_callers_each_see_their_write_committed(store):
    sessions, writer, keys, _, _ = store
    results, visible = [], []

    def caller(i):
        results.append(writer.run(_job(keys, i)))
        with transaction(sessions) as s:  # acknowledged means committed: visible to anyone
            visible.append(s.scalar(select(AuditEntry.seq).where(AuditEntry.target == f"job:{i}")))

    threads = [threading.Thread(target=caller, args=(i,)) for i in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == list(range(16))
    assert None not in visible and len(visible) == 16
    with transaction(sessions) as s:
        assert verify(s, keys).checked == 17


def test_later_jobs_are_written_and_drain_waits_for_them(store):
    sessions, writer, keys, lock_file, _ = store
    with open(lock_file, "a") as other_worker:
        fcntl.flock(other_worker, fcntl.LOCK_EX)
        later = [writer.submit(_job(keys, i, defer=True), later=True) for i in range(40)]  # > max_later
        waited = writer.submit(_job(keys, 99))
        assert writer.queued() >= 40
        fcntl.flock(other_worker, fcntl.LOCK_UN)
        assert waited.result(timeout=30) == 99
    writer.drain()
    assert all(f.done() for f in later)
    assert _entries(sessions) == 42
    with transaction(sessions) as s:
        assert verify(s, keys).ok


def test_a_rolled_back_batch_leaves_no_deferred_rows_behind(store):
    sessions, writer, keys, _, _ = store

    def deferred_then_fail(session):
        append(session, keys, "test.write", target="job:deferred", defer=True)
        raise ValueError("失败")

    with pytest.raises(ValueError):
        writer.run(deferred_then_fail)
    assert writer.run(_job(keys, 1)) == 1
    assert _entries(sessions) == 2
    with transaction(sessions) as s:
        assert verify(s, keys).ok


def test_savepoints_rolled_back_between_appends_leave_the_chain_whole(store):
    sessions, _, keys, _, _ = store
    with transaction(sessions) as s:
        append(s, keys, "test.write", target="before")
        for i in range(3):
            with contextlib.suppress(KeyError), s.begin_nested():
                append(s, keys, "test.write", target=f"inner:{i}", defer=i == 2)
                if i == 1:
                    raise KeyError("这一条回滚")
        append(s, keys, "test.write", target="after", defer=True)
    with pytest.raises(KeyError), transaction(sessions) as s:
        append(s, keys, "test.write", target="rolled back", defer=True)
        raise KeyError("整个事务回滚")
    with transaction(sessions) as s:
        append(s, keys, "test.write", target="last")
    with transaction(sessions) as s:
        targets = list(s.scalars(select(AuditEntry.target).order_by(AuditEntry.seq)))
        assert targets[1:] == ["before", "inner:0", "inner:2", "after", "last"]
        assert verify(s, keys).ok
