"""R05: matters still being drafted or discussed (讨论稿, 征求意见稿, 送审稿, 草案, 初稿 …)
in a work sense, not yet a formal document and not through review.

A formal draft word is work vocabulary by itself; a weak one (初稿, 草稿) needs a work
subject (方案, 办法, 预算 …) and a sign that it is unfinished or not to be spread.
"""

from __future__ import annotations

import re

from baomi.detectors.base import Candidate, Context, Reporter, detector, mask
from baomi.model import Channel

report = Reporter("drafts")

_SHARING = ("no_spread", "unfinished", "internal_mark")
# the sender worked on the draft (改的, 交上去, 我写的): posting it outside is a leak, not news
_OWN_WORK = re.compile(r"我|熬夜|改的|改了|交上去|写的|起草的|参与")


@detector("drafts", ("R05",), ("draft_formal", "draft_weak", "still_open"))
def detect_drafts(ctx: Context) -> list[Candidate]:
    unfinished = [h for c in _SHARING for h in ctx.hits.get(c)]
    outside = ctx.channel is not Channel.DIRECT and ctx.channel is not Channel.WORK_GROUP
    for hit in ctx.hits.get("draft_formal") + ctx.hits.get("draft_weak"):
        subject = ctx.hits.near("work_subject", hit, 25, 25)
        formal = hit.category == "draft_formal"
        if formal:
            # posted outside by the one who worked on it, a formal draft is itself the leak
            own = outside and _OWN_WORK.search(ctx.window(hit, 30, 30))
            ok = bool(unfinished or own or ctx.hits.near("draft_shared", hit, 30, 30))
        else:
            own = outside and _OWN_WORK.search(ctx.window(hit, 30, 30))
            ok = bool(subject and (unfinished or own))
        if not ok:
            continue
        reasons = [f"未定稿事项「{hit.term}」"]
        if unfinished:
            reasons.append(f"且注明「{unfinished[0].term}」")
        return [report(ctx, "R05", [hit, *subject[:1]], 0.85 if formal else 0.75, reasons)]
    # no draft word: a government plan still being studied (方案还在研究, 标准还没定)
    for hit in ctx.hits.get("still_open"):
        subject = ctx.hits.near("plan_noun", hit, 30, 30)
        if subject and ctx.hits.has("unit_ref", "gov_body"):
            reason = f"尚在研究的{subject[0].term}（{hit.term}）"
            return [report(ctx, "R05", [hit, subject[0]], 0.75, reason, evidence=mask(subject[0].term))]
    return []
