"""Every console page with every role (in process, the app as `baomi serve` builds it), the
pages' security headers, and the anonymous self-check that stores nothing."""

from __future__ import annotations

import pytest

pytest.importorskip("fastapi")

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from baomi.console.routes import router as console
from baomi.service.app import create_app
from baomi.service.auditlog.models import AuditEntry
from baomi.service.checks.models import Check
from baomi.service.permissions import GRANTS, Perm
from baomi.service.settings import Settings
from tests.service.support import ADMIN_PASSWORD, PASSWORD, Api, make_org

BASE = "https://testserver"  # https: the Secure cookies are sent back
USERS = {"sender": "sender1", "reviewer": "reviewer1", "secrecy_officer": "officer1", "auditor": "auditor1",
         "admin": "admin"}  # fmt: skip


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    settings = Settings(
        data_dir=tmp_path_factory.mktemp("console-app"), admin_password=ADMIN_PASSWORD,
        rate_limit_per_minute=0, sweep_seconds=3600,
    )  # fmt: skip
    app = create_app(settings, say=lambda _: None, routers=(console,))
    with TestClient(app, base_url=BASE) as client:
        admin = Api.login(BASE, "admin", ADMIN_PASSWORD, transport=client._transport)
        org = make_org(admin)
        sender = Api.login(BASE, "sender1", PASSWORD, transport=client._transport)
        held = sender.post(
            "/v1/checks", json={"text": "周四下午王书记到港区调研，两点出发", "channel": "work_group"}
        )
        sender.post("/v1/checks", json={"text": "那份机密★5年的通知别外传", "channel": "direct"})
        officer = Api.login(BASE, "officer1", PASSWORD, transport=client._transport)
        ids = [officer.post(f"/v1/units/{org['office']}/policies", json={"yaml": y}).json()["id"]
               for y in ("mode: enforce\n", "mode: enforce\nself_check: {anonymous: true}\n")]  # fmt: skip
        officer.post(f"/v1/policies/{ids[1]}/activate")
        incident = officer.get("/v1/incidents").json()["items"][0]["id"]
        yield {"app": app, "client": client, "hold": held.json()["hold_id"], "incident": incident,
               "policies": ids, "org": org}  # fmt: skip


def _login(client: TestClient, username: str) -> TestClient:
    client.cookies.clear()
    csrf = client.get("/login").cookies["baomi_csrf"]
    password = ADMIN_PASSWORD if username == "admin" else PASSWORD
    r = client.post("/login", data={"username": username, "password": password, "csrf": csrf},
                    follow_redirects=False)  # fmt: skip
    assert r.status_code == 303, r.text
    return csrf


def _pages(site) -> list[tuple[str, Perm]]:
    a, b = site["policies"]
    return [
        ("/self-check", Perm.CHECK),
        ("/queue", Perm.HOLDS_READ),
        (f"/queue/{site['hold']}", Perm.HOLDS_READ),
        (f"/queue/{site['hold']}/content", Perm.HOLD_CONTENT),
        ("/incidents", Perm.INCIDENTS_READ),
        (f"/incidents/{site['incident']}", Perm.INCIDENTS_READ),
        ("/incidents/export?format=xlsx", Perm.INCIDENTS_EXPORT),
        ("/dashboard", Perm.STATS),
        ("/dashboard/data", Perm.STATS),
        (f"/policy?unit_id={site['org']['office']}", Perm.POLICY_READ),
        (f"/policy/diff?a={a}&b={b}", Perm.POLICY_READ),
        ("/audit", Perm.AUDIT),
        ("/admin", Perm.ADMIN),
        (f"/registry?unit_id={site['org']['office']}", Perm.REGISTRY_READ),
        ("/archive", Perm.ARCHIVE_READ),
    ]


@pytest.mark.parametrize("role", list(USERS))
def test_every_page_with_every_role(site, role):
    client = site["client"]
    _login(client, USERS[role])
    for path, perm in _pages(site):
        r = client.get(path, follow_redirects=False)
        want = 200 if role in GRANTS[perm] else 403
        assert r.status_code == want, (role, path, r.status_code, r.text[:200])
        if path.startswith(("/self-check", "/queue", "/policy?", "/admin")):
            assert "unsafe-inline" not in r.headers["content-security-policy"]
            assert r.headers["x-frame-options"] == "DENY"
        if want == 403 and "export" not in path and "data" not in path:
            assert "无权" in r.text


def test_pages_without_a_session_go_to_login(site):
    client = site["client"]
    client.cookies.clear()
    for path, _ in _pages(site):
        r = client.get(path, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"].startswith("/login"), path
    events = client.get("/queue/events")
    assert events.status_code == 204


def test_anonymous_self_check_stores_nothing(site):
    client = site["client"]
    csrf = _login(client, "sender1")
    sessions = site["app"].state.sessions

    def counts():
        with sessions() as s:
            return s.scalar(select(func.count()).select_from(Check)), s.scalar(
                select(func.max(AuditEntry.seq))
            )

    before = counts()
    text = "那份机密★10年的文件我拍了照"
    form = {"text": text, "channel": "moments", "csrf": csrf}
    r = client.post("/self-check", data={**form, "anonymous": "true"})
    assert r.status_code == 200 and 'data-decision="block"' in r.text and "本次结果未保存" in r.text
    assert counts() == before
    stored = client.post("/self-check", data=form)
    assert stored.status_code == 200 and counts()[0] == before[0] + 1


def test_anonymous_self_check_refused_where_the_unit_has_not_allowed_it(site):
    client = site["client"]
    csrf = _login(client, "sender_fin")  # 财政局: default policy
    assert "匿名自查" not in client.get("/self-check").text
    r = client.post(
        "/self-check", data={"text": "周报", "channel": "direct", "anonymous": "true", "csrf": csrf}
    )
    assert r.status_code == 403 and "未开启匿名自查" in r.text


def test_a_one_time_password_is_changed_before_any_other_page(site):
    from baomi.service.users.models import User

    client = site["client"]
    _login(client, "admin")
    with site["app"].state.sessions() as s:
        s.get(User, site["org"]["users"]["sender2"]).must_change_password = True
        s.commit()
    csrf = _login(client, "sender2")
    r = client.get("/self-check", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/password"
    assert "一次性密码" in client.get("/password").text
    short = client.post("/password", data={"old": PASSWORD, "new": "short", "csrf": csrf})
    assert short.status_code == 422 and "至少 10 个字符" in short.text
    done = client.post(
        "/password", data={"old": PASSWORD, "new": PASSWORD, "csrf": csrf}, follow_redirects=False
    )
    assert done.status_code == 303
    assert client.get("/self-check").status_code == 200


def test_a_warn_confirmed_with_a_reason_and_a_false_alarm_reported(site):
    client = site["client"]
    csrf = _login(client, "sender1")
    text = "听说西郊仓库昨晚塌了，压伤好几个人，大家快转发"
    page = client.post("/self-check", data={"text": text, "channel": "direct", "csrf": csrf}).text
    assert 'data-decision="warn"' in page and "确认发送的理由" in page
    check_id = page.split("/self-check/")[1].split("/")[0]
    hx = {"HX-Request": "true"}
    empty = client.post(
        f"/self-check/{check_id}/override", data={"justification": "", "csrf": csrf}, headers=hx
    )
    assert empty.status_code == 422 and "理由" in empty.text
    ok = client.post(
        f"/self-check/{check_id}/override", data={"justification": "已核实属实", "csrf": csrf}, headers=hx
    )
    assert ok.status_code == 200 and "已确认发送" in ok.text
    again = client.post(
        f"/self-check/{check_id}/override", data={"justification": "再次", "csrf": csrf}, headers=hx
    )
    assert again.status_code == 409
    fa = client.post(
        f"/self-check/{check_id}/false-alarm", data={"note": "消息属实", "csrf": csrf}, headers=hx
    )
    assert fa.status_code == 200 and "误报已报告" in fa.text
    blocked = client.post(
        "/self-check", data={"text": "那份机密★5年的通知", "channel": "direct", "csrf": csrf}
    ).text
    blocked_id = blocked.split("/self-check/")[1].split("/")[0]
    refused = client.post(
        f"/self-check/{blocked_id}/override", data={"justification": "领导要求", "csrf": csrf}
    )
    assert refused.status_code == 403 and "拦截的消息不能确认发送" in refused.text


def test_registry_page_registers_declassifies_and_refuses_others(site):
    from tests.service.registry_docs import document

    client = site["client"]
    office = site["org"]["office"]
    page = document(77)
    for name in ("sender1", "reviewer1", "auditor1"):
        csrf = _login(client, name)
        r = client.post("/registry", data={"level": "机密", "csrf": csrf, "unit_id": office},
                        files={"file": ("通知.txt", page.encode(), "text/plain")})  # fmt: skip
        assert r.status_code == 403 and "无权" in r.text, name
    assert 'id="registry-form"' not in client.get(f"/registry?unit_id={office}").text  # auditor: list only

    csrf = _login(client, "officer1")
    form = {"level": "机密", "period": "5年", "csrf": csrf, "unit_id": office}
    empty = client.post("/registry", data=form)
    assert empty.status_code == 422 and "没有上传文件" in empty.text
    r = client.post("/registry", data=form, files={"file": ("通知.txt", page.encode(), "text/plain")})
    assert r.status_code == 200 and "已登记 REG-" in r.text and "机密★5年" in r.text
    doc_id = r.text.split("已登记 ")[1].split("（")[0]

    csrf_s = _login(client, "sender1")
    excerpt = "".join(page.splitlines()[2:5])
    blocked = client.post("/self-check", data={"text": excerpt, "channel": "work_group", "csrf": csrf_s})
    assert 'data-decision="block"' in blocked.text and 'data-rules="R01"' in blocked.text

    csrf = _login(client, "officer1")
    retire = {"reason": "已公开", "csrf": csrf, "unit_id": office}
    done = client.post(f"/registry/{doc_id}/declassify", data=retire, follow_redirects=False)
    assert done.status_code == 303
    listed = client.get(f"/registry?unit_id={office}").text
    assert f'data-id="{doc_id}" data-status="declassified"' in listed
    bogus = client.post(f"/registry/{doc_id}/publish", data=retire)
    assert bogus.status_code == 404


def _small_export() -> tuple[bytes, bytes]:
    """Three WeCom records: a marked notice posted in a work group, forwarded by a member
    into a family group and on to one person; and the roster naming both groups."""
    import json

    text = "那份机密★10年的关于汛期物资调拨的通知，第三条说的调拨数量大家先按这个准备"
    hops = [("m1", "a01", "wrW1", ["b01", "c01"]), ("m2", "b01", "wrF1", ["d01", "e01"]),
            ("m3", "d01", "", ["f01"])]  # fmt: skip
    records = [
        {"msgid": m, "action": "send", "from": f, "tolist": to, "roomid": room,
         "msgtime": 1700000000000 + i * 600_000, "msgtype": "text", "text": {"content": text}}
        for i, (m, f, room, to) in enumerate(hops)
    ]  # fmt: skip
    lines = [json.dumps(r, ensure_ascii=False) for r in records]
    roster = (
        "conversations:\n  wrW1: {name: 县政府办工作群, channel: work_group}\n"
        "  wrF1: {name: 张家亲戚群, channel: external_group}\n"
    )
    return "\n".join(lines).encode(), roster.encode()


def test_archive_page_uploads_follows_progress_and_shows_the_chain(site):
    import time

    client = site["client"]
    export, roster = _small_export()
    files = {"file": ("archive.jsonl", export, "application/json"), "roster": ("roster.yaml", roster)}
    for name in ("sender1", "reviewer1", "auditor1"):
        csrf = _login(client, name)
        r = client.post("/archive", data={"csrf": csrf}, files=files)
        assert r.status_code == 403 and "无权" in r.text, name
    csrf = _login(client, "officer1")
    empty = client.post("/archive", data={"csrf": csrf})
    assert empty.status_code == 422 and "没有上传导出文件" in empty.text
    r = client.post("/archive", data={"csrf": csrf}, files=files, follow_redirects=False)
    assert r.status_code == 303
    job_url = r.headers["location"]
    deadline = time.monotonic() + 60
    while 'data-state="done"' not in (frag := client.get(job_url, headers={"HX-Request": "true"}).text):
        assert 'data-state="failed"' not in frag and time.monotonic() < deadline, frag
        time.sleep(0.3)
    assert "打开审计报告" in frag and "hx-trigger" not in frag  # polling stops when done
    report = client.get(f"{job_url}/files/report.html")
    assert report.status_code == 200 and "sandbox" in report.headers["content-security-policy"]
    assert client.get("/archive").text.count('data-state="done"') >= 1

    incidents = client.get("/incidents").text
    ids = {part.split('"')[0] for part in incidents.split('href="/incidents/')[1:]} - {"export?format=csv"}
    pages = [client.get(f"/incidents/{i}").text for i in ids if not i.startswith("export")]
    traced = [p for p in pages if "传播链（档案审计还原）" in p]
    assert traced, "no incident shows its propagation chain"
    assert "wrW1 → wrF1" in traced[0] or ("wrW1" in traced[0] and "wrF1" in traced[0])
    assert "档案审计" in traced[0]


def test_a_bad_console_form_gets_a_chinese_page_not_json(site):
    client = site["client"]
    csrf = _login(client, "admin")
    r = client.post(
        "/admin/users",
        data={"csrf": csrf, "username": "有 空格", "password": "x" * 12, "role": "sender"},
        headers={"Accept": "text/html"},
    )
    assert r.status_code == 422 and r.headers["content-type"].startswith("text/html")
    assert "请求无效" in r.text and "username" in r.text and "<html" in r.text
    htmx = {"HX-Request": "true"}
    fragment = client.post("/admin/users", data={"csrf": csrf, "username": "x"}, headers=htmx)
    assert fragment.status_code == 422 and "<html" not in fragment.text and "请求无效" in fragment.text
    api = client.post("/v1/auth/token", data={"username": "admin"}, headers={"Accept": "text/html"})
    assert api.status_code == 422 and api.json()["code"] == "invalid"  # the API stays JSON
