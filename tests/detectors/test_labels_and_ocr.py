"""Markings that need no ★ period: a disguised level with a document or a copy, a bare
level word labelling a 文号 or title; OCR readings of the star and brackets; an OCR
segment keeps its media kind when its text carries a chat media tag."""

import pytest

from baomi import Reviewer
from baomi.ocr.fake import FakeOcr
from tests.synth.pages import official_page

STOPPED = [
    # the README examples
    ("这个jm★文件我拍了", "direct", "R01"),
    ("临政发〔2024〕3号 机密", "work_group", "R03"),
    # the same causes, other words
    ("JM★材料 我拍了第二页", "work_group", "R01"),
    ("jimi★ 这份我手打出来了", "direct", "R01"),
    ("机密 县委发〔2023〕12号", "work_group", "R03"),
    ("云政办发（2024）7号：秘密", "direct", "R03"),
    ("《关于调整边界管控点位的通知》 绝密", "work_group", "R03"),
    ("东政发[2022]5号 秘密级", "work_group", "R03"),
    # OCR readings of the star (issue 8)
    ("机密女10年 关于做好防汛值守工作的通知", "work_group", "R01"),
    ("秘密x1年 这份我拍了", "direct", "R01"),
    ("份号 0 0 0 0 6 1 绝密*长期", "work_group", "R01"),
    ("临政发 ( 2024 ) 3号 秘密★1年", "work_group", "R03"),
]

ALLOWED = [
    ("jm★", "direct"),  # a disguise alone
    ("JM★品牌新款上市", "moments"),
    ("临政发〔2024〕3号 机密会议室的钥匙在我这", "work_group"),  # a room, not a label
    ("按临政发〔2024〕3号要求做好保密工作，不涉及机密", "work_group"),
    ("临政发〔2024〕3号 秘密花园主题活动方案", "work_group"),
    ("关于加强商业机密保护的通知 已在官网公开", "publish"),
    ("美女们10年后再聚", "external_group"),
    ("2x3的桌子, 秘密基地见", "external_group"),
]


@pytest.mark.parametrize(("text", "channel", "rule"), STOPPED)
def test_stopped(text, channel, rule):
    v = Reviewer().review(text, channel)
    assert rule in v.rules and v.decision.stops, v.findings


@pytest.mark.parametrize(("text", "channel"), ALLOWED)
def test_look_alike_allowed(text, channel):
    v = Reviewer().review(text, channel)
    assert v.decision.value == "allow", [(f.rule, f.reasons) for f in v.findings]


@pytest.mark.parametrize("caption", ["", "[语音] 5秒", "[视频] 0:12", "看看这个"])
def test_ocr_segment_with_a_media_tag_stays_an_image(tmp_path, caption):
    """A screenshot whose text carries [语音] 5秒 is still judged as an image: OCR that
    dropped the ★ of a marking still counts (the tag loop once overwrote the kind)."""
    photo = tmp_path / "IMG_0001.jpg"
    official_page().save(photo, quality=85)
    ocr = FakeOcr(["秘密1年 [语音] 5秒", "关于做好防汛值守工作的通知"])
    v = Reviewer(ocr=ocr).review(caption, "work_group", attachments=[photo])
    assert "R01" in v.rules and v.decision.value == "block"
    t = Reviewer(ocr=ocr).trace(caption, "work_group", attachments=[photo])
    assert {s.segment.media for s in t.segments if s.segment.source.endswith("ocr")} == {"image"}
