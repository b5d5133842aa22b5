"""Strong cues written with other characters of the same sound, or half in pinyin: weak
hits of the cue at the characters written; real words that sound like a cue are not."""

import pytest

from baomi import Reviewer
from baomi.lexicon import load_lexicon
from baomi.text.sounds import inside_word, sound_key, sound_text
from tests.text.test_pinyin import _pinyin_hits, weak_hits


@pytest.mark.parametrize(
    ("text", "term", "written"),
    [
        ("鸡蜜的那份通知谁有，拍一下", "机密", "鸡蜜"),  # both characters swapped
        ("蛇蜜项目下周进场", "涉密项目", "蛇蜜项目"),
        ("东西放在鸡要室了", "机要室", "鸡要室"),
        ("讨轮稿先别外发", "讨论稿", "讨轮稿"),
        ("征求意见搞我转你", "征求意见稿", "征求意见搞"),
        ("密及文件放柜子里", "密级文件", "密及文件"),
        # half in pinyin: Han characters next to a Latin word are read with it
        ("谁知道那个mi级文件的文号", "密级", "mi级"),
        ("mi 级 专 题 会 的 lu 像 发 你", "录像", "lu 像"),
        ("那个 she🤫mi 的工程下周联调", "涉密", "she🤫mi"),
    ],
)
def test_homophones_and_half_pinyin_are_weak_hits_of_the_cue(text, term, written):
    categories = {c.category for c in load_lexicon()[term]}
    found = {(category, at) for category, _, at in weak_hits(text)}
    assert any((category, written) in found for category in categories), found


@pytest.mark.parametrize(
    "text",
    [
        "我在书店看了一下午书籍",  # 书籍 is a word, not 书记
        "十点在三楼会议室开会",  # 议室 inside 会议室 is no 疑似
        "机密文件放回柜子",  # the cue as written is the ordinary scan's, not a homophone
        "社会主义市场经济",  # 疑似 is too common a sound to read (everyday text makes it)
    ],
)
def test_real_words_that_sound_like_a_cue_are_not_hits(text):
    assert not _pinyin_hits(text)


def test_sound_text_keeps_offsets_and_folds_homophones():
    assert len(sound_text("鸡蜜★文件abc")) == len("鸡蜜★文件abc")
    assert sound_key("鸡蜜") == sound_key("机密") != sound_key("秘密")
    assert sound_key("机a") is None
    assert inside_word("三楼会议室", 3, 5) and not inside_word("鸡蜜文件", 0, 2)


def test_a_homophone_alone_is_weak_evidence_not_a_stop():
    verdict = Reviewer().review("今天去菜市场买了蛇蜜果，好甜", "moments")
    assert not verdict.decision.stops
