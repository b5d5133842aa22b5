"""A unit's policy document: the engine's policy YAML plus a few service keys, validated
with errors that name the line.

    mode: shadow                 # record decisions but answer allow (trial period)
    review: {sla_minutes: 30, on_expiry: reject}   # or release
    classified_personnel:        # 涉密人员: cells stricter than the default stricter matrix
      matrix: {R10: {direct: block}}
    self_check: {anonymous: true}  # the console's 自查 may run without storing anything

The service keys are blanked out line for line before the engine's validator reads the rest,
so its errors keep the line numbers of the uploaded text.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from baomi.errors import PolicyError
from baomi.model import ALL_RULE_IDS, Channel, Decision
from baomi.policy import Policy
from baomi.policy.load import default_policy, parse_policy

SERVICE_KEYS = ("mode", "review", "classified_personnel", "self_check")
DecisionName = Literal["allow", "warn", "review", "block"]
ChannelName = Literal["direct", "work_group", "external_group", "moments", "publish"]


class ReviewSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")
    sla_minutes: int = Field(default=30, ge=1, le=7 * 24 * 60)
    on_expiry: Literal["release", "reject"] = "reject"


class ClassifiedPersonnel(BaseModel):
    model_config = ConfigDict(extra="forbid")
    matrix: dict[Literal[*ALL_RULE_IDS], dict[ChannelName, DecisionName]] = Field(default_factory=dict)


class SelfCheck(BaseModel):
    model_config = ConfigDict(extra="forbid")
    anonymous: bool = False


class ServiceKeys(BaseModel):
    model_config = ConfigDict(extra="forbid")
    mode: Literal["enforce", "shadow"] = "enforce"
    review: ReviewSettings = Field(default_factory=ReviewSettings)
    classified_personnel: ClassifiedPersonnel = Field(default_factory=ClassifiedPersonnel)
    self_check: SelfCheck = Field(default_factory=SelfCheck)


@dataclass(frozen=True)
class UnitPolicy:
    """What the service needs of a policy: both engine policies and the queue settings."""

    policy: Policy  # for everyone
    classified: Policy  # for 涉密人员
    mode: str
    sla_minutes: int
    on_expiry: str
    anonymous_self_check: bool = False


def _line(node: yaml.Node | None, path: tuple) -> int | None:
    if node is None:
        return None
    line = node.start_mark.line + 1
    for key in path:
        if not isinstance(node, yaml.MappingNode):
            break
        for k, v in node.value:
            if k.value == str(key):
                line, node = k.start_mark.line + 1, v
                break
        else:
            break
    return line


def _split(text: str, root: yaml.Node | None) -> tuple[str, dict]:
    """The text without the service keys' lines (blanked, so line numbers hold) and their values."""
    if not isinstance(root, yaml.MappingNode):
        return text, {}
    lines = text.split("\n")
    for key, value in root.value:
        if key.value in SERVICE_KEYS:
            end = value.end_mark.line + (1 if value.end_mark.column > 0 else 0)
            for i in range(key.start_mark.line, max(end, key.start_mark.line + 1)):
                lines[i] = ""
    data = yaml.safe_load(text)
    return "\n".join(lines), {k: v for k, v in data.items() if k in SERVICE_KEYS}


@cache
def _classified_floor() -> dict[str, dict[str, str]]:
    text = resources.files("baomi.service.policies").joinpath("classified_default.yaml").read_text("utf-8")
    return yaml.safe_load(text)


def _stricter(policy: Policy, overrides: dict) -> Policy:
    matrix: dict[str, dict[str, str]] = {}
    floor = _classified_floor()
    for rule in ALL_RULE_IDS:
        for ch in Channel:
            cell = policy.decide(rule, ch)
            low = floor.get(rule, {}).get(ch.value)
            if low is not None and Decision(low).rank > cell.rank:
                cell = Decision(low)
            cell = Decision(overrides.get(rule, {}).get(ch.value, cell))
            matrix.setdefault(rule, {})[ch.value] = cell.value
    return parse_policy(yaml.safe_dump({"matrix": matrix}), "classified_personnel", base=policy)


def parse_unit_policy(text: str, source: str = "policy.yaml") -> UnitPolicy:
    """Validate a unit's policy text; PolicyError names the line of each problem."""
    try:
        root = yaml.compose(text)
    except yaml.YAMLError:
        root = None  # parse_policy below reports the syntax error with its line
    engine_text, service_values = _split(text, root) if root is not None else (text, {})
    policy = parse_policy(engine_text, source, base=default_policy())
    try:
        keys = ServiceKeys.model_validate(service_values)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            loc = tuple(err["loc"])
            line = _line(root, loc)
            msg = "未知的键" if err["type"] == "extra_forbidden" else err["msg"]
            if err["type"] == "literal_error":
                msg = f"取值无效（{err.get('input')!r}），可选：{err['ctx']['expected']}"
            problems.append(f"第 {line} 行 {'.'.join(map(str, loc))}：{msg}")
        raise PolicyError(f"策略文件 {source} 无效：\n  " + "\n  ".join(problems)) from None
    classified = _stricter(policy, keys.classified_personnel.matrix)
    review, anonymous = keys.review, keys.self_check.anonymous
    return UnitPolicy(policy, classified, keys.mode, review.sla_minutes, review.on_expiry, anonymous)


@cache
def default_unit_policy() -> UnitPolicy:
    return parse_unit_policy("", "default_policy.yaml")


def matrix_of(policy: Policy) -> dict[str, dict[str, str]]:
    return {r: {c.value: policy.decide(r, c).value for c in Channel} for r in ALL_RULE_IDS}
