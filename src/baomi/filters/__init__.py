"""Look-alike filters: named predicates that remove a candidate finding and say why.

Each filter names the rules it applies to and answers a Chinese reason when the candidate
is a look-alike (None when it is not). What they remove is kept for `baomi explain`.

| filter                  | rules                 | removes                                              |
|-------------------------|-----------------------|------------------------------------------------------|
| is_everyday_secret_word | R01 R02 R03 R04       | 商业机密, 小秘密, 秘密花园, a game's 机密任务          |
| is_fiction              | R01–R04 R09           | TV series, novels, games, textbook titles             |
| is_warning_case         | R01–R04 R06 R07 R10   | a published leak case retold as a warning (以案释法)   |
| is_marking_example      | R01 R03               | 保密宣传 explaining what 机密★10年 means               |
| is_rule_statement       | R01 R02 R04 R06 R07   | a prohibition quoted (不得…谈论涉密事项)              |
| is_published_document   | R03 R05 R06 R10       | a document stated as published (官网, 已公开, 见报)    |
| is_public_consultation  | R05                   | a draft open for public comment (公开征求意见)          |
| is_personal_draft       | R05                   | a thesis, an essay, a wedding speech                  |
| is_official_bulletin    | R08 F01 R10           | an emergency quoted from an authority with its source |
| is_drill                | R08 F01               | drills and simulations (演练, 模拟)                    |
| is_media_report         | R06 R09               | a leader's activity or 批示 reported by the media      |
| is_allow_listed         | all                   | phrases the organisation's policy allows              |
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from baomi.detectors.base import Candidate, Context, prohibited

Predicate = Callable[[Candidate, Context], str | None]


@dataclass(frozen=True)
class Filter:
    name: str
    rules: frozenset[str]
    predicate: Predicate

    def check(self, cand: Candidate, ctx: Context) -> str | None:
        if self.rules and cand.rule not in self.rules:
            return None
        return self.predicate(cand, ctx)


CATALOGUE: list[Filter] = []


def look_alike(name: str, rules: str = ""):
    def wrap(fn: Predicate) -> Predicate:
        CATALOGUE.append(Filter(name, frozenset(rules.split()), fn))
        return fn

    return wrap


def _sentence_has(ctx: Context, cand: Candidate, category: str) -> bool:
    return bool(ctx.in_sentence(cand.anchor, category))


@look_alike("is_everyday_secret_word", "R01 R02 R03 R04")
def is_everyday_secret_word(cand: Candidate, ctx: Context) -> str | None:
    hit = ctx.hits.near("everyday_secret", cand.anchor, 4, 4)
    if hit and not ctx.hits.has("star"):
        return f"日常用语「{hit[0].term}」，不是密级标志"
    return None


@look_alike("is_fiction", "R01 R02 R03 R04 R09")
def is_fiction(cand: Candidate, ctx: Context) -> str | None:
    hit = ctx.hits.near("fiction", cand.anchor, 30, 30)
    if hit and not ctx.hits.has("star"):
        return f"影视、小说、游戏等虚构内容（{hit[0].term}）"
    return None


@look_alike("is_warning_case", "R01 R02 R03 R04 R06 R07 R10")
def is_warning_case(cand: Candidate, ctx: Context) -> str | None:
    if ctx.hits.has("star"):
        return None  # a marking with its period is never only a case retold
    hit = ctx.hits.get("warning_case")
    if hit:
        return f"已公开的泄密警示案例（{hit[0].term}），不是在传播其中的内容"
    return None


@look_alike("is_marking_example", "R01 R03")
def is_marking_example(cand: Candidate, ctx: Context) -> str | None:
    explainers = {h.term for h in ctx.hits.get("marking_explainer")}
    if len(explainers) >= 2 and ctx.hits.near("marking_explainer", cand.anchor, 15, 15):
        return "保密宣传中对密级标志的举例说明"
    return None


@look_alike("is_rule_statement", "R01 R02 R04 R06 R07")
def is_rule_statement(cand: Candidate, ctx: Context) -> str | None:
    if cand.anchor.category == "level" or cand.anchor.term.endswith("★"):
        return None  # a real marking is never a rule statement
    hit = prohibited(ctx, cand.anchor)
    if hit:
        return f"引述保密规定（{hit.term}…），不是在传播涉密内容"
    return None


@look_alike("is_published_document", "R03 R05 R06 R10")
def is_published_document(cand: Candidate, ctx: Context) -> str | None:
    if ctx.hits.has("not_public", "internal_mark", "level_doc", "star") and cand.rule != "R10":
        return None
    hit = ctx.hits.near("published", cand.anchor, 60, 80)
    if hit:
        return f"所引文件已公开发布（{hit[0].term}）"
    return None


@look_alike("is_public_consultation", "R05")
def is_public_consultation(cand: Candidate, ctx: Context) -> str | None:
    hit = ctx.hits.near("public_consultation", cand.anchor, 40, 40) or ctx.hits.near(
        "published", cand.anchor, 40, 40
    )
    if hit and not ctx.hits.has("no_spread", "unfinished", "internal_mark"):
        return f"已公开征求意见的草案（{hit[0].term}）"
    return None


@look_alike("is_personal_draft", "R05")
def is_personal_draft(cand: Candidate, ctx: Context) -> str | None:
    hit = ctx.hits.near("personal_draft", cand.anchor, 20, 12)
    if hit:
        return f"个人文稿（{hit[0].term}），不是机关工作文稿"
    return None


@look_alike("is_official_bulletin", "R08 F01 R10")
def is_official_bulletin(cand: Candidate, ctx: Context) -> str | None:
    if ctx.hits.has("not_public", "internal_mark"):
        return None
    strong_hearsay = [
        h for h in ctx.hits.get("hearsay") if h.term not in ("转发扩散", "大家转发", "转发提醒")
    ]
    if strong_hearsay:
        return None
    hit = ctx.hits.get("authority")
    if hit:
        return f"引用有权机关已发布的信息（{hit[0].term}）"
    return None


@look_alike("is_drill", "R08 F01")
def is_drill(cand: Candidate, ctx: Context) -> str | None:
    hit = ctx.hits.near("drill", cand.anchor, 40, 40)
    if hit:
        return f"演练或模拟，不是真实突发事件（{hit[0].term}）"
    return None


@look_alike("is_media_report", "R06 R09")
def is_media_report(cand: Candidate, ctx: Context) -> str | None:
    if cand.rule == "R06" and cand.anchor.category != "leader_instruction":
        return None
    hit = ctx.hits.get("media_report")
    secret_detail = ctx.hits.has("internal_mark", "no_spread")
    if hit and not secret_detail:
        return f"领导活动已由媒体公开报道（{hit[0].term}）"
    return None


@look_alike("is_allow_listed")
def is_allow_listed(cand: Candidate, ctx: Context) -> str | None:
    hit = ctx.hits.near("allow_phrase", cand.anchor, 20, 20)
    if hit:
        return f"本单位策略允许的用语（{hit[0].term}）"
    return None


def apply_filters(
    cands: list[Candidate], ctx: Context
) -> tuple[list[Candidate], list[tuple[Candidate, str, str]]]:
    """Split candidates into kept ones and removed ones with (filter name, reason)."""
    kept, removed = [], []
    for cand in cands:
        for flt in CATALOGUE:
            reason = flt.check(cand, ctx)
            if reason:
                removed.append((cand, flt.name, reason))
                break
        else:
            kept.append(cand)
    return kept, removed
