"""The extract() contract: names always reviewed, budgets enforced, never raises."""

import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from baomi.extract import Limits, extract
from baomi.extract.base import Match
from baomi.extract.dispatch import choose
from baomi.model import Attachment
from baomi.ocr import FakeOcr
from tests.extract.helpers import reasons, run, text_of
from tests.synth.docs import docx_file, pdf_file


def test_missing_file_still_reviews_its_name(tmp_path):
    result = run(tmp_path / "涉密机房.jpg")
    assert reasons(result) == ["无法读取文件"]
    assert [(s.text, s.source, s.media) for s in result.segments] == [("涉密机房.jpg", "att1/name", "image")]


def test_display_name_is_used_and_index_in_sources(tmp_path):
    path = tmp_path / "tmp123.txt"
    path.write_text("内容", encoding="utf-8")
    result = extract(Attachment(path, "会议纪要.txt"), 3, ocr=FakeOcr())
    assert [s.source for s in result.segments] == ["att3/name", "att3/text"]
    assert result.segments[0].text == "会议纪要.txt"


def test_file_over_size_limit_is_not_opened(tmp_path):
    path = tmp_path / "big.txt"
    path.write_text("字" * 1000, encoding="utf-8")
    result = run(path, limits=Limits(max_file_bytes=100))
    assert reasons(result) == ["超出大小限制"]
    assert text_of(result) == "big.txt"


def test_timeout_stops_with_a_problem(tmp_path):
    path = pdf_file(tmp_path / "a.pdf", ["第一页"] * 5)
    result = run(path, limits=Limits(timeout_s=0.0))
    assert "超出时间限制" in reasons(result)


def test_text_budget_truncates_with_a_problem(tmp_path):
    result = run(docx_file(tmp_path / "a.docx"), limits=Limits(max_text_chars=20))
    assert "超出文字长度限制" in reasons(result)
    assert sum(len(s.text) for s in result.segments) == 20


def test_magic_beats_extension(tmp_path):
    docx = docx_file(tmp_path / "a.docx")
    head = docx.read_bytes()[:64]
    assert choose(Path("report.txt"), head).name == "zip"
    assert choose(Path("report.pdf"), b"").name == "pdf"  # extension when no magic
    assert choose(Path("noext"), b"\x00\x01\x02") is None


def test_every_extractor_says_how_it_matched():
    from baomi.extract.registry import EXTRACTORS

    for extractor in EXTRACTORS:
        assert extractor.accepts(Path("x.unknownext"), b"\x00\x00") in (Match.NO, Match.GUESS)


PREFIXES = [
    b"\x89PNG\r\n\x1a\n",
    b"\xff\xd8\xff\xe0",
    b"GIF89a",
    b"%PDF-1.4\n",
    b"PK\x03\x04",
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
    b"RIFF\x00\x00\x00\x00WEBP",
    b"",
]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    prefix=st.sampled_from(PREFIXES),
    body=st.binary(max_size=2000),
    suffix=st.sampled_from([".jpg", ".pdf", ".docx", ".xlsx", ".pptx", ".ofd", ".zip", ".txt", ".doc", ""]),
)
def test_garbage_never_raises(tmp_path, prefix, body, suffix):
    path = tmp_path / f"garbage{suffix}"
    path.write_bytes(prefix + body)
    result = run(path, ocr=FakeOcr(["x"]))
    assert result.segments[0].source == "att1/name"


def test_import_is_light():
    code = (
        "import sys, baomi.extract, baomi.ocr, baomi.vision, baomi.redact\n"
        "heavy = {'cv2', 'onnxruntime', 'openvino', 'docx', 'pypdf', 'pypdfium2', 'openpyxl', 'pptx',"
        " 'numpy', 'PIL', 'rapidocr', 'defusedxml'}\n"
        "print(sorted(heavy & set(sys.modules)))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


@pytest.mark.parametrize("index", [1, 2])
def test_problems_carry_no_attachment_text(tmp_path, index):
    path = tmp_path / "机密文件.zip"
    path.write_bytes(b"PK\x03\x04garbage")
    result = extract(Attachment(path), index, ocr=FakeOcr())
    assert all("机密" not in str(p) for p in result.problems)


def test_missing_library_is_a_problem_not_a_crash(tmp_path, monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_cv2(name, *args, **kwargs):
        if name == "cv2":
            raise ImportError("libGL.so.1: cannot open shared object file", name="cv2")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_cv2)
    from PIL import Image

    path = tmp_path / "a.png"
    Image.new("RGB", (300, 200), "white").save(path)
    result = run(path)
    assert reasons(result) == ["缺少解析组件"]
    assert result.segments[0].text == "a.png"
