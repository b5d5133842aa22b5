"""Operations: JSON logs without message text, Prometheus metrics, request-size and rate
limits, health and readiness."""

from __future__ import annotations

import json
import logging
import os
import threading
import time
import traceback
import uuid
from pathlib import Path

from prometheus_client import CONTENT_TYPE_LATEST as METRICS_CONTENT_TYPE
from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest, multiprocess

from baomi.service.errors import RateLimited

_LOG_FIELDS = ("event", "method", "route", "status", "ms", "request_id", "user_id", "error", "worker")


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message and known fields, nothing else."""

    def format(self, record: logging.LogRecord) -> str:
        out = {
            "ts": round(record.created, 3),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage()[:300],
        }
        for key in _LOG_FIELDS:
            if hasattr(record, key):
                out[key] = getattr(record, key)
        if record.exc_info and record.exc_info[0] is not None:
            # the type and where, never the message: it may quote input
            out["exception"] = record.exc_info[0].__name__
            frames = [f for f in traceback.extract_tb(record.exc_info[2]) if "/baomi/" in f.filename][-6:]
            out["where"] = [f"{Path(f.filename).name}:{f.lineno}:{f.name}" for f in frames]
        return json.dumps(out, ensure_ascii=False)


def configure_logging(level: str) -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter())
    for name in ("baomi", "uvicorn", "uvicorn.error"):
        lg = logging.getLogger(name)
        lg.handlers[:] = [handler]
        lg.setLevel(level.upper())
        lg.propagate = False
    logging.getLogger("uvicorn.access").disabled = True  # replaced by our request log


class Metrics:
    """Request counts and latency by route template, decisions and rules of checks."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "baomi_http_requests_total",
            "HTTP requests",
            ["method", "route", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "baomi_http_request_duration_seconds",
            "HTTP request latency",
            ["route"],
            registry=self.registry,
            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
        )
        self.decisions = Counter(
            "baomi_decisions_total", "Check decisions", ["decision"], registry=self.registry
        )
        self.rules = Counter(
            "baomi_rule_findings_total", "Checks by rule found", ["rule"], registry=self.registry
        )

    def verdict(self, decision: str, rules: list[str]) -> None:
        self.decisions.labels(decision).inc()
        for rule in rules:
            self.rules.labels(rule).inc()

    def render(self) -> bytes:
        if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
            reg = CollectorRegistry()
            multiprocess.MultiProcessCollector(reg)
            return generate_latest(reg)
        return generate_latest(self.registry)


class RateLimiter:
    """A token bucket per API/session token (per worker process)."""

    def __init__(self, per_minute: int) -> None:
        self.rate = per_minute / 60.0
        self.burst = max(1.0, per_minute / 2)
        self._buckets: dict[int, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def hit(self, key: int) -> None:
        if self.rate <= 0:
            return
        now = time.monotonic()
        with self._lock:
            level, last = self._buckets.get(key, (self.burst, now))
            level = min(self.burst, level + (now - last) * self.rate)
            if level < 1:
                self._buckets[key] = (level, now)
                raise RateLimited(f"请求过于频繁，请 {int((1 - level) / self.rate) + 1} 秒后再试")
            self._buckets[key] = (level - 1, now)


class LimitsAndLogs:
    """ASGI middleware: refuse oversized bodies (413), log and measure every request."""

    def __init__(self, app, max_body: int, metrics: Metrics) -> None:
        self.app = app
        self.max_body = max_body
        self.metrics = metrics
        self.log = logging.getLogger("baomi.access")

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        start = time.perf_counter()
        request_id = uuid.uuid4().hex[:16]
        status = {"code": 500}
        length = dict(scope["headers"]).get(b"content-length")
        if length is not None and length.isdigit() and int(length) > self.max_body:
            await _too_large(send, self.max_body)
            status["code"] = 413
            return self._done(scope, status["code"], start, request_id)
        seen = {"bytes": 0}

        async def limited_receive():
            message = await receive()
            if message["type"] == "http.request":
                seen["bytes"] += len(message.get("body", b""))
                if seen["bytes"] > self.max_body:
                    raise _BodyTooLarge
            return message

        async def send_wrapper(message):
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
                message.setdefault("headers", []).append((b"x-request-id", request_id.encode()))
            await send(message)

        try:
            await self.app(scope, limited_receive, send_wrapper)
        except _BodyTooLarge:
            status["code"] = 413
            await _too_large(send, self.max_body)
        self._done(scope, status["code"], start, request_id)

    def _done(self, scope, code: int, start: float, request_id: str) -> None:
        route = scope.get("route")
        template = getattr(route, "path", None) or "unmatched"
        elapsed = time.perf_counter() - start
        self.metrics.requests.labels(scope["method"], template, str(code)).inc()
        self.metrics.latency.labels(template).observe(elapsed)
        state = scope.get("state") or {}
        self.log.info(
            "request",
            extra={
                "event": "request",
                "method": scope["method"],
                "route": template,
                "status": code,
                "ms": round(elapsed * 1000, 2),
                "request_id": request_id,
                "user_id": state.get("user_id"),
            },
        )


class _BodyTooLarge(Exception):
    pass


async def _too_large(send, limit: int) -> None:
    body = json.dumps(
        {"detail": f"请求体过大（上限 {limit} 字节）", "code": "too_large"}, ensure_ascii=False
    ).encode()
    try:
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", b"application/json; charset=utf-8"),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})
    except RuntimeError:
        pass  # the response had started already


__all__ = [
    "METRICS_CONTENT_TYPE",
    "JsonFormatter",
    "LimitsAndLogs",
    "Metrics",
    "RateLimiter",
    "configure_logging",
]
