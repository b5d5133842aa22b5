"""Immutable policies: what a `Reviewer` holds cannot change under it.

`freeze` copies a loaded policy into a `FrozenPolicy`: the decision matrix is a
read-only mapping, the dictionaries are tuples, and setting any attribute raises. A
change is a new policy (`with_decision`), so two reviewers never share a mutable
matrix and the default that `baomi.review` uses cannot be altered by a caller.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, fields
from functools import cache
from types import MappingProxyType

from baomi.model import Channel, Decision
from baomi.policy.load import Policy, default_policy


@dataclass(frozen=True, slots=True)
class FrozenDictionaries:
    """The organisation's dictionaries, as tuples."""

    codenames: tuple[str, ...] = ()
    leaders: tuple[str, ...] = ()
    allow_phrases: tuple[str, ...] = ()
    classified_titles: tuple[str, ...] = ()
    classified_numbers: tuple[str, ...] = ()


class FrozenPolicy(Policy):
    """A `Policy` that cannot be modified (a `Policy` subclass, so it goes wherever one does).
    Every attribute of the source policy is copied: mappings become read-only, lists
    tuples, the dictionaries a `FrozenDictionaries`."""

    def __init__(self, policy: Policy) -> None:
        # no Policy.__init__: the source policy was validated when it was loaded
        for name, value in vars(policy).items():
            object.__setattr__(self, name, _frozen(name, value))
        object.__setattr__(self, "version", _fingerprint(self))

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("策略不可修改：请用 with_decision() 得到一份新策略，或另建 Reviewer")

    def __delattr__(self, name: str) -> None:
        raise AttributeError("策略不可修改")

    def with_decision(self, rule: str, channel: Channel | str, decision: Decision | str) -> FrozenPolicy:
        """A copy of this policy with one cell of the matrix changed (copy on write)."""
        ch = Channel.parse(channel)
        if (rule, ch) not in self.cells:
            raise KeyError(f"未知规则 {rule!r}")
        draft = Policy.__new__(Policy)
        vars(draft).update({k: v for k, v in vars(self).items() if k != "version"})
        draft.cells = {**self.cells, (rule, ch): Decision(decision)}
        return FrozenPolicy(draft)


def _frozen(name: str, value: object) -> object:
    if name == "dictionaries":
        return FrozenDictionaries(
            **{f.name: tuple(getattr(value, f.name)) for f in fields(FrozenDictionaries)}
        )
    if isinstance(value, dict | MappingProxyType):
        return MappingProxyType(dict(value))
    if isinstance(value, list | set):
        return tuple(value)
    return value


def _fingerprint(policy: Policy) -> str:
    """`<source name>#<12 hex>`: the same matrix, threshold and dictionaries give the same id."""
    d = policy.dictionaries
    body = {
        "min_score": policy.min_score,
        "sensitivity": getattr(policy, "sensitivity", "standard"),
        "model": getattr(policy, "model", None),
        "cells": sorted(f"{r}|{c.value}|{v.value}" for (r, c), v in policy.cells.items()),
        "dictionaries": {f.name: list(getattr(d, f.name)) for f in fields(FrozenDictionaries)},
    }
    digest = hashlib.sha256(json.dumps(body, ensure_ascii=False, sort_keys=True).encode()).hexdigest()
    name = policy.source.replace("\\", "/").rsplit("/", 1)[-1]
    return f"{name}#{digest[:12]}"


def freeze(policy: Policy) -> FrozenPolicy:
    """An immutable copy of `policy` (the policy itself when it is already frozen)."""
    return policy if isinstance(policy, FrozenPolicy) else FrozenPolicy(policy)


@cache
def default_frozen_policy() -> FrozenPolicy:
    """The shipped default, frozen once per process."""
    return FrozenPolicy(default_policy())
