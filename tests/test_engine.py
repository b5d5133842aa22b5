import time

import pytest

from baomi import Message, Reviewer, build_message, review
from baomi.errors import EmptyMessageError, UnknownChannelError
from baomi.model import Channel, Decision


def test_review_api_returns_verdict_with_tip():
    v = review("机密★10年 这份我拍了", channel="work_group")
    assert v.decision is Decision.BLOCK
    assert v.rules == ("R01",)
    assert "涉密文件资料" in v.tip and "涉密网络" in v.tip


def test_clean_message_allows_with_tip():
    v = review("周五下午三点开科务会", channel="work_group")
    assert v.decision is Decision.ALLOW and v.findings == () and "可以发送" in v.tip


@pytest.mark.parametrize("text", ["", "   \n\t"])
def test_empty_message_is_an_error(text):
    with pytest.raises(EmptyMessageError, match="消息为空"):
        review(text, channel="direct")


def test_unknown_channel_lists_valid_ones():
    with pytest.raises(UnknownChannelError) as exc:
        review("你好", channel="wechat_group")
    for name in ("direct", "work_group", "external_group", "moments", "publish"):
        assert name in str(exc.value)


def test_spans_point_into_the_original_text(reviewer):
    text = "前面是闲聊。秘 密＊１年 那份件我拍了"
    v = reviewer.review(text, "direct")
    f = next(f for f in v.findings if f.rule == "R01")
    assert text[f.span.start : f.span.end].startswith("秘")
    assert "星号变体" in f.normalisations


def test_evidence_and_reprs_are_masked(reviewer):
    secret = "关于北部战略储备库迁建的通知"
    text = f"绝密★长期 {secret} 我拍了首页"
    v = reviewer.review(text, "external_group")
    blob = repr(v) + str(v.to_dict()) + repr(build_message(text, "direct"))
    assert secret not in blob
    assert all(f.evidence.endswith("**") for f in v.findings)
    assert text not in repr(Message(text, Channel.DIRECT))


def test_findings_below_the_policy_threshold_do_not_decide(tmp_path):
    policy = tmp_path / "p.yaml"
    policy.write_text("min_score: 1.0\n", encoding="utf-8")  # learned scores are calibrated, < 1
    strict = Reviewer(policy)
    assert strict.review("县长下周一去省里开会，车辆你来安排", "direct").decision is Decision.ALLOW


def test_ten_megabytes_finishes_in_linear_time(reviewer):
    chunk = "今天下午三点在三楼会议室召开安全生产工作会议，请各科室负责人准时参加。机密★1年 "
    small = chunk * (100_000 // len(chunk))
    big = chunk * (10_000_000 // len(chunk))
    t0 = time.perf_counter()
    reviewer.review(small, "direct")
    t_small = time.perf_counter() - t0
    t0 = time.perf_counter()
    v = reviewer.review(big, "direct")
    t_big = time.perf_counter() - t0
    assert v.decision is Decision.BLOCK
    # 100x the text must not cost much more than 100x the time (quadratic would be 10,000x)
    assert t_big < max(1.0, t_small) * 400


def test_attachment_names_are_reviewed(tmp_path):
    f = tmp_path / "涉密机房巡检.jpg"
    f.write_bytes(b"\xff\xd8\xff\xe0not really a jpeg")
    v = review("", channel="work_group", attachments=[f])
    assert "R07" in v.rules
