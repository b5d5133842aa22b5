"""P01: personal information of other people obtained in official duties.

An ID number whose check digit holds is personal data by itself (unless it is an order
number or the sender's own). A name with a diagnosis or a sensitive status (低保, 上访),
or with two other attributes (phone, address, age), is too; so is a list of people
with contact data. A person's own phone number is not P01 (`is_own_contact`).
"""

from __future__ import annotations

import re

from baomi.detectors.base import Candidate, Context, Reporter, detector, mask
from baomi.match import Hit
from baomi.validators import Validity, validate_bank_card, validate_id_card

report = Reporter("personal_data")

_SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏"
    "薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常"
    "武乔贺赖龚文庞樊兰殷施陶洪翟安颜倪严牛温芦季俞章鲁葛伍韦申尤毕聂丛焦向柳邢路岳齐沿梅莫庄辛管祝"
    "左涂谷祁时舒耿牟卜詹关苗凌费纪靳盛童欧甄项曲成游阳裴席卫查屈鲍位覃霍翁隋植甘景薄单包司柏宁柯阮"
    "桂闵解强柴华车冉房边"
)
_NAME = re.compile(
    rf"(?:(?<=[\s,:;、。.!?(（“，：；！？]|[叫是为的人者告象民众个])|^)[{_SURNAMES}][\u4e00-\u9fff]{{1,2}}"
    r"(?=[\s,:;、。!?)(（”，：；！？）]|[男女家住身电手]|\d|$)"
)
_HONORIFIC = re.compile(
    rf"[{_SURNAMES}](?:老师|阿姨|叔叔|师傅|大爷|大妈|奶奶|爷爷|大姐|大哥|先生|女士|老板|校长|经理)"
)
_NOT_NAME_TAIL = re.compile(
    r"(?:某|先生|女士|老师|医生|同学|阿姨|叔叔|师傅|书记|局长|主任|科长|社区|小区|街道|村|镇|县|市|区)$"
)
# Characters that never end a personal name: function words, counters, illness words.
_NOT_IN_NAME = set(
    "性病症的了是在有和与见个们这那不也都就要会说到者里么吗呢吧啊着过被把从对为以及等其之所可能没很还又再已因而或但年月日时分号元万亿岁次种类些"
)
_FAMILY = re.compile(r"我(?:爸|妈|爷爷|奶奶|外公|外婆|老公|老婆|儿子|女儿|家)|外公|外婆|姥姥|姥爷")
_EPIDEMIC = {"确诊", "阳性", "疑似"}
ATTRIBUTE_CATEGORIES = ("mobile", "address", "age", "id_number")


def names_near(ctx: Context, hit: Hit, before: int = 25, after: int = 25) -> list[str]:
    """Name-like tokens near `hit`, read in the ORIGINAL text: separator removal in the
    normalised view glues a name to its neighbours (七(3)班 黄子轩 父亲)."""
    lo, hi = ctx.norm.to_original(max(0, hit.start - before), min(len(ctx.text), hit.end + after))
    window = ctx.norm.original[lo:hi]
    return [
        m.group()
        for m in _NAME.finditer(window)
        if not _NOT_NAME_TAIL.search(m.group())
        and not _NOT_IN_NAME.intersection(m.group()[1:])
        and m.group()[1] != m.group()[0]
    ]


def _own(ctx: Context, hit: Hit) -> bool:
    return bool(ctx.hits.near("own_contact", hit, 20, 30))  # 这是我的病历 may follow the data


def _order_number(ctx: Context, hit: Hit) -> bool:
    return bool(ctx.hits.near("order_label", hit, 10, 0))


@detector("personal_data", ("P01",), ("id_number", "diagnosis", "mobile", "bank_card", "address"))
def detect_personal(ctx: Context) -> list[Candidate]:
    out = []
    for hit in ctx.hits.get("id_number"):
        validity = validate_id_card(hit.term)
        if validity is Validity.INVALID or _order_number(ctx, hit) or _own(ctx, hit):
            continue
        out.append(
            report(
                ctx,
                "P01",
                [hit],
                0.95 if validity is Validity.VALID else 0.7,
                "他人身份证号（校验位有效）" if validity is Validity.VALID else "疑似他人身份证号",
                evidence=mask("身份证号"),
            )
        )
    if out:
        return out[:1]
    duty = ctx.hits.has("duty")
    cards = [
        (h, v)
        for h in ctx.hits.get("bank_card")
        if (v := validate_bank_card(h.term)) is not Validity.INVALID
        and not _own(ctx, h)
        and not _order_number(ctx, h)
    ]
    for hit, validity in cards:
        labelled = ctx.hits.near("card_label", hit, 8, 0)
        if (labelled or validity is Validity.VALID) and (
            names_near(ctx, hit, 20, 5) or duty or len(cards) >= 2
        ):
            return [
                report(
                    ctx, "P01", [hit], 0.85, "他人银行卡号（校验有效）及姓名或名单", evidence=mask("银行卡号")
                )
            ]
    # an address counts as an anchor only inside a work context (a named person's home)
    anchors = ctx.hits.get("diagnosis") + ctx.hits.get("mobile") + (ctx.hits.get("address") if duty else [])
    for hit in anchors:
        if hit.category == "mobile" and (_own(ctx, hit) or _order_number(ctx, hit)):
            continue
        names = names_near(ctx, hit)
        if not names and duty and hit.category == "diagnosis":
            # a patient told apart by surname and role (周老师, 王阿姨) is identifiable too
            names = _HONORIFIC.findall(ctx.window(hit, 40, 10))
        person = names or (hit.category != "address" and ctx.hits.near("person_ref", hit, 25, 10))
        if not person:
            continue
        attrs = {c for c in ATTRIBUTE_CATEGORIES if ctx.hits.near(c, hit, 30, 30)}
        if hit.category in ("mobile", "address"):
            attrs.add(hit.category)
        sensitive = hit.category == "diagnosis" or bool(ctx.hits.near("diagnosis", hit, 30, 30))
        if _FAMILY.search(ctx.window(hit, 20, 10)) and not duty:
            continue
        contact = attrs & {"mobile", "id_number"}
        # a named person tested positive: the epidemic-era leak, whoever tells it
        epidemic = names and any(h.term in _EPIDEMIC for h in [hit, *ctx.hits.near("diagnosis", hit, 30, 30)])
        if epidemic:
            duty = True
        if not ((sensitive and duty) or (contact and len(attrs) >= 2) or (duty and attrs)):
            continue
        what = "、".join(
            ["姓名"] * bool(names)
            + (["健康/敏感状况"] if sensitive else [])
            + sorted(
                {"mobile": "手机号", "address": "住址", "age": "年龄", "id_number": "证件号"}[a]
                for a in attrs
            )
        )
        out.append(
            report(ctx, "P01", [hit], 0.8, f"工作中获取的他人个人信息（{what}）", evidence=mask("个人信息"))
        )
        break
    return out
