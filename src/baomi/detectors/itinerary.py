"""R09: leaders' itineraries, schedules and accompanying images not approved for release.

An itinerary is a leader's title near a coming time and a movement (明天上午9点 书记 去…
调研), or itinerary words (行程, 路线, 航班, 一行, 接待方案), or a photo/video taken while
accompanying a leader (陪同, 跟拍, 随行). Reports of past activities are left to the
`is_media_report` filter and the past-time check here.
"""

from __future__ import annotations

import re

from baomi.detectors.base import Candidate, Context, Reporter, detector
from baomi.match import Hit

report = Reporter("leader_itinerary")

_MOVE = re.compile(
    r"去(?![年掉除世])|到(?![位底期时处])|来(?![自源说看着])|赴|抵达|回(?![复答应顾])|调研|考察|视察|检查"
    r"|出发|看望|慰问|汇报|下乡|走访|出席|参加|陪|住(?![院址])|接待|航班|路线"
)
_ADDRESSEE = re.compile(r"^[\u4e00-\u9fff]{0,2}$")
_ACCOMPANY = ("陪同", "跟拍", "随行", "跟着", "跟随", "陪局长", "陪书记", "陪领导", "随行人员", "陪同人员")
WINDOW_BEFORE, WINDOW_AFTER = 30, 45
_NOT_AFTER_SHORT = set("长里面势部限域")
# Titles that also name non-leaders (a hotel's 部长, "向领导反映"): they need an itinerary
# with a coming time, not just a movement.
_OFFICE_TITLES = {"主任", "副主任"}
_INSPECT = re.compile(r"调研|考察|视察|督导|督查|检查|慰问|走访")
_WEAK_TITLES = {
    "领导",
    "部长",
    "副部长",
    "主席",
    "首长",
    "一把手",
    "主要领导",
    "大领导",
    "上级领导",
    "分管领导",
}


def _leaders(ctx: Context) -> list[Hit]:
    out = []
    for hit in ctx.hits.get("leader") + ctx.hits.get("leader_short") + ctx.hits.get("leader_name"):
        if ctx.overlaps(hit, "leader_not") or ctx.inside(hit, "leader"):
            continue
        if hit.category == "leader_short" and ctx.text[hit.end : hit.end + 1] in _NOT_AFTER_SHORT:
            continue  # 王局长 is found as 局长; 李局面 is no leader
        if any(t.start < hit.start < t.end for t in ctx.hits.get("title")):
            continue
        if _is_addressee(ctx, hit) or ctx.hits.near("leader_instruction", hit, 0, 15):
            continue  # spoken to, or the author of a 批示: no itinerary
        out.append(hit)
    return out


@detector("leader_itinerary", ("R09",), ("leader", "leader_short", "leader_name"))
def detect_itinerary(ctx: Context) -> list[Candidate]:
    for leader in _leaders(ctx):
        lo = max(0, leader.start - WINDOW_BEFORE)
        hi = leader.end + WINDOW_AFTER
        near = {c: ctx.hits.within(c, lo, hi) for c in ("future", "past", "itinerary", "clock", "date")}
        moves = bool(_MOVE.search(ctx.text[lo:hi]))
        accompany = [h for h in near["itinerary"] if h.term in _ACCOMPANY]
        reason = None
        inspects = bool(_INSPECT.search(ctx.text, leader.end, hi))
        if (leader.term in _WEAK_TITLES or leader.weak) and not (
            (near["itinerary"] or near["clock"] or inspects) and near["future"]
        ):
            continue
        if leader.term in _OFFICE_TITLES and not (near["future"] and (near["itinerary"] or inspects)):
            continue  # every office has a 主任: only an inspection tour makes it an itinerary
        if accompany and (
            ctx.has_visual
            or ctx.hits.within("image_cue", lo, hi)
            or ctx.hits.within("av_cue", lo, hi)
            or (near["future"] and not near["past"])
        ):
            reason = f"随行领导的图像/视频或安排（{accompany[0].term}）"
        elif (
            (plan := [h for h in near["itinerary"] if h.term not in _ACCOMPANY])
            and (moves or near["future"])
            and not (near["past"] and not near["future"])
        ):
            reason = f"领导行程安排（{plan[0].term}）"
        elif near["future"] and moves and not _past_nearer(near["past"], near["future"], leader):
            reason = f"领导未来的时间和去向（{near['future'][0].term}）"
        elif (
            any(ctx.text[c.end : c.end + 1] != "许" for c in near["clock"])  # 9时许: news narration
            and moves
            and not near["past"]
        ):
            reason = f"领导具体时间和去向（{near['clock'][0].term}）"
        if reason:
            return [report(ctx, "R09", [leader], 0.8, reason)]
    return []


def _is_addressee(ctx: Context, hit: Hit) -> bool:
    """王书记，您… : the leader is the one spoken to, not the one travelling."""
    return (
        hit.start <= 2
        and bool(_ADDRESSEE.match(ctx.text[: hit.start]))
        and ctx.text[hit.end : hit.end + 1] in (",", ":", " ")
    )


def _past_nearer(past: list[Hit], future: list[Hit], leader: Hit) -> bool:
    if not past:
        return False

    def dist(h: Hit) -> int:
        return abs(h.start - leader.start)

    return min(map(dist, past)) < min(map(dist, future))
