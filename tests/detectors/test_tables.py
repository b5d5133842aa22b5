"""More positives and look-alikes, one per line in data/ (rule|channel|text, channel|text)."""

from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"


def _rows(name: str, parts: int) -> list[list[str]]:
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    return [line.split("|", parts - 1) for line in lines if line.strip()]


@pytest.mark.parametrize(("rule", "channel", "text"), _rows("positives.txt", 3))
def test_positive_stops_or_warns(reviewer, rule, channel, text):
    verdict = reviewer.review(text, channel)
    assert rule in verdict.rules and verdict.decision.value != "allow", verdict.rules


@pytest.mark.parametrize(("channel", "text"), _rows("look_alikes.txt", 2))
def test_look_alike_stays_allow(reviewer, channel, text):
    verdict = reviewer.review(text, channel)
    assert verdict.decision.value == "allow", [
        (f.rule, [r.detail for r in f.reasons]) for f in verdict.findings
    ]
