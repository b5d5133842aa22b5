"""Group commit: one writer thread per process runs the writes of many concurrent requests in
one transaction and answers each request only after that transaction has committed.

Concurrent checks all append to one audit chain, so their writes are serialised anyway (SQLite's
write lock, PostgreSQL's lock on the chain head). Taking turns one request at a time costs a
commit (an fsync) and a lock hand-over per check, and on SQLite a waiting writer polls the lock
with sleeps of up to 100 ms. The writer instead takes what has queued up while the previous
batch committed, writes it in one transaction and commits once. On SQLite the workers also take
turns through an advisory file lock, so a worker waits in the kernel (woken at once when the
other commits) instead of polling; the kernel releases it when a process dies.

A job that fails rolls back the whole batch; the batch is then replayed one job per
transaction, so one bad job fails alone. Jobs must therefore only write through the session
they are given (they may run twice, never committed twice).
"""

from __future__ import annotations

import collections
import contextlib
import fcntl
import os
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from pathlib import Path
from typing import TypeVar

from sqlalchemy.orm import Session, sessionmaker

from baomi.service.db import transaction

T = TypeVar("T")


class GroupWriter:
    """Runs write jobs `fn(session) -> result` in batches of up to `max_batch` per transaction.

    Two lanes: a job someone waits for (`submit`) goes into the next batch; a job queued with
    `later=True` (its caller answered already) rides along, at most `max_later` of them per
    batch, so that a long queue of those never makes a waiting caller's batch long."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        lock_file: Path | None = None,
        max_batch: int = 64,
        max_later: int = 16,
    ):
        self.sessions = sessions
        self.lock_file = lock_file
        self.max_batch = max_batch
        self.max_later = max_later
        self._now: collections.deque = collections.deque()
        self._later: collections.deque = collections.deque()
        self._ready = threading.Condition()
        self._stopping = False
        self._thread: threading.Thread | None = None
        self._start_lock = threading.Lock()
        self._lock_fd: int | None = None  # opened by the writer thread, in the process that writes

    def run(self, fn: Callable[[Session], T]) -> T:
        """Queue `fn` and wait until its batch has committed; its result, or its exception."""
        return self.submit(fn).result()

    def submit(self, fn: Callable[[Session], T], *, later: bool = False) -> Future[T]:
        """Queue `fn`. A `later` job must not use the database before the commit (it only
        defers rows: `db.defer_insert`, `auditlog.append(defer=True)`); it runs before the
        writer takes its turn."""
        self._ensure_started()
        fut: Future[T] = Future()
        with self._ready:
            (self._later if later else self._now).append((fn, fut, later))
            self._ready.notify()
        return fut

    def queued(self) -> int:
        """Jobs waiting for a batch (not counting the batch being written)."""
        return len(self._now) + len(self._later)

    def drain(self) -> None:
        """Wait until every job queued before this call has been committed (or has failed)."""
        with self._ready:
            pending = [job[1] for job in (*self._now, *self._later)]
        self.run(lambda _session: None)
        for fut in pending:  # `later` jobs queued before may ride in a batch after this one
            with contextlib.suppress(Exception):
                fut.result()

    def close(self) -> None:
        if self._thread is not None:
            with self._ready:
                self._stopping = True
                self._ready.notify()
            self._thread.join(timeout=30)
            self._thread = None
            self._stopping = False

    def _ensure_started(self) -> None:
        # started lazily in the process that writes (uvicorn workers are forked or spawned)
        if self._thread is None:
            with self._start_lock:
                if self._thread is None:
                    self._thread = threading.Thread(target=self._loop, name="baomi-writer", daemon=True)
                    self._thread.start()

    def _take(self) -> list | None:
        """The next batch (waiting callers' jobs first), or None to stop once all is written."""
        with self._ready:
            while not self._now and not self._later:
                if self._stopping:
                    return None
                self._ready.wait()
            jobs = []
            while self._now and len(jobs) < self.max_batch:
                jobs.append(self._now.popleft())
            room = min(self.max_later, self.max_batch - len(jobs))
            while self._later and room > 0:
                jobs.append(self._later.popleft())
                room -= 1
            return jobs

    def _loop(self) -> None:
        while (jobs := self._take()) is not None:
            self._write(jobs)

    def _write(self, jobs: list) -> None:
        if len(jobs) == 1:
            self._one(*jobs[0][:2])
            return
        results: dict[int, object] = {}
        try:
            with transaction(self.sessions) as session:
                # `later` jobs only defer rows (no database before the commit): run before the
                # turn, so that the other workers wait only for the database work
                for i, (fn, _, later) in enumerate(jobs):
                    if later:
                        results[i] = fn(session)
                with self._turn():
                    for i, (fn, _, later) in enumerate(jobs):
                        if not later:
                            results[i] = fn(session)
                    session.commit()
        except Exception:  # replay one by one: each failure goes to its own caller
            for fn, fut, _ in jobs:
                self._one(fn, fut)
            return
        for i, (_, fut, _) in enumerate(jobs):
            fut.set_result(results[i])

    def _one(self, fn, fut: Future) -> None:
        try:
            with self._turn(), transaction(self.sessions) as session:
                result = fn(session)
        except Exception as exc:
            fut.set_exception(exc)
        else:
            fut.set_result(result)

    @contextlib.contextmanager
    def _turn(self) -> Iterator[None]:
        """SQLite: hold the workers' advisory write lock for one transaction."""
        if self.lock_file is None:
            yield
            return
        if self._lock_fd is None:
            self._lock_fd = os.open(self.lock_file, os.O_RDWR | os.O_CREAT, 0o600)
        fcntl.flock(self._lock_fd, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(self._lock_fd, fcntl.LOCK_UN)
