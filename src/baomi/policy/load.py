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


MAX_POLICY_NODES = 200_000  # scalars, lists and mappings once aliases are expanded
MAX_POLICY_CHARS = 4_000_000  # a policy with large dictionaries is well below this


def _check_nodes(root: yaml.Node, source: str) -> None:
    """Refuse duplicate keys (naming the line) and documents whose aliases expand past
    MAX_POLICY_NODES (an alias bomb): counted on the node graph with each shared node
    sized once, so the check itself stays linear in the file."""
    sizes: dict[int, int] = {}
    open_nodes: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:  # post-order without recursion: deep nesting cannot overflow the stack
        node, children_done = stack.pop()
        if id(node) in sizes:
            continue
        if isinstance(node, yaml.ScalarNode):
            sizes[id(node)] = 1
            continue
        items = [v for pair in node.value for v in pair] if isinstance(node, yaml.MappingNode) else node.value
        if not children_done:
            if id(node) in open_nodes:  # reached again from inside itself
                raise PolicyError(f"策略文件 {source} 第 {node.start_mark.line + 1} 行：别名引用了自身")
            open_nodes.add(id(node))
            stack.append((node, True))
            stack.extend((child, False) for child in items if id(child) not in sizes)
            continue
        sizes[id(node)] = size = 1 + sum(sizes[id(child)] for child in items)
        if size > MAX_POLICY_NODES:
            line = node.start_mark.line + 1
            raise PolicyError(
                f"策略文件 {source} 第 {line} 行：别名展开后超过 {MAX_POLICY_NODES} 个节点"
                "（疑似别名炸弹），已拒绝"
            )
        if isinstance(node, yaml.MappingNode):
            seen: dict[str, int] = {}
            for key, _ in node.value:
                if not isinstance(key, yaml.ScalarNode) or key.value == "<<":
                    continue
                if key.value in seen:
                    raise PolicyError(
                        f"策略文件 {source} 第 {key.start_mark.line + 1} 行：重复的键 {key.value!r}"
                        f"（第 {seen[key.value]} 行已有）"
                    )
                seen[key.value] = key.start_mark.line + 1


def _compose_and_load(text: str, source: str) -> tuple[yaml.Node | None, object]:
    """The node graph (for line numbers) and the data of one YAML document, built from
    a single parse once the graph has passed `_check_nodes`."""
    loader = yaml.SafeLoader(text)
    try:
        root = loader.get_single_node()
        if root is None:
            return None, None
        _check_nodes(root, source)
        return root, loader.construct_document(root)
    finally:
        loader.dispose()


def parse_policy(text: str, source: str, base: Policy | None = None) -> Policy:
    """Validate policy YAML text; errors name the file and line."""
    if len(text) > MAX_POLICY_CHARS:
        raise PolicyError(f"策略文件 {source} 超过 {MAX_POLICY_CHARS} 字上限")
    try:
        root, data = _compose_and_load(text, source)
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
