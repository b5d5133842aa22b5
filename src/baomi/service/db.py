"""Database engine and sessions: SQLite (WAL, foreign keys, immediate transactions) or
PostgreSQL, through the same SQLAlchemy code."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

from sqlalchemy import DateTime, Engine, MetaData, Table, create_engine, event, insert
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.types import TypeDecorator

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class UtcDateTime(TypeDecorator):
    """Timezone-aware UTC datetimes on both databases (SQLite keeps no zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None:
            value = value.astimezone(UTC)
            if dialect.name == "sqlite":
                value = value.replace(tzinfo=None)
        return value

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value


def utcnow() -> datetime:
    return datetime.now(UTC)


def make_engine(url: str, sqlite_synchronous: str = "full", background_checkpoints: bool = False) -> Engine:
    """An engine for `url`; SQLite gets WAL, foreign keys and BEGIN IMMEDIATE so that
    concurrent writers from several workers wait for each other instead of failing.
    `sqlite_synchronous` "full" syncs the WAL at every commit (survives power loss); "normal"
    survives a killed process but may lose the last commits on power loss (about 2× faster).
    `background_checkpoints`: no commit copies the WAL into the database file (SQLite does that
    every 1,000 pages by default, inside the commit that crosses the mark: a stall of 100–300 ms
    under load); the owner calls `checkpoint` every second instead (the service does)."""
    if not url.startswith("sqlite"):
        return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=10)
    engine = create_engine(url, connect_args={"timeout": 60, "check_same_thread": False})

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_conn, _record) -> None:
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA synchronous={sqlite_synchronous.upper()}")
        cur.execute("PRAGMA busy_timeout=60000")
        cur.execute("PRAGMA secure_delete=ON")  # purged ciphertext is overwritten, not left in free pages
        if background_checkpoints:
            cur.execute("PRAGMA wal_autocheckpoint=0")
        cur.close()

    @event.listens_for(engine, "begin")
    def _begin(conn) -> None:
        conn.exec_driver_sql(f"BEGIN {conn.get_execution_options().get('sqlite_begin', 'IMMEDIATE')}")

    return engine


def checkpoint(engine: Engine) -> None:
    """SQLite: copy what the WAL holds into the database file, without waiting for readers or
    writers (PASSIVE: commits go on meanwhile). Other databases: nothing to do."""
    if engine.dialect.name != "sqlite":
        return
    conn = engine.raw_connection()
    try:
        conn.driver_connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
    finally:
        conn.close()


def begin_read(session: Session) -> None:
    """Start the session's next transaction as a read: on SQLite BEGIN DEFERRED, which takes no
    write lock. The caller commits it before writing. Inside a transaction already: no-op."""
    if not session.in_transaction():
        session.connection(execution_options={"sqlite_begin": "DEFERRED"})


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    factory = sessionmaker(engine, expire_on_commit=False)
    event.listen(factory, "before_commit", _before_commit)
    event.listen(factory, "after_transaction_create", _savepoint_begun)
    event.listen(factory, "after_soft_rollback", _rolled_back)
    return factory


class _Pending:
    """What a transaction writes at its commit: deferred rows, hooks, and state of its own (the
    audit chain's head). A savepoint that rolls back takes its share of all three back."""

    def __init__(self) -> None:
        self.rows: dict[Table, list[dict]] = {}
        self.hooks: dict[str, object] = {}
        self.state: dict[str, object] = {}  # values with snapshot() and restore(snapshot)
        self.savepoints: dict[object, tuple] = {}

    def snapshot(self) -> tuple:
        counts = {t: len(r) for t, r in self.rows.items()}
        return counts, dict(self.hooks), {k: v.snapshot() for k, v in self.state.items()}

    def restore(self, snap: tuple) -> None:
        counts, hooks, state = snap
        self.rows = {t: r[: counts[t]] for t, r in self.rows.items() if t in counts}
        self.hooks = hooks
        self.state = {k: v for k, v in self.state.items() if k in state}
        for k, v in self.state.items():
            v.restore(state[k])


def _pending(session: Session) -> _Pending:
    pending = session.info.get("pending")
    if pending is None:
        pending = session.info["pending"] = _Pending()
        tx = session.get_nested_transaction()
        while tx is not None and tx.nested:  # savepoints already open: they began with nothing
            pending.savepoints[tx] = ({}, {}, {})
            tx = tx.parent
    return pending


def defer_insert(session: Session, table: Table, row: dict) -> None:
    """Insert `row` when the session commits, in one executemany per table with the other
    rows deferred in this transaction (tables in the order first used). For rows nothing else
    in the transaction refers to through the ORM; much cheaper than a unit-of-work flush."""
    _pending(session).rows.setdefault(table, []).append(row)


def at_commit(session: Session, key: str, fn) -> None:
    """Run `fn(session)` just before this transaction commits, after the deferred inserts; once
    per `key` (the last `fn` given for it)."""
    _pending(session).hooks[key] = fn


def tx_state(session: Session, key: str, make=None):
    """State kept for the current transaction under `key` (made by `make()` when missing and
    `make` is given); it has snapshot() and restore(s), so a rolled-back savepoint restores it."""
    pending = _pending(session)
    if key not in pending.state and make is not None:
        pending.state[key] = make()
    return pending.state.get(key)


def _before_commit(session: Session) -> None:
    if session.in_nested_transaction():
        return  # a savepoint released: its share is written with the transaction
    pending = session.info.get("pending")
    if pending is None:
        return
    for table, rows in pending.rows.items():
        if rows:
            session.execute(insert(table), rows)
    for fn in list(pending.hooks.values()):  # hooks see this transaction's state (tx_state)
        fn(session)
    session.info.pop("pending", None)


def _savepoint_begun(session: Session, transaction) -> None:
    pending = session.info.get("pending")
    if transaction.nested and pending is not None:
        pending.savepoints[transaction] = pending.snapshot()


def _rolled_back(session: Session, previous_transaction) -> None:
    """A savepoint rolled back: its share undone. The transaction rolled back: all of it.
    (Not `after_rollback`: that fires for a savepoint too, and says not which.)"""
    pending = session.info.get("pending")
    if pending is None:
        return
    if previous_transaction.nested:
        snap = pending.savepoints.pop(previous_transaction, None)
        if snap is not None:
            pending.restore(snap)
    elif previous_transaction.parent is None:
        session.info.pop("pending", None)


@contextmanager
def transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """One unit of work: commit on success (then run the after-commit hooks), roll back on error.
    Service functions may commit early to end a read (see checks.service._prepare)."""
    from baomi.service.context import run_after_commit

    with factory() as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        run_after_commit(session)
