"""Invisible characters and OCR confusions are folded, with the offset map intact."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from baomi import Reviewer
from baomi.text.normalise import normalise

INVISIBLE = [
    "\x00",  # NUL
    "\x07",  # BEL
    "\x1b",  # ESC
    "\x7f",  # DEL
    "\x9b",  # C1 control
    "\u00ad",  # soft hyphen
    "\u061c",  # Arabic letter mark
    "\u200e",  # left-to-right mark
    "\u202a",  # bidi embedding
    "\u202e",  # right-to-left override
    "\u2066",  # bidi isolate
    "\u2069",  # pop isolate
    "\u2060",  # word joiner
    "\ufe0f",  # variation selector 16
    "\ufe00",  # variation selector 1
    "\U000e0101",  # variation selector supplement
    "\U000e0041",  # tag letter
    "\u034f",  # combining grapheme joiner
    "\u0301",  # combining acute accent
    "\u20dd",  # combining enclosing circle
    "\u3164",  # Hangul filler
]


@pytest.mark.parametrize("ch", INVISIBLE, ids=[f"U+{ord(c):04X}" for c in INVISIBLE])
def test_invisible_character_inside_a_marking_is_folded(ch):
    raw = f"这是机{ch}密★10年的件"
    n = normalise(raw)
    assert "机密★10年" in n.text
    i = n.text.index("机密")
    s, e = n.to_original(i, i + 2)
    assert raw[s:e] == f"机{ch}密"
    assert "不可见字符" in n.normalisations(i, i + 2)


@pytest.mark.parametrize("ch", ["\x00", "\u202e", "\ufe0f", "\u0301", "\U000e0101"])
def test_invisible_character_does_not_defeat_detection(ch):
    v = Reviewer().review(f"机{ch}密★10年 的件我拍了发群里", "work_group")
    assert v.decision.value == "block" and "R01" in v.rules


def test_several_invisible_kinds_at_once_and_before_the_star():
    raw = "绝\x00\u202e\u0301密★长期"
    assert normalise(raw).text == "绝密★长期"
    assert Reviewer().review(raw, "direct").rules == ("R01",)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("\t缩进\n换行\r\n", "\t缩进\n换行\r\n"),  # whitespace controls stay
        ("a\x0cb", "a\nb"),  # form feed is a line break
        ("e\u0301t\u00e9", "etе".replace("е", "e")),  # decomposed and precomposed accents
        ("jìmì", "jimi"),
        ("नमस्ते", "नमस्ते"),  # combining marks of other scripts are letters there
        ("👍🏽", "👍🏽"),
    ],
)
def test_what_is_kept_and_what_is_folded(raw, expected):
    assert normalise(raw).text == expected


# --- OCR: the star of a marking --------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("机密女10年", "机密★10年"),
        ("秘密x1年", "秘密★1年"),
        ("秘密X 1年", "秘密★ 1年"),
        ("绝密×长期", "绝密★长期"),
        ("机密女十年", "机密★十年"),
        ("绝密*", "绝密★"),
        ("秘密☆2年", "秘密★2年"),
        ("秘密 *1年", "秘密 ★1年"),
    ],
)
def test_ocr_star_readings_fold_next_to_a_level_word(raw, expected):
    assert normalise(raw).text == expected


@pytest.mark.parametrize(
    "raw",
    ["美女", "女士们", "10x20", "机密女郎", "秘密x", "秘密女孩10个", "3x3篮球", "x光片", "她是秘密女友"],
)
def test_ocr_star_look_alikes_stay(raw):
    assert "★" not in normalise(raw).text


def test_ocr_star_is_recorded_and_maps_back():
    raw = "标题 机密女10年 份号"
    n = normalise(raw)
    i = n.text.index("机密★10年")
    s, e = n.to_original(i, i + 6)
    assert raw[s:e] == "机密女10年"
    assert "星号变体" in n.normalisations(i, i + 6)


# --- OCR: brackets of a document number ------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        "临政发[2024]3号",
        "临政发(2024)3号",
        "临政发（2024）3号",
        "临政发【2024】3号",
        "临政发{2024}3号",
        "临政发[2024)3号",
        "临政发 ( 2024 ) 3号",
        "临政发〔 2024〕3号",
    ],
)
def test_document_number_brackets_fold(raw):
    n = normalise(raw)
    assert "临政发〔2024〕" in n.text
    i = n.text.index("〔")
    s, _ = n.to_original(i, i + 1)
    assert raw[s] in "[(（【{〔"


def test_bracket_look_alikes_stay():
    assert normalise("价格(2024元)").text == "价格(2024元)"
    assert normalise("见附件(1)").text == "见附件(1)"


# --- OCR: spaced digits ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("份号：0 0 0 1 2 3", "份号:000123"),
        ("身份证 4101 0219 9001 0112 34", "身份证 410102199001011234"),
        ("身份证 1 1 0 1 0 5 1 9 9 0 0 3 0 7 1 2 3 X", "身份证 11010519900307123x"),
        ("卡号 6222 0212 3456 7890", "卡号 6222021234567890"),
    ],
)
def test_spaced_digits_are_joined(raw, expected):
    n = normalise(raw)
    assert n.text == expected
    j = n.text.index(expected.split()[-1][-6:])
    s, e = n.to_original(j, len(n.text))
    assert raw[e - 1] == raw.rstrip()[-1] and raw[s].isdigit()


@pytest.mark.parametrize("raw", ["电话 138 0013 8000", "3 5 人", "2024 10 01", "第 1 2 题"])
def test_short_spaced_numbers_keep_their_spaces(raw):
    assert normalise(raw).text == raw


def test_spaced_id_number_is_found():
    v = Reviewer().review("这是他的身份证 1 1 0 1 0 5 1 9 4 9 1 2 3 1 0 0 2 X", "work_group")
    assert "P01" in v.rules


# --- OCR: line breaks inside words -----------------------------------------------------


def test_wrapped_line_is_joined_inside_a_word():
    raw = "根据上级要求现将有关事项通知如下本件属机\n密文件请勿外传"
    n = normalise(raw)
    assert "机密文件" in n.text
    i = n.text.index("机密")
    s, e = n.to_original(i, i + 2)
    assert raw[s:e] == "机\n密"


def test_one_character_lines_are_joined():
    assert normalise("机\n密\n★10年").text == "机密★10年"


@pytest.mark.parametrize("raw", ["收到\n明天见", "好的。\n明天上午开会", "会议通知\n时间：周一"])
def test_short_lines_stay_lines(raw):
    assert normalise(raw).text == raw.replace("：", ":")


# --- the map stays exact under every fold ---------------------------------------------

NOISE = st.sampled_from(["\x00", "\u202e", "\ufe0f", "\u0301", "\U000e0101", " ", "\n", "*", "·"])
PIECES = st.sampled_from(
    [
        "机",
        "密",
        "秘",
        "绝",
        "女",
        "x",
        "★",
        "1",
        "0",
        "年",
        "(",
        ")",
        "[",
        "]",
        "2024",
        "号",
        "政",
        "发",
        "份号",
        "a",
        "长期",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(PIECES, PIECES, NOISE), max_size=50))
def test_every_normalised_character_maps_into_the_original(pieces):
    raw = "".join(pieces)
    n = normalise(raw)
    assert len(n.text) <= len(raw)
    prev = -1
    for i in range(len(n.text)):
        s, e = n.to_original(i, i + 1)
        assert 0 <= s < e <= len(raw)
        assert s > prev  # strictly increasing: no two characters map to one
        prev = s
