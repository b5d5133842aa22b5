"""End-to-end audits of generated WeCom archives (small), resume, and the CLI command."""

import json
import zipfile
from functools import partial
from pathlib import Path

import pytest
from typer.testing import CliRunner

from baomi.archive import audit, write_outputs
from baomi.archive.report.records import INCIDENT_KEYS
from baomi.cli.app import app
from bench.archive_gen import bench_reviewer, generate
from bench.bench_archive import _contents, score


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    root = tmp_path_factory.mktemp("arch")
    truth = generate(root, messages=900, conversations=30, chains=6, seed=3, image_size=(160, 120))
    return root, truth


@pytest.fixture(scope="module")
def audited(archive, tmp_path_factory):
    root, truth = archive
    out = tmp_path_factory.mktemp("out")
    factory = partial(bench_reviewer, str(root / "ocr.json"))
    result = audit(
        [root / "export"],
        out,
        roster=root / "roster.yaml",
        workers=2,
        reviewer_factory=factory,
        chunk_size=64,
    )
    write_outputs(result, out)
    return root, truth, out, result


def _lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_planted_chains_are_recovered_with_every_hop(audited):
    root, truth, out, result = audited
    assert result.workers == 2 and result.engine == "local"
    figures = score(truth, _lines(out / "chains.jsonl"), _contents(root / "export" / "archive.jsonl", truth))
    assert figures["recovered_exactly"] == figures["planted_chains"] == 6, figures["misses"]
    assert figures["false_links"] == 0


def test_outputs_have_the_issue_fields_and_recalls_stay_in_the_trace(audited):
    _, truth, out, _ = audited
    incidents = _lines(out / "incidents.jsonl")
    assert incidents and all(tuple(i) == INCIDENT_KEYS for i in incidents)
    assert {i["channel"] for i in incidents} >= {"work_group", "external_group"}
    chains = _lines(out / "chains.jsonl")
    first = chains[0]
    assert set(first) == {
        "item",
        "rules",
        "origin",
        "hops",
        "conversations_reached",
        "people_reached",
        "outside_share",
        "first_to_last_s",
    }
    assert set(first["origin"]) >= {"conversation", "sender", "time", "msgid"}
    assert set(first["hops"][0]) >= {"from_conversation", "to_conversation", "sender", "time", "msgid"}
    planted_recalls = {c["msgid"] for p in truth["chains"] for c in p["copies"] if c["recalled"]}
    traced_recalls = {h["msgid"] for c in chains for h in c["hops"] if h["recalled"]}
    assert planted_recalls and planted_recalls <= traced_recalls
    origins = {p["copies"][0]["msgid"] for p in truth["chains"]}
    planted = [c for c in chains if c["origin"]["msgid"] in origins]
    assert all(
        0 < c["outside_share"] < 1 and c["first_to_last_s"] > 0 for c in planted
    )  # each crosses outside


def test_no_message_text_in_any_output_or_checkpoint(audited):
    root, _, out, _ = audited
    texts = []
    for line in (root / "export" / "archive.jsonl").read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        body = rec.get(rec["msgtype"], {})
        if isinstance(body.get("content"), str) and len(body["content"]) >= 16:
            texts.append(body["content"])
    assert len(texts) > 100
    blobs = {p.name: p.read_text(encoding="utf-8") for p in out.rglob("*") if p.suffix in (".html", ".jsonl")}
    with zipfile.ZipFile(out / "incidents.xlsx") as z:
        blobs["xlsx"] = "".join(z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xml"))
    assert "report.html" in blobs and "results.jsonl" in blobs  # the checkpoint too
    for text in texts:
        for name, blob in blobs.items():
            assert text[2:14] not in blob, name  # any 12 characters of any message


def test_report_is_self_contained_chinese_html(audited):
    _, _, out, result = audited
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "聊天记录保密审计报告" in html and "<svg" in html and "传播树" in html
    assert "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "https://" not in html and "<script src" not in html and "<link" not in html
    guessed = [c for c in result.conversations.values() if c.is_guess]
    assert guessed and "需人工确认的会话渠道" in html


def test_second_run_resumes_from_the_checkpoint(archive, tmp_path):
    root, _ = archive
    factory = partial(bench_reviewer, str(root / "ocr.json"))
    first = audit([root / "export"], tmp_path, workers=1, reviewer_factory=factory, chunk_size=200)
    results = tmp_path / ".checkpoint" / "results.jsonl"
    lines = results.read_text(encoding="utf-8").splitlines()
    results.write_text("\n".join(lines[:-1]) + "\n" + lines[-1][:40], encoding="utf-8")  # cut mid-line
    stages = []
    again = audit(
        [root / "export"],
        tmp_path,
        workers=1,
        reviewer_factory=factory,
        chunk_size=200,
        progress=lambda stage, done, total: stages.append((stage, done, total)),
    )
    assert again.resumed_chunks == len(lines) - 1
    assert again.results == first.results
    assert ("审查", len(first.results), len(first.results)) in stages
    fresh = audit(
        [root / "export"], tmp_path, workers=1, reviewer_factory=factory, chunk_size=200, resume=False
    )
    assert fresh.resumed_chunks == 0


def test_cli_audit_writes_the_four_outputs(tmp_path):
    from tests.archive.test_importers import wecom_records, write_jsonl

    export = write_jsonl(tmp_path / "export.jsonl", wecom_records())
    roster = tmp_path / "roster.yaml"
    roster.write_text(
        "conversations:\n  wrRoom2: {name: 张家亲戚群, channel: external_group}\n", encoding="utf-8"
    )
    out = tmp_path / "out"
    run = CliRunner().invoke(app, ["audit", str(export), "--roster", str(roster), "-o", str(out), "-j", "1"])
    assert run.exit_code == 0, run.output
    assert {p.name for p in out.iterdir()} >= {
        "report.html",
        "incidents.xlsx",
        "incidents.jsonl",
        "chains.jsonl",
    }
    assert "已审查" in run.output
    bad = CliRunner().invoke(app, ["audit", str(export), "--format", "wechat", "-o", str(out)])
    assert bad.exit_code == 2 and "未知格式" in bad.output
    missing = CliRunner().invoke(app, ["audit", str(tmp_path / "nope.jsonl"), "-o", str(out)])
    assert missing.exit_code == 2 and "找不到导出文件" in missing.output


class _BrokenReviewer:
    def review(self, *args, **kwargs):
        raise RuntimeError("engine bug")


def test_an_engine_failure_on_a_message_fails_closed(tmp_path):
    from tests.archive.test_importers import wecom_records, write_jsonl

    export = write_jsonl(tmp_path / "export.jsonl", wecom_records()[:1])
    result = audit([export], tmp_path / "out", workers=1, reviewer_factory=_BrokenReviewer)
    (only,) = result.results.values()
    assert only["decision"] == "review" and only["rules"] == ["X01"] and "RuntimeError" in only["error"]
