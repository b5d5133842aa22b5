"""Immutable data that flows through the engine: messages in, verdicts out.

Nothing here holds the full text of what was caught: `Finding.evidence` is masked,
and `Message` keeps its text out of `repr` so a stray log line cannot leak it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from baomi.errors import UnknownChannelError

RULE_IDS: tuple[str, ...] = (
    "R01", "R02", "R03", "R04", "R05", "R06", "R07", "R08", "R09", "R10", "P01", "F01",
)  # fmt: skip
# Findings about an attachment that could not be inspected (fail closed).
UNINSPECTED_RULE = "X01"
ALL_RULE_IDS: tuple[str, ...] = (*RULE_IDS, UNINSPECTED_RULE)


class Channel(StrEnum):
    """Where a message is going (see rules.md)."""

    DIRECT = "direct"
    WORK_GROUP = "work_group"
    EXTERNAL_GROUP = "external_group"
    MOMENTS = "moments"
    PUBLISH = "publish"

    @classmethod
    def parse(cls, value: str | Channel) -> Channel:
        """Parse a channel name; an unknown one raises an error listing the valid ones."""
        if isinstance(value, Channel):
            return value
        known = _CHANNELS.get(value.strip().lower()) if isinstance(value, str) else None
        if known is not None:
            return known
        raise UnknownChannelError(str(value), [*(c.value for c in cls), *CHANNEL_ALIASES])

    @property
    def aliases(self) -> tuple[str, ...]:
        """The Chinese names accepted for this channel (点对点, 朋友圈 …)."""
        return tuple(name for name, ch in CHANNEL_ALIASES.items() if ch is self)

    @property
    def is_outside(self) -> bool:
        """Channels outside government, where R10 is derived from any other finding."""
        return self in (Channel.EXTERNAL_GROUP, Channel.MOMENTS)


# Channel names as people write them (rules.md's channel table), besides the ids.
CHANNEL_ALIASES: dict[str, Channel] = {
    "点对点": Channel.DIRECT,
    "私聊": Channel.DIRECT,
    "单聊": Channel.DIRECT,
    "工作群": Channel.WORK_GROUP,
    "外部群": Channel.EXTERNAL_GROUP,
    "机关以外的群": Channel.EXTERNAL_GROUP,
    "朋友圈": Channel.MOMENTS,
    "发布": Channel.PUBLISH,
    "信息发布": Channel.PUBLISH,
}
_CHANNELS = {c.value: c for c in Channel} | CHANNEL_ALIASES
_DECISION_RANK = {"allow": 0, "warn": 1, "review": 2, "block": 3}


class Decision(StrEnum):
    """Ordered decisions: allow < warn < review < block."""

    ALLOW = "allow"
    WARN = "warn"
    REVIEW = "review"
    BLOCK = "block"

    @property
    def rank(self) -> int:
        return _DECISION_RANK[self.value]

    @property
    def stops(self) -> bool:
        """True when the message is held or stopped (review or block)."""
        return self.rank >= _DECISION_RANK["review"]

    @staticmethod
    def strongest(decisions: list[Decision] | tuple[Decision, ...]) -> Decision:
        return max(decisions, key=lambda d: d.rank, default=Decision.ALLOW)


@dataclass(frozen=True, slots=True)
class Attachment:
    """A file sent with a message. `name` is reviewed too (file names leak)."""

    path: Path
    name: str = ""

    def __post_init__(self) -> None:
        if not isinstance(self.path, Path):
            object.__setattr__(self, "path", Path(self.path))

    @property
    def display_name(self) -> str:
        return self.name or self.path.name


@dataclass(frozen=True, slots=True)
class Message:
    """One message to review. `text` is kept out of repr."""

    text: str
    channel: Channel
    attachments: tuple[Attachment, ...] = ()
    id: str | None = None

    def __post_init__(self) -> None:
        """Validate the fields; a channel given as a name (朋友圈, "moments") is converted,
        attachments given as paths become `Attachment`s."""
        if not isinstance(self.text, str):
            raise TypeError(f"Message.text must be a str, not {type(self.text).__name__}")
        if not isinstance(self.channel, Channel):
            object.__setattr__(self, "channel", Channel.parse(self.channel))
        if not isinstance(self.attachments, tuple | list):
            raise TypeError("Message.attachments must be a tuple of Attachment or paths")
        atts = tuple(a if isinstance(a, Attachment) else Attachment(Path(a)) for a in self.attachments)
        object.__setattr__(self, "attachments", atts)
        if self.id is not None and not isinstance(self.id, str):
            raise TypeError(f"Message.id must be a str or None, not {type(self.id).__name__}")

    def __repr__(self) -> str:
        return (
            f"Message(id={self.id!r}, channel={self.channel.value}, chars={len(self.text)}, "
            f"attachments={len(self.attachments)})"
        )


NAME_SUFFIX = "/name"  # the end of the source of an attachment's file-name segment (att1/name)


@dataclass(frozen=True, slots=True)
class Segment:
    """A piece of text to review, with where it came from.

    `source` is "text" for the message body, or e.g. "att1/p2" (attachment 1, page 2),
    "att1/name" (the file name), "att2/ocr" (OCR of an image). `bbox` is the OCR box
    (x0, y0, x1, y1) in image pixels when the text came from an image. `media` says what
    kind of content the segment stands for ("text", "image", "audio", "video",
    "document") so detectors can tell a caption of a photo from typed text.
    """

    text: str
    source: str = "text"
    bbox: tuple[float, float, float, float] | None = None
    media: str = "text"

    def __repr__(self) -> str:
        return f"Segment(source={self.source!r}, media={self.media!r}, chars={len(self.text)})"


@dataclass(frozen=True, slots=True)
class Span:
    """Half-open character range [start, end) in the ORIGINAL text of `source`."""

    start: int
    end: int
    source: str = "text"


@dataclass(frozen=True, slots=True)
class Reason:
    """One piece of evidence for (or against) a finding, appended stage by stage."""

    stage: str  # match | detect | filter | derive | extract
    detail: str  # Chinese, masked, for people
    weight: float = 0.0


@dataclass(frozen=True, slots=True)
class Finding:
    """A rule broken by part of the message. `evidence` is masked, never the full text."""

    rule: str
    span: Span
    evidence: str
    detector: str
    score: float
    reasons: tuple[Reason, ...] = ()
    normalisations: tuple[str, ...] = ()

    def to_dict(self) -> dict:
        return {
            "rule": self.rule,
            "source": self.span.source,
            "span": [self.span.start, self.span.end],
            "evidence": self.evidence,
            "detector": self.detector,
            "score": round(self.score, 3),
            "reasons": [r.detail for r in self.reasons],
            "normalisations": list(self.normalisations),
        }


@dataclass(frozen=True, slots=True)
class Verdict:
    """The answer for one message: decision, rules broken, findings and a Chinese tip."""

    decision: Decision
    rules: tuple[str, ...]
    findings: tuple[Finding, ...]
    tip: str
    message_id: str | None = None

    def to_dict(self) -> dict:
        return {
            "id": self.message_id,
            "decision": self.decision.value,
            "rules": list(self.rules),
            "findings": [f.to_dict() for f in self.findings],
            "tip": self.tip,
        }
