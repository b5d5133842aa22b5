"""What every detector sees (`Context`), how it reports (`make_finding`) and the registry.

A detector is a plain function `Context -> list[Finding]`, declared with `@detector`,
naming the rules it can report and the hit categories that trigger it: when none of its
trigger categories was matched in the text, the engine does not call it at all.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property

from baomi.match import Hit, Hits
from baomi.model import Channel, Finding, Reason, Span
from baomi.text.normalise import NormalisedText

# right after a classification word: a named meeting (机密级的项目评审会), not a document
MEETING_AFTER = re.compile(
    r"的?(?:会议|[\u4e00-\u9fff]{0,4}?(?:评审|专题|工作|调度|部署|常委|办公|论证|座谈|协调|推进|动员|汇报|研讨|党组|局务)会)"
)
_SENTENCE_END = re.compile(r"[。!?;\n]|……")


@dataclass(frozen=True)
class Context:
    """One text segment under review, with its matches and the message around it."""

    norm: NormalisedText
    hits: Hits
    channel: Channel
    source: str = "text"
    # What the message carries besides typed text: "image", "video", "audio", "document",
    # from attachments or from chat placeholders like [图片].
    media: frozenset[str] = field(default_factory=frozenset)
    # what this segment's own text came from: "text", "image" (OCR), "document" …
    segment_media: str = "text"

    @property
    def text(self) -> str:
        return self.norm.text

    @cached_property
    def sentence_breaks(self) -> list[int]:
        return [m.end() for m in _SENTENCE_END.finditer(self.norm.text)]

    def sentence(self, hit: Hit) -> tuple[int, int]:
        """Bounds of the sentence holding `hit` (normalised offsets)."""
        breaks = self.sentence_breaks
        i = bisect_right(breaks, hit.start)
        start = breaks[i - 1] if i else 0
        j = bisect_left(breaks, hit.end)
        end = breaks[j] if j < len(breaks) else len(self.norm.text)
        return start, end

    def window(self, hit: Hit, before: int, after: int) -> str:
        return self.norm.text[max(0, hit.start - before) : hit.end + after]

    @property
    def has_visual(self) -> bool:
        """The message carries a photo or a video (attachment or chat placeholder)."""
        return bool(self.media & {"image", "video"})

    @property
    def has_recording(self) -> bool:
        return bool(self.media & {"video", "audio"})

    def in_sentence(self, hit: Hit, category: str, strong_only: bool = False) -> list[Hit]:
        lo, hi = self.sentence(hit)
        return [h for h in self.hits.within(category, lo, hi, strong_only) if h != hit]

    def inside(self, hit: Hit, category: str) -> bool:
        """True when `hit` lies within a longer hit of `category` (e.g. 密件 in 机密件)."""
        return any(
            h.start <= hit.start and hit.end <= h.end and (h.end - h.start) > (hit.end - hit.start)
            for h in self.hits.within(category, hit.start - 12, hit.start + 1)
        )

    def overlaps(self, hit: Hit, category: str) -> bool:
        return any(
            h.start < hit.end and hit.start < h.end
            for h in self.hits.within(category, hit.start - 12, hit.end)
        )


def mask(label: str) -> str:
    """Evidence shown to people and stored: a dictionary cue or a label, never the content."""
    return f"{label}**"


@dataclass(frozen=True)
class Candidate:
    """A finding before the look-alike filters, with the hit it rests on (normalised offsets)."""

    finding: Finding
    anchor: Hit

    @property
    def rule(self) -> str:
        return self.finding.rule


def make_finding(
    ctx: Context,
    rule: str,
    hits: Iterable[Hit],
    *,
    evidence: str,
    detector: str,
    score: float,
    reasons: Iterable[str],
) -> Candidate:
    """A candidate finding spanning `hits` (the first is the anchor), mapped back to the
    original text, weaker when the match needed disguise-folding or several normalisations."""
    hits = list(hits)
    start = min(h.start for h in hits)
    end = max(h.end for h in hits)
    ostart, oend = ctx.norm.to_original(start, end)
    normalisations = ctx.norm.normalisations(start, end)
    if any(h.weak for h in hits):
        normalisations = (*normalisations, "拼音/谐音")
        score -= 0.1
    score -= 0.05 * max(0, len(normalisations) - 1)
    finding = Finding(
        rule=rule,
        span=Span(ostart, oend, ctx.source),
        evidence=evidence,
        detector=detector,
        score=max(0.0, min(1.0, score)),
        reasons=tuple(Reason("detect", r) for r in reasons),
        normalisations=normalisations,
    )
    return Candidate(finding, hits[0])


@dataclass(frozen=True)
class Reporter:
    """Makes the candidates of one detector: `report(ctx, rule, hits, score, reason)`.
    Evidence defaults to the first hit's cue word, masked."""

    detector: str

    def __call__(
        self,
        ctx: Context,
        rule: str,
        hits: Iterable[Hit],
        score: float,
        reason: str | Iterable[str],
        evidence: str | None = None,
    ) -> Candidate:
        hits = list(hits)
        reasons = [reason] if isinstance(reason, str) else list(reason)
        return make_finding(
            ctx,
            rule,
            hits,
            evidence=evidence or mask(hits[0].term),
            detector=self.detector,
            score=score,
            reasons=reasons,
        )


DetectFn = Callable[[Context], list[Candidate]]


@dataclass(frozen=True)
class DetectorSpec:
    name: str
    rules: tuple[str, ...]
    triggers: tuple[str, ...]
    fn: DetectFn
    channels: frozenset[Channel] = frozenset(Channel)


REGISTRY: list[DetectorSpec] = []


def detector(
    name: str,
    rules: tuple[str, ...],
    triggers: tuple[str, ...],
    channels: Iterable[Channel] = tuple(Channel),
):
    """Register a detector; it runs only when one of `triggers` was matched in a message
    going to one of `channels`."""

    def wrap(fn: DetectFn) -> DetectFn:
        REGISTRY.append(DetectorSpec(name, rules, triggers, fn, frozenset(channels)))
        return fn

    return wrap


def prohibited(ctx: Context, hit: Hit) -> Hit | None:
    """The prohibition word (不得, 严禁 …) that opens the clause `hit` is in, if any:
    严禁传播涉密文件 states a rule, it names no document."""
    lo = max(ctx.sentence(hit)[0], hit.start - 14)
    clause = ctx.text[lo : hit.start]
    cut = max(clause.rfind(","), clause.rfind(":")) + 1
    found = ctx.hits.within("prohibition", lo + cut, hit.start)
    return found[0] if found else None
