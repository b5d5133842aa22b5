"""R01 (classified documents) and R03 (titles and document numbers of classified documents).

A classified document announces itself: a level word (绝密/机密/秘密) with ★ and a period
(GB/T 9704), often a 6-digit 份号, then the issuing organ, the 文号 and a 关于…的通知 title.
Reproducing it (photo, typing, excerpt) is R01; naming its title or 文号 next to a
classification is R03.
"""

from __future__ import annotations

import re

from baomi.detectors.base import MEETING_AFTER, Candidate, Context, Reporter, detector, mask, prohibited
from baomi.match import Hit

report = Reporter("markings")

# How far (chars) a title/文号 may stand from the classification it is tied to.
TIE_BEFORE, TIE_AFTER = 30, 60
# A reproduced document header: the marking comes first, 文号 and title follow.
HEADER_SPAN = 200
# Bound the work a hostile text can cause: anchors looked at per category.
MAX_ANCHORS = 200
_NEGATED = re.compile(r"(?:不要|别|不能|不得|严禁|禁止|不可|勿)[^,。!?]{0,6}$|不$")
_BRACKET_LABEL = re.compile(r"^[(【\[]?(?:绝密|机密|秘密)(?:级|件)?[)】\],]")
_COMMERCIAL = re.compile(r"\s?(?:配方|秘方|口味|菜谱|卤|酱|攻略|美食|好物)")
_FILE_EXT = re.compile(r"\.(?:pdf|docx?|wps|ofd|xlsx?|pptx?|jpe?g|png|zip|rar|txt)\b")
_AV_EXT = re.compile(r"\.(?:mp4|m4a|mp3|amr|wav|mov|avi|silk|aac)\b")


def _inside_title(ctx: Context, hit: Hit) -> bool:
    """A level word inside a 《title》 or 关于…的通知 span, unless a star follows it: a full
    marking (机密★5年) is never a word of a title, wherever it stands."""
    if any(s.start in (hit.end, hit.end + 1) for s in ctx.hits.within("star", hit.end, hit.end + 2)):
        return False
    return any(t.start < hit.start and hit.end < t.end for t in ctx.hits.get("title"))


def marking_levels(ctx: Context) -> list[Hit]:
    """Level words that can be part of a marking: not inside a 《book title》 and not part
    of an everyday phrase (商业机密, 小秘密)."""
    return [
        h
        for h in ctx.hits.get("level")
        if not ctx.overlaps(h, "everyday_secret")
        and not ctx.overlaps(h, "generic_secret")
        and not _inside_title(ctx, h)
    ]


def star_markings(ctx: Context) -> list[tuple[Hit, Hit]]:
    """(level, star) pairs: 机密★10年, 机密级★, jm★5年 (the level right before the star)."""
    pairs = []
    for star in ctx.hits.get("star")[:MAX_ANCHORS]:
        for level in ctx.hits.within("level", star.start - 8, star.start):
            gap = ctx.text[level.end : star.start]
            if level.end <= star.start and gap in ("", "级", " "):
                pairs.append((level, star))
    return pairs


_OCR_PERIOD = re.compile(r"\s?(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s?年|\s?长期")


def ocr_markings(ctx: Context, levels: list[Hit]) -> list[tuple[Hit, Hit]]:
    """机密10年 in text read from an image: OCR often drops the small ★ of a marking.
    The period (matched here) stands in for the star hit."""
    if ctx.segment_media != "image":
        return []
    out = []
    for level in levels:
        m = _OCR_PERIOD.match(ctx.text, level.end)
        if m and not ctx.text.startswith("★", level.end):
            out.append((level, Hit("star", level.end, m.end(), "★" + m.group().strip())))
    return out


def _star_has_period(star: Hit) -> bool:
    return len(star.term) > 1


def _is_bracket_label(ctx: Context, level: Hit) -> bool:
    return bool(_BRACKET_LABEL.match(ctx.text[max(0, level.start - 1) : level.end + 3]))


_MAX_LABEL_GAP = 3
_LABEL_GAP = re.compile(rf"[\s,:;()\[\]【】〔〕-]{{0,{_MAX_LABEL_GAP}}}")
_LABEL_END = re.compile(r"(?:级|件)?(?![\u4e00-\u9fff])")


def _labels_a_document(ctx: Context, level: Hit, anchors: list[Hit]) -> bool:
    """A bare level word standing as the label of a 文号 or title right next to it:
    临政发〔2024〕3号 机密, 机密 《…》 (not 〔2024〕3号 机密会议, not a level inside a title)."""
    if not _LABEL_END.match(ctx.text, level.end):
        return False
    for anchor in anchors:
        if level.start - _MAX_LABEL_GAP <= anchor.end <= level.start:
            gap = ctx.text[anchor.end : level.start]
        elif level.end <= anchor.start <= level.end + _MAX_LABEL_GAP:
            gap = ctx.text[level.end : anchor.start]
        else:
            continue
        if _LABEL_GAP.fullmatch(gap):
            return True
    return False


def _reproduction_cues(ctx: Context, hit: Hit) -> list[Hit]:
    """Photo/typing/copy cues near `hit` that are not negated (不要…发原文)."""
    out = []
    lo, hi = ctx.sentence(hit)
    for cat, before, after in (("reproduce", 40, 60), ("image_cue", 40, 60)):
        for cue in ctx.hits.within(cat, max(lo, hit.start - before), min(hi, hit.end + after)):
            if not _NEGATED.search(ctx.text[max(0, cue.start - 10) : cue.start]):
                out.append(cue)
    return out


def _document_anchors(ctx: Context) -> list[Hit]:
    anchors = ctx.hits.get("doc_number") + ctx.hits.get("guanyu_title")
    anchors += [t for t in ctx.hits.get("title") if not _level_inside(ctx, t)]
    return anchors


def _level_inside(ctx: Context, title: Hit) -> bool:
    return any(title.start < h.start and h.end < title.end for h in ctx.hits.get("level"))


def _is_title_citation(ctx: Context, level: Hit) -> bool:
    """《title》(秘密★1年): the marking quoted after a title, i.e. a citation, not a copy."""
    return ctx.text[max(0, level.start - 2) : level.start] in ("》(", "》【", "》[")


_TRIGGERS = ("star", "level_doc", "level", "copy_number", "registered_doc", "doc_number")


@detector("markings", ("R01", "R03"), _TRIGGERS)
def detect_markings(ctx: Context) -> list[Candidate]:
    levels = marking_levels(ctx)
    full = star_markings(ctx) + ocr_markings(ctx, levels)
    out = _registered_documents(ctx)
    marked, found = _full_markings(ctx, full, set(levels))
    out += found
    anchors = _document_anchors(ctx)  # 文号 and titles, looked up once for both passes
    worded, found = _document_words(ctx, levels, full, anchors)
    out += found
    r01_levels = [c.anchor for c in out if c.rule == "R01"]
    out += _titles_and_numbers(ctx, anchors[:MAX_ANCHORS], (marked + worded)[:MAX_ANCHORS], r01_levels)
    return _dedupe(out)


def _registered_documents(ctx: Context) -> list[Candidate]:
    """A title or 文号 in the organisation's registry of classified documents."""
    out = []
    for hit in ctx.hits.get("registered_doc"):
        out.append(
            report(ctx, "R03", [hit], 0.95, "本单位登记的涉密文件标题或文号", evidence=mask("登记密件"))
        )
        if _reproduction_cues(ctx, hit) or ctx.has_visual:
            reason = "本单位登记的涉密文件被拍照、录入或摘抄"
            out.append(report(ctx, "R01", [hit], 0.9, reason, evidence=mask("登记密件")))
    return out


def _full_markings(
    ctx: Context, full: list[tuple[Hit, Hit]], levels: set[Hit]
) -> tuple[list[Hit], list[Candidate]]:
    """Level + ★ (+ period): R01, unless it is only quoted after a title (then R03 only).
    Returns the level hits (they make a nearby title an R03) and the R01 candidates."""
    marked, out = [], []
    for level, star in full:
        if level not in levels and not level.weak:
            continue
        after = ctx.text[star.end : star.end + 40]
        if _AV_EXT.search(after) or (not _star_has_period(star) and _COMMERCIAL.match(after)):
            continue  # a recording's name (R02), or 绝密★配方 in an advert
        if level.weak and not (
            _star_has_period(star)
            or ctx.has_visual
            or ctx.hits.near("title", star, 0, 4)
            or ctx.hits.near("doc_noun", star, 0, 1)
            or _reproduction_cues(ctx, level)
        ):
            continue  # a disguised level word needs a period, a photo, a document or a copy
        marked.append(level)
        if _is_title_citation(ctx, level) and not _reproduction_cues(ctx, level):
            continue
        reasons = [f"密级标志「{level.term}★」" + ("及保密期限" if _star_has_period(star) else "")]
        score = 0.95 if _star_has_period(star) else 0.85
        if ctx.hits.near("copy_number", level, 60, 60):
            reasons.append("附近有份号")
            score += 0.05
        if "red_header" in ctx.media:
            reasons.append("图片为红头文件")
            score += 0.05
        out.append(report(ctx, "R01", [level, star], score, reasons, evidence=mask(f"{level.term}★")))
    return marked, out


def _document_words(
    ctx: Context, levels: list[Hit], full: list[tuple[Hit, Hit]], anchors: list[Hit]
) -> tuple[list[Hit], list[Candidate]]:
    """Classified-document words (机密文件, 秘密级, 密件) and bracket labels (【机密】, （秘密）):
    R01 when photographed, typed out or sent as a file."""
    worded, out = [], []
    for hit in (ctx.hits.get("level_doc") + levels)[:MAX_ANCHORS]:
        if hit.category == "level" and not (
            _is_bracket_label(ctx, hit) or _labels_a_document(ctx, hit, anchors)
        ):
            continue
        if ctx.overlaps(hit, "everyday_secret") or _inside_title(ctx, hit):
            continue
        if hit.category == "level_doc" and hit.term == "密件" and ctx.inside(hit, "level_doc"):
            continue
        worded.append(hit)
        if any(abs(hit.start - lv.start) < 8 for lv, _ in full):
            continue  # already reported as a full marking
        if MEETING_AFTER.match(ctx.text, hit.end):
            continue  # 机密级的评审会: a classified meeting (R02/R04), not a document
        window = ctx.text[hit.start : hit.end + 40]
        sent_as_file = bool(_FILE_EXT.search(window)) and not _AV_EXT.search(window)
        cues = _reproduction_cues(ctx, hit)
        if not (cues or sent_as_file or (ctx.has_visual and hit.category == "level_doc")):
            continue
        reason = "以文件形式发送" if sent_as_file else "拍照/录入/摘抄"
        out.append(report(ctx, "R01", [hit, *cues[:1]], 0.8, f"涉密文件「{hit.term}」被{reason}"))
        if sent_as_file and hit.category == "level" and hit.start >= 4:
            # 督查情况报告（秘密）.pdf: the file name before the label is the title
            reason = "文件名即涉密文件标题，并标注密级"
            out.append(report(ctx, "R03", [hit], 0.85, reason, evidence=mask(f"文件名:{hit.term}")))
    return worded, out


def _titles_and_numbers(
    ctx: Context, anchors: list[Hit], classified: list[Hit], r01_levels: list[Hit]
) -> list[Candidate]:
    """R03: a title or 文号 tied to a classification, or readable in a copied header."""
    out = []
    for anchor in anchors:
        tie = next(
            (
                c
                for c in classified
                if not (c.category == "level_doc" and prohibited(ctx, c))  # 严禁传播涉密文件
                and anchor.start - TIE_BEFORE - (c.end - c.start) <= c.start
                and c.start <= anchor.end + TIE_AFTER
                and _same_stretch(ctx, c, anchor)
            ),
            None,
        )
        tied = tie or next((lv for lv in r01_levels if 0 <= anchor.start - lv.start <= HEADER_SPAN), None)
        if tied is None:
            if anchor.category == "doc_number" and _SECRET_NUMBER.search(anchor.term):
                reason = "文号带「密」字，是涉密文件的编号"
                out.append(report(ctx, "R03", [anchor], 0.9, reason, evidence=mask("文号:密字号")))
            continue
        kind = {"doc_number": "文号", "title": "标题", "guanyu_title": "标题"}[anchor.category]
        reason = f"涉密文件的{kind}与密级「{tied.term}」同时出现"
        out.append(report(ctx, "R03", [anchor, tied], 0.9, reason, evidence=mask(f"{kind}:{tied.term}")))
    return out


# The numbering of classified documents: 密 in the number (〔2024〕密5号) or closing the
# issuer's code (市委密发〔2024〕3号), not a secrecy office's own code (保密办发, 国保发).
_SECRET_NUMBER = re.compile(r"〕\s?[密秘]|(?<![保涉])密[发字电函]?\s?〔")


def _same_stretch(ctx: Context, a: Hit, b: Hit) -> bool:
    """No sentence end between the two hits (a list in brackets may run long)."""
    lo, hi = sorted((a.start, b.start))
    return not any(lo < br <= hi for br in ctx.sentence_breaks)


def _dedupe(cands: list[Candidate]) -> list[Candidate]:
    seen: set[tuple[str, int]] = set()
    out = []
    for c in cands:
        key = (c.rule, c.anchor.start)
        if key not in seen:
            seen.add(key)
            out.append(c)
    return out
