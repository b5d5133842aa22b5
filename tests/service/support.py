"""Helpers for the service tests: a real `baomi serve` process on a random port, a
PostgreSQL database made and dropped per run, and a small API client."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ADMIN_PASSWORD = "admin-test-password"
PASSWORD = "user-test-password"
BAOMI = str(Path(sys.executable).with_name("baomi"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def postgres_admin_url() -> str | None:
    return os.environ.get("BAOMI_TEST_POSTGRES_URL") or None


class PostgresDatabase:
    """A fresh database on the test server, dropped on close."""

    def __init__(self, admin_url: str) -> None:
        import psycopg

        self._psycopg = psycopg
        self.admin = admin_url.replace("postgresql+psycopg://", "postgresql://")
        self.name = f"baomi_test_{uuid.uuid4().hex[:10]}"
        with psycopg.connect(self.admin, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{self.name}"')
        base = admin_url.rsplit("/", 1)[0]
        self.url = f"{base}/{self.name}"

    def close(self) -> None:
        with self._psycopg.connect(self.admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


@dataclass
class Server:
    """`baomi serve` as a subprocess; its output goes to server.log in the data dir."""

    data_dir: Path
    database_url: str = ""
    workers: int = 1
    extra_env: dict = field(default_factory=dict)
    port: int = 0
    proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def log_path(self) -> Path:
        return self.data_dir / "server.log"

    def env(self) -> dict:
        env = {k: v for k, v in os.environ.items() if not k.startswith("BAOMI_")}
        env |= {
            "BAOMI_ADMIN_PASSWORD": ADMIN_PASSWORD,
            "BAOMI_DATABASE_URL": self.database_url,
            "BAOMI_SWEEP_SECONDS": "0.5",
            "BAOMI_RATE_LIMIT_PER_MINUTE": "0",
            "BAOMI_SHUTDOWN_GRACE_SECONDS": "5",
        }
        return env | self.extra_env

    def start(self, timeout: float = 60) -> Server:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.port = self.port or free_port()
        log = open(self.log_path, "ab")  # noqa: SIM115 - kept open for the process's life
        self.proc = subprocess.Popen(
            [
                BAOMI,
                "serve",
                "--port",
                str(self.port),
                "--data-dir",
                str(self.data_dir),
                "--workers",
                str(self.workers),
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
            env=self.env(),
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited: {self.log_path.read_text()[-2000:]}")
            try:
                if httpx.get(f"{self.url}/readyz", timeout=2).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError("server did not become ready")

    def stop(self, sig: int = signal.SIGTERM) -> None:
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, sig)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()


class Api:
    """A logged-in client: `api.post("/v1/checks", json=…)` returns the httpx response."""

    def __init__(self, base_url: str, token: str | None = None, transport=None) -> None:
        kwargs = {"transport": transport} if transport is not None else {}
        self.http = httpx.Client(base_url=base_url, timeout=60, **kwargs)
        if token:
            self.http.headers["Authorization"] = f"Bearer {token}"

    @classmethod
    def login(cls, base_url: str, username: str, password: str, transport=None) -> Api:
        api = cls(base_url, transport=transport)
        r = api.http.post("/v1/auth/token", data={"username": username, "password": password})
        assert r.status_code == 200, r.text
        api.http.headers["Authorization"] = f"Bearer {r.json()['access_token']}"
        return api

    def __getattr__(self, name):
        return getattr(self.http, name)


ROLES = ("sender", "reviewer", "secrecy_officer", "auditor", "admin")


def make_org(admin: Api) -> dict:
    """Units 办公室 (with 档案科 below) and 财政局, and users of every role; returns ids."""
    root = admin.get("/v1/units").json()[0]["id"]
    office = admin.post("/v1/units", json={"name": "办公室", "parent_id": root}).json()["id"]
    archive = admin.post("/v1/units", json={"name": "档案科", "parent_id": office}).json()["id"]
    finance = admin.post("/v1/units", json={"name": "财政局", "parent_id": root}).json()["id"]
    users = {}
    for name, role, unit, classified in (
        ("sender1", "sender", office, False),
        ("sender2", "sender", archive, False),
        ("secret1", "sender", office, True),
        ("reviewer1", "reviewer", office, False),
        ("officer1", "secrecy_officer", office, False),
        ("auditor1", "auditor", office, False),
        ("reviewer_fin", "reviewer", finance, False),
        ("sender_fin", "sender", finance, False),
    ):
        r = admin.post(
            "/v1/users",
            json={
                "username": name,
                "password": PASSWORD,
                "role": role,
                "unit_id": unit,
                "classified": classified,
            },
        )
        assert r.status_code == 201, r.text
        users[name] = r.json()["id"]
    return {"root": root, "office": office, "archive": archive, "finance": finance, "users": users}


def wait_done(api: Api, job_id: str, timeout: float = 240) -> dict:
    """Poll an archive audit job until it is done or failed."""
    deadline = time.monotonic() + timeout
    while True:
        job = api.get(f"/v1/audits/{job_id}").json()
        if job["state"] in ("done", "failed") or time.monotonic() > deadline:
            return job
        time.sleep(0.3)
