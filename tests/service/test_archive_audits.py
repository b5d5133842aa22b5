"""Archive audit jobs in the service: a generated WeCom export uploaded as a zip with its
roster, audited in the background, its outputs downloadable, its flagged messages stored
as incidents with their propagation chain, and the uploaded export deleted afterwards."""

from __future__ import annotations

import io
import json
import zipfile

import pytest

pytest.importorskip("fastapi")

from fastapi.testclient import TestClient
from sqlalchemy import select

from baomi.service.app import create_app
from baomi.service.incidents.models import Incident, IncidentEvent
from baomi.service.settings import Settings
from bench.archive_gen import generate
from tests.service.support import ADMIN_PASSWORD, PASSWORD, Api, make_org, wait_done


def _zip_folder(folder) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for p in sorted(folder.rglob("*")):
            if p.is_file():
                zf.write(p, p.relative_to(folder.parent).as_posix())
    return buf.getvalue()


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    root = tmp_path_factory.mktemp("arch")
    generate(root, messages=240, conversations=10, chains=3, seed=5, image_size=(160, 120))
    table = json.loads((root / "ocr.json").read_text(encoding="utf-8"))
    fake = {"by_key": {k: [[t, [0, 0, 200, 20]] for t in v] for k, v in table.items()}}
    (root / "fake_ocr.json").write_text(json.dumps(fake, ensure_ascii=False), encoding="utf-8")
    data_dir = tmp_path_factory.mktemp("svc")
    settings = Settings(data_dir=data_dir, admin_password=ADMIN_PASSWORD, rate_limit_per_minute=0,
                        ocr_fake_file=root / "fake_ocr.json")  # fmt: skip
    app = create_app(settings, say=lambda _: None)
    with TestClient(app) as client:

        def login(name):
            pw = ADMIN_PASSWORD if name == "admin" else PASSWORD
            return Api.login("http://testserver", name, pw, transport=client._transport)

        admin = login("admin")
        org = make_org(admin)
        officer = login("officer1")
        files = {
            "file": ("export.zip", _zip_folder(root / "export"), "application/zip"),
            "roster": ("roster.yaml", (root / "roster.yaml").read_bytes(), "application/yaml"),
        }
        r = officer.post("/v1/audits", files=files)
        assert r.status_code == 202, r.text
        job = wait_done(officer, r.json()["id"])
        yield {"app": app, "root": root, "data_dir": data_dir, "login": login, "org": org, "job": job}


def test_an_uploaded_export_becomes_a_finished_job_with_incidents_and_a_chain(env):
    job = env["job"]
    assert job["state"] == "done", job
    assert job["messages"] >= 240 and job["flagged"] > 0 and job["chains"] >= 3
    assert job["stage"] == "溯源" and job["done"] == job["total"]
    officer = env["login"]("officer1")
    lines = officer.get(f"/v1/audits/{job['id']}/files/chains.jsonl").text.splitlines()
    chains = [json.loads(x) for x in lines]
    assert len(chains) == job["chains"] and all(c["hops"] for c in chains[:3])
    report = officer.get(f"/v1/audits/{job['id']}/files/report.html")
    assert report.status_code == 200 and "sandbox" in report.headers["content-security-policy"]
    assert "<html" in report.text
    xlsx = officer.get(f"/v1/audits/{job['id']}/files/incidents.xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"

    with env["app"].state.sessions() as s:
        events = list(s.scalars(select(IncidentEvent).where(IncidentEvent.audit_job_id == job["id"])))
        assert len(events) == job["flagged"]
        assert all(e.source == "audit" and e.check_id is None and e.msgid for e in events)
        chained = [e for e in events if e.chain]
        assert chained and chained[0].chain["origin"]["msgid"]
        incidents = list(s.scalars(select(Incident).where(Incident.id.in_({e.incident_id for e in events}))))
        assert all(len(i.content_hash) == 64 and i.evidence for i in incidents)
    # the export (plaintext) is gone; the outputs stay
    work = env["data_dir"] / "audits" / job["id"]
    assert not (work / "input").exists() and not (work / "roster.yaml").exists()
    assert (work / "out" / "report.html").is_file()


def test_no_message_text_is_stored_with_the_incidents(env):
    archive = env["root"] / "export" / "archive.jsonl"
    texts = []
    for line in archive.read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        content = (rec.get("text") or {}).get("content", "")
        if len(content) >= 12:
            texts.append(content)
    with env["app"].state.sessions() as s:
        stored = json.dumps(
            [(i.evidence, i.rules) for i in s.scalars(select(Incident))]
            + [(e.sender, e.conversation, e.chain) for e in s.scalars(select(IncidentEvent))],
            ensure_ascii=False,
        )
    assert texts and not [t for t in texts if t in stored]


def test_a_live_check_of_archived_content_joins_the_audit_incident(env):
    archive = env["root"] / "export" / "archive.jsonl"
    by_msgid = {}
    for line in archive.read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        if rec.get("msgtype") == "text":
            by_msgid[rec["msgid"]] = rec["text"]["content"]
    with env["app"].state.sessions() as s:
        events = list(s.scalars(select(IncidentEvent).where(IncidentEvent.source == "audit")))
        rules = {i.id: i.rules for i in s.scalars(select(Incident))}
        event = next(e for e in events if e.msgid in by_msgid and "R01" in rules[e.incident_id])
        incident_id = event.incident_id
    sender = env["login"]("sender1")
    out = sender.post("/v1/checks", json={"text": by_msgid[event.msgid], "channel": "external_group"}).json()
    assert out["decision"] == "block", out
    detail = env["login"]("officer1").get(f"/v1/incidents/{incident_id}").json()
    assert {e["source"] for e in detail["events"]} >= {"audit", "block"}


def test_a_bad_upload_fails_with_a_reason_and_leaves_nothing(env):
    officer = env["login"]("officer1")
    bad = officer.post("/v1/audits", files={"file": ("x.zip", b"not a zip", "application/zip")})
    assert bad.status_code == 422 and "zip" in bad.json()["detail"]
    unknown = "这不是任何已知的导出格式".encode()
    r = officer.post("/v1/audits", files={"file": ("chat.txt", unknown, "text/plain")})
    job = wait_done(officer, r.json()["id"], 60)
    assert job["state"] == "failed" and job["error"]
    assert not (env["data_dir"] / "audits" / job["id"] / "input").exists()


def test_senders_reviewers_and_other_units_cannot_reach_audits(env):
    job_id = env["job"]["id"]
    for name in ("sender1", "reviewer1"):
        api = env["login"](name)
        assert api.post("/v1/audits", files={"file": ("a.jsonl", b"{}")}).status_code == 403
        assert api.get(f"/v1/audits/{job_id}").status_code == 403
    auditor = env["login"]("auditor1")
    assert auditor.post("/v1/audits", files={"file": ("a.jsonl", b"{}")}).status_code == 403
    assert auditor.get(f"/v1/audits/{job_id}/files/report.html").status_code == 200
    admin = env["login"]("admin")
    body = {"username": "officer_fin", "password": PASSWORD, "role": "secrecy_officer",
            "unit_id": env["org"]["finance"]}  # fmt: skip
    fin_officer = admin.post("/v1/users", json=body)
    assert fin_officer.status_code == 201
    assert env["login"]("officer_fin").get(f"/v1/audits/{job_id}").status_code == 404
