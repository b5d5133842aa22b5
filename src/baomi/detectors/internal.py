"""R06 (unpublished internal documents) and R10 (internal work information posted outside).

R06 rests on what the sender's unit marks as internal (内部资料, 内部★, 此件不公开, 不予公开,
内部掌握), on leaders' written instructions (领导批示) and on screenshots of work-group
arrangements. R10 is about the channel: internal work information (a meeting's decision,
personnel matters, enforcement plans, quotas) going to an outside group, 朋友圈 or a
publication without secrecy review.
"""

from __future__ import annotations

import re

from baomi.detectors.base import Candidate, Context, Reporter, detector, mask
from baomi.match import Hit
from baomi.model import Channel

report_internal_documents = Reporter("internal_documents")
report_outside_posting = Reporter("outside_posting")

_OUR_BODY = re.compile(
    r"(?:我们|咱们)[\u4e00-\u9fff]{0,6}?(?:局|所|大队|中队|支队|派出所|法院|检察院|委员会|办事处|街道|站)"
)
_UNIT_GROUP = re.compile(r"[局委办科处厅院所队站]|中心|政府|街道|工作群|专班|指挥部")
_ASSIGNING = re.compile(r"请各|务必|抓紧|落实|督办|部署|通知各|按时上报|报送|前完成")
_INSTRUCTION_QUOTE = re.compile(r"批示[:,]?[“\"]|【领导批示】|领导批示[:：]|批示说")
_MEETING = (
    "开会",
    "会上",
    "开了会",
    "党组会",
    "常委会",
    "院务会",
    "局务会",
    "办公会",
    "定了",
    "议定",
    "通报",
)
# Internal-only matters that a publication must never carry without review.
_PUBLISH_INTERNAL = (
    "内部审计",
    "检讨",
    "内部会议",
    "责令",
    "通报批评",
    "党组会",
    "研究干部",
    "干部事项",
    "约谈",
    "考勤",
    "议定",
    "人事",
    "任命",
    "处分",
    "机构调整",
    "干部交流",
)


@detector(
    "internal_documents", ("R06",), ("internal_mark", "internal_doc", "leader_instruction", "screenshot")
)
def detect_internal(ctx: Context) -> list[Candidate]:
    out = []
    for hit in ctx.hits.get("internal_doc"):
        label = ctx.text[max(0, hit.start - 1) : hit.start] in ("【", "[", "(", "《") and ctx.text[
            hit.end : hit.end + 1
        ] in ("】", "]", ")", "》", " ")
        shared = ctx.hits.near("reproduce", hit, 20, 30) or ctx.hits.near("no_spread", hit, 20, 30)
        if label or shared or ctx.media & {"image", "document"}:
            out.append(report_internal_documents(ctx, "R06", [hit], 0.8, f"传播未公开的{hit.term}"))
    for hit in ctx.hits.get("internal_mark"):
        out.append(report_internal_documents(ctx, "R06", [hit], 0.9, f"未公开内部文件标注「{hit.term}」"))
    for hit in ctx.hits.get("leader_instruction"):
        around = ctx.text[max(0, hit.start - 12) : hit.end + 4]
        shown = (
            ctx.has_visual
            or ctx.hits.near("reproduce", hit, 20, 20)
            or ctx.hits.near("image_cue", hit, 20, 20)
        )
        quoted = _INSTRUCTION_QUOTE.search(around)
        if (quoted or shown) and "精神" not in ctx.text[hit.end : hit.end + 4]:
            out.append(
                report_internal_documents(
                    ctx, "R06", [hit], 0.85, "传播领导批示原文", evidence=mask("领导批示")
                )
            )
    out += _work_group_screenshot(ctx)
    for hit in ctx.hits.get("screenshot"):
        ref = ctx.hits.near("work_group_ref", hit, 25, 15)
        if ref:
            out.append(
                report_internal_documents(
                    ctx,
                    "R06",
                    [hit, ref[0]],
                    0.8,
                    f"工作群部署安排的截图（{ref[0].term}）",
                    evidence=mask(f"{ref[0].term}截图"),
                )
            )
    return out[:1]


def _work_group_screenshot(ctx: Context) -> list[Candidate]:
    """The text of a chat screenshot itself: a unit's group (its title names an office)
    where work is being assigned."""
    if ctx.segment_media != "image" or "screenshot" not in ctx.media:
        return []
    head = ctx.text[:60]
    if not _UNIT_GROUP.search(head):
        return []
    orders = [h for h in ctx.hits.get("work_group_ref") + ctx.hits.get("internal_matter")]
    if len(orders) < 2 and not _ASSIGNING.search(ctx.text):
        return []
    anchor = orders[0] if orders else Hit("screenshot", 0, min(len(ctx.text), 4), "截图")
    return [
        report_internal_documents(
            ctx, "R06", [anchor], 0.75, "工作群部署安排的截图", evidence=mask("工作群截图")
        )
    ]


@detector(
    "outside_posting",
    ("R10",),
    ("unit_ref", "review_flag", "internal_matter", "internal_meeting"),
    channels=(Channel.EXTERNAL_GROUP, Channel.MOMENTS, Channel.PUBLISH),
)
def detect_outside_posting(ctx: Context) -> list[Candidate]:
    for hit in ctx.hits.get("review_flag"):
        return [report_outside_posting(ctx, "R10", [hit], 0.9, "注明未经保密审查的机关内部事项")]
    for hit in ctx.hits.get("internal_meeting"):
        return [report_outside_posting(ctx, "R10", [hit], 0.8, f"向机关外发布{hit.term}的内容")]
    # 我们局 / 我们市场监管所 / 咱们街道: the sender's own government body
    units = ctx.hits.get("unit_ref") + [
        Hit("unit_ref", m.start(), m.end(), m.group()) for m in _OUR_BODY.finditer(ctx.text)
    ]
    for unit in units:
        matters = ctx.hits.near("internal_matter", unit, 15, 40)
        if ctx.channel is Channel.PUBLISH:
            matters = [m for m in matters if m.term in _PUBLISH_INTERNAL]
        if not matters:
            continue
        # in chat, a specific matter: dated (今天, 下周, 上个月) or decided at a meeting
        lo, hi = unit.start - 20, unit.end + 60
        dated = any(ctx.hits.within(c, lo, hi) for c in ("time_ref", "future", "past"))
        if ctx.channel is not Channel.PUBLISH and not dated and not any(m.term in _MEETING for m in matters):
            continue
        if ctx.hits.near("public_event", unit, 15, 40) or ctx.hits.near("published", unit, 30, 60):
            continue
        return [
            report_outside_posting(
                ctx,
                "R10",
                [unit, matters[0]],
                0.75,
                f"向机关外发布内部工作信息（{unit.term}…{matters[0].term}）",
                evidence=mask(f"{unit.term}{matters[0].term}"),
            )
        ]
    return []
