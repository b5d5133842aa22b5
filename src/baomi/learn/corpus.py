"""Training examples: labelled JSONL corpora (rules.md format), checked against the
default matrix, and a deterministic train/validation split by a hash of the text."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from baomi.model import RULE_IDS, Channel, Decision
from baomi.policy.load import default_policy

VALIDATION_SHARE = 15  # percent of examples (by text hash) held for calibration and scores
_DERIVING = frozenset(RULE_IDS) - {"R10", "F01"}


@dataclass(frozen=True, slots=True)
class Example:
    """One labelled message. `key` is the text it was made from (an augmented copy keeps
    its original's key, so both land on the same side of the split)."""

    text: str
    channel: Channel
    rules: frozenset[str]
    style: str = ""
    source: str = ""
    key: str = ""

    @property
    def split(self) -> str:
        return split_of(self.key or self.text)


def split_of(text: str) -> str:
    """ "validation" for about VALIDATION_SHARE % of texts, "train" for the rest."""
    h = int(hashlib.sha256("".join(text.split()).encode("utf-8")).hexdigest()[:8], 16)
    return "validation" if h % 100 < VALIDATION_SHARE else "train"


def matrix_decision(rules: Iterable[str], channel: Channel) -> Decision:
    policy = default_policy()
    return Decision.strongest([policy.decide(r, channel) for r in rules])


def fix_rules(rules: frozenset[str], channel: Channel) -> frozenset[str]:
    """R10 as rules.md derives it: added outside when another rule is found, and never
    reported in direct or work-group messages."""
    if channel.is_outside and rules & _DERIVING:
        rules = rules | {"R10"}
    if channel in (Channel.DIRECT, Channel.WORK_GROUP):
        rules = rules - {"R10"}
    return rules


@dataclass
class LoadReport:
    """What reading the corpora kept and dropped, per file."""

    kept: Counter
    fixed: Counter
    dropped: Counter
    problems: list[str]


def read_examples(paths: Iterable[Path], report: LoadReport | None = None) -> Iterator[Example]:
    """Examples of labelled JSONL files. R10 is made consistent (`fix_rules`); a line whose
    decision then disagrees with the matrix over its rules, or that cannot be read, is
    dropped and counted in `report`."""
    for path in paths:
        with path.open(encoding="utf-8") as fh:
            for line_no, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                ex, problem, fixed = _parse(line, path.name)
                if report is not None:
                    if ex is None:
                        report.dropped[path.name] += 1
                        report.problems.append(f"{path.name}:{line_no}: {problem}")
                    else:
                        report.kept[path.name] += 1
                        report.fixed[path.name] += fixed
                if ex is not None:
                    yield ex


def _parse(line: str, name: str) -> tuple[Example | None, str, bool]:
    try:
        obj = json.loads(line)
        text = obj["text"]
        channel = Channel.parse(obj["channel"])
        expect = obj["expect"]
        rules = frozenset(expect.get("rules") or ())
        decision = Decision(expect["decision"])
    except (ValueError, KeyError, TypeError) as exc:
        return None, f"unreadable ({exc.__class__.__name__})", False
    if not isinstance(text, str) or not text.strip():
        return None, "empty text", False
    if obj.get("attachments"):
        return None, "attachments are not used for training", False
    unknown = rules - set(RULE_IDS)
    if unknown:
        return None, f"unknown rules {sorted(unknown)}", False
    fixed = fix_rules(rules, channel)
    if matrix_decision(fixed, channel) is not decision:
        return None, f"decision {decision.value} != matrix {matrix_decision(fixed, channel).value}", False
    source = str(obj.get("source") or name)
    ex = Example(text, channel, fixed, str(obj.get("style") or ""), source, text)
    return ex, "", fixed != rules


def with_text(ex: Example, text: str, source_tag: str) -> Example:
    """An augmented copy: new text, same labels, same split key."""
    return replace(ex, text=text, source=f"{ex.source}+{source_tag}")
