"""R04: talking about classified matters (涉密事项, 涉密项目, what a 密件 says, what a
保密会议 was about), including code names from the organisation's dictionary."""

from __future__ import annotations

import re

from baomi.detectors.base import Candidate, Context, Reporter, detector, mask

report = Reporter("classified_matters")

# Words that name a specific classified matter; generic ones (国家秘密, 涉密信息, 密件)
# count only when the message goes on to tell what it is about.
_FILMED = re.compile(r"会议|演练|装备|试验$")
_GENERIC = {"国家秘密", "涉密信息", "涉密内容", "密件", "涉密议题", "涉密工作内容"}


@detector("classified_matters", ("R04",), ("secret_matter", "secret_meeting", "level_doc", "codename"))
def detect_matters(ctx: Context) -> list[Candidate]:
    out = []
    for hit in ctx.hits.get("codename"):
        out.append(report(ctx, "R04", [hit], 0.9, "出现本单位登记的涉密项目代号", evidence=mask("代号")))
    for hit in ctx.hits.get("secret_matter"):
        if ctx.overlaps(hit, "generic_secret") or ctx.inside(hit, "level_doc"):
            continue
        if ctx.in_sentence(hit, "secret_education") and not ctx.hits.near("content_talk", hit, 10, 40):
            continue
        talk = ctx.hits.near("content_talk", hit, 20, 60)
        if hit.term not in _GENERIC:
            talk += ctx.hits.near("content_talk_weak", hit, 5, 40)
        if (hit.term in _GENERIC or _FILMED.search(hit.term)) and not talk:
            continue  # a generic word, or a meeting/drill being filmed (that is R02)
        reasons = [f"谈论涉密事项「{hit.term}」" + ("及其内容" if talk else "")]
        out.append(report(ctx, "R04", [hit, *talk[:1]], 0.85 if talk else 0.75, reasons))
    # what a classified meeting or document was about
    for cat in ("secret_meeting", "level_doc"):
        for hit in ctx.hits.get(cat):
            if ctx.overlaps(hit, "generic_secret") or ctx.overlaps(hit, "everyday_secret"):
                continue
            talk = [t for t in ctx.hits.near("content_talk", hit, 5, 50) if t.start >= hit.start]
            if not talk:
                continue
            out.append(
                report(ctx, "R04", [hit, talk[0]], 0.75, [f"透露「{hit.term}」的内容（{talk[0].term}）"])
            )
    return out[:1]
