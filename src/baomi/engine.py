"""Wires the stages: extract → normalise → match → detect → filter → derive → decide.

No I/O of its own beyond what the extractors do with attachments. `Reviewer.trace`
keeps every stage for `baomi explain`; `Reviewer.review` returns only the verdict.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from baomi import detectors as _detectors  # noqa: F401  (registers the detectors)
from baomi.catalog import tip
from baomi.detectors.base import REGISTRY, Candidate, Context
from baomi.errors import ConflictingArgumentsError, EmptyMessageError
from baomi.filters import apply_filters
from baomi.match import Hits, Matcher, default_matcher
from baomi.model import (
    NAME_SUFFIX,
    RULE_IDS,
    UNINSPECTED_RULE,
    Attachment,
    Channel,
    Decision,
    Finding,
    Message,
    Reason,
    Segment,
    Span,
    Verdict,
)
from baomi.policy import Policy, load_policy
from baomi.policy.frozen import FrozenPolicy, default_frozen_policy, freeze
from baomi.text.normalise import NormalisedText, normalise

if TYPE_CHECKING:  # numpy loads with the model, on first review, not on import
    from baomi.extract.result import Limits
    from baomi.learn.model import LearnedModel, SegmentScore
    from baomi.ocr.base import OcrBackend
    from baomi.registry import Registry

_RULE_ORDER = {r: i for i, r in enumerate((*RULE_IDS, UNINSPECTED_RULE))}
_DERIVING = frozenset(RULE_IDS) - {"R10", "F01"}
_NO_MEDIA: frozenset[str] = frozenset()
_ALLOW = Verdict(Decision.ALLOW, (), (), tip(Decision.ALLOW, ()))
_TAG_MEDIA = {
    "图片": "image",
    "照片": "image",
    "动画表情": "image",
    "视频": "video",
    "语音": "audio",
    "音频": "audio",
    "文件": "document",
    "截图": "image",
}


@dataclass
class SegmentTrace:
    """What each stage made of one segment (for explain)."""

    segment: Segment
    norm: NormalisedText
    hits: Hits
    candidates: list[Candidate] = field(default_factory=list)
    removed: list[tuple[Candidate, str, str]] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    score: SegmentScore | None = None  # what the learned model made of it (None: not scored)


@dataclass
class Trace:
    message: Message
    segments: list[SegmentTrace]
    findings: list[Finding]
    cells: list[tuple[str, Decision]]
    verdict: Verdict


class Reviewer:
    """Reviews messages against one policy (validated when the reviewer is built, then
    frozen: `policy` cannot change under the reviewer). Build once, reuse: the matcher is
    compiled on first use and cached, the learned model and OCR models load on first use.

    `model`: the learned scorer — None for the policy's `model` file or the shipped one,
    a path or a `LearnedModel`, or False for the detectors alone (what training uses).
    `sensitivity` ("standard" | "high") overrides the policy's."""

    def __init__(
        self,
        policy: Policy | str | Path | None = None,
        *,
        ocr: OcrBackend | None = None,
        limits: Limits | None = None,
        model: LearnedModel | str | Path | bool | None = None,
        sensitivity: str | None = None,
        registry: Registry | str | Path | None = None,
    ) -> None:
        if policy is None:
            self._policy = default_frozen_policy()
        else:
            self._policy = freeze(policy if isinstance(policy, Policy) else load_policy(policy))
        self._ocr = ocr
        self._limits = limits
        self._matcher: Matcher | None = None
        self._model_arg = model
        self._model: LearnedModel | None = None
        self.sensitivity = sensitivity or self.policy.sensitivity
        # the unit's registry of classified documents (`baomi.registry.Registry` or its path)
        self.registry = _open_registry(registry)

    @property
    def policy(self) -> FrozenPolicy:
        """The reviewer's policy (immutable; `policy.with_decision(...)` gives a changed copy)."""
        return self._policy

    @property
    def scorer(self) -> LearnedModel | None:
        """The learned model, loaded on first use (None: detectors decide alone)."""
        if self._model is not None:
            return self._model
        arg = self._model_arg
        if arg is False:
            return None
        if self._model is None:
            from baomi.learn.model import LearnedModel, default_model

            if isinstance(arg, LearnedModel):
                self._model = arg
            elif arg is not None and arg is not True:
                self._model = LearnedModel.load(arg)
            elif self.policy.model:
                self._model = LearnedModel.load(self.policy.model)
            else:
                self._model = default_model()
        return self._model

    @property
    def matcher(self) -> Matcher:
        if self._matcher is None:
            d = self.policy.dictionaries
            extra = {
                "codename": d.codenames,
                "leader_name": d.leaders,
                "allow_phrase": d.allow_phrases,
                "registered_doc": [*d.classified_titles, *d.classified_numbers],
            }
            self._matcher = Matcher(extra) if any(extra.values()) else default_matcher()
        return self._matcher

    def review(
        self,
        message: Message | str,
        channel: Channel | str | None = None,
        *,
        attachments: Iterable[str | Path | Attachment] = (),
        id: str | None = None,
    ) -> Verdict:
        """Review one message; `message` may be a `Message` or its text with `channel`."""
        if isinstance(message, str) and not attachments:
            return self._review_text(message, Channel.parse(channel or Channel.DIRECT), id)
        return self._run(self._message(message, channel, attachments, id), None)[0]

    def review_many(
        self, messages: Iterable[Message | str], channel: Channel | str | None = None
    ) -> list[Verdict]:
        """Review many messages: texts (sent on `channel`) or `Message`s, verdicts in order,
        each as `review` gives it. The channel is parsed once and a text repeated in the
        batch (收到, 好的 …) is reviewed once; a bad message raises as in `review`."""
        ch = Channel.parse(channel or Channel.DIRECT)
        seen: dict[str, Verdict] = {}
        verdicts: list[Verdict] = []
        for message in messages:
            if isinstance(message, str):
                verdict = seen.get(message)
                if verdict is None:
                    verdict = seen[message] = self._review_text(message, ch, None)
            else:
                verdict = self._run(self._message(message, None, (), None), None)[0]
            verdicts.append(verdict)
        return verdicts

    def _review_text(self, text: str, channel: Channel, msg_id: str | None) -> Verdict:
        """The common case, typed text: the same stages without Message/Segment objects."""
        _require_content(text, ())
        norm = normalise(text)
        findings = self._review_segment(norm, "text", "text", channel, _NO_MEDIA, None)
        if self.registry is not None:
            findings += self.registry.findings(norm, "text", self.policy)
        return self._decide(findings, channel, msg_id)[0]

    def trace(
        self,
        message: Message | str,
        channel: Channel | str | None = None,
        *,
        attachments: Iterable[str | Path | Attachment] = (),
        id: str | None = None,
    ) -> Trace:
        """Review one message and keep what every stage made of it (for explain)."""
        msg = self._message(message, channel, attachments, id)
        traces: list[SegmentTrace] = []
        verdict, cells = self._run(msg, traces)
        return Trace(msg, traces, list(verdict.findings), cells, verdict)

    @staticmethod
    def _message(message, channel, attachments, id) -> Message:
        if isinstance(message, Message):
            given = [n for n, v in (("channel", channel), ("attachments", attachments), ("id", id)) if v]
            if given:
                raise ConflictingArgumentsError(given)
            return message
        return build_message(message, channel or Channel.DIRECT, attachments, id)

    def _run(
        self, msg: Message, traces: list[SegmentTrace] | None
    ) -> tuple[Verdict, list[tuple[str, Decision]]]:
        segments, media, findings = self._segments(msg)
        for seg in segments:
            norm = normalise(seg.text)
            findings += self._review_segment(norm, seg.source, seg.media, msg.channel, media, traces)
            if self.registry is not None:  # the registry reuses the segment's normalised view
                findings += self.registry.findings(norm, seg.source, self.policy)
        return self._decide(findings, msg.channel, msg.id)

    def _decide(
        self, findings: list[Finding], channel: Channel, msg_id: str | None
    ) -> tuple[Verdict, list[tuple[str, Decision]]]:
        """Threshold, derive R10, apply the policy matrix; the verdict and the cells used."""
        if not findings:
            return (_ALLOW if msg_id is None else Verdict(Decision.ALLOW, (), (), _ALLOW.tip, msg_id)), []
        findings = [f for f in findings if f.score >= self.policy.min_score]
        if any(f.rule in _DERIVING for f in findings):
            # R10's own detector covers internal work information that no other rule names
            findings = [f for f in findings if f.detector != "outside_posting"]
        findings.extend(derive_outside_posting(findings, channel))
        findings.sort(key=lambda f: (_RULE_ORDER[f.rule], f.span.source, f.span.start))
        cells = [(r, self.policy.decide(r, channel)) for r in dict.fromkeys(f.rule for f in findings)]
        decision = Decision.strongest([d for _, d in cells])
        rules = tuple(r for r, _ in cells)
        return Verdict(decision, rules, tuple(findings), tip(decision, rules), msg_id), cells

    def _segments(self, msg: Message) -> tuple[list[Segment], frozenset[str], list[Finding]]:
        segments = [Segment(msg.text, "text")] if msg.text else []
        if not msg.attachments:
            return segments, _NO_MEDIA, []
        media: set[str] = set()
        problems: list[Finding] = []
        from baomi.extract import extract

        for i, att in enumerate(msg.attachments, start=1):
            kwargs = {"ocr": self._ocr}
            if self._limits is not None:
                kwargs["limits"] = self._limits
            got = extract(att, i, **kwargs)
            segments.extend(got.segments)
            media |= got.cues
            for err in got.problems:
                problems.append(
                    Finding(
                        rule=UNINSPECTED_RULE,
                        span=Span(0, 0, f"att{i}"),
                        evidence=f"无法检查的附件：{err.reason}",
                        detector="extract",
                        score=1.0,
                        reasons=(Reason("extract", str(err)),),
                    )
                )
        return segments, frozenset(media), problems

    def _review_segment(
        self,
        norm: NormalisedText,
        source: str,
        kind: str,
        channel: Channel,
        media: frozenset[str],
        traces: list[SegmentTrace] | None,
    ) -> list[Finding]:
        """Findings of one segment (its normalised text, `source` and media `kind`): the
        detectors' candidates that survived the filters, scored by the learned model when
        there is one; every stage goes to `traces` if given."""
        hits = self.matcher.scan(norm.text)
        scorer = self.scorer
        found = hits.by_category.keys()
        if not found and traces is None and (scorer is None or not scorer.gated(found, channel)):
            return []  # a third of all chat: not one cue
        triggered = _detectors_by_trigger(channel)
        todo = (
            sorted({i for c in found for i in triggered.get(c, ())})
            if triggered.keys() & found  # most messages trigger nothing
            else ()
        )
        kept: list[Candidate] = []
        removed: list[tuple[Candidate, str, str]] = []
        findings: list[Finding] = []
        score = None
        gated = scorer is not None and scorer.gated(found, channel)
        if todo or gated:
            ctx = self._context(norm, hits, channel, source, kind, media)
            cands = [c for i in todo for c in REGISTRY[i].fn(ctx)]
            if cands:
                kept, removed = apply_filters(cands, ctx)
            if scorer is None:
                findings = [c.finding for c in kept]
            # the screen only skips segments no detector found anything in; a file name is
            # too short for the n-grams to mean much (IMG_0001.jpg): only a detector's
            # candidate (涉密会议录音.m4a) makes it worth scoring
            elif kept or (gated and not source.endswith(NAME_SUFFIX)):
                findings, score = scorer.review_segment(ctx, kept, removed, self.sensitivity)
        if traces is not None:
            traces.append(
                SegmentTrace(
                    Segment(norm.original, source, media=kind), norm, hits, kept, removed, findings, score
                )
            )
        return findings

    @staticmethod
    def _context(
        norm, hits: Hits, channel: Channel, source: str, kind: str, media: frozenset[str]
    ) -> Context:
        seg_media = set(media)
        if kind != "text":
            seg_media.add(kind)
        for tag in hits.get("media_tag"):
            tag_kind = next((m for k, m in _TAG_MEDIA.items() if k in tag.term), None)
            if tag_kind:
                seg_media.add(tag_kind)
        return Context(norm, hits, channel, source, frozenset(seg_media), kind)


def _open_registry(registry):
    if registry is None or not isinstance(registry, str | Path):
        return registry
    from baomi.registry import Registry

    return Registry.open(registry)


@cache
def _detectors_by_trigger(channel: Channel) -> dict[str, tuple[int, ...]]:
    """Hit category → indexes (in registry order) of the detectors it triggers on `channel`."""
    index: dict[str, list[int]] = {}
    for i, spec in enumerate(REGISTRY):
        if channel not in spec.channels:
            continue
        for category in spec.triggers:
            index.setdefault(category, []).append(i)
    return {c: tuple(ids) for c, ids in index.items()}


def derive_outside_posting(findings: list[Finding], channel: Channel) -> list[Finding]:
    """R10 for any R01–R09/P01 finding in an outside group or 朋友圈 (rules.md)."""
    if not channel.is_outside or any(f.rule == "R10" for f in findings):
        return []
    source = next((f for f in findings if f.rule in _DERIVING), None)
    if source is None:
        return []
    return [
        Finding(
            rule="R10",
            span=source.span,
            evidence=source.evidence,
            detector="derive",
            score=source.score,
            reasons=(
                Reason("derive", f"{source.rule} 的内容发往机关以外的群或朋友圈，属于对外发布内部事项"),
            ),
        )
    ]


def build_message(
    text: str,
    channel: Channel | str,
    attachments: Iterable[str | Path | Attachment] = (),
    id: str | None = None,
) -> Message:
    """Validate caller input into a `Message` (errors name the problem, in Chinese)."""
    atts = (
        tuple(a if isinstance(a, Attachment) else Attachment(Path(a)) for a in attachments)
        if attachments
        else ()
    )
    _require_content(text, atts)
    return Message(text, Channel.parse(channel), atts, id)


def _require_content(text: str, attachments: tuple) -> None:
    if not isinstance(text, str):
        raise TypeError("text must be a str")
    if not attachments and (not text or text.isspace()):
        raise EmptyMessageError()


_DEFAULT_REVIEWER: Reviewer | None = None


def review(
    message: Message | str,
    channel: Channel | str | None = None,
    *,
    attachments: Iterable[str | Path | Attachment] = (),
    id: str | None = None,
) -> Verdict:
    """Review one message with the default policy: `review("…", channel="work_group")`
    (the channel defaults to direct); see `Reviewer.review`."""
    global _DEFAULT_REVIEWER
    if _DEFAULT_REVIEWER is None:
        _DEFAULT_REVIEWER = Reviewer()
    return _DEFAULT_REVIEWER.review(message, channel, attachments=attachments, id=id)
