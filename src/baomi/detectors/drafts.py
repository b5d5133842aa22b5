"""R05: matters still being drafted or discussed (讨论稿, 征求意见稿, 送审稿, 草案, 初稿 …)
in a work sense, not yet a formal document and not through review.

A formal draft word is work vocabulary by itself; a weak one (初稿, 草稿) needs a work
subject (方案, 办法, 预算 …) and a sign that it is unfinished or not to be spread.
"""

from __future__ import annotations

from baomi.detectors.base import Candidate, Context, Reporter, detector

report = Reporter("drafts")

_SHARING = ("no_spread", "unfinished", "internal_mark")


@detector("drafts", ("R05",), ("draft_formal", "draft_weak"))
def detect_drafts(ctx: Context) -> list[Candidate]:
    out = []
    unfinished = [h for c in _SHARING for h in ctx.hits.get(c)]
    for hit in ctx.hits.get("draft_formal") + ctx.hits.get("draft_weak"):
        subject = ctx.hits.near("work_subject", hit, 25, 25)
        formal = hit.category == "draft_formal"
        if formal:
            ok = bool(unfinished or ctx.hits.near("draft_shared", hit, 30, 30))
        else:
            ok = bool(subject and unfinished)
        if not ok:
            continue
        reasons = [f"未定稿事项「{hit.term}」"]
        if unfinished:
            reasons.append(f"且注明「{unfinished[0].term}」")
        out.append(report(ctx, "R05", [hit, *subject[:1]], 0.85 if formal else 0.75, reasons))
    return out[:1]
