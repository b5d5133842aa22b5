"""`baomi registry` and `baomi check --registry`, end to end through the CLI."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from baomi.cli.app import app
from tests.registry.test_registry import BODY, OTHER

runner = CliRunner()
KEY = "cli-test-registry-key-0123456789"


@pytest.fixture()
def env(monkeypatch, tmp_path):
    monkeypatch.setenv("BAOMI_REGISTRY_KEY", KEY)
    doc = tmp_path / "通知.txt"
    doc.write_text("机密★10年\n关于加强应急物资储备的通知\n" + "\n".join(BODY), encoding="utf-8")
    return tmp_path, doc


def _add(tmp_path, doc, *extra):
    return runner.invoke(
        app,
        [
            "registry",
            "add",
            str(doc),
            "--db",
            str(tmp_path / "r.db"),
            "--level",
            "机密",
            "--by",
            "张三",
            *extra,
        ],
    )


def test_register_list_check_and_declassify(env):
    tmp_path, doc = env
    db = str(tmp_path / "r.db")
    res = _add(tmp_path, doc, "--period", "10年", "--number", "青应急发〔2024〕7号")
    assert res.exit_code == 0, res.output
    assert "已登记 REG-00001" in res.output
    listed = json.loads(runner.invoke(app, ["registry", "list", "--db", db, "--json"]).stdout)
    assert (
        listed[0]["id"] == "REG-00001"
        and listed[0]["status"] == "active"
        and listed[0]["registered_by"] == "张三"
    )

    copy = BODY[3] + BODY[4]
    res = runner.invoke(app, ["check", copy, "-c", "work_group", "--registry", db, "--json"])
    data = json.loads(res.stdout)
    assert data["decision"] == "block" and "R01" in data["rules"]
    assert any("REG-00001" in f["evidence"] for f in data["findings"])
    assert BODY[3][:6] not in res.stdout  # masked

    res = runner.invoke(app, ["check", OTHER[0] + OTHER[1], "-c", "work_group", "--registry", db, "--json"])
    assert json.loads(res.stdout)["decision"] == "allow"

    res = runner.invoke(app, ["registry", "declassify", "REG-00001", "--db", db, "--reason", "期限届满"])
    assert res.exit_code == 0 and "已解密" in res.output
    res = runner.invoke(app, ["check", copy, "-c", "work_group", "--registry", db, "--json"])
    assert json.loads(res.stdout)["decision"] == "allow"


def test_bad_level_wrong_key_and_missing_db_are_clear_errors(env, monkeypatch):
    tmp_path, doc = env
    res = _add(tmp_path, doc)
    assert res.exit_code == 0
    bad = runner.invoke(app, ["registry", "add", str(doc), "--db", str(tmp_path / "r.db"), "--level", "高级"])
    assert bad.exit_code == 2 and "密级必须是" in bad.output
    monkeypatch.setenv("BAOMI_REGISTRY_KEY", "another-key-0000000000000")
    res = runner.invoke(app, ["registry", "list", "--db", str(tmp_path / "r.db")])
    assert res.exit_code == 2 and "密钥不符" in res.output and "Traceback" not in res.output
    res = runner.invoke(app, ["registry", "list", "--db", str(tmp_path / "none.db")])
    assert res.exit_code == 2 and "不存在" in res.output
    monkeypatch.setenv("BAOMI_REGISTRY_KEY", KEY)
    empty = tmp_path / "空.txt"
    empty.write_text("  \n", encoding="utf-8")
    res = _add(tmp_path, empty)
    assert res.exit_code == 2 and "没有可登记的文字" in res.output
