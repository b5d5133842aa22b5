"""The rule catalog and the Chinese tip a sender sees."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml

from baomi.model import Decision

_DECISION_WORDS = {
    Decision.ALLOW: "可以发送",
    Decision.WARN: "提醒：可以发送，但请注意",
    Decision.REVIEW: "已暂扣，等待本单位保密审查员审查",
    Decision.BLOCK: "已拦截，不能发送",
}


@dataclass(frozen=True)
class RuleInfo:
    id: str
    name: str
    forbids: str
    advice: str
    # cue categories one of which any finding of the rule needs, when the rule's
    # definition demands it (a leader's itinerary needs a leader); learned otherwise
    requires: tuple[str, ...] = ()


@cache
def catalog() -> dict[str, RuleInfo]:
    raw = yaml.safe_load(resources.files("baomi.data").joinpath("rules.yaml").read_text(encoding="utf-8"))
    return {
        rid: RuleInfo(rid, **{**fields, "requires": tuple(fields.get("requires", ()))})
        for rid, fields in raw.items()
    }


@cache
def tip(decision: Decision, rules: tuple[str, ...]) -> str:
    """One Chinese tip naming the rules in plain words and what to do instead."""
    if not rules:
        return "未发现涉密或敏感内容，可以发送。"
    info = [catalog()[r] for r in rules]
    names = "、".join(f"「{i.name}」" for i in info)
    advice = "；".join(dict.fromkeys(i.advice for i in info))
    return f"{_DECISION_WORDS[decision]}。涉及{names}。{advice}。"
