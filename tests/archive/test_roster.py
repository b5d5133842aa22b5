import pytest

from baomi import Channel
from baomi.archive.roster import Roster, RosterError, guess_group_channel


@pytest.mark.parametrize(
    ("name", "channel"),
    [
        ("张家亲戚群", Channel.EXTERNAL_GROUP),
        ("城东小区业主群", Channel.EXTERNAL_GROUP),
        ("三年级二班家长群", Channel.EXTERNAL_GROUP),
        ("高中同学群", Channel.EXTERNAL_GROUP),
        ("县政府办工作群", Channel.WORK_GROUP),
        ("疫情防控指挥部", Channel.WORK_GROUP),
        ("家长学校工作群", Channel.WORK_GROUP),  # the word found last decides
        ("工作之余的钓友", Channel.EXTERNAL_GROUP),
        ("无名群123", Channel.EXTERNAL_GROUP),  # unknown → the stricter guess
    ],
)
def test_group_names(name, channel):
    got, why = guess_group_channel(name)
    assert got is channel and why


def test_roster_first_then_direct_then_guess(tmp_path):
    path = tmp_path / "roster.yaml"
    path.write_text(
        "conversations:\n  wrW1: {name: 县政府办工作群, channel: work_group}\n"
        "  wrF1: {name: 张家亲戚群, channel: external_group}\n  wrF2: {name: 城东小区业主群}\n",
        encoding="utf-8",
    )
    roster = Roster.load(path)
    assert roster.channel_of("wrW1", "wrW1", True).channel is Channel.WORK_GROUP
    assert roster.channel_of("wrW1", "wrW1", True).name == "县政府办工作群"
    assert roster.channel_of("a|b", "a|b", False).basis == "direct"
    named = roster.channel_of("wrF2", "wrF2", True)
    assert named.is_guess and named.name == "城东小区业主群" and "业主" in named.why
    guess = roster.channel_of("wrX", "同学群", True)
    assert guess.is_guess and guess.channel is Channel.EXTERNAL_GROUP and "同学" in guess.why


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("conversations: [1, 2]", "缺少 conversations"),
        ("conversations:\n  a: {note: x}", "需要 name 或 channel"),
        ("conversations:\n  a: {name: x, channel: wechat}", "未知渠道"),
        ("conversations: {a: [", "不是有效的 YAML"),
    ],
)
def test_bad_rosters_are_chinese_errors(tmp_path, text, message):
    path = tmp_path / "r.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RosterError, match=message):
        Roster.load(path)
