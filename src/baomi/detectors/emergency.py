"""R08 (emergencies not yet published by the authorised body) and F01 (hearsay about
emergencies spread as fact).

R08 needs an emergency and a sign that it is not public yet (还没通报, 尚未发布, 内部通报,
a document marked internal). F01 needs an emergency told on hearsay (听说, 据说, 网传,
内部消息, 千真万确, 转发扩散) with a sign of weight: casualties, a count, a call to spread.
"""

from __future__ import annotations

from baomi.detectors.base import Candidate, Context, Reporter, detector, mask
from baomi.match import Hit

report_hearsay = Reporter("hearsay")
report_unpublished_emergency = Reporter("unpublished_emergency")

# Emergency words that alone are everyday (a fender-bender, a rescue drill).
_MILD = {
    "事故",
    "车祸",
    "受伤",
    "起火",
    "着火",
    "抢救",
    "救援",
    "封了",
    "核酸",
    "撤离",
    "污染",
    "死亡",
    "感染了",
    "隔离点",
    "被隔离",
    "隔离在",
    "集中隔离",
    "险情",
    "处置方案",
    "应急处置",
    "伤亡",
}
# Cues that vouch for or push a story rather than name its source; they may follow it.
_PUSH = {
    "千真万确",
    "转发扩散",
    "赶紧转发",
    "扩散出去",
    "大家转发",
    "转发提醒",
    "快转发",
    "紧急扩散",
    "速转",
    "你信不信",
}
_STRONG_HEARSAY = {
    "内部消息",
    "千真万确",
    "转发扩散",
    "网友爆料",
    "小道消息",
    "据网传",
    "网传",
    "紧急扩散",
    "可靠消息",
    "据可靠消息",
    "是真的",
}


def _emergencies(ctx: Context, lo: int | None = None, hi: int | None = None) -> list[Hit]:
    """Emergency words and head counts, all or those starting in [lo, hi)."""
    if lo is None:
        return ctx.hits.get("emergency") + ctx.hits.get("casualty")
    return ctx.hits.within("emergency", lo, hi) + ctx.hits.within("casualty", lo, hi)


@detector("unpublished_emergency", ("R08",), ("not_public", "internal_mark", "no_spread"))
def detect_unpublished(ctx: Context) -> list[Candidate]:
    for hit in _emergencies(ctx):
        markers = ctx.hits.near("not_public", hit, 80, 80)
        if not markers and hit.term not in _MILD:
            # an internal document about an actual incident, or "don't spread" right next to it
            markers = ctx.hits.near("internal_mark", hit, 80, 120) or ctx.hits.near("no_spread", hit, 30, 30)
        if not markers:
            continue
        return [
            report_unpublished_emergency(
                ctx,
                "R08",
                [hit, markers[0]],
                0.85,
                f"突发事件「{hit.term}」尚未经有权机关发布（{markers[0].term}）",
            )
        ]
    return []


@detector("hearsay", ("F01",), ("hearsay",))
def detect_hearsay(ctx: Context) -> list[Candidate]:
    for say in ctx.hits.get("hearsay"):
        if say.term in _PUSH:
            events = _emergencies(ctx, say.start - 80, say.start + 81)
        else:  # a source cue: the story follows it, in the same sentence
            hi = min(ctx.sentence(say)[1], say.end + 50)
            events = _emergencies(ctx, say.start - 10, hi)
        if not events:
            continue
        weighty = (
            ctx.hits.has("casualty")
            or any(e.term not in _MILD for e in events)
            or any(h.term in _STRONG_HEARSAY for h in ctx.hits.get("hearsay"))
        )
        if not weighty:
            continue
        return [
            report_hearsay(
                ctx,
                "F01",
                [say, events[0]],
                0.8,
                f"以「{say.term}」传播未经核实的突发事件信息（{events[0].term}）",
                evidence=mask(f"{say.term}…{events[0].term}"),
            )
        ]
    return []
