"""First start and every start: keys, migrations to head, the first admin account."""

from __future__ import annotations

from functools import cache
from importlib import resources

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from baomi.service.db import make_sessionmaker, transaction
from baomi.service.security import hash_password, load_keys, new_password
from baomi.service.settings import Settings


def alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(resources.files("baomi.service") / "migrations"))
    return cfg


def migrate(engine: Engine) -> None:
    """Apply every migration not yet applied (in one transaction per database)."""
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


@cache
def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def schema_is_current(engine: Engine) -> bool:
    head = head_revision()
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision() == head


def prepare(settings: Settings, engine: Engine, say=print) -> None:
    """Create the data dir and keys, migrate, and create `admin` on first start."""
    from baomi.service.registry.book import load_registry_keys
    from baomi.service.users.service import create_first_admin

    settings.data_dir.mkdir(parents=True, exist_ok=True)
    keys = load_keys(settings, create=True)
    load_registry_keys(settings, create=True)
    migrate(engine)
    password = settings.admin_password or new_password()
    with transaction(make_sessionmaker(engine)) as session:
        created = create_first_admin(
            session, keys, hash_password(password), must_change=not settings.admin_password
        )
    _fail_interrupted_audits(settings, engine)
    if created and not settings.admin_password:
        say(
            f"首次启动：已创建管理员账户 admin，一次性密码：{password}\n"
            "（只显示这一次；首次登录后请用 POST /v1/auth/password 修改）"
        )
    elif created:
        say("首次启动：已创建管理员账户 admin（密码取自 BAOMI_ADMIN_PASSWORD）")


def _fail_interrupted_audits(settings: Settings, engine: Engine) -> None:
    """Audit jobs a stopped service left unfinished fail with a reason; their uploaded
    exports (plaintext) are deleted."""
    import shutil

    from sqlalchemy import select

    from baomi.service.audits.models import AuditJob
    from baomi.service.db import utcnow

    with transaction(make_sessionmaker(engine)) as session:
        for job in session.scalars(select(AuditJob).where(AuditJob.state.in_(("queued", "running")))):
            job.state, job.error, job.finished_at = "failed", "服务重启，审计中断，请重新上传", utcnow()
            shutil.rmtree(settings.data_dir / "audits" / job.id / "input", ignore_errors=True)
