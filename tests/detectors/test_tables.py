"""More positives and look-alikes, one per line in data/ (rule|channel|text, channel|text)."""

from pathlib import Path

import pytest

from tests.detectors.known_misses import check

DATA = Path(__file__).parent / "data"


def _rows(name: str, parts: int) -> list[list[str]]:
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    return [line.split("|", parts - 1) for line in lines if line.strip()]


@pytest.mark.parametrize(("rule", "channel", "text"), _rows("positives.txt", 3))
def test_positive_stops_or_warns(reviewer, rule, channel, text):
    verdict = reviewer.review(text, channel)
    check(rule in verdict.rules and verdict.decision.value != "allow", text, verdict.rules)


@pytest.mark.parametrize(("channel", "text"), _rows("look_alikes.txt", 2))
def test_look_alike_stays_allow(reviewer, channel, text):
    verdict = reviewer.review(text, channel)
    detail = [(f.rule, [r.detail for r in f.reasons]) for f in verdict.findings]
    check(verdict.decision.value == "allow", text, detail)
