"""The learned scorer: findings carry the features that made them, a disguise alone never
stops a message, and `baomi train` gives the same model file from the same corpus."""

from __future__ import annotations

import json
import random

import numpy as np
import pytest

from baomi import Reviewer
from baomi.learn.augment import disguise, ocr_noise
from baomi.learn.model import GRAM_SCALE, MIN_GRAMS, STOP_HEAD, LearnedModel, calibrated, default_model
from baomi.model import RULE_IDS

pytest.importorskip("sklearn")


def _tiny_model(
    weights: dict[str, dict[str, float]], gate: dict | None = None, anchors: dict | None = None
) -> LearnedModel:
    """A hand-made model: named features or n-grams with weights per rule (and per
    STOP_HEAD, which adds the stop column)."""
    names = sorted(weights)
    columns = [*RULE_IDS, STOP_HEAD] if any(STOP_HEAD in w for w in weights.values()) else list(RULE_IDS)
    w = np.zeros((len(names), len(columns)), dtype=np.float32)
    for i, n in enumerate(names):
        for rule, v in weights[n].items():
            w[i, columns.index(rule)] = v
    meta = {
        "rules": list(RULE_IDS),
        "thresholds": {s: dict.fromkeys(columns, 0.5) for s in ("standard", "high")},
        "gate": gate or {"weights": {}, "outside": 0.0, "bias": 1.0, "threshold": 0.0},
        "anchors": anchors or {},
        "gram_scale": GRAM_SCALE,
        "min_grams": MIN_GRAMS,
    }
    return LearnedModel(tuple(RULE_IDS), names, w, np.full(len(columns), -3.0), meta)


def test_model_raises_a_rule_no_detector_named_with_its_feature_reasons():
    model = _tiny_model({"ngram:份东西": {"R06": 4.0}, "ngram:上面批": {"R06": 4.0}})
    text = "周末愉快。上面批的那份东西我放你桌上了，看完还我。"
    verdict = Reviewer(model=model).review(text, "work_group")
    assert verdict.rules == ("R06",)
    (finding,) = verdict.findings
    assert finding.detector == "learned"
    detail = finding.reasons[-1].detail
    assert "模型判定 R06" in detail and "ngram:上面批" in detail
    # the span is the sentence that weighed most, not the whole message
    assert text[finding.span.start : finding.span.end].startswith("上面批的")
    assert "ngram" not in finding.evidence and finding.evidence.endswith("**")


def test_a_rule_below_its_threshold_is_not_reported_even_if_a_detector_found_it():
    model = _tiny_model({"found:drafts/R05": {"R05": -5.0}})
    text = "县里的方案还是讨论稿，我先发给你看看"
    trace = Reviewer(model=model).trace(text, "direct")
    assert any(c.rule == "R05" and c.finding.score < 0.9 for c in trace.segments[0].candidates)
    assert "R05" not in trace.verdict.rules
    assert any(c.rule == "R05" for c in trace.segments[0].score.rejected)


def test_a_precise_finding_stands_whatever_the_words_around_it():
    model = _tiny_model({"marking_grammar": {"R01": -5.0}, "ngram:会议": {"R01": -5.0}})
    verdict = Reviewer(model=model).review("今天下午三点开会，请准时参加。机密★1年", "direct")
    assert "R01" in verdict.rules


def test_detector_span_and_model_reasons_together():
    model = _tiny_model({"marking_grammar": {"R01": 6.0}})
    text = "你好，机密★10年 这份方案我先拍给你看"
    (finding,) = Reviewer(model=model).review(text, "direct").findings
    assert finding.detector == "markings" and text[finding.span.start : finding.span.end].startswith("机密")
    assert "marking_grammar" in finding.reasons[-1].detail


def test_organisation_dictionary_findings_do_not_depend_on_the_model(tmp_path):
    policy = tmp_path / "p.yaml"
    policy.write_text("dictionaries:\n  codenames: [青龙工程]\n", encoding="utf-8")
    model = _tiny_model({"cue:codename": {"R04": -9.0}})
    assert "R04" in Reviewer(policy, model=model).review("青龙工程下周进场", "direct").rules


# the meeting's decision told in ordinary words: R04, R05 and R06 each just under their
# thresholds (one n-gram in the vocabulary weighs GRAM_SCALE / sqrt(MIN_GRAMS) = 2 times its weight)
_SPLIT = {"ngram:拍板": {"R04": 1.45, "R05": 1.4, "R06": 1.35, STOP_HEAD: 3.0}}
_SPLIT_TEXT = "那个会开了三天，最后拍板不上了，你们早做打算"


def test_stop_head_raises_the_closest_rule_when_the_rules_split_the_evidence():
    verdict = Reviewer(model=_tiny_model(_SPLIT)).review(_SPLIT_TEXT, "direct")
    assert verdict.rules == ("R04",) and verdict.decision.value == "block"
    detail = verdict.findings[0].reasons[-1].detail
    assert "模型判定需审查" in detail and "最接近的规则 R04" in detail and "ngram:拍板" in detail
    # without the stop head the same rule scores stop nothing
    no_head = {k: {r: v for r, v in w.items() if r != STOP_HEAD} for k, w in _SPLIT.items()}
    assert Reviewer(model=_tiny_model(no_head)).review(_SPLIT_TEXT, "direct").decision.value == "allow"


def test_stop_head_needs_a_rule_anchored_and_stopping_on_the_channel():
    # every rule's anchor is absent: the head alone finds nothing
    anchors = {r: ["secret_word"] for r in RULE_IDS}
    assert not Reviewer(model=_tiny_model(_SPLIT, anchors=anchors)).review(_SPLIT_TEXT, "direct").findings
    # R10 and F01 stop nothing inside: on a work group the head does not raise them
    inside = {"ngram:拍板": {"R10": 1.45, "F01": 1.4, STOP_HEAD: 3.0}}
    assert not Reviewer(model=_tiny_model(inside)).review(_SPLIT_TEXT, "work_group").findings
    outside = Reviewer(model=_tiny_model(inside)).review(_SPLIT_TEXT, "moments")
    assert outside.rules == ("R10",)


def test_stop_head_adds_nothing_when_a_rule_already_stops_the_message():
    weights = {"ngram:拍板": {"R05": 3.0, "R04": 1.45, STOP_HEAD: 3.0}}
    verdict = Reviewer(model=_tiny_model(weights)).review(_SPLIT_TEXT, "direct")
    assert verdict.rules == ("R05",)
    assert "模型判定 R05" in verdict.findings[0].reasons[-1].detail


def test_calibrated_score_is_one_half_at_the_threshold():
    assert calibrated(0.3, 0.3) == pytest.approx(0.5)
    assert calibrated(0.6, 0.3) > 0.5 > calibrated(0.2, 0.3)


# --------------------------------------------------------------- the shipped model

_HARMLESS_DISGUISES = [
    ("jm jm jm 今晚吃火锅还是烤肉", "external_group"),
    ("shemi 这个拼音怎么打出来的，输入法坏了", "direct"),
    ("bm一下明天早上的早饭，谢谢", "work_group"),
    ("我家宝宝的小mi密是偷吃了糖", "moments"),
    ("tingshuo 今天降温，多穿点", "external_group"),
    ("这家店的招牌是秘★制红烧肉", "moments"),
    ("周末 x 家庭聚会 ★ 大家都来", "external_group"),
]


@pytest.mark.parametrize(("text", "channel"), _HARMLESS_DISGUISES)
def test_a_disguise_alone_does_not_stop(text, channel):
    verdict = Reviewer().review(text, channel)
    assert not verdict.decision.stops, verdict.findings


_EVERYDAY = [
    ("下午三点在二楼会议室开周例会，请大家准时参加", "work_group"),
    ("收到，马上填报", "work_group"),
    ("周六带孩子去科技馆，有一起的吗", "external_group"),
    ("今天的食堂红烧鱼不错，推荐", "moments"),
    ("请各位于周五前把体检表交到人事科", "work_group"),
]


@pytest.mark.parametrize(("text", "channel"), _EVERYDAY)
def test_everyday_messages_stay_allow_when_disguised_or_noised(text, channel):
    rng = random.Random(text)
    reviewer = Reviewer()
    for variant in (text, disguise(text, rng), ocr_noise(text, rng)):
        assert not reviewer.review(variant, channel).decision.stops, variant


def test_shipped_model_is_small_and_explains(reviewer):
    model = default_model()
    assert model.columns == (*RULE_IDS, STOP_HEAD) and model.weights.shape[1] == len(RULE_IDS) + 1
    assert set(model.thresholds) == {"standard", "high"}
    assert all(STOP_HEAD in t for t in model.thresholds.values())
    verdict = reviewer.review("绝密★20年 关于边境布防调整的请示 全文我拍了三页发你", "work_group")
    assert "R01" in verdict.rules
    r01 = next(f for f in verdict.findings if f.rule == "R01")
    assert any("模型判定" in r.detail for r in r01.reasons)


def test_high_sensitivity_holds_at_least_what_standard_holds():
    standard, high = Reviewer(), Reviewer(sensitivity="high")
    texts = ["局里那个方案还没定，先别往外说", "明天领导要去开发区，大家准备一下", "听朋友说化工厂那边出事了"]
    for t in texts:
        assert set(standard.review(t, "external_group").rules) <= set(high.review(t, "external_group").rules)


def test_policy_chooses_sensitivity_and_model(tmp_path):
    model = _tiny_model({"ngram:喵喵": {"R04": 9.0}})
    model.save(tmp_path / "m.npz")
    policy = tmp_path / "p.yaml"
    policy.write_text("sensitivity: high\nmodel: m.npz\n", encoding="utf-8")
    reviewer = Reviewer(policy)
    assert reviewer.sensitivity == "high"
    assert reviewer.review("喵喵喵", "direct").rules == ("R04",)


# --------------------------------------------------------------- training

_TINY = [
    ("机密★5年的那个通知我拍了第3页", "work_group", ["R01"]),
    ("这份秘密★1年的请示我敲出来了", "direct", ["R01"]),
    ("绝密★长期 的材料全文在下面", "work_group", ["R01"]),
    ("机要室的保险柜照片[图片]", "moments", ["R07", "R10"]),
    ("涉密机房拍了个视频给你们看", "external_group", ["R07", "R10"]),
    ("听说化工厂爆炸了，死了好几个人", "direct", ["F01"]),
    ("网传二中食物中毒，几十个学生住院", "work_group", ["F01"]),
    ("今天天气不错，去公园走走", "moments", []),
    ("收到，谢谢", "work_group", []),
    ("明天上午九点开会，请准时参加", "work_group", []),
    ("商业机密不能随便说，签了保密协议", "external_group", []),
    ("这部电视剧里的机密任务太假了", "moments", []),
    ("周末一起吃饭吗", "direct", []),
    ("请把报销单交到财务科", "work_group", []),
]


def _write_corpus(path):
    from baomi.learn.corpus import matrix_decision
    from baomi.model import Channel

    lines = []
    for text, channel, rules in _TINY:
        decision = matrix_decision(rules, Channel(channel)).value
        row = {"channel": channel, "text": text, "expect": {"decision": decision, "rules": rules}}
        lines.append(json.dumps(row, ensure_ascii=False))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_train_is_deterministic_on_a_tiny_corpus(tmp_path):
    from baomi.learn.train import Settings, train

    corpus = tmp_path / "tiny.jsonl"
    _write_corpus(corpus)
    outputs = []
    for k in range(2):
        model, _ = train(Settings((corpus,), real=False, log=lambda s: None))
        model.save(tmp_path / f"m{k}.npz")
        outputs.append((tmp_path / f"m{k}.npz").read_bytes())
    assert outputs[0] == outputs[1]
    loaded = LearnedModel.load(tmp_path / "m0.npz")
    assert loaded.names == model.names and loaded.rules == tuple(RULE_IDS)
    assert "R01" in Reviewer(model=loaded).review("机密★5年的那个通知我拍了第3页", "work_group").rules


def test_extra_reviewed_messages_change_the_model(tmp_path):
    from baomi.learn.train import Settings, train

    corpus, extra = tmp_path / "tiny.jsonl", tmp_path / "reviewed.jsonl"
    _write_corpus(corpus)
    reviewed = [
        "青鸟计划的进度别外传",
        "青鸟计划下月试车，地点在北坡",
        "青鸟计划的经费批了",
        "青鸟计划换了总师",
    ]
    expect = {"decision": "block", "rules": ["R04"]}
    rows = [
        json.dumps({"channel": "direct", "text": t, "expect": expect}, ensure_ascii=False) for t in reviewed
    ]
    extra.write_text("\n".join(rows) + "\n", encoding="utf-8")
    base, _ = train(Settings((corpus,), real=False, log=lambda s: None))
    more, info = train(Settings((corpus,), (extra,), real=False, log=lambda s: None))
    assert sum(info["load"].kept.values()) == len(_TINY) + len(reviewed)
    r04 = RULE_IDS.index("R04")
    assert not base.weights[:, r04].any() and more.weights[:, r04].any()


def test_inconsistent_labels_are_dropped_and_counted(tmp_path):
    from baomi.learn.corpus import LoadReport, read_examples

    path = tmp_path / "c.jsonl"
    rows = [
        {"channel": "direct", "text": "a", "expect": {"decision": "allow", "rules": ["R01"]}},  # wrong
        {"channel": "moments", "text": "b", "expect": {"decision": "block", "rules": ["R01"]}},  # R10 added
        {"channel": "direct", "text": "c", "expect": {"decision": "allow", "rules": []}},
    ]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    from collections import Counter

    report = LoadReport(Counter(), Counter(), Counter(), [])
    got = list(read_examples([path], report))
    assert [e.text for e in got] == ["b", "c"]
    assert got[0].rules == {"R01", "R10"}
    assert report.dropped["c.jsonl"] == 1 and report.fixed["c.jsonl"] == 1


def test_thresholds_are_raised_until_few_real_lines_reach_them():
    pytest.importorskip("sklearn")
    from baomi.learn.train import REAL_STOP_CAP, calibrate

    rng = np.random.default_rng(0)
    n_written, n_real = 200, 4000
    labels = np.zeros((n_written + n_real, len(RULE_IDS)), dtype=np.int8)
    labels[: n_written // 2, :] = 1
    probs = np.zeros(labels.shape)
    probs[: n_written // 2] = rng.uniform(0.6, 1.0, (n_written // 2, len(RULE_IDS)))
    probs[n_written // 2 : n_written] = rng.uniform(0.0, 0.4, (n_written // 2, len(RULE_IDS)))
    probs[n_written:] = rng.uniform(0.0, 0.5, (n_real, len(RULE_IDS)))
    probs[n_written : n_written + 40, 0] = 0.9  # 1 % of the real lines look like the first rule
    real = np.r_[np.zeros(n_written, bool), np.ones(n_real, bool)]
    thr = calibrate(probs, labels, 1.0, real)
    first = RULE_IDS[0]
    assert (probs[real, 0] >= thr[first]).sum() <= REAL_STOP_CAP * n_real
    assert thr[first] > 0.9 - 1e-9
    # where the real lines stay low the F1 threshold is kept
    other = RULE_IDS[1]
    assert 0.4 <= thr[other] <= 0.6


def test_rules_together_stop_no_more_real_lines_than_the_total_budget():
    from baomi.learn.train import REAL_STOP_CAP, calibrate

    n_written, n_real = 100, 5000
    labels = np.zeros((n_written + n_real, len(RULE_IDS)), dtype=np.int8)
    labels[:n_written, :] = 1
    probs = np.zeros(labels.shape)
    probs[:n_written] = np.linspace(0.6, 1.0, n_written)[:, None]
    real = np.r_[np.zeros(n_written, bool), np.ones(n_real, bool)]
    # every rule stops its own few real lines, each within the budget on its own
    per_rule = int(REAL_STOP_CAP * n_real)
    for j in range(len(RULE_IDS)):
        rows = n_written + j * per_rule + np.arange(per_rule)
        probs[rows, j] = 0.7 + 0.01 * j
    stopping = np.ones(probs.shape, bool)
    thr = calibrate(probs, labels, 1.0, real, stopping)
    hit = probs >= np.array([thr[r] for r in RULE_IDS])
    assert hit[real].any(axis=1).sum() <= REAL_STOP_CAP * n_real
    assert hit[~real].mean() > 0.5  # the written positives above the real lines are still found
    # a rule whose findings stop nothing on the lines' channels does not count against the budget
    lenient = calibrate(probs, labels, 1.0, real, np.zeros(probs.shape, bool))
    assert all(lenient[r] < 0.7 for r in RULE_IDS)
