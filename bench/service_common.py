"""Shared by the service benchmarks: a real `baomi serve` process, an org with a sender,
and generated chat messages (bench.corpus_gen, nothing from the evaluation corpus)."""

from __future__ import annotations

from pathlib import Path

from bench.corpus_gen import chat_corpus
from tests.service.support import ADMIN_PASSWORD, PASSWORD, Api, PostgresDatabase, Server, make_org


def start(data_dir: Path, workers: int, database_url: str = "", **env) -> Server:
    extra = {f"BAOMI_{k.upper()}": str(v) for k, v in env.items()}
    return Server(data_dir, database_url, workers=workers, extra_env=extra).start(timeout=120)


def sender_token(srv: Server) -> str:
    """Log in as admin, make the org, return a session token of `sender1`."""
    admin = Api.login(srv.url, "admin", ADMIN_PASSWORD)
    if not any(u["username"] == "sender1" for u in admin.get("/v1/users").json()):
        make_org(admin)
    return Api.login(srv.url, "sender1", PASSWORD).http.headers["Authorization"].split()[1]


def messages(n: int, seed: int = 20240) -> list[dict]:
    return [{"text": m.text, "channel": m.channel} for m in chat_corpus(n, seed)]


__all__ = ["PostgresDatabase", "messages", "sender_token", "start"]
