"""Labelled corpora written blind (by someone who did not read the detectors) in the
rules.md format: the engine's decisions and rules are scored on it like `baomi eval`."""

from pathlib import Path

import pytest

from baomi.eval.corpus import read_corpus
from baomi.eval.score import Score

HERE = Path(__file__).parent


@pytest.mark.parametrize(("name", "size"), [("regression.jsonl", 240), ("regression2.jsonl", 200)])
def test_regression_corpus_scores(reviewer, name, size):
    score = Score()
    for item in read_corpus(HERE / name):
        assert item.error is None, item.error
        score.add(item.id, item.expect_decision, item.expect_rules, reviewer.review(item.message))
    assert score.n == size
    assert score.accuracy >= 0.97, score.misses
    assert score.stop_recall >= 0.97
    assert score.false_stop <= 0.02
    for rule, (precision, recall, _f1, _support) in score.per_rule().items():
        assert recall is None or recall >= 0.8, (rule, recall)
        assert precision is None or precision >= 0.8, (rule, precision)
