import pytest

from baomi import Reviewer
from baomi.errors import PolicyError
from baomi.model import ALL_RULE_IDS, Channel, Decision
from baomi.policy.load import default_policy, load_policy

MATRIX = {
    "R01": "block block block block block",
    "R05": "review review block block review",
    "R10": "allow allow review review review",
    "F01": "warn warn review review review",
}


def test_default_matrix_matches_rules_md():
    pol = default_policy()
    for rule, row in MATRIX.items():
        for channel, decision in zip(Channel, row.split(), strict=True):
            assert pol.decide(rule, channel) is Decision(decision)
    assert {r for r, _ in pol.cells} == set(ALL_RULE_IDS)


def test_organisation_overrides_a_cell(tmp_path):
    p = tmp_path / "unit.yaml"
    p.write_text("matrix:\n  R09: {direct: block}\n", encoding="utf-8")
    pol = load_policy(p)
    assert pol.decide("R09", Channel.DIRECT) is Decision.BLOCK
    assert pol.decide("R09", Channel.WORK_GROUP) is Decision.REVIEW


@pytest.mark.parametrize(
    ("body", "line", "words"),
    [
        ("version: 1\nmatrix:\n  R11: {direct: block}\n", 3, "R11"),
        ("matrix:\n  R01: {wechat: block}\n", 2, "wechat"),
        ("matrix:\n  R01:\n    direct: blok\n", 3, "blok"),
        ("dictionaries:\n  codenames: [a]\n  nicknames: [b]\n", 3, "nicknames"),
    ],
)
def test_invalid_policy_names_the_line(tmp_path, body, line, words):
    p = tmp_path / "bad.yaml"
    p.write_text(body, encoding="utf-8")
    with pytest.raises(PolicyError) as exc:
        load_policy(p)
    assert f"第 {line} 行" in str(exc.value) and words in str(exc.value)


def test_broken_yaml_and_missing_file(tmp_path):
    p = tmp_path / "x.yaml"
    p.write_text("matrix: [unclosed\n", encoding="utf-8")
    with pytest.raises(PolicyError, match="YAML"):
        load_policy(p)
    with pytest.raises(PolicyError, match="无法读取"):
        load_policy(tmp_path / "missing.yaml")


def test_dictionaries_extend_detection(tmp_path):
    p = tmp_path / "unit.yaml"
    p.write_text(
        "dictionaries:\n  codenames: [青松工程]\n  leaders: [周振华]\n  allow_phrases: [秘密花园小区]\n",
        encoding="utf-8",
    )
    unit = Reviewer(p)
    assert "R04" in unit.review("青松工程下周进场，大家注意", "work_group").rules
    assert "R09" in unit.review("周振华明天上午去开发区调研", "work_group").rules
    assert unit.review("青松工程下周进场", "work_group").decision is Decision.BLOCK
    registry = tmp_path / "registry.yaml"
    registry.write_text("dictionaries:\n  classified_numbers: [东发【2024】9号]\n", encoding="utf-8")
    unit = Reviewer(registry)
    assert unit.review("东发(2024)9号那个文件你看了吗", "direct").rules == ("R03",)
    assert set(unit.review("东发〔2024〕9号我拍了两页给你", "direct").rules) == {"R01", "R03"}
    plain = Reviewer()
    # without the registry no detector ties 东发(2024)9号 to a classification (the learned
    # model may still weigh "那个文件" for R03: issue 8, a known over-reach)
    assert "R01" not in plain.review("东发(2024)9号那个文件你看了吗", "direct").rules
    assert "R04" not in plain.review("青松工程下周进场，大家注意", "work_group").rules


def test_alias_bomb_is_a_policy_error(tmp_path):
    from baomi.fuzz.bombs import yaml_alias_bomb

    p = tmp_path / "bomb.yaml"
    p.write_bytes(yaml_alias_bomb())
    with pytest.raises(PolicyError, match="别名") as caught:
        load_policy(p)
    assert caught.value.exit_code == 3


def test_alias_that_contains_itself_is_a_policy_error(tmp_path):
    p = tmp_path / "loop.yaml"
    p.write_text("dictionaries:\n  codenames: &a [x, *a]\n", encoding="utf-8")
    with pytest.raises(PolicyError, match="第 2 行：别名引用了自身"):
        load_policy(p)


def test_small_aliases_are_still_allowed(tmp_path):
    p = tmp_path / "anchors.yaml"
    p.write_text("matrix:\n  R09: &strict {direct: block}\n  R08: *strict\n", encoding="utf-8")
    pol = load_policy(p)
    assert pol.decide("R08", Channel.DIRECT) is Decision.BLOCK


@pytest.mark.parametrize(
    ("text", "line", "key"),
    [
        ("min_score: 0.5\nmin_score: 0.1\n", 2, "min_score"),
        ("matrix:\n  R09: {direct: block}\n  R09: {direct: allow}\n", 3, "R09"),
        ("matrix:\n  R09:\n    direct: block\n    direct: allow\n", 4, "direct"),
    ],
)
def test_duplicate_keys_are_rejected_with_their_line(tmp_path, text, line, key):
    p = tmp_path / "dup.yaml"
    p.write_text(text, encoding="utf-8")
    with pytest.raises(PolicyError, match=f"第 {line} 行：重复的键 '{key}'"):
        load_policy(p)
