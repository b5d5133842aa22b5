"""Fixtures: a real server on SQLite and on PostgreSQL (skipped only when no PostgreSQL URL
is configured and CI is not set; CI must run them)."""

from __future__ import annotations

import os

import pytest

pytest.importorskip("fastapi")

from tests.service.support import ADMIN_PASSWORD, Api, PostgresDatabase, Server, make_org, postgres_admin_url


def _database(backend: str):
    if backend == "sqlite":
        return "", None
    url = postgres_admin_url()
    if url is None:
        if os.environ.get("CI"):
            pytest.fail("CI must run the PostgreSQL tests: BAOMI_TEST_POSTGRES_URL is not set")
        pytest.skip("no PostgreSQL configured (BAOMI_TEST_POSTGRES_URL)")
    db = PostgresDatabase(url)
    return db.url, db


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def server(request, tmp_path_factory):
    url, db = _database(request.param)
    srv = Server(tmp_path_factory.mktemp(f"srv-{request.param}"), url).start()
    srv.backend = request.param
    yield srv
    srv.stop()
    if db is not None:
        db.close()


@pytest.fixture(scope="module")
def org(server):
    admin = Api.login(server.url, "admin", ADMIN_PASSWORD)
    return make_org(admin)
