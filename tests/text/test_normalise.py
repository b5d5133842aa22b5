import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from baomi.text.normalise import normalise

CASES = [
    ("機密★十年", "机密★十年"),
    ("秘密＊１年", "秘密★1年"),
    ("秘密*1年", "秘密★1年"),
    ("机 要 室", "机要室"),
    ("机*密", "机密"),
    ("机-密", "机密"),
    ("疫\u200b情", "疫情"),
    ("内部☆注意保存", "内部★注意保存"),
    ("秘密※2年", "秘密★2年"),
    ("县纪发（２０２４）５号", "县纪发〔2024〕5号"),
    ("临政发【2024】21号", "临政发〔2024〕21号"),
    ("清政发(2023)30号", "清政发〔2023〕30号"),
    ("JM★5年", "jm★5年"),
    ("今天 天气 好", "今天天气好"),
    ("a big day", "a big day"),  # spaces between Latin words stay
    # spelt-out letters close up, so pinyin and initials read as one word
    ("s-h-e-m-i演习", "shemi演习"),
    ("S.M会议", "sm会议"),
    ("j i 密", "ji密"),
    # symbols strewn between Han characters are separators
    ("❗书❗记❗下❗周", "❗书记下周"),
    ("听✦说", "听说"),
    ("一二……三", "一二……三"),
]


@pytest.mark.parametrize(("raw", "expected"), CASES)
def test_normalised_view(raw, expected):
    assert normalise(raw).text == expected


def test_spans_map_back_to_the_original():
    raw = "前文 机\u200b 密★10年 后文"
    n = normalise(raw)
    i = n.text.index("机密★10年")
    start, end = n.to_original(i, i + len("机密★10年"))
    assert raw[start:end] == "机\u200b 密★10年"


def test_normalisations_are_recorded():
    n = normalise("機密＊１年")
    assert set(n.normalisations(0, len(n.text))) >= {"繁体", "全角/兼容字符", "星号变体"}
    assert normalise("机密★1年").normalisations(0, 6) == ()


NOISE = st.sampled_from(["\u200b", "\u200d", "\ufeff", " ", "*", "-", "·", "　"])
HAN = st.sampled_from(list("机密绝秘内部资料书记市长明天调研疫情确诊名单"))
OTHER = st.sampled_from(list("★☆0123456789，。,.ABCabc（）【】《》：“”１２ＡＢ機號"))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(HAN, HAN, OTHER, NOISE), max_size=60))
def test_every_span_maps_back_inside_the_original(chars):
    raw = "".join(chars)
    n = normalise(raw)
    assert len(n.text) <= len(raw)
    for i in range(len(n.text)):
        start, end = n.to_original(i, i + 1)
        assert 0 <= start < end <= len(raw)
        # the original span holds the character this one came from (up to folding)
        assert normalise(raw[start:end]).text.strip() in (n.text[i], "") or n.text[i] in "★〔〕"
    for i in range(len(n.text)):
        for j in range(i + 1, min(len(n.text), i + 8) + 1):
            s, e = n.to_original(i, j)
            assert 0 <= s < e <= len(raw)
            assert s <= n.to_original(j - 1, j)[0]


@settings(max_examples=200, deadline=None)
@given(st.lists(NOISE, max_size=4), st.lists(NOISE, max_size=4), st.lists(NOISE, max_size=4))
def test_marking_survives_inserted_noise(a, b, c):
    raw = "前面" + "机" + "".join(a) + "密" + "★10年" + "".join(b) + "的件" + "".join(c)
    n = normalise(raw)
    assert "机密★10年" in n.text
    i = n.text.index("机密")
    s, e = n.to_original(i, i + 2)
    assert raw[s] == "机" and raw[e - 1] == "密"
