"""The CLI fit for scripts: each friction point of issue 7's CLI section, one test each."""

import json

import pytest
from typer.testing import CliRunner

from baomi.cli.app import app

runner = CliRunner()

BLOCKED = "机密★10年 这份通知我拍了"
REVIEWED = "下周二县长去石桥镇调研，路线我发你"
WARNED = "听说化工厂爆炸了，死了好几个人，转发扩散"


def _rows(stdout: str) -> list[dict]:
    return [json.loads(x) for x in stdout.splitlines() if x.strip()]


def _jsonl(*objs) -> str:
    return "".join((o if isinstance(o, str) else json.dumps(o, ensure_ascii=False)) + "\n" for o in objs)


# --- a message of any length; never a traceback ------------------------------------


@pytest.mark.parametrize("n", [86, 300, 5000])
def test_message_of_any_length(n):
    text = ("这是一段很长的消息" * n)[: n * 3]
    res = runner.invoke(app, ["check", text])
    assert res.exit_code == 0, res.output
    assert res.exception is None or isinstance(res.exception, SystemExit)
    assert "Traceback" not in res.output and "File name too long" not in res.output


def test_internal_error_has_no_traceback_and_no_message_text(monkeypatch):
    from baomi.engine import Reviewer

    def boom(self, message, *a, **k):
        raise RuntimeError(f"failure while reviewing {message.text if hasattr(message, 'text') else message}")

    monkeypatch.setattr(Reviewer, "review", boom)
    res = runner.invoke(app, ["check", "CANARY-internal-7731 你好"])
    assert res.exit_code == 70
    assert "内部错误" in res.output and "RuntimeError" in res.output
    assert "CANARY-internal-7731" not in res.output and "Traceback" not in res.output


# --- stdin --------------------------------------------------------------------------


def test_dash_reads_the_message_from_stdin():
    res = runner.invoke(app, ["check", "-", "--json"], input=BLOCKED + "\n")
    assert res.exit_code == 11
    assert json.loads(res.stdout)["rules"] == ["R01"]


def test_input_dash_streams_a_batch_from_stdin():
    data = _jsonl({"id": "a", "text": BLOCKED}, {"id": "b", "text": "晚上吃饭吗"})
    res = runner.invoke(app, ["check", "--input", "-"], input=data)
    rows = _rows(res.stdout)
    assert [r["id"] for r in rows] == ["a", "b"]
    assert rows[0]["decision"] == "block" and rows[1]["decision"] == "allow"
    assert res.exit_code == 11


def test_eval_from_stdin_scores_every_line():
    data = _jsonl(
        {"id": "1", "text": BLOCKED, "expect": {"decision": "block", "rules": ["R01"]}},
        {"id": "2", "text": "明天见", "expect": {"decision": "allow", "rules": []}},
    )
    res = runner.invoke(app, ["eval", "-", "--json"], input=data)
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["n"] == 2


def test_eval_of_an_empty_stream_is_an_error_not_a_pass():
    res = runner.invoke(app, ["eval", "-", "--fail-under", "stop_recall=0.95"], input="")
    assert res.exit_code == 2
    assert "没有可评分的样本" in res.output


# --- path or text -------------------------------------------------------------------


@pytest.mark.parametrize("arg", ["通知2.docx", "./材料/照片.jpg", "/tmp/does-not-exist-baomi.pdf"])
def test_missing_path_is_an_error(arg):
    res = runner.invoke(app, ["check", arg])
    assert res.exit_code == 2
    assert "不存在" in res.output and "--text" in res.output
    assert arg not in res.output  # the argument might be someone's message


def test_text_flag_reviews_a_path_looking_argument_as_text():
    res = runner.invoke(app, ["check", "--text", "通知2.docx", "--json"])
    assert res.exit_code == 0
    assert json.loads(res.stdout)["decision"] == "allow"


def test_existing_path_is_reviewed_as_a_file(tmp_path):
    f = tmp_path / "通知.txt"
    f.write_text("秘密★1年\n关于调整值班安排的通知", encoding="utf-8")
    res = runner.invoke(app, ["check", str(f), "-c", "work_group", "--json"])
    data = json.loads(res.stdout)
    assert "R01" in data["rules"] and res.exit_code == 11
    assert data["findings"][0]["source"].startswith("att1")


def test_missing_attachment_is_an_error_without_its_name():
    res = runner.invoke(app, ["check", "你好", "--attach", "不存在的秘密文件.docx"])
    assert res.exit_code == 2
    assert "第 1 个附件" in res.output and "不存在的秘密文件" not in res.output


def test_sentences_with_slashes_are_text():
    res = runner.invoke(app, ["check", "好的/收到", "--json"])
    assert res.exit_code == 0 and json.loads(res.stdout)["decision"] == "allow"


# --- Rich markup in user text --------------------------------------------------------


def test_markup_in_the_message_does_not_break_explain():
    res = runner.invoke(app, ["explain", "[/red] 机密★1年 [bold]我拍了[/bold]"])
    assert res.exit_code == 11, res.output
    assert "[/red]" in res.stdout and "[bold]" in res.stdout


def test_finding_lines_keep_their_location():
    res = runner.invoke(app, ["check", BLOCKED])
    assert "[text 0-6]" in res.stdout


def test_redact_keeps_markup_like_text():
    res = runner.invoke(app, ["redact", "[bold]你好[/bold]，明天见"])
    assert res.stdout.strip() == "[bold]你好[/bold]，明天见"
    masked = runner.invoke(app, ["redact", "[bold]机密★10年[/bold]，晚上吃饭"]).stdout.strip()
    assert masked.endswith("，晚上吃饭") and "机密" not in masked
    assert len(masked) == len("[bold]机密★10年[/bold]，晚上吃饭")


def test_check_and_eval_escape_ids_and_errors(tmp_path):
    corpus = tmp_path / "c.jsonl"
    corpus.write_text(
        _jsonl({"id": "[red]x", "text": "明天见", "expect": {"decision": "block", "rules": []}}, "{bad"),
        encoding="utf-8",
    )
    res = runner.invoke(app, ["eval", str(corpus)])
    assert "[red]x" in res.output
    res = runner.invoke(app, ["check", "--input", str(corpus), "--pretty"])
    assert "[red]x" in res.output


# --- batch ----------------------------------------------------------------------------


def test_batch_keeps_ids_extra_fields_and_one_row_per_line(tmp_path):
    corpus = tmp_path / "in.jsonl"
    corpus.write_text(
        _jsonl(
            {"id": 17, "text": BLOCKED, "sender": "wx_1", "roomid": "r@chatroom", "msgtime": 1700000000},
            "",
            {"id": "keep-me", "text": 5, "sender": "wx_2"},
            {"text": "明天见"},
            "   ",
        ),
        encoding="utf-8",
    )
    res = runner.invoke(app, ["check", "--input", str(corpus)])
    rows = _rows(res.stdout)
    assert len(rows) == 5
    assert rows[0]["id"] == 17 and rows[0]["sender"] == "wx_1" and rows[0]["msgtime"] == 1700000000
    assert rows[0]["decision"] == "block"
    assert rows[1] == {"line": 2, "skipped": "空行"}
    assert rows[2]["id"] == "keep-me" and rows[2]["sender"] == "wx_2" and "text" in rows[2]["error"]
    assert rows[3]["id"] is None and rows[3]["decision"] == "allow"
    assert rows[4]["skipped"] == "空行"
    assert res.exit_code == 1


@pytest.mark.parametrize(
    ("line", "word"),
    [
        ({"id": "e1", "text": "x", "expect": "block"}, "expect"),
        ({"id": "e2", "text": "x", "expect": {"decision": "block", "rules": 5}}, "rules"),
        ({"id": "e3", "text": "x", "expect": {"decision": "block", "rules": [["R01"]]}}, "rules"),
        ({"id": "e4", "text": "x", "expect": {"decision": "block", "rules": ["R99"]}}, "未知规则"),
        ({"id": "e5", "text": "x", "expect": {"decision": "stop"}}, "decision"),
        ({"id": ["e6"], "text": "x"}, "id"),
        ({"id": "e7", "text": "x", "attachments": "a.jpg"}, "attachments"),
        ({"id": "e8", "text": "x", "channel": 3}, "channel"),
        ("[1, 2]", "JSON 对象"),
    ],
)
def test_bad_field_types_are_line_errors(line, word):
    data = _jsonl({"id": "ok1", "text": "明天见"}, line, {"id": "ok2", "text": "明天见"})
    res = runner.invoke(app, ["check", "--input", "-"], input=data)
    rows = _rows(res.stdout)
    assert [r.get("id") for r in (rows[0], rows[2])] == ["ok1", "ok2"]
    assert word in rows[1]["error"] and rows[1]["line"] == 2
    if isinstance(line, dict) and isinstance(line["id"], str):
        assert rows[1]["id"] == line["id"]
    assert res.exit_code == 1


def test_lone_surrogate_id_and_invalid_utf8_are_line_errors():
    data = (
        _jsonl({"id": "ok", "text": "明天见"}).encode()
        + b'{"id": "\\ud800", "text": "x"}\n'
        + b'{"id": "bad-bytes", "text": "\xff\xfe"}\n'
        + b'{"id": "x", "text": "y", "sender": "\\udfff"}\n'
        + _jsonl({"id": "last", "text": "明天见"}).encode()
    )
    res = runner.invoke(app, ["check", "--input", "-"], input=data)
    rows = _rows(res.stdout)
    assert len(rows) == 5
    assert "孤立代理项" in rows[1]["error"]
    assert "UTF-8" in rows[2]["error"]
    assert "孤立代理项" in rows[3]["error"] and rows[3]["id"] == "x"
    assert rows[4]["id"] == "last" and rows[4]["decision"] == "allow"


def test_channel_option_is_the_default_for_lines_without_one():
    data = _jsonl(
        {"id": "a", "text": "我们单位的内部资料，大家看看"},
        {"id": "b", "text": "我们单位的内部资料，大家看看", "channel": "direct"},
    )
    rows = _rows(runner.invoke(app, ["check", "--input", "-", "-c", "moments"], input=data).stdout)
    assert rows[0]["decision"] == "block" and "R10" in rows[0]["rules"]
    assert rows[1]["decision"] == "review" and "R10" not in rows[1]["rules"]


# --- exit codes -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["check", "明天见"], 0),
        (["check", WARNED], 0),
        (["check", REVIEWED], 10),
        (["check", BLOCKED], 11),
        (["check", "你好", "-c", "family"], 2),
        (["check", "   "], 2),
        (["check"], 2),
    ],
)
def test_exit_codes_tell_decisions_and_errors_apart(args, code):
    res = runner.invoke(app, args)
    assert res.exit_code == code, res.output


def test_bad_policy_exits_3(tmp_path):
    bad = tmp_path / "p.yaml"
    bad.write_text("matrix:\n  R01:\n    direct: maybe\n", encoding="utf-8")
    res = runner.invoke(app, ["check", "你好", "--policy", str(bad)])
    assert res.exit_code == 3 and "策略" in res.output


def test_batch_exit_code_is_the_strongest_decision():
    data = _jsonl({"text": "明天见"}, {"text": REVIEWED})
    assert runner.invoke(app, ["check", "--input", "-"], input=data).exit_code == 10
    assert runner.invoke(app, ["check", "--input", "-"], input=_jsonl({"text": "明天见"})).exit_code == 0


# --- eval -------------------------------------------------------------------------------


def _eval_corpus(tmp_path):
    corpus = tmp_path / "c.jsonl"
    corpus.write_text(
        _jsonl(
            {"id": "1", "text": BLOCKED, "expect": {"decision": "block", "rules": ["R01"]}},
            {"id": "2", "text": "晚上吃啥", "expect": {"decision": "allow", "rules": []}},
            {"id": "no-label", "text": "明天见"},
            "{oops",
        ),
        encoding="utf-8",
    )
    return corpus


def test_eval_names_bad_lines_and_exits_non_zero(tmp_path):
    res = runner.invoke(app, ["eval", str(_eval_corpus(tmp_path))])
    assert res.exit_code == 1
    assert "第 3 行" in res.output and "no-label" in res.output and "expect" in res.output
    assert "第 4 行" in res.output and "JSON" in res.output
    data = json.loads(runner.invoke(app, ["eval", str(_eval_corpus(tmp_path)), "--json"]).stdout)
    assert [b["line"] for b in data["bad_lines"]] == [3, 4] and data["errors"] == 2


def test_eval_shows_a_dash_for_rules_without_support(tmp_path):
    res = runner.invoke(app, ["eval", str(_eval_corpus(tmp_path))])
    r04 = next(line for line in res.stdout.splitlines() if "R04" in line)
    assert "—" in r04 and "1.000" not in r04
    data = json.loads(runner.invoke(app, ["eval", str(_eval_corpus(tmp_path)), "--json"]).stdout)
    assert data["per_rule"]["R04"]["recall"] is None and data["per_rule"]["R01"]["recall"] == 1.0


def test_eval_thresholds_gate_ci(tmp_path):
    corpus = tmp_path / "c.jsonl"
    corpus.write_text(
        _jsonl(
            {"id": "1", "text": BLOCKED, "expect": {"decision": "block", "rules": ["R01"]}},
            {"id": "2", "text": "明天见", "expect": {"decision": "block", "rules": ["R04"]}},
            {"id": "3", "text": "晚上吃啥", "expect": {"decision": "allow", "rules": []}},
        ),
        encoding="utf-8",
    )
    ok = runner.invoke(app, ["eval", str(corpus), "--fail-under", "stop_recall=0.5,accuracy=0.6"])
    assert ok.exit_code == 0, ok.output
    low = runner.invoke(app, ["eval", str(corpus), "--fail-under", "stop_recall=0.95"])
    assert low.exit_code == 5 and "stop_recall" in low.output
    rule = runner.invoke(app, ["eval", str(corpus), "--fail-under", "R04.recall=0.5"])
    assert rule.exit_code == 5
    over = runner.invoke(app, ["eval", str(corpus), "--fail-over", "false_stop=0.0"])
    assert over.exit_code == 0
    unmeasured = runner.invoke(app, ["eval", str(corpus), "--fail-under", "R07.recall=0.5"])
    assert unmeasured.exit_code == 5  # no sample: never a pass
    for bad in ("nonsense=1", "stop_recall=2", "false_stop=0.1", "stop_recall"):
        assert runner.invoke(app, ["eval", str(corpus), "--fail-under", bad]).exit_code == 2


# --- versions, rules, channels ---------------------------------------------------------


def test_version():
    res = runner.invoke(app, ["--version"])
    assert res.exit_code == 0 and res.stdout.startswith("baomi ") and "#" in res.stdout


def test_json_output_carries_engine_and_policy_version():
    data = json.loads(runner.invoke(app, ["check", "明天见", "--json"]).stdout)
    assert data["engine_version"] and data["policy_version"].startswith("default_policy.yaml#")


def test_rules_json_and_no_column_cut():
    data = json.loads(runner.invoke(app, ["rules", "--json"]).stdout)
    assert [r["id"] for r in data["rules"]][:2] == ["R01", "R02"]
    assert data["rules"][0]["decisions"]["moments"] == "block"
    assert "朋友圈" in next(c for c in data["channels"] if c["id"] == "moments")["names"]
    table = runner.invoke(app, ["rules"]).stdout
    for rule in data["rules"]:
        assert rule["forbids"][-6:] in table.replace("\n", "").replace("│", "").replace(" ", "")


@pytest.mark.parametrize(
    ("name", "channel"),
    [("点对点", "direct"), ("工作群", "work_group"), ("外部群", "external_group"),
     ("机关以外的群", "external_group"), ("朋友圈", "moments"), ("发布", "publish"), ("信息发布", "publish")],
)  # fmt: skip
def test_chinese_channel_names_everywhere(name, channel):
    res = runner.invoke(app, ["explain", "明天见", "-c", name])
    assert res.exit_code == 0, res.output
    rows = _rows(
        runner.invoke(app, ["check", "--input", "-"], input=_jsonl({"text": BLOCKED, "channel": name})).stdout
    )
    assert rows[0]["decision"] == "block"
    direct = runner.invoke(app, ["check", "我们单位的内部资料，大家看看", "-c", name, "--json"]).stdout
    assert ("R10" in json.loads(direct)["rules"]) == (channel in ("external_group", "moments"))


def test_redact_image_without_the_attachments_extra_names_the_install(tmp_path):
    import subprocess
    import sys

    photo = tmp_path / "p.png"
    photo.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    code = (
        "import sys\n"
        "for m in ('PIL', 'numpy', 'cv2', 'rapidocr_onnxruntime'): sys.modules[m] = None\n"
        "from baomi.cli.app import main\n"
        f"sys.argv = ['baomi', 'redact', '--image', {str(photo)!r}, '-o', {str(tmp_path / 'o.png')!r}]\n"
        "main()\n"
    )
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert res.returncode == 2, res.stderr
    assert "pip install 'baomi[attachments]'" in res.stderr and "Traceback" not in res.stderr


def test_the_installed_command_never_prints_a_traceback(tmp_path):
    import subprocess
    import sys

    long = "机密★10年" + "这是一段很长的消息" * 200
    code = "import sys\nfrom baomi.cli.app import main\nsys.argv = ['baomi', *sys.argv[1:]]\nmain()\n"
    res = subprocess.run(
        [sys.executable, "-c", code, "check", long], capture_output=True, text=True, timeout=60
    )
    assert res.returncode == 11
    assert "Traceback" not in res.stderr and "这是一段很长的消息" not in res.stdout + res.stderr


def test_input_dev_stdin_from_a_pipe_is_read_once():
    import subprocess
    import sys

    data = _jsonl({"id": "a", "text": BLOCKED}, {"id": "b", "text": "明天见"})
    code = "import sys\nfrom baomi.cli.app import main\nsys.argv = ['baomi', *sys.argv[1:]]\nmain()\n"
    for args in (["check", "--input", "/dev/stdin"], ["eval", "/dev/stdin", "--json"]):
        res = subprocess.run([sys.executable, "-c", code, *args], input=data, capture_output=True, text=True)
        assert "Traceback" not in res.stderr
        if args[0] == "check":
            assert [r["id"] for r in _rows(res.stdout)] == ["a", "b"] and res.returncode == 11
        else:
            assert res.returncode == 2 and "expect" in res.stderr  # no labels: named, not n=0 and a pass


def test_an_internal_error_on_one_line_does_not_stop_the_batch(monkeypatch):
    from baomi.engine import Reviewer

    original = Reviewer.review

    def flaky(self, message, *a, **k):
        if "爆" in message.text:
            raise ValueError(f"reader bug on {message.text}")
        return original(self, message, *a, **k)

    monkeypatch.setattr(Reviewer, "review", flaky)
    data = _jsonl(
        {"id": "a", "text": "明天见"}, {"id": "b", "text": "爆CANARY-9"}, {"id": "c", "text": "明天见"}
    )
    res = runner.invoke(app, ["check", "--input", "-"], input=data)
    rows = _rows(res.stdout)
    assert [r["id"] for r in rows] == ["a", "b", "c"] and res.exit_code == 1
    assert "ValueError" in rows[1]["error"] and "CANARY-9" not in res.output
