import json

from typer.testing import CliRunner

from baomi.cli.app import app

runner = CliRunner()


def test_check_prints_decision_and_tip():
    res = runner.invoke(app, ["check", "机密★5年 这份件我拍了", "--channel", "moments"])
    assert res.exit_code == 11  # block
    assert "拦截" in res.stdout and "R01" in res.stdout and "R10" in res.stdout


def test_check_json():
    res = runner.invoke(app, ["check", "下周二县长去石桥镇调研，路线我发你", "-c", "direct", "--json"])
    data = json.loads(res.stdout)
    assert data["decision"] == "review" and data["rules"] == ["R09"]
    assert data["findings"][0]["evidence"].endswith("**")


def test_unknown_channel_is_a_clear_error():
    res = runner.invoke(app, ["check", "你好", "-c", "family"])
    assert res.exit_code == 2
    assert "未知渠道" in res.output and "external_group" in res.output
    assert "Traceback" not in res.output


def test_batch_goes_on_past_bad_lines(tmp_path):
    corpus = tmp_path / "in.jsonl"
    lines = [
        {"id": "a", "channel": "work_group", "text": "秘密★1年 文件照片见下"},
        "{not json",
        {"id": "c", "channel": "nowhere", "text": "你好"},
        {"id": "d", "channel": "direct", "text": "晚上一起吃饭吗"},
    ]
    corpus.write_text(
        "\n".join(x if isinstance(x, str) else json.dumps(x, ensure_ascii=False) for x in lines),
        encoding="utf-8",
    )
    out = tmp_path / "out.jsonl"
    res = runner.invoke(app, ["check", "--input", str(corpus), "--output", str(out)])
    assert res.exit_code == 1
    rows = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 4
    assert rows[0]["id"] == "a" and rows[0]["decision"] == "block"
    assert "JSON" in rows[1]["error"] and "第 2 行" in rows[1]["error"]
    assert "未知渠道" in rows[2]["error"]
    assert rows[3]["decision"] == "allow"


def test_eval_reports_scores(tmp_path):
    corpus = tmp_path / "c.jsonl"
    items = [
        {
            "id": "1",
            "channel": "direct",
            "text": "机密★10年 我拍了",
            "expect": {"decision": "block", "rules": ["R01"]},
        },
        {"id": "2", "channel": "direct", "text": "晚上吃啥", "expect": {"decision": "allow", "rules": []}},
        {"id": "3", "channel": "direct", "text": "明天见", "expect": {"decision": "block", "rules": ["R04"]}},
    ]
    corpus.write_text("\n".join(json.dumps(i, ensure_ascii=False) for i in items), encoding="utf-8")
    res = runner.invoke(app, ["eval", str(corpus), "--json"])
    data = json.loads(res.stdout)
    assert data["n"] == 3
    assert abs(data["accuracy"] - 2 / 3) < 1e-3
    assert data["stop_recall"] == 0.5 and data["false_stop"] == 0.0
    assert data["per_rule"]["R04"]["recall"] == 0.0
    text = runner.invoke(app, ["eval", str(corpus)]).stdout
    assert "决定准确率" in text and "错判 3" in text


def test_eval_by_a_field_scores_each_group(tmp_path):
    corpus = tmp_path / "c.jsonl"
    items = [
        {
            "channel": "direct",
            "text": "机密★10年 我拍了",
            "style": "ocr",
            "expect": {"decision": "block", "rules": ["R01"]},
        },
        {
            "channel": "direct",
            "text": "明天见",
            "style": "voice",
            "expect": {"decision": "block", "rules": ["R04"]},
        },
        {"channel": "direct", "text": "晚上吃啥", "expect": {"decision": "allow", "rules": []}},
    ]
    corpus.write_text("\n".join(json.dumps(i, ensure_ascii=False) for i in items), encoding="utf-8")
    groups = json.loads(runner.invoke(app, ["eval", str(corpus), "--json", "--by", "style"]).stdout)["by"]
    assert groups["field"] == "style"
    assert groups["groups"]["ocr"]["stop_recall"] == 1.0 and groups["groups"]["voice"]["stop_recall"] == 0.0
    assert groups["groups"]["—"]["false_stop"] == 0.0 and groups["groups"]["—"]["stop_recall"] is None
    assert "按 style 分组" in runner.invoke(app, ["eval", str(corpus), "--by", "style"]).stdout


def test_explain_shows_every_stage():
    res = runner.invoke(
        app, ["explain", "我们公司的商业机密，还有机密★1年的件我拍了", "-c", "external_group"]
    )
    assert res.exit_code == 11
    for word in ("规范化", "匹配", "检出", "派生", "策略", "提示"):
        assert word in res.stdout


def test_explain_shows_filtered_look_alikes():
    res = runner.invoke(app, ["explain", "提醒大家：不得在微信群中谈论涉密事项", "-c", "work_group"])
    assert res.exit_code == 0
    assert "过滤" in res.stdout and "is_rule_statement" in res.stdout and "放行" in res.stdout


def test_rules_lists_the_catalog():
    res = runner.invoke(app, ["rules"])
    assert res.exit_code == 0
    for rid in ("R01", "R10", "P01", "F01"):
        assert rid in res.stdout
