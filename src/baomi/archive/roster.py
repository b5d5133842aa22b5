"""Channels of conversations: a roster file, one-to-one = direct, else a guess from the
group's name (shown in the report for a person to confirm).

    conversations:
      wrW1xxxx: {name: 县政府办工作群, channel: work_group}
      wrF1xxxx: {name: 张家亲戚群, channel: external_group}
      wrF2xxxx: {name: 城东小区业主群}        # name only: the channel is guessed from it

(WeCom archives carry room ids, not group names: the roster is where names come from.)
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

import yaml

from baomi import Channel
from baomi.errors import BaomiError, InputError


class RosterError(InputError):
    """A roster file that cannot be read or does not validate."""


@dataclass(frozen=True, slots=True)
class ConversationChannel:
    """A conversation's channel and how it was decided: `roster`, `direct` (one-to-one)
    or `guess` (from the group name; `why` says which word)."""

    channel: Channel
    name: str
    basis: str
    why: str = ""

    @property
    def is_guess(self) -> bool:
        return self.basis == "guess"


@cache
def _group_words() -> dict[Channel, tuple[str, ...]]:
    text = resources.files("baomi.data").joinpath("group_names.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    return {Channel.parse(k): tuple(v) for k, v in data.items()}


def guess_group_channel(name: str) -> tuple[Channel, str]:
    """external_group or work_group from a group name, and why (Chinese). The word found
    last in the name decides (家长群 is outside, 家长学校工作群 is work); a name with no
    known word is treated as outside, the stricter choice."""
    best: tuple[int, Channel, str] | None = None
    for channel, words in _group_words().items():
        for word in words:
            at = name.rfind(word)
            if at >= 0 and (best is None or at + len(word) > best[0]):
                best = (at + len(word), channel, word)
    if best is None:
        return Channel.EXTERNAL_GROUP, "群名无法判断，按机关外部群处理"
    _, channel, word = best
    label = "工作群" if channel is Channel.WORK_GROUP else "外部群"
    return channel, f"群名含“{word}”，推测为{label}"


class Roster:
    """Conversation id → (name, channel), from a YAML roster; empty when none is given."""

    def __init__(self, entries: dict[str, tuple[str, Channel | None]] | None = None) -> None:
        self.entries = entries or {}

    @classmethod
    def load(cls, path: Path | None) -> Roster:
        if path is None:
            return cls()
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
        except OSError as exc:
            raise RosterError(f"无法读取名册文件 {path.name}（{exc.strerror}）") from None
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f"第 {mark.line + 1} 行" if mark else ""
            raise RosterError(f"名册文件 {path.name} 不是有效的 YAML {where}") from None
        convs = data.get("conversations") if isinstance(data, dict) else None
        if not isinstance(convs, dict):
            raise RosterError(f"名册文件 {path.name} 缺少 conversations: 映射")
        entries: dict[str, tuple[str, Channel | None]] = {}
        for cid, entry in convs.items():
            if not isinstance(entry, dict) or not ("channel" in entry or "name" in entry):
                raise RosterError(f"名册中会话 {cid} 需要 name 或 channel")
            try:
                channel = Channel.parse(entry["channel"]) if "channel" in entry else None
            except BaomiError as exc:
                raise RosterError(f"名册中会话 {cid}：{exc}") from None
            entries[str(cid)] = (str(entry.get("name") or cid), channel)
        return cls(entries)

    def channel_of(self, conversation: str, name: str, is_group: bool) -> ConversationChannel:
        """The channel of one conversation: roster first, then direct, then a guess."""
        known = self.entries.get(conversation)
        if known is not None and known[1] is not None:
            return ConversationChannel(known[1], known[0], "roster")
        if known is not None:
            name = known[0]
        if not is_group:
            return ConversationChannel(Channel.DIRECT, name, "direct")
        channel, why = guess_group_channel(name)
        return ConversationChannel(channel, name, "guess", why)
