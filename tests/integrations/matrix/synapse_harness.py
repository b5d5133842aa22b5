"""A real Synapse for the tests and the benchmark: its own virtualenv (`make synapse-venv`,
`.venv-synapse`), a generated config (SQLite, 127.0.0.1, a random port, registration by
shared secret, the baomi module), the homeserver as a subprocess, and a small client for the
client-server API."""

from __future__ import annotations

import hashlib
import hmac
import os
import signal
import subprocess
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import yaml

from tests.service.support import free_port

ROOT = Path(__file__).resolve().parents[3]
SHARED_SECRET = "baomi-test-registration-secret"


def synapse_python() -> Path:
    return Path(os.environ.get("BAOMI_SYNAPSE_PYTHON", ROOT / ".venv-synapse" / "bin" / "python"))


def synapse_missing() -> str | None:
    """Why Synapse cannot run here (None when it can)."""
    py = synapse_python()
    if not py.exists():
        return f"没有 Synapse 虚拟环境 {py}（`make synapse-venv` 安装 matrix-synapse 失败或未运行）"
    probe = subprocess.run([str(py), "-c", "import synapse, baomi.integrations.matrix"],
                           capture_output=True, text=True, timeout=120)
    if probe.returncode:
        return f"Synapse 虚拟环境不可用：{probe.stderr.strip().splitlines()[-1:]}"
    return None


@dataclass
class Homeserver:
    """`python -m synapse.app.homeserver` on 127.0.0.1 with the module configured."""

    data_dir: Path
    module_config: dict | None = None
    server_name: str = "localhost"
    port: int = 0
    proc: subprocess.Popen | None = None
    extra: dict = field(default_factory=dict)
    secrets: dict = field(default_factory=lambda: {"macaroon_secret_key": uuid.uuid4().hex,
                                                   "form_secret": uuid.uuid4().hex})

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def log_path(self) -> Path:
        return self.data_dir / "synapse.log"

    def write_config(self) -> Path:
        d = self.data_dir
        unlimited = {"per_second": 100000, "burst_count": 100000}
        cfg = {
            "server_name": self.server_name,
            "public_baseurl": f"{self.url}/",
            "pid_file": str(d / "homeserver.pid"),
            "listeners": [{"port": self.port, "bind_addresses": ["127.0.0.1"], "type": "http",
                           "tls": False, "x_forwarded": False,
                           "resources": [{"names": ["client"], "compress": False}]}],
            "database": {"name": "sqlite3", "args": {"database": str(d / "homeserver.db")}},
            "media_store_path": str(d / "media_store"),
            "signing_key_path": str(d / "signing.key"),
            "registration_shared_secret": SHARED_SECRET,
            **self.secrets,  # the same across a restart
            "report_stats": False,
            "trusted_key_servers": [],
            "suppress_key_server_warning": True,
            "enable_metrics": False,
            "presence": {"enabled": False},
            "rc_message": unlimited,
            "rc_login": {"address": unlimited, "account": unlimited, "failed_attempts": unlimited},
            "rc_registration": unlimited,
            "rc_joins": {"local": unlimited, "remote": unlimited},
            "rc_room_creation": unlimited,
            "rc_invites": {"per_room": unlimited, "per_user": unlimited, "per_issuer": unlimited},
            "modules": [{"module": "baomi.integrations.matrix.BaomiModule", "config": self.module_config}]
            if self.module_config is not None else [],
        } | self.extra
        path = d / "homeserver.yaml"
        path.write_text(yaml.safe_dump(cfg, allow_unicode=True))
        return path

    def start(self, timeout: float = 120) -> Homeserver:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.port = self.port or free_port()
        config = self.write_config()
        py = str(synapse_python())
        cmd = [py, "-m", "synapse.app.homeserver", "--config-path", str(config)]
        subprocess.run([*cmd, "--generate-keys"], check=True, capture_output=True, timeout=120)
        log = open(self.log_path, "ab")  # noqa: SIM115 - kept open for the process's life
        env = {k: v for k, v in os.environ.items() if not k.startswith("BAOMI_")}
        self.proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=env,
                                     start_new_session=True, cwd=self.data_dir)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"synapse exited: {self.log_path.read_text()[-3000:]}")
            try:
                if httpx.get(f"{self.url}/_matrix/client/versions", timeout=2).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"synapse did not start: {self.log_path.read_text()[-3000:]}")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()

    def restart(self) -> Homeserver:
        self.stop()
        return self.start()

    def register(self, localpart: str, admin: bool = False) -> Client:
        """A new user through the shared-secret admin API; returns a logged-in client."""
        api = f"{self.url}/_synapse/admin/v1/register"
        nonce = httpx.get(api, timeout=30).json()["nonce"]
        password = f"pw-{localpart}-{uuid.uuid4().hex[:8]}"
        role = "admin" if admin else "notadmin"
        signed = b"\x00".join(p.encode() for p in (nonce, localpart, password, role))
        mac = hmac.new(SHARED_SECRET.encode(), signed, hashlib.sha1).hexdigest()
        r = httpx.post(api, json={"nonce": nonce, "username": localpart, "password": password,
                                  "admin": admin, "mac": mac}, timeout=30)
        r.raise_for_status()
        return Client(self.url, r.json()["access_token"], r.json()["user_id"])


class Client:
    """The client-server API as one user."""

    def __init__(self, base: str, token: str, user_id: str) -> None:
        self.user_id = user_id
        self.http = httpx.Client(base_url=base, timeout=60, headers={"Authorization": f"Bearer {token}"})

    def create_room(self, name: str, channel: str | None = None, invite: tuple[str, ...] = ()) -> str:
        marker = {"type": "cn.baomi.channel", "state_key": "", "content": {"channel": channel}}
        state = [marker] if channel else []
        r = self.http.post("/_matrix/client/v3/createRoom",
                           json={"name": name, "preset": "private_chat", "invite": list(invite),
                                 "initial_state": state})
        r.raise_for_status()
        return r.json()["room_id"]

    def join(self, room_id: str) -> None:
        self.http.post(f"/_matrix/client/v3/join/{room_id}", json={}).raise_for_status()

    def send(self, room_id: str, content: dict, event_type: str = "m.room.message") -> httpx.Response:
        txn = uuid.uuid4().hex
        return self.http.put(f"/_matrix/client/v3/rooms/{room_id}/send/{event_type}/{txn}", json=content)

    def text(self, room_id: str, body: str) -> httpx.Response:
        return self.send(room_id, {"msgtype": "m.text", "body": body})

    def upload(self, data: bytes, filename: str, content_type: str) -> str:
        r = self.http.post("/_matrix/media/v3/upload", params={"filename": filename}, content=data,
                           headers={"Content-Type": content_type})
        r.raise_for_status()
        return r.json()["content_uri"]

    def messages(self, room_id: str, limit: int = 50) -> list[dict]:
        """The room's m.room.message events, oldest first."""
        r = self.http.get(f"/_matrix/client/v3/rooms/{room_id}/messages",
                          params={"dir": "b", "limit": limit})
        r.raise_for_status()
        return [e for e in reversed(r.json()["chunk"]) if e["type"] == "m.room.message"]

    def joined_rooms(self) -> list[str]:
        return self.http.get("/_matrix/client/v3/joined_rooms").json()["joined_rooms"]
