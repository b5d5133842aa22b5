"""The module's configuration (the `config:` block under `modules:` in homeserver.yaml),
validated at load: a typo fails Synapse's start with the setting named, in Chinese."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from baomi.errors import UnknownChannelError
from baomi.model import Channel

#: outside channels fail closed, internal ones open (with an audit record)
DEFAULT_FAIL_MODES = {
    Channel.DIRECT: "open",
    Channel.WORK_GROUP: "open",
    Channel.EXTERNAL_GROUP: "closed",
    Channel.MOMENTS: "closed",
    Channel.PUBLISH: "closed",
}


class ConfigError(ValueError):
    """A bad setting; the message names it."""


@dataclass(frozen=True)
class MatrixConfig:
    """Validated settings; see docs/matrix.md for each key."""

    release_secret: bytes
    backend: str = "local"  # "local" (engine in-process, in-process holds) | "service"
    service_url: str = ""
    service_token: str = ""
    service_timeout: float = 5.0
    policy: Path | None = None
    default_channel: Channel = Channel.WORK_GROUP
    rooms: dict[str, Channel] = field(default_factory=dict)
    fail_modes: dict[Channel, str] = field(default_factory=lambda: dict(DEFAULT_FAIL_MODES))
    bot_localpart: str = "baomi"
    poll_seconds: float = 5.0
    max_media_bytes: int = 20 * 1024 * 1024
    max_pending: int = 1000
    audit_path: Path | None = None

    def fail_open(self, channel: Channel) -> bool:
        return self.fail_modes[channel] == "open"


_KEYS = {
    "release_secret", "backend", "service", "policy", "default_channel", "rooms", "fail_modes",
    "bot_localpart", "poll_seconds", "max_media_bytes", "max_pending", "audit_path",
}


def _channel(value: Any, where: str) -> Channel:
    try:
        return Channel.parse(value)
    except UnknownChannelError as exc:
        raise ConfigError(f"{where}：{exc}") from None


def _number(raw: dict, key: str, default: float, low: float, high: float) -> float:
    value = raw.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:
        raise ConfigError(f"{key}：必须是 {low} 到 {high} 之间的数，而不是 {value!r}")
    return value


def parse_config(raw: dict | None) -> MatrixConfig:
    """Validate the module's `config:` mapping."""
    raw = raw or {}
    if not isinstance(raw, dict):
        raise ConfigError("baomi 模块的 config 必须是映射（键: 值）")
    unknown = sorted(set(raw) - _KEYS)
    if unknown:
        raise ConfigError(f"未知的设置：{', '.join(unknown)}（可用：{', '.join(sorted(_KEYS))}）")
    secret = raw.get("release_secret")
    if not isinstance(secret, str) or len(secret) < 16:
        raise ConfigError("release_secret：必须设置，至少 16 个字符（用于签名放行的消息）")
    backend = raw.get("backend", "local")
    if backend not in ("local", "service"):
        raise ConfigError(f"backend：必须是 local 或 service，而不是 {backend!r}")
    service = raw.get("service") or {}
    if not isinstance(service, dict) or set(service) - {"url", "token", "timeout_seconds"}:
        raise ConfigError("service：只能有 url、token、timeout_seconds 三项")
    url, token = service.get("url", ""), service.get("token", "")
    if backend == "service" and not (isinstance(url, str) and url.startswith(("http://", "https://"))):
        raise ConfigError("service.url：backend 为 service 时必须是 http(s) 地址")
    if backend == "service" and not (isinstance(token, str) and token):
        raise ConfigError("service.token：backend 为 service 时必须设置 API 令牌")
    timeout = _number(service, "timeout_seconds", 5.0, 0.1, 120)
    rooms = raw.get("rooms") or {}
    if not isinstance(rooms, dict):
        raise ConfigError("rooms：必须是 房间 ID → 渠道 的映射")
    fail_modes = dict(DEFAULT_FAIL_MODES)
    for name, mode in (raw.get("fail_modes") or {}).items():
        if mode not in ("open", "closed"):
            raise ConfigError(f"fail_modes.{name}：必须是 open 或 closed，而不是 {mode!r}")
        fail_modes[_channel(name, f"fail_modes.{name}")] = mode
    bot = raw.get("bot_localpart", "baomi")
    if not isinstance(bot, str) or not bot or not bot.replace("_", "").replace("-", "").isalnum():
        raise ConfigError(f"bot_localpart：不是有效的用户名 {bot!r}")
    policy = raw.get("policy")
    if policy is not None and not Path(policy).is_file():
        raise ConfigError(f"policy：策略文件 {policy} 不存在")
    return MatrixConfig(
        release_secret=secret.encode(),
        backend=backend,
        service_url=url.rstrip("/") if isinstance(url, str) else "",
        service_token=token if isinstance(token, str) else "",
        service_timeout=float(timeout),
        policy=Path(policy) if policy else None,
        default_channel=_channel(raw.get("default_channel", "work_group"), "default_channel"),
        rooms={str(room): _channel(ch, f"rooms.{room}") for room, ch in rooms.items()},
        fail_modes=fail_modes,
        bot_localpart=bot,
        poll_seconds=float(_number(raw, "poll_seconds", 5.0, 0.05, 3600)),
        max_media_bytes=int(_number(raw, "max_media_bytes", 20 * 1024 * 1024, 1, 200 * 1024 * 1024)),
        max_pending=int(_number(raw, "max_pending", 1000, 1, 10**6)),
        audit_path=Path(raw["audit_path"]) if raw.get("audit_path") else None,
    )
