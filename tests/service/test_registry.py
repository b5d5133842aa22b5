"""The unit's registry in the service: officers register and retire documents, every check
of the unit (and of the units below it) is matched against it, other units are not."""

from __future__ import annotations

import pytest

pytest.importorskip("fastapi")

from fastapi.testclient import TestClient

from baomi.service.app import create_app
from baomi.service.settings import Settings
from tests.service.registry_docs import document
from tests.service.support import ADMIN_PASSWORD, PASSWORD, Api, make_org

TITLE = "关于北岭镇应急物资分批调拨的通知"


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("registry")
    settings = Settings(data_dir=data_dir, admin_password=ADMIN_PASSWORD, rate_limit_per_minute=0)
    app = create_app(settings, say=lambda _: None)
    with TestClient(app) as client:

        def login(name):
            return Api.login("http://testserver", name, ADMIN_PASSWORD if name == "admin" else PASSWORD,
                             transport=client._transport)  # fmt: skip

        admin = login("admin")
        org = make_org(admin)
        yield {"app": app, "org": org, "login": login, "admin": admin, "data_dir": data_dir}


def _register(api: Api, text: str, **form) -> dict:
    files = {"file": ("通知.txt", text.encode("utf-8"), "text/plain")}
    return api.post("/v1/registry", files=files, data={"level": "机密", "period": "10年", **form})


def _check(api: Api, text: str, channel: str = "work_group") -> dict:
    r = api.post("/v1/checks", json={"text": text, "channel": channel})
    assert r.status_code == 200, r.text
    return r.json()


def test_a_registered_page_typed_into_a_check_is_blocked_citing_the_registry_id(env):
    officer = env["login"]("officer1")
    page = document(1)
    r = _register(officer, page, title=TITLE, number="北应急发〔2026〕3号")
    assert r.status_code == 201, r.text
    doc = r.json()
    assert doc["id"].startswith("REG-") and doc["unit_id"] == env["org"]["office"]
    assert doc["has_title"] and doc["has_number"] and doc["marking"] == "机密★10年"

    excerpt = "".join(page.splitlines()[3:6])  # three numbered items, retyped on one line
    sender = env["login"]("sender1")
    out = _check(sender, excerpt)
    assert out["decision"] == "block" and "R01" in out["rules"], out
    r01 = [f for f in out["findings"] if f["rule"] == "R01" and f["detector"] == "registry"]
    assert r01 and doc["id"] in r01[0]["evidence"] and "办公室" in r01[0]["evidence"]
    assert excerpt[:12] not in str(out["findings"])  # masked evidence only

    titled = _check(sender, f"大家看下《{TITLE}》的安排")
    assert "R03" in titled["rules"] and any(doc["id"] in f["evidence"] for f in titled["findings"])

    # a sender of the unit below (档案科) is matched too; another unit (财政局) is not
    assert "R01" in _check(env["login"]("sender2"), excerpt)["rules"]
    assert "R01" not in _check(env["login"]("sender_fin"), excerpt)["rules"]
    # an unrelated notice of the same style is not matched
    assert "R01" not in _check(sender, "".join(document(2).splitlines()[3:6]))["rules"]


def test_senders_and_reviewers_are_refused_registration(env):
    for name in ("sender1", "reviewer1"):
        r = _register(env["login"](name), document(3))
        assert r.status_code == 403 and r.json()["code"] == "forbidden", r.text
        assert env["login"](name).get("/v1/registry").status_code == 403
    auditor = env["login"]("auditor1")
    assert _register(auditor, document(3)).status_code == 403
    assert auditor.get("/v1/registry").status_code == 200  # auditors may list


def test_other_units_registries_are_out_of_reach(env):
    office = env["org"]["office"]
    fin = env["login"]("reviewer_fin")
    assert fin.get("/v1/registry", params={"unit_id": office}).status_code == 403
    officer = env["login"]("officer1")
    r = _register(officer, document(4), unit_id=str(env["org"]["finance"]))
    assert r.status_code == 403


def test_declassify_and_remove_stop_matching_and_are_audited(env):
    officer = env["login"]("officer1")
    page = document(5)
    doc = _register(officer, page).json()
    excerpt = "".join(page.splitlines()[6:9])
    sender = env["login"]("sender1")
    assert "R01" in _check(sender, excerpt)["rules"]

    no_reason = officer.post(f"/v1/registry/{doc['id']}/declassify", json={"reason": ""})
    assert no_reason.status_code == 422
    r = officer.post(f"/v1/registry/{doc['id']}/declassify", json={"reason": "保密期限届满"})
    assert r.status_code == 200 and r.json()["status"] == "declassified"
    assert "R01" not in _check(sender, excerpt)["rules"]
    again = officer.post(f"/v1/registry/{doc['id']}/remove", json={"reason": "误登记"})
    assert again.status_code == 409 and "不在登记中生效" in again.json()["detail"]
    missing = officer.post("/v1/registry/REG-99999/remove", json={"reason": "误登记"})
    assert missing.status_code == 404

    other = _register(officer, document(6)).json()
    assert officer.post(f"/v1/registry/{other['id']}/remove", json={"reason": "误登记"}).status_code == 200
    listed = {d["id"]: d["status"] for d in officer.get("/v1/registry").json()["items"]}
    assert listed[doc["id"]] == "declassified" and listed[other["id"]] == "removed"

    log = env["admin"].get("/v1/audit", params={"limit": 200}).json()["items"]
    actions = {(e["action"], e["target"]) for e in log}
    assert {("registry.add", doc["id"]), ("registry.declassify", doc["id"]),
            ("registry.remove", other["id"])} <= actions  # fmt: skip
    assert TITLE not in str(log) and "北岭镇" not in str(log)  # nothing of the documents logged
    assert env["admin"].get("/v1/audit/verify").json()["ok"]


def test_bad_uploads_get_a_clear_chinese_error(env):
    officer = env["login"]("officer1")
    empty = _register(officer, "")
    assert empty.status_code == 422 and "文件" in empty.json()["detail"]
    level = officer.post("/v1/registry", files={"file": ("a.txt", b"x" * 50)}, data={"level": "公开"})
    assert level.status_code == 422


def test_the_registry_files_hold_no_text(env):
    files = list((env["data_dir"] / "registry").glob("unit-*"))
    assert files
    raw = b"".join(f.read_bytes() for f in files)
    for text in (TITLE, document(1).splitlines()[4][2:20], "北岭镇", "通知.txt"):
        assert text.encode("utf-8") not in raw
    key = (env["data_dir"] / "keys" / "registry.key").read_bytes().strip()
    assert len(key) >= 32 and key not in raw


def test_an_unreadable_registry_file_is_a_clear_error_not_a_crash(tmp_path):
    """A unit's registry file of the old fingerprint format (or damaged): checks of that unit
    answer 503 with a Chinese reason, nothing is let through unchecked."""
    import sqlite3

    settings = Settings(data_dir=tmp_path, admin_password=ADMIN_PASSWORD, rate_limit_per_minute=0)
    app = create_app(settings, say=lambda _: None)
    with TestClient(app) as client:
        admin = Api.login("http://testserver", "admin", ADMIN_PASSWORD, transport=client._transport)
        org = make_org(admin)
        (tmp_path / "registry").mkdir(exist_ok=True)
        with sqlite3.connect(tmp_path / "registry" / f"unit-{org['office']}.db") as db:
            db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
            db.execute("INSERT INTO meta VALUES ('format', 'baomi-registry/1')")
        sender = Api.login("http://testserver", "sender1", PASSWORD, transport=client._transport)
        r = sender.post("/v1/checks", json={"text": "收到，下午三点到", "channel": "work_group"})
        assert r.status_code == 503, r.text
        assert r.json()["code"] == "registry_unavailable" and "旧版格式" in r.json()["detail"]
