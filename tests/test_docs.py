"""The docs are self-contained and agree with the code: links stay inside the repository,
docs/rules.md's matrix and channel table are the shipped ones, the sample corpus runs."""

import json
import re
from pathlib import Path

from typer.testing import CliRunner

from baomi.catalog import catalog
from baomi.cli import common
from baomi.cli.app import app
from baomi.model import ALL_RULE_IDS, CHANNEL_ALIASES, Channel
from baomi.policy.frozen import default_frozen_policy

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
RULES = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")


def test_readme_never_points_outside_the_repository():
    assert "../" not in README and "/work/" not in README
    for target in re.findall(r"\]\(([^)]+)\)", README):
        if not target.startswith(("http://", "https://", "#")):
            assert (ROOT / target).exists(), target
    assert "docs/rules.md" in README


def _table_after(heading: str, text: str) -> list[list[str]]:
    body = text.split(heading, 1)[1]
    rows = []
    for line in body.splitlines():
        if line.startswith("|"):
            rows.append([c.strip() for c in line.strip().strip("|").split("|")])
        elif rows:
            break
    return rows[2:]  # without the header and the rule line


def test_rules_md_matrix_is_the_default_policy():
    policy = default_frozen_policy()
    rows = _table_after("The default matrix", RULES)
    seen = set()
    for cells in rows:
        rules, decisions = cells[0].split(), cells[1:]
        for rule in rules:
            seen.add(rule)
            for channel, decision in zip(Channel, decisions, strict=True):
                assert policy.decide(rule, channel).value == decision, (rule, channel)
    assert seen == set(ALL_RULE_IDS)


def test_rules_md_names_every_rule_and_channel():
    listed = {r[0] for r in _table_after("## The rules", RULES)}
    assert listed == set(ALL_RULE_IDS)
    for rid, info in catalog().items():
        assert info.name in RULES, rid
    channels = {r[0].strip("`"): r[1] for r in _table_after("## Channels", RULES)}
    assert set(channels) == {c.value for c in Channel}
    for alias, channel in CHANNEL_ALIASES.items():
        assert alias in channels[channel.value], alias


def test_exit_codes_are_documented_as_implemented():
    codes = {
        "0": common.EXIT_OK,
        "10": common.EXIT_REVIEW,
        "11": common.EXIT_BLOCK,
        "1": common.EXIT_LINES_FAILED,
        "2": common.EXIT_BAD_INPUT,
        "3": common.EXIT_BAD_POLICY,
        "5": common.EXIT_BELOW_THRESHOLD,
        "70": common.EXIT_INTERNAL,
    }
    for doc in (README, RULES):
        assert {r[0] for r in _table_after("Exit codes", doc)} >= set(codes)
    assert all(str(v) == k for k, v in codes.items())


def test_sample_corpus_evaluates_from_a_clone():
    sample = ROOT / "examples" / "sample.jsonl"
    lines = [json.loads(x) for x in sample.read_text(encoding="utf-8").splitlines()]
    assert len(lines) >= 40
    allowed = sum(x["expect"]["decision"] == "allow" for x in lines)
    assert allowed / len(lines) >= 0.4
    assert {r for x in lines for r in x["expect"]["rules"]} == set(ALL_RULE_IDS) - {"X01"}
    res = CliRunner().invoke(app, ["eval", str(sample), "--json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert data["n"] == len(lines) and data["bad_lines"] == []
