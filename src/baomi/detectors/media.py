"""R02 (classified recordings, videos, photos) and R07 (photos/videos of key secrecy
places and classified equipment).

Both need two things together: something secret (a classified meeting, a 机要室, a
涉密计算机) and a picture or a recording of it (an attachment, a [视频] placeholder, a
caption that says 拍/录/视频).
"""

from __future__ import annotations

import re

from baomi.detectors.base import MEETING_AFTER, Candidate, Context, Reporter, detector

report_key_places = Reporter("key_places")
report_recordings = Reporter("recordings")

_FILMABLE = re.compile(r"演练|试验|装备|会议|测试")
_AV_FILE = re.compile(r"\.(?:mp4|m4a|mp3|amr|wav|mov|avi|silk|aac)\b")


@detector("recordings", ("R02",), ("secret_meeting", "level", "secret_matter", "level_doc"))
def detect_recordings(ctx: Context) -> list[Candidate]:
    out = []
    anchors = [h for h in ctx.hits.get("secret_meeting") if not ctx.overlaps(h, "generic_secret")]
    # a meeting named classified (机密级的评审会)
    anchors += [h for h in ctx.hits.get("level_doc") if MEETING_AFTER.match(ctx.text, h.end)]
    # a classified drill, test or piece of equipment being filmed (涉密演练, 涉密装备测试)
    anchors += [h for h in ctx.hits.get("secret_matter") if _FILMABLE.search(h.term)]
    # a level word in the name of an audio/video file: 【机密】调度会录音.m4a
    anchors += [
        h
        for h in ctx.hits.get("level")
        if _AV_FILE.search(ctx.text[h.end : h.end + 40]) and not ctx.overlaps(h, "everyday_secret")
    ]
    for hit in anchors:
        cues = ctx.hits.near("av_cue", hit, 50, 60) + ctx.hits.near("image_cue", hit, 50, 40)
        if not cues and not (ctx.has_recording or ctx.has_visual):
            continue
        what = cues[0].term if cues else "附带的音视频/图片"
        out.append(
            report_recordings(
                ctx, "R02", [hit, *cues[:1]], 0.85, f"涉密会议/活动「{hit.term}」的录音录像或照片（{what}）"
            )
        )
    return out[:1] if out else out


@detector("key_places", ("R07",), ("key_place",))
def detect_key_places(ctx: Context) -> list[Candidate]:
    out = []
    for hit in ctx.hits.get("key_place"):
        if ctx.overlaps(hit, "generic_secret"):
            continue
        cues = ctx.hits.near("image_cue", hit, 40, 40) + ctx.hits.near("av_cue", hit, 40, 40)
        if not cues and not ctx.has_visual:
            continue
        what = cues[0].term if cues else "附带的图片/视频"
        out.append(
            report_key_places(
                ctx,
                "R07",
                [hit, *cues[:1]],
                0.85,  # a conjunction, not a precise sign: the model may turn it down
                f"要害部门部位或涉密设备「{hit.term}」的照片/视频（{what}）",
            )
        )
    return out[:1]
