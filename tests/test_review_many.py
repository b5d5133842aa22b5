"""Reviewer.review_many: the verdicts of `review`, in order, for a batch."""

import pytest

from baomi import Message, Reviewer
from baomi.errors import EmptyMessageError
from baomi.model import Channel, Decision

BATCH = [
    "周五下午三点开科务会",
    "机密★10年 这份我拍了",
    "收到",
    "我的身份证号 11010519491231002X 发你了",
    "收到",
    "机密★10年 这份我拍了",
    "这个秘密你别告诉别人，我下个月结婚",
]


@pytest.mark.parametrize("channel", ["direct", "work_group", "moments"])
def test_same_verdicts_as_one_by_one(reviewer, channel):
    assert reviewer.review_many(BATCH, channel) == [reviewer.review(t, channel) for t in BATCH]


def test_order_is_kept_and_repeats_get_their_verdict(reviewer):
    verdicts = reviewer.review_many(BATCH, "work_group")
    assert [v.decision for v in verdicts][:3] == [Decision.ALLOW, Decision.BLOCK, Decision.ALLOW]
    assert verdicts[5] == verdicts[1] and verdicts[5].rules == ("R01",)


def test_messages_keep_their_own_channel_and_id(reviewer):
    outside = Message("机密★10年 这份我拍了", Channel.MOMENTS, (), "m-7")
    verdicts = reviewer.review_many(["机密★10年 这份我拍了", outside], "direct")
    assert verdicts[1] == reviewer.review(outside)
    assert verdicts[1].message_id == "m-7" and "R10" in verdicts[1].rules
    assert "R10" not in verdicts[0].rules


def test_an_empty_text_raises_as_in_review(reviewer):
    with pytest.raises(EmptyMessageError):
        reviewer.review_many(["你好", "  "])


def test_empty_batch_and_generators():
    reviewer = Reviewer()
    assert reviewer.review_many([]) == []
    assert len(reviewer.review_many(t for t in BATCH)) == len(BATCH)
