"""Load and validate a policy file over the shipped default."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from baomi.errors import PolicyError
from baomi.model import ALL_RULE_IDS, Channel, Decision

DecisionName = Literal["allow", "warn", "review", "block"]
ChannelName = Literal["direct", "work_group", "external_group", "moments", "publish"]
RuleName = Literal[*ALL_RULE_IDS]


class Dictionaries(BaseModel):
    model_config = ConfigDict(extra="forbid")
    codenames: list[str] = Field(default_factory=list)
    leaders: list[str] = Field(default_factory=list)
    allow_phrases: list[str] = Field(default_factory=list)
    classified_titles: list[str] = Field(default_factory=list)
    classified_numbers: list[str] = Field(default_factory=list)

    @field_validator("*")
    @classmethod
    def _no_blank(cls, terms: list[str]) -> list[str]:
        for t in terms:
            if not str(t).strip():
                raise ValueError("词典中不能有空词条")
        return [str(t).strip() for t in terms]


class RegistryFile(BaseModel):
    """When a text counts as a copy of a registered classified document (R01)."""

    model_config = ConfigDict(extra="forbid")
    min_containment: float | None = Field(default=None, gt=0.0, le=1.0)
    min_shared: int | None = Field(default=None, ge=1, le=10_000)


@dataclass(frozen=True, slots=True)
class RegistryThresholds:
    min_containment: float = 0.3
    min_shared: int = 4


class PolicyFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    version: Literal[1] = 1
    min_score: float = Field(default=0.5, ge=0.0, le=1.0)
    # which calibrated thresholds of the learned model decide (high: more is held)
    sensitivity: Literal["standard", "high"] = "standard"
    # a retrained model file (baomi train --extra …), relative to the policy file
    model: str | None = None
    matrix: dict[RuleName, dict[ChannelName, DecisionName]] = Field(default_factory=dict)
    dictionaries: Dictionaries = Field(default_factory=Dictionaries)
    registry: RegistryFile = Field(default_factory=RegistryFile)


class Policy:
    """The effective policy: default cells overridden by the organisation's file."""

    def __init__(self, data: PolicyFile, base: Policy | None = None, source: str = "default") -> None:
        self.source = source
        self.min_score = data.min_score
        explicit = "sensitivity" in data.model_fields_set or base is None
        self.sensitivity = data.sensitivity if explicit else base.sensitivity
        self.model = data.model or (base.model if base else None)
        cells: dict[tuple[str, Channel], Decision] = dict(base.cells) if base else {}
        for rule, row in data.matrix.items():
            for channel, decision in row.items():
                cells[(rule, Channel(channel))] = Decision(decision)
        self.cells = cells
        self.dictionaries = data.dictionaries
        inherited = base.registry if base else RegistryThresholds()
        self.registry = RegistryThresholds(
            data.registry.min_containment or inherited.min_containment,
            data.registry.min_shared or inherited.min_shared,
        )
        missing = [(r, c.value) for r in ALL_RULE_IDS for c in Channel if (r, c) not in cells]
        if missing:
            raise PolicyError(f"策略 {source} 缺少决定：{missing[:5]}")

    def decide(self, rule: str, channel: Channel) -> Decision:
        return self.cells[(rule, channel)]


def _line_of(node: yaml.Node, path: tuple) -> int | None:
    """Line (1-based) of the YAML node at `path` (keys/indexes), or of its nearest parent."""
    line = node.start_mark.line + 1
    for key in path:
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                if k.value == str(key):
                    line, node = k.start_mark.line + 1, v
                    break
            else:
                return line
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
            node = node.value[key]
            line = node.start_mark.line + 1
        else:
            return line
    return line


def parse_policy(text: str, source: str, base: Policy | None = None) -> Policy:
    """Validate policy YAML text; errors name the file and line."""
    try:
        root = yaml.compose(text)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"第 {mark.line + 1} 行" if mark else ""
        raise PolicyError(f"策略文件 {source} {where}不是有效的 YAML") from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise PolicyError(f"策略文件 {source} 顶层必须是映射（键: 值）")
    try:
        parsed = PolicyFile.model_validate(data)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            loc = tuple(err["loc"])
            line = _line_of(root, loc) if root is not None else None
            where = f"第 {line} 行 " if line else ""
            what = ".".join(str(p) for p in loc if p != "[key]")
            msg = err["msg"].removeprefix("Value error, ")
            if err["type"] == "literal_error":
                msg = f"取值无效（{err.get('input')!r}），可选：{err['ctx']['expected']}"
            elif err["type"] == "extra_forbidden":
                msg = "未知的键"
            problems.append(f"{where}{what}：{msg}")
        raise PolicyError(f"策略文件 {source} 无效：\n  " + "\n  ".join(problems)) from None
    return Policy(parsed, base, source)


@cache
def default_policy() -> Policy:
    text = resources.files("baomi.policy").joinpath("default_policy.yaml").read_text(encoding="utf-8")
    return parse_policy(text, "default_policy.yaml")


def load_policy(path: str | Path | None = None) -> Policy:
    """The default policy, or an organisation's file laid over it."""
    if path is None:
        return default_policy()
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as exc:
        raise PolicyError(f"无法读取策略文件 {p}：{exc.strerror}") from None
    except UnicodeDecodeError:
        raise PolicyError(f"策略文件 {p} 不是 UTF-8 文本") from None
    policy = parse_policy(text, str(p), base=default_policy())
    if policy.model and not Path(policy.model).is_absolute():
        policy.model = str(p.parent / policy.model)
    return policy
