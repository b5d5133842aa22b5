"""schemathesis against /openapi.json of a real server: no generated request may get a
server error (bounded in time; two roles so that both admin and queue routes are reached)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("schemathesis")

from tests.service.support import ADMIN_PASSWORD, PASSWORD, Api, Server, make_org

ST = str(Path(sys.executable).with_name("st"))


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    srv = Server(tmp_path_factory.mktemp("schemathesis")).start()
    admin = Api.login(srv.url, "admin", ADMIN_PASSWORD)
    make_org(admin)
    # both logins first: the admin's run may change other users (PATCH /v1/users/{id})
    srv.tokens = {u: Api.login(srv.url, u, ADMIN_PASSWORD if u == "admin" else PASSWORD)
                  for u in ("admin", "officer1")}  # fmt: skip
    yield srv
    srv.stop()


@pytest.mark.parametrize("user", ["admin", "officer1"])
def test_no_server_errors(server, user, tmp_path):
    bearer = server.tokens[user].http.headers["Authorization"]
    run = subprocess.run(
        [
            ST,
            "run",
            f"{server.url}/openapi.json",
            "--checks",
            "not_a_server_error",
            "--max-examples",
            "8",
            "--seed",
            "7",
            "--max-time",
            "30",
            "--header",
            f"Authorization: {bearer}",
            "--exclude-path",
            "/v1/auth/logout",
            "--exclude-path",
            "/v1/auth/password",
            "--report-dir",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,  # its cache stays out of the work tree
    )
    assert run.returncode == 0, run.stdout[-4000:]
    cases = re.search(r"(\d+) generated, (\d+) passed\s*$", run.stdout, re.M)
    assert cases and cases[1] == cases[2] and int(cases[1]) > 50, run.stdout[-2000:]
    assert '"level": "error"' not in server.log_path.read_text()
