"""Canary: a unique token inside a marked message, a file name, a docx body and a rendered
image never appears in any output, log or error of check, batch, eval or redact.
`explain` shows the sender their own text by design, but never logs it."""

import json
import logging

import pytest
from typer.testing import CliRunner

from baomi.cli.app import app
from tests.ocr.test_rapid import needs_ocr
from tests.synth.pages import PageText, official_page

TOKEN = "枫桥7741"
runner = CliRunner()


def _everything(res, caplog) -> str:
    """stdout, stderr and every log record of one run."""
    return "\n".join([res.output, res.stdout, getattr(res, "stderr", "") or "", caplog.text])


def _assert_clean(res, caplog):
    seen = _everything(res, caplog)
    assert TOKEN not in seen and "7741" not in seen, "canary leaked"
    assert "Traceback" not in seen


@pytest.fixture(autouse=True)
def _debug_logs(caplog):
    caplog.set_level(logging.DEBUG)


@pytest.fixture
def files(tmp_path):
    import docx

    named = tmp_path / f"机密★1年{TOKEN}.txt"
    named.write_text("下午三点开会", encoding="utf-8")
    document = docx.Document()
    document.add_paragraph(f"机密★10年{TOKEN}关于调整防汛值守安排的通知")
    body = tmp_path / "通知.docx"
    document.save(body)
    return named, body


MARKED = f"机密★10年{TOKEN}这份通知我拍了"


def _corpus(tmp_path, attachments: list[str]):
    corpus = tmp_path / "c.jsonl"
    expect = {"decision": "block", "rules": ["R01"]}
    lines = [
        {"id": "text", "channel": "work_group", "text": MARKED, "expect": expect},
        {"id": "bad-type", "channel": "work_group", "text": MARKED, "expect": "block"},
        {"id": "bad-channel", "channel": "nowhere", "text": MARKED, "expect": expect},
        *(
            {"id": f"att{i}", "channel": "moments", "text": "", "attachments": [a], "expect": expect}
            for i, a in enumerate(attachments)
        ),
    ]
    corpus.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines) + "\n", encoding="utf-8")
    return corpus


def test_text_never_leaks(caplog):
    for args in (
        ["check", MARKED, "-c", "work_group"],
        ["check", MARKED, "-c", "work_group", "--json"],
        ["check", "-", "--json"],
        ["check", f"{TOKEN}.docx"],  # a missing path: the error names no part of it
        ["check", MARKED, "-c", "nowhere"],
        ["redact", MARKED, "-c", "moments"],
    ):
        res = runner.invoke(app, args, input=MARKED)
        assert res.exit_code in (2, 11), (args, res.exit_code)
        _assert_clean(res, caplog)


def test_explain_shows_the_text_but_never_logs_it(caplog):
    res = runner.invoke(app, ["explain", MARKED, "-c", "work_group"])
    assert res.exit_code == 11
    assert TOKEN in res.stdout  # the sender's own text, shown back to them
    assert TOKEN not in caplog.text


def test_file_name_and_docx_body_never_leak(tmp_path, files, caplog):
    named, body = files
    for args in (
        ["check", "--attach", str(named), "-c", "work_group", "--json"],
        ["check", str(body), "-c", "work_group"],
        ["check", "--attach", str(body), "--attach", str(named), "-c", "moments"],
    ):
        res = runner.invoke(app, args)
        assert res.exit_code == 11, (args, res.output)
        _assert_clean(res, caplog)
    corpus = _corpus(tmp_path, [named.name, body.name])
    batch = runner.invoke(app, ["check", "--input", str(corpus)])
    rows = [json.loads(x) for x in batch.stdout.splitlines()]
    assert [r.get("decision") for r in rows] == ["block", None, None, "block", "block"]
    _assert_clean(batch, caplog)
    pretty = runner.invoke(app, ["check", "--input", str(corpus), "--pretty"])
    _assert_clean(pretty, caplog)
    for args in (["eval", str(corpus)], ["eval", str(corpus), "--json"]):
        res = runner.invoke(app, args)
        assert res.exit_code == 1  # the two bad lines are named
        _assert_clean(res, caplog)


@needs_ocr
def test_rendered_image_never_leaks(tmp_path, caplog):
    from baomi.extract.image import ocr_lines
    from baomi.ocr.base import page_text

    photo = tmp_path / "IMG_0042.png"
    official_page(
        PageText(body=(f"一、本件代号{TOKEN}号专项安排。", "二、请于九月十日前完成。")), size=(620, 877)
    ).save(photo)
    assert TOKEN in page_text(ocr_lines(photo))[0].replace(" ", "")  # the OCR does read the token
    res = runner.invoke(app, ["check", "--attach", str(photo), "-c", "moments", "--json"])
    assert res.exit_code == 11 and "R01" in json.loads(res.stdout)["rules"]
    _assert_clean(res, caplog)
    corpus = _corpus(tmp_path, [photo.name])
    for args in (["check", "--input", str(corpus)], ["eval", str(corpus), "--json"]):
        _assert_clean(runner.invoke(app, args), caplog)
    masked = tmp_path / "masked.png"
    res = runner.invoke(app, ["redact", "--image", str(photo), "-o", str(masked)])
    assert res.exit_code == 11 and masked.is_file()
    _assert_clean(res, caplog)
