"""Every route × every role, from one table. The app runs in-process here (fast); the same
functions serve the real process in test_flow.py."""

from __future__ import annotations

import json

import pytest

pytest.importorskip("fastapi")

from fastapi.testclient import TestClient

from baomi.service.app import create_app
from baomi.service.settings import Settings
from tests.service.registry_docs import document
from tests.service.support import ADMIN_PASSWORD, PASSWORD, ROLES, Api, make_org, wait_done

S, R, O, A, AD = ROLES  # noqa: E741  (sender, reviewer, officer, auditor, admin)
ALL = frozenset(ROLES)
READERS = frozenset({R, O, A, AD})
CHECKERS = frozenset({S, R, O, AD})
ACTORS = frozenset({R, O})
ITINERARY = "周四下午张局长去港区码头检查，随行人员两点出发"
USER_OF_ROLE = {S: "sender1", R: "reviewer1", O: "officer1", A: "auditor1", AD: "admin"}


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    settings = Settings(
        data_dir=tmp_path_factory.mktemp("roles"), admin_password=ADMIN_PASSWORD, rate_limit_per_minute=0
    )
    app = create_app(settings, say=lambda _: None)
    with TestClient(app) as client:

        def login(name, password=PASSWORD):
            return Api.login("http://testserver", name, password, transport=client._transport)

        admin = login("admin", ADMIN_PASSWORD)
        org = make_org(admin)
        r = admin.post(
            "/v1/users",
            json={
                "username": "sender_other",
                "password": PASSWORD,
                "role": "sender",
                "unit_id": org["office"],
            },
        )
        org["users"]["sender_other"] = r.json()["id"]
        apis = {role: (admin if role == AD else login(USER_OF_ROLE[role])) for role in ROLES}
        other = login("sender_other")
        officer = apis[O]
        policy = officer.post(f"/v1/units/{org['office']}/policies", json={"yaml": "mode: enforce\n"}).json()
        yield {
            "app": app,
            "apis": apis,
            "other": other,
            "org": org,
            "policy": policy,
            "login": login,
            "admin": admin,
        }


def _hold(env) -> dict:
    """A fresh pending hold in the office unit, sent by sender_other."""
    out = env["other"].post("/v1/checks", json={"text": ITINERARY, "channel": "work_group"}).json()
    return out["hold"]


def _claimed(env, role) -> dict:
    h = _hold(env)
    claimer = env["apis"][role] if role in ACTORS else env["apis"][R]
    return claimer.post(f"/v1/holds/{h['id']}/claim", json={"version": 1}).json()


def _own_check(env, role, text="听说西区变电站爆炸了，伤了好多人，快转发") -> str:
    api = env["apis"][role] if role in CHECKERS else env["other"]
    return api.post("/v1/checks", json={"text": text, "channel": "direct"}).json()["check_id"]


def _incident(env) -> str:
    env["other"].post("/v1/checks", json={"text": "桌上那份机密★10年的文件我拍了", "channel": "direct"})
    return env["apis"][AD].get("/v1/incidents").json()["items"][0]["id"]


def _api_token(env) -> int:
    body = {"user_id": env["org"]["users"]["sender1"], "name": "网关", "scopes": ["checks"]}
    return env["admin"].post("/v1/tokens", json=body).json()["id"]


def _registered(env) -> str:
    """A fresh active document in the office unit's registry."""
    _REG_SEED[0] += 1
    files = {"file": ("通知.txt", document(1000 + _REG_SEED[0]).encode(), "text/plain")}
    data = {"level": "秘密", "unit_id": str(env["org"]["office"])}
    return env["apis"][O].post("/v1/registry", files=files, data=data).json()["id"]


_REG_SEED = [0]


def _registration(e, r) -> tuple[str, dict]:
    _REG_SEED[0] += 1
    files = {"file": ("通知.txt", document(2000 + _REG_SEED[0]).encode(), "text/plain")}
    return "/v1/registry", {"files": files, "data": {"level": "秘密", "unit_id": str(e["org"]["office"])}}


def _audit_job(env) -> str:
    """A small finished archive audit job of the office unit (made once)."""
    if "audit_job" not in env:
        text = {"content": "那份机密★10年的通知发你了"}
        line = {"msgid": "m1", "action": "send", "from": "zhangsan", "tolist": ["lisi"], "roomid": "",
                "msgtime": 1700000000000, "msgtype": "text", "text": text}  # fmt: skip
        files = {"file": ("archive.jsonl", json.dumps(line, ensure_ascii=False).encode())}
        job = env["apis"][O].post("/v1/audits", files=files).json()
        env["audit_job"] = wait_done(env["apis"][O], job["id"])["id"]
    return env["audit_job"]


def _audit_upload(e, r) -> tuple[str, dict]:
    line = {"msgid": f"u-{r}", "action": "send", "from": "a", "tolist": ["b"], "roomid": "",
            "msgtime": 1700000000000, "msgtype": "text", "text": {"content": "周报已发"}}  # fmt: skip
    return "/v1/audits", {"files": {"file": ("archive.jsonl", json.dumps(line).encode())}}


# (method, path template) → (roles allowed, request builder(env, role) → (path, kwargs))
TABLE = {
    ("POST", "/v1/auth/logout"): (ALL, None),  # run last per role (see test)
    ("POST", "/v1/auth/password"): (
        ALL,
        lambda e, r: (
            "/v1/auth/password",
            {
                "json": {
                    "old_password": ADMIN_PASSWORD if r == AD else PASSWORD,
                    "new_password": ADMIN_PASSWORD if r == AD else PASSWORD,
                }
            },
        ),
    ),
    ("GET", "/v1/me"): (ALL, lambda e, r: ("/v1/me", {})),
    ("GET", "/v1/units"): (ALL, lambda e, r: ("/v1/units", {})),
    ("POST", "/v1/units"): (
        {AD},
        lambda e, r: ("/v1/units", {"json": {"name": f"科-{r}", "parent_id": e["org"]["office"]}}),
    ),
    ("GET", "/v1/users"): ({AD}, lambda e, r: ("/v1/users", {})),
    ("POST", "/v1/users"): (
        {AD},
        lambda e, r: (
            "/v1/users",
            {
                "json": {
                    "username": f"new_{r}",
                    "password": PASSWORD,
                    "role": "sender",
                    "unit_id": e["org"]["office"],
                }
            },
        ),
    ),
    ("PATCH", "/v1/users/{user_id}"): (
        {AD},
        lambda e, r: (f"/v1/users/{e['org']['users']['sender2']}", {"json": {"display_name": "档案员"}}),
    ),
    ("GET", "/v1/tokens"): ({AD}, lambda e, r: ("/v1/tokens", {})),
    ("POST", "/v1/tokens"): (
        {AD},
        lambda e, r: (
            "/v1/tokens",
            {"json": {"user_id": e["org"]["users"]["sender1"], "name": "接口", "scopes": ["checks"]}},
        ),
    ),
    ("DELETE", "/v1/tokens/{token_id}"): ({AD}, lambda e, r: (f"/v1/tokens/{_api_token(e)}", {})),
    ("POST", "/v1/checks"): (
        CHECKERS,
        lambda e, r: ("/v1/checks", {"json": {"text": "你好", "channel": "direct"}}),
    ),
    ("POST", "/v1/checks:batch"): (
        CHECKERS,
        lambda e, r: ("/v1/checks:batch", {"json": {"items": [{"text": "你好", "channel": "direct"}]}}),
    ),
    ("GET", "/v1/checks/{check_id}"): (READERS, lambda e, r: (f"/v1/checks/{_own_check(e, A)}", {})),
    ("POST", "/v1/checks/{check_id}/override"): (
        CHECKERS,
        lambda e, r: (
            f"/v1/checks/{_own_check(e, r)}/override",
            {"json": {"justification": "已核实为公开信息"}},
        ),
    ),
    ("POST", "/v1/checks/{check_id}/false-alarm"): (
        CHECKERS,
        lambda e, r: (f"/v1/checks/{_own_check(e, r)}/false-alarm", {"json": {"note": "误报"}}),
    ),
    ("POST", "/v1/reports"): (CHECKERS, lambda e, r: ("/v1/reports", {"json": {"text": ITINERARY}})),
    ("GET", "/v1/holds"): (READERS, lambda e, r: ("/v1/holds", {})),
    ("GET", "/v1/holds/reasons"): (READERS, lambda e, r: ("/v1/holds/reasons", {})),
    ("GET", "/v1/holds/{hold_id}"): (READERS, lambda e, r: (f"/v1/holds/{_hold(e)['id']}", {})),
    ("GET", "/v1/holds/{hold_id}/content"): (
        ACTORS,
        lambda e, r: (f"/v1/holds/{_hold(e)['id']}/content", {}),
    ),
    ("POST", "/v1/holds/{hold_id}/claim"): (
        ACTORS,
        lambda e, r: (f"/v1/holds/{_hold(e)['id']}/claim", {"json": {"version": 1}}),
    ),
    ("POST", "/v1/holds/{hold_id}/unclaim"): (
        ACTORS,
        lambda e, r: (f"/v1/holds/{_claimed(e, r)['id']}/unclaim", {"json": {"version": 2}}),
    ),
    ("POST", "/v1/holds/{hold_id}/approve"): (
        ACTORS,
        lambda e, r: (
            f"/v1/holds/{_hold(e)['id']}/approve",
            {"json": {"version": 1, "reason": "not_secret"}},
        ),
    ),
    ("POST", "/v1/holds/{hold_id}/reject"): (
        ACTORS,
        lambda e, r: (f"/v1/holds/{_hold(e)['id']}/reject", {"json": {"version": 1, "reason": "itinerary"}}),
    ),
    ("POST", "/v1/holds:bulk"): (
        ACTORS,
        lambda e, r: (
            "/v1/holds:bulk",
            {"json": {"action": "claim", "items": [{"id": _hold(e)["id"], "version": 1}]}},
        ),
    ),
    ("GET", "/v1/incidents"): (READERS, lambda e, r: ("/v1/incidents", {})),
    ("GET", "/v1/incidents/export"): ({O, A, AD}, lambda e, r: ("/v1/incidents/export", {})),
    ("GET", "/v1/incidents/{incident_id}"): (READERS, lambda e, r: (f"/v1/incidents/{_incident(e)}", {})),
    ("GET", "/v1/stats/decisions"): (
        READERS,
        lambda e, r: ("/v1/stats/decisions", {"params": {"by": "rule"}}),
    ),
    ("GET", "/v1/stats/rates"): (READERS, lambda e, r: ("/v1/stats/rates", {})),
    ("GET", "/v1/stats/queue"): (READERS, lambda e, r: ("/v1/stats/queue", {})),
    ("GET", "/v1/units/{unit_id}/policy"): (
        READERS,
        lambda e, r: (f"/v1/units/{e['org']['office']}/policy", {}),
    ),
    ("GET", "/v1/units/{unit_id}/policies"): (
        READERS,
        lambda e, r: (f"/v1/units/{e['org']['office']}/policies", {}),
    ),
    ("POST", "/v1/units/{unit_id}/policies"): (
        {O, AD},
        lambda e, r: (
            f"/v1/units/{e['org']['office']}/policies",
            {"json": {"yaml": "review: {sla_minutes: 20}\n"}},
        ),
    ),
    ("GET", "/v1/units/{unit_id}/policy-activations"): (
        READERS,
        lambda e, r: (f"/v1/units/{e['org']['office']}/policy-activations", {}),
    ),
    ("GET", "/v1/policies/{policy_id}"): (READERS, lambda e, r: (f"/v1/policies/{e['policy']['id']}", {})),
    ("POST", "/v1/policies/{policy_id}/activate"): (
        {O, AD},
        lambda e, r: (f"/v1/policies/{e['policy']['id']}/activate", {}),
    ),
    ("GET", "/v1/registry"): ({O, A, AD}, lambda e, r: ("/v1/registry", {})),
    ("POST", "/v1/registry"): ({O, AD}, _registration),
    ("POST", "/v1/registry/{doc_id}/declassify"): (
        {O, AD},
        lambda e, r: (
            f"/v1/registry/{_registered(e)}/declassify",
            {"json": {"reason": "期限届满"}, "params": {"unit_id": e["org"]["office"]}},
        ),
    ),
    ("POST", "/v1/registry/{doc_id}/remove"): (
        {O, AD},
        lambda e, r: (
            f"/v1/registry/{_registered(e)}/remove",
            {"json": {"reason": "误登记"}, "params": {"unit_id": e["org"]["office"]}},
        ),
    ),
    ("POST", "/v1/audits"): ({O, AD}, _audit_upload),
    ("GET", "/v1/audits"): ({O, A, AD}, lambda e, r: ("/v1/audits", {})),
    ("GET", "/v1/audits/{job_id}"): ({O, A, AD}, lambda e, r: (f"/v1/audits/{_audit_job(e)}", {})),
    ("GET", "/v1/audits/{job_id}/files/{name}"): (
        {O, A, AD},
        lambda e, r: (f"/v1/audits/{_audit_job(e)}/files/chains.jsonl", {}),
    ),
    ("GET", "/v1/audit"): ({A, AD}, lambda e, r: ("/v1/audit", {})),
    ("GET", "/v1/audit/verify"): ({A, AD}, lambda e, r: ("/v1/audit/verify", {})),
}
PUBLIC = {
    ("POST", "/v1/auth/token"),
    ("GET", "/healthz"),
    ("GET", "/readyz"),
    ("GET", "/metrics"),
    ("GET", "/openapi.json"),
    ("GET", "/docs"),
    ("GET", "/docs/oauth2-redirect"),
    ("GET", "/redoc"),
}


def test_the_table_covers_every_route(env):
    paths = env["app"].openapi()["paths"]
    routes = {(method.upper(), path) for path, ops in paths.items() for method in ops}
    assert routes - PUBLIC == set(TABLE), (routes - PUBLIC) ^ set(TABLE)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route", [k for k in TABLE if k[1] != "/v1/auth/logout"], ids="{0[0]} {0[1]}".format)
def test_route_role(env, route, role):
    allowed, build = TABLE[route]
    path, kwargs = build(env, role)
    r = env["apis"][role].request(route[0], path, **kwargs)
    if role in allowed:
        assert r.status_code < 400, (r.status_code, r.text)
    else:
        assert r.status_code == 403, (r.status_code, r.text)
        assert r.json()["code"] == "forbidden"


@pytest.mark.parametrize("role", ROLES)
def test_logout_revokes_the_token(env, role):
    api = env["login"](USER_OF_ROLE[role], ADMIN_PASSWORD if role == AD else PASSWORD)
    assert api.post("/v1/auth/logout").status_code == 204
    assert api.get("/v1/me").status_code == 401


def test_no_token_is_401_everywhere(env):
    anon = Api("http://testserver", transport=env["admin"].http._transport)
    for method, path in TABLE:
        r = anon.request(method, path.replace("{", "x").replace("}", ""))
        assert r.status_code == 401, (method, path, r.status_code)


def test_other_units_are_out_of_reach(env):
    hold = _hold(env)
    check_id = _own_check(env, S)
    fin_reviewer = env["login"]("reviewer_fin")
    assert fin_reviewer.get(f"/v1/holds/{hold['id']}").status_code == 404
    assert fin_reviewer.get(f"/v1/holds/{hold['id']}/content").status_code == 404
    assert fin_reviewer.post(f"/v1/holds/{hold['id']}/claim", json={"version": 1}).status_code == 404
    assert fin_reviewer.get(f"/v1/checks/{check_id}").status_code == 403
    assert hold["id"] not in [h["id"] for h in fin_reviewer.get("/v1/holds").json()["items"]]
    office = env["org"]["office"]
    assert fin_reviewer.get(f"/v1/units/{office}/policy").status_code == 403
    # a parent unit's officer reaches the sub-unit; the sub-unit's sender is not the parent
    sub = env["login"]("sender2").post("/v1/checks", json={"text": ITINERARY, "channel": "direct"}).json()
    assert env["apis"][O].get(f"/v1/holds/{sub['hold_id']}").status_code == 200


def test_api_token_scopes_and_revocation(env):
    admin = env["admin"]
    body = {"user_id": env["org"]["users"]["reviewer1"], "name": "网关", "scopes": ["checks"]}
    created = admin.post("/v1/tokens", json=body).json()
    assert created["token"].startswith("bmk_")
    listed = admin.get("/v1/tokens").json()
    assert all("token" not in t for t in listed)  # shown once, stored hashed
    api = Api("http://testserver", created["token"], transport=admin.http._transport)
    assert api.post("/v1/checks", json={"text": "你好", "channel": "direct"}).status_code == 200
    assert api.get("/v1/holds").status_code == 403  # a reviewer, but the token is scoped to checks
    admin.delete(f"/v1/tokens/{created['id']}")
    assert api.post("/v1/checks", json={"text": "你好", "channel": "direct"}).status_code == 401
