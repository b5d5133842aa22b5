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


def make_engine(url: str, sqlite_synchronous: str = "full") -> Engine:
    """An engine for `url`; SQLite gets WAL, foreign keys and BEGIN IMMEDIATE so that
    concurrent writers from several workers wait for each other instead of failing.
    `sqlite_synchronous` "full" syncs the WAL at every commit (survives power loss); "normal"
    survives a killed process but may lose the last commits on power loss (about 2× faster)."""
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
        cur.close()

    @event.listens_for(engine, "begin")
    def _begin(conn) -> None:
        conn.exec_driver_sql(f"BEGIN {conn.get_execution_options().get('sqlite_begin', 'IMMEDIATE')}")

    return engine


def begin_read(session: Session) -> None:
    """Start the session's next transaction as a read: on SQLite BEGIN DEFERRED, which takes no
    write lock. The caller commits it before writing. Inside a transaction already: no-op."""
    if not session.in_transaction():
        session.connection(execution_options={"sqlite_begin": "DEFERRED"})


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    factory = sessionmaker(engine, expire_on_commit=False)
    event.listen(factory, "before_commit", write_deferred)
    return factory


def defer_insert(session: Session, table: Table, row: dict) -> None:
    """Insert `row` when the session commits, in one multi-row INSERT per table with the other
    rows deferred in this transaction (tables in the order first used). For rows nothing else
    in the transaction refers to through the ORM; much cheaper than a unit-of-work flush."""
    session.info.setdefault("deferred_rows", {}).setdefault(table, []).append(row)


def write_deferred(session: Session) -> None:
    """Write the deferred rows (run before each commit by sessions of `make_sessionmaker`)."""
    for table, rows in session.info.pop("deferred_rows", {}).items():
        session.execute(insert(table), rows)


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
