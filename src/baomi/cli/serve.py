"""`baomi serve` (the service on uvicorn) and `baomi audit-log verify`."""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path
from typing import Annotated

import typer

ConfigOpt = Annotated[Path | None, typer.Option("--config", help="TOML 配置文件（[baomi] 表或顶层键）")]
DataDirOpt = Annotated[Path | None, typer.Option("--data-dir", help="数据目录（SQLite 数据库、密钥）")]


def _settings(config: Path | None, **overrides):
    from baomi.service.settings import load_settings

    return load_settings(config, **overrides)


def serve(
    host: Annotated[str | None, typer.Option("--host", help="监听地址")] = None,
    port: Annotated[int | None, typer.Option("--port", help="端口")] = None,
    data_dir: DataDirOpt = None,
    workers: Annotated[int | None, typer.Option("--workers", help="工作进程数")] = None,
    config: ConfigOpt = None,
) -> None:
    """启动保密审查服务（HTTP 接口、待审队列、事件、审计日志）。"""
    import uvicorn

    from baomi.service import bootstrap
    from baomi.service.asgi import SETTINGS_ENV
    from baomi.service.db import make_engine
    from baomi.service.ops import configure_logging

    settings = _settings(config, host=host, port=port, data_dir=data_dir, workers=workers)
    configure_logging(settings.log_level)
    engine = make_engine(settings.db_url, settings.sqlite_synchronous)
    bootstrap.prepare(settings, engine, say=lambda s: print(s, flush=True))
    engine.dispose()
    if settings.workers > 1:
        metrics_dir = settings.data_dir / "metrics"
        shutil.rmtree(metrics_dir, ignore_errors=True)
        metrics_dir.mkdir(parents=True)
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(metrics_dir)
    os.environ[SETTINGS_ENV] = json.dumps(settings.model_dump(mode="json"))
    where = f"http://{settings.host}:{settings.port}"
    db = "SQLite（" + str(settings.data_dir) + "）" if settings.is_sqlite else "PostgreSQL"
    print(
        f"baomi 服务：{where}  接口文档 {where}/docs  数据库 {db}  工作进程 {settings.workers}\n"
        f"控制台：{where}/login  接口登录：curl -d username=admin -d password=… {where}/v1/auth/token",
        flush=True,
    )
    uvicorn.run(
        "baomi.service.asgi:worker_app",
        factory=True,
        host=settings.host,
        port=settings.port,
        workers=settings.workers,
        log_config=None,
        access_log=False,
        timeout_graceful_shutdown=settings.shutdown_grace_seconds,
    )


audit_app = typer.Typer(help="审计日志", no_args_is_help=True)


@audit_app.command("verify")
def verify(data_dir: DataDirOpt = None, config: ConfigOpt = None) -> None:
    """校验审计日志的哈希链；指出第一条被修改、删除或调换的记录（退出码 1）。"""
    from baomi.service.auditlog.service import verify as verify_chain
    from baomi.service.db import make_engine, make_sessionmaker, transaction
    from baomi.service.security import load_keys

    settings = _settings(config, data_dir=data_dir)
    engine = make_engine(settings.db_url, settings.sqlite_synchronous)
    with transaction(make_sessionmaker(engine)) as session:
        result = verify_chain(session, load_keys(settings))
    engine.dispose()
    print(json.dumps(result.to_dict(), ensure_ascii=False))
    if result.ok:
        print(f"审计日志完整：已校验 {result.checked} 条", file=sys.stderr)
    else:
        print(f"审计日志被篡改：{result.problem}", file=sys.stderr)
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.command()(serve)
    app.add_typer(audit_app, name="audit-log")
