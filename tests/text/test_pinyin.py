"""Cue words spelt out in pinyin: found as weak hits of their Han term, at the right span."""

import pytest

from baomi import Reviewer
from baomi.match import Matcher, default_matcher
from baomi.text.normalise import normalise
from baomi.text.pinyin import split_word, syllable_view


def weak_hits(text: str, matcher: Matcher | None = None) -> list[tuple[str, str, str]]:
    """(category, term, the original characters it was found in) for the weak hits of `text`."""
    norm = normalise(text)
    hits = (matcher or default_matcher()).scan(norm.text)
    return [
        (h.category, h.term, text[slice(*norm.to_original(h.start, h.end))])
        for hs in hits.by_category.values()
        for h in hs
        if h.weak
    ]


def _pinyin_hits(text: str, matcher: Matcher | None = None) -> dict[str, str]:
    """term → the original characters it was found in, for the weak hits of `text`."""
    return {term: written for _, term, written in weak_hits(text, matcher)}


def test_split_word_takes_the_fewest_syllables():
    assert split_word("jiyaoshi") == [2, 5, 8]
    assert split_word("xian") == [4]  # 县, not xi an
    assert split_word("hello") is None
    assert split_word("canary") is None


@pytest.mark.parametrize(
    ("text", "term", "written"),
    [
        ("Jī yào shì nà biān de shè xiàng tóu huài le", "机要室", "Jī yào shì"),
        ("jin tian kai le ge bao mi hui, shuo ming nian", "保密会", "bao mi hui"),
        ("XX Ju ZHANG xia ge yue yao diao zou le", "局长", "Ju ZHANG"),
        ("wo ba changweihui de luyin fa ni le", "常委会", "changweihui"),
        ("ｊｉ ｍｉ wen jian bie fa", "机密", "ｊｉ ｍｉ"),
        ("xun cha zu zhou si jin zhu", "巡察组", "xun cha zu"),
    ],
)
def test_cues_in_pinyin_are_weak_hits_with_their_span(text, term, written):
    assert _pinyin_hits(text)[term] == written


@pytest.mark.parametrize(
    "text",
    [
        "hello world, see you at the meeting ok",  # English is not read as pinyin
        "shujia kuaile",  # 书记 is not inside 暑假
        "ji, mi",  # a comma ends the run: no 机密 across it
        "明天下午三点开会",  # no Latin at all
    ],
)
def test_no_cue_where_the_syllables_do_not_spell_one(text):
    assert not {t for t in _pinyin_hits(text) if t in ("机密", "书记", "机要室", "保密会")}


def test_runs_are_broken_by_words_that_are_not_pinyin():
    view, starts, spans = syllable_view("ji hello mi")
    assert "|" in view and len(starts) == len(spans) == 2


def test_organisation_names_are_read_in_pinyin_too():
    matcher = Matcher({"codename": ["天穹工程"]})
    assert _pinyin_hits("ni zhi dao tian qiong gong cheng ma", matcher)["天穹工程"] == "tian qiong gong cheng"


def test_a_message_written_in_pinyin_is_stopped_and_a_harmless_one_is_not():
    reviewer = Reviewer()
    leak = "jin tian xian li kai le ge bao mi hui, shuo ming nian yao zai wo men zhen jian dan yao ku"
    dinner = "wo men jin tian qu chi huo guo ba, wan shang qi dian jian"
    assert reviewer.review(leak, "moments").decision.value == "block"
    assert reviewer.review(dinner, "moments").decision.value == "allow"
