"""The disguise and OCR-noise generators, the label check and the split."""

import random

from baomi.learn.augment import cue_spans, disguise, disguise_word, ocr_noise
from baomi.learn.corpus import split_of


def test_disguise_changes_a_cue_word():
    text = "开完保密会了，讲的是新机场选址调整"
    spans = cue_spans(text)
    assert any(text[a:b] == "保密会" for a, b in spans)
    outs = {disguise(text, random.Random(seed)) for seed in range(30)}
    assert len(outs) > 10
    assert all(o != text for o in outs)


def test_disguise_word_kinds():
    rng = random.Random(3)
    outs = {disguise_word("涉密", rng) for _ in range(200)}
    assert {"shemi", "sm"} <= outs
    assert any(len(o) == 3 and o[0] == "涉" and o[2] == "密" for o in outs)  # a symbol inside
    assert any(o != "涉密" and len(o) == 2 and o.isascii() is False for o in outs)  # a homophone


def test_ocr_noise_reads_stars_and_brackets_as_ocr_does():
    text = "机密★10年 临政办发〔2023〕8号 份号000128 关于调整重点区域管控的意见"
    outs = [ocr_noise(text, random.Random(seed)) for seed in range(40)]
    assert any("★" not in o for o in outs)
    assert any("〔" not in o and ("[" in o or "(" in o or "【" in o) for o in outs)
    assert any("\n" in o for o in outs)
    assert any("0 0 0 1 2 8" in o or "000128" not in o for o in outs)


def test_split_is_by_text_and_about_fifteen_percent():
    texts = [f"第{i}条消息" for i in range(4000)]
    share = sum(split_of(t) == "validation" for t in texts) / len(texts)
    assert 0.12 < share < 0.18
    assert split_of("同一句话") == split_of("同一 句话")  # whitespace does not move a text
