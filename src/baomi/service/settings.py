"""Service settings: environment (BAOMI_*) or a TOML file, validated; errors name the setting."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from baomi.errors import BaomiError


class SettingsError(BaomiError):
    """A setting that does not validate (exit 3, like an invalid policy)."""

    exit_code = 3


class Settings(BaseSettings):
    """Everything the service reads from outside. Built once and passed down; never global."""

    model_config = SettingsConfigDict(env_prefix="BAOMI_", extra="forbid")

    data_dir: Path = Path("./var")
    # SQLAlchemy URL; empty means SQLite in the data dir.
    database_url: str = ""
    # SQLite only: "full" survives power loss, "normal" only a killed process (faster).
    sqlite_synchronous: Literal["full", "normal"] = "full"
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    workers: int = Field(default=1, ge=1, le=64)
    # First start: the admin's password (otherwise a one-time password is printed).
    admin_password: str = ""
    # AES-GCM keys for held content, "kid:base64key[,kid:base64key]"; the first encrypts.
    content_keys: str = ""
    content_key_file: Path | None = None
    # HMAC key (base64) for content hashes and the audit chain.
    hmac_key: str = ""
    hmac_key_file: Path | None = None
    # The unit key of the registries of classified documents (text, ≥ 16 bytes); else the file.
    registry_key: str = ""
    registry_key_file: Path | None = None
    session_hours: float = Field(default=8.0, gt=0, le=24 * 30)
    # Held content is purged this long after the decision.
    retention_days: float = Field(default=7.0, ge=0)
    max_request_bytes: int = Field(default=25 * 1024 * 1024, ge=1024)
    max_attachment_bytes: int = Field(default=20 * 1024 * 1024, ge=1)
    max_attachments: int = Field(default=10, ge=0, le=100)
    max_text_chars: int = Field(default=100_000, ge=1)
    batch_limit: int = Field(default=1000, ge=1, le=1000)
    rate_limit_per_minute: int = Field(default=1200, ge=0)  # per token; 0 switches it off
    # A worker keeps a verified token (and its unit's policy) this long before reading it from
    # the database again: a token revoked, a user disabled or a policy activated through another
    # worker takes effect there within this bound (at once in the worker that made the change).
    auth_cache_seconds: float = Field(default=2.0, ge=0, le=60)
    # A check answered allow with no finding (and no idempotency key) is answered once its write
    # is queued, before the group commit: a worker killed in between loses that record. False:
    # every check is answered only after its commit.
    ack_allow_before_commit: bool = True
    webhook_url: str = ""
    webhook_secret: str = ""
    sweep_seconds: float = Field(default=15.0, gt=0)
    shutdown_grace_seconds: int = Field(default=30, ge=0)
    # Tests and demos only: answer OCR from this FakeOcr JSON file instead of the real models.
    ocr_fake_file: Path | None = None
    # Console cookies carry the Secure flag (browsers accept it on https and on localhost).
    console_secure_cookies: bool = True
    log_level: Literal["debug", "info", "warning", "error"] = "info"

    @field_validator("database_url")
    @classmethod
    def _known_database(cls, url: str) -> str:
        if url and not url.startswith(("sqlite", "postgresql")):
            raise ValueError("只支持 sqlite:/// 或 postgresql+psycopg:// 地址")
        if url.startswith("postgresql://") or url.startswith("postgresql+psycopg2"):
            url = "postgresql+psycopg://" + url.split("://", 1)[1]
        return url

    @field_validator("webhook_url")
    @classmethod
    def _http_url(cls, url: str) -> str:
        if url and not url.startswith(("http://", "https://")):
            raise ValueError("回调地址必须以 http:// 或 https:// 开头")
        return url

    @property
    def db_url(self) -> str:
        return self.database_url or f"sqlite:///{(self.data_dir / 'baomi.db').resolve()}"

    @property
    def is_sqlite(self) -> bool:
        return self.db_url.startswith("sqlite")


def load_settings(toml_file: Path | None = None, **overrides) -> Settings:
    """Settings from the environment, then the TOML file, then explicit overrides (CLI flags)."""
    values: dict = {}
    if toml_file is not None:
        try:
            values = tomllib.loads(Path(toml_file).read_text(encoding="utf-8"))
        except OSError as exc:
            raise SettingsError(f"无法读取配置文件 {toml_file}：{exc.strerror}") from None
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise SettingsError(f"配置文件 {toml_file} 不是有效的 TOML：{exc}") from None
        values = values.get("baomi", values)
    values.update({k: v for k, v in overrides.items() if v is not None})
    try:
        return Settings(**values)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            name = ".".join(str(p) for p in err["loc"])
            msg = err["msg"].removeprefix("Value error, ")
            if err["type"] == "extra_forbidden":
                msg = "未知的设置"
            problems.append(f"BAOMI_{name.upper()}（{name}）：{msg}")
        raise SettingsError("配置无效：\n  " + "\n  ".join(problems)) from None
