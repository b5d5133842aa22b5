"""Each rule: positives and evasions must be found; look-alikes must stay allow."""

import pytest

from baomi.detectors import REGISTRY
from baomi.model import RULE_IDS
from tests.detectors.cases import LOOK_ALIKES, POSITIVES
from tests.detectors.known_misses import check


@pytest.mark.parametrize(
    ("text", "channel", "rule"), POSITIVES, ids=[f"{r}-{i}" for i, (_, _, r) in enumerate(POSITIVES)]
)
def test_positive_is_found(reviewer, text, channel, rule):
    verdict = reviewer.review(text, channel)
    assert rule in verdict.rules, verdict.findings


@pytest.mark.parametrize(
    ("text", "channel"), LOOK_ALIKES, ids=[f"look-alike-{i}" for i in range(len(LOOK_ALIKES))]
)
def test_look_alike_is_allowed(reviewer, text, channel):
    verdict = reviewer.review(text, channel)
    check(verdict.decision.value == "allow", text, [(f.rule, f.reasons) for f in verdict.findings])


def test_every_rule_has_a_detector_and_positives():
    covered = {r for spec in REGISTRY for r in spec.rules}
    assert covered >= set(RULE_IDS) - {"R10"} | {"R10"}
    assert {rule for _, _, rule in POSITIVES} == set(RULE_IDS)


def test_r10_is_derived_outside_and_not_inside(reviewer):
    text = "机密★10年的件我拍了一页"
    assert "R10" in reviewer.review(text, "external_group").rules
    assert "R10" in reviewer.review(text, "moments").rules
    assert "R10" not in reviewer.review(text, "work_group").rules


def test_channel_changes_the_decision(reviewer):
    text = "那份补偿方案的讨论稿还没定，先别外传"
    assert reviewer.review(text, "work_group").decision.value == "review"
    assert reviewer.review(text, "external_group").decision.value == "block"


def test_hearsay_only_warns_one_to_one(reviewer):
    text = "听说城西大桥塌了，死了好几个人"
    assert reviewer.review(text, "direct").decision.value == "warn"
    assert reviewer.review(text, "moments").decision.value == "review"
