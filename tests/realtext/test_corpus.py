import re

from tests.realtext.corpus import MAX_CHARS, MIN_CHARS, available_texts, everyday_texts, reserved

HAN = re.compile(r"[\u4e00-\u9fff]")


def test_loader_gives_3000_distinct_chinese_texts() -> None:
    texts = everyday_texts(3000)
    assert len(texts) == len(set(texts)) == 3000
    assert all(MIN_CHARS <= len(t) <= MAX_CHARS and t == t.strip() for t in texts)
    assert all(len(HAN.findall(t)) >= 5 for t in texts)


def test_sample_is_reproducible() -> None:
    assert everyday_texts(50, seed=1) == everyday_texts(50, seed=1)
    assert everyday_texts(50, seed=1) != everyday_texts(50, seed=2)


def test_news_source_is_untagged() -> None:
    news = available_texts(("news",))
    assert len(news) > 3000
    assert not any(re.search(r"/[a-z]{1,3}\b|\]n", t) for t in news[:500])


def test_no_reserved_text_is_used() -> None:
    texts = available_texts(("reviews", "news"))
    assert not any(reserved(t) for t in texts)
