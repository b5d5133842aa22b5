"""Attachments through the whole engine: OCR text, documents, names, failures (X01)."""

import pytest

from baomi import Reviewer
from baomi.extract import Limits
from baomi.ocr.fake import FakeOcr
from baomi.redact import redact_text
from tests.synth.docs import docx_file, mark_encrypted, zip_bytes
from tests.synth.pages import official_page


def _photo(tmp_path, name="IMG_0001.jpg"):
    path = tmp_path / name
    official_page().save(path, quality=85)
    return path


def test_photo_of_a_classified_page_blocks(tmp_path):
    ocr = FakeOcr(
        [
            "份号 000061",
            "机密★10年",
            "云岭县人民政府文件",
            "云政发〔2024〕7号",
            "关于调整城区供水管网改造计划的通知",
        ]
    )
    v = Reviewer(ocr=ocr).review("大家看看", "external_group", attachments=[_photo(tmp_path)])
    assert v.decision.value == "block"
    assert {"R01", "R03", "R10"} <= set(v.rules)
    f = next(f for f in v.findings if f.rule == "R01")
    assert f.span.source == "att1/ocr" and "红头" in "".join(r.detail for r in f.reasons)


def test_ocr_that_dropped_the_star_still_finds_the_marking(tmp_path):
    ocr = FakeOcr(["秘密1年", "关于做好防汛值守工作的通知"])
    v = Reviewer(ocr=ocr).review("", "work_group", attachments=[_photo(tmp_path)])
    assert "R01" in v.rules


def test_photo_without_findings_is_allowed(tmp_path):
    ocr = FakeOcr(["端午节放假安排", "6月8日至10日放假"])
    v = Reviewer(ocr=ocr).review("", "work_group", attachments=[_photo(tmp_path)])
    assert v.decision.value == "allow"


def test_docx_header_marked_internal_is_r06(tmp_path):
    path = docx_file(tmp_path / "方案.docx")
    v = Reviewer().review("", "work_group", attachments=[path])
    assert "R06" in v.rules
    assert any(f.span.source.startswith("att1/") for f in v.findings)


def test_caption_names_of_media_are_reviewed(tmp_path):
    audio = tmp_path / "涉密会议录音0315.m4a"
    audio.write_bytes(b"\x00\x00\x00\x20ftypM4A " + b"\x00" * 64)
    v = Reviewer().review("", "work_group", attachments=[audio])
    assert "R02" in v.rules


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("表格.docx", b"PK\x03\x04 truncated", "损坏"),
        ("材料.zip", mark_encrypted(zip_bytes({"a.txt": "机密".encode()})), "加密"),
        ("未知.xyz", b"\x7fELF\x02\x01\x01" + b"\x00" * 64, "不支持"),
    ],
)
def test_unreadable_attachment_is_held_for_review(tmp_path, name, data, reason):
    path = tmp_path / name
    path.write_bytes(data)
    v = Reviewer().review("请查收", "direct", attachments=[path])
    assert v.decision.value == "review" and "X01" in v.rules
    assert any(reason in f.evidence for f in v.findings if f.rule == "X01")


def test_missing_attachment_is_a_finding_not_a_crash(tmp_path):
    v = Reviewer().review("", "direct", attachments=[tmp_path / "不存在.pdf"])
    assert v.decision.value == "review" and "X01" in v.rules


def test_limits_are_configurable(tmp_path):
    path = tmp_path / "big.txt"
    path.write_text("普通文字。" * 5000, encoding="utf-8")
    v = Reviewer(limits=Limits(max_file_bytes=1000)).review("", "direct", attachments=[path])
    assert "X01" in v.rules


def test_redact_text_masks_whole_clauses():
    text = "你好，机密★10年的件我拍了，晚上吃饭"
    start = text.index("机密")
    assert redact_text(text, [(start, start + 5)]) == "你好，＊＊＊＊＊＊＊＊＊＊＊，晚上吃饭"
    assert (
        redact_text(text, [(start, start + 2)], whole_clause=False) == "你好，＊＊★10年的件我拍了，晚上吃饭"
    )
