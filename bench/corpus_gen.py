"""Deterministic generator of realistic Chinese work and family chat messages.

Everything here is written for the benchmark (templates x slot fillers); nothing is
taken from the evaluation corpus. The same seed always gives the same messages, so
every engine in a benchmark run reads exactly the same text.

- `ChatGenerator(seed).messages(n)`: chat messages, mostly clean everyday talk
  (meals, kids, weather, shopping, meeting notices, reminders, holidays, forms),
  about 2% clean look-alikes (own phone number, order numbers, 保密协议 …) and
  about 3% with something to find (密级 marking, ID number with a valid check digit,
  a list of people with mobile numbers, 内部资料 严禁外传, a leader's future
  itinerary, a 涉密机房 photo caption, hearsay about an accident, bank cards).
- `long_text(seed, n_chars)`: one message of exactly `n_chars` characters.
- `long_document(seed, n_bytes)`: concatenated notices of exactly `n_bytes` UTF-8
  bytes (or one less, when a 3-byte character would not fit).

Run `python -m bench.corpus_gen --n 20 --out -` to look at a sample.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections.abc import Iterator
from dataclasses import dataclass

# PII kinds planted by the generator, the ones Presidio can express too.
CN_ID = "cn_id"
MOBILE = "mobile"
BANK_CARD = "bank_card"
PII_KINDS = (CN_ID, MOBILE, BANK_CARD)

POSITIVE_RATE = 0.03
LOOKALIKE_RATE = 0.02


@dataclass(frozen=True, slots=True)
class ChatMessage:
    """One generated message; `kind` says which template family made it and `pii`
    lists the personal-data kinds planted in its text (for the findings comparison)."""

    id: str
    text: str
    channel: str
    kind: str
    pii: tuple[str, ...] = ()

    @property
    def positive(self) -> bool:
        return not self.kind.startswith(("clean", "lookalike"))

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "channel": self.channel,
            "text": self.text,
            "kind": self.kind,
            "pii": list(self.pii),
        }


# --------------------------------------------------------------------------- fillers

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶"
    "程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺"
)
GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红梅鑫波斌"
    "宇浩凯健俊帆旭宁林欣佳琳雪琪晨阳楠涵萱诺远博文雨辰诗雅志建国庆春兰"
)
KID_NAMES = ("乐乐", "豆豆", "果果", "朵朵", "天天", "小宝", "大宝", "二宝", "糖糖", "安安", "球球", "鹏鹏")
UNIT_TITLES = ("主任", "科长", "老师", "处长", "姐", "哥", "师傅", "总")
LEADER_TITLES = ("书记", "市长", "副市长", "县长", "区长", "局长", "副局长", "主任", "部长", "镇长")
PLACE_PREFIX = (
    "城东",
    "河西",
    "南湖",
    "青山",
    "石桥",
    "柳林",
    "东港",
    "新华",
    "花园",
    "北关",
    "清水",
    "白沙",
    "金山",
    "杨庄",
    "凤凰",
    "长安",
    "团结",
    "幸福",
    "和平",
    "梅岭",
)
PLACE_SUFFIX = ("街道", "社区", "镇", "村", "小区", "工业园", "乡", "片区")
ROOMS = ("三楼会议室", "二号会议室", "多功能厅", "五楼小会议室", "党员活动室", "报告厅", "一楼大厅")
OFFICES = ("办公室", "综合科", "财务科", "人事科", "党建办", "工会", "后勤处", "档案室")
DISHES = (
    "红烧肉",
    "酸菜鱼",
    "火锅",
    "饺子",
    "麻辣烫",
    "番茄炒蛋",
    "烤鸭",
    "馄饨",
    "米线",
    "小龙虾",
    "炸酱面",
    "排骨汤",
    "凉皮",
    "烧烤",
    "包子",
    "炒饭",
)
STORES = ("超市", "菜市场", "楼下便利店", "商场", "水果店", "药店", "面包店")
ITEMS = ("鸡蛋", "牛奶", "车厘子", "大米", "洗衣液", "纸巾", "西瓜", "酸奶", "猪肉", "青菜")
FORMS = (
    "年度考核表",
    "体检登记表",
    "个税专项扣除信息",
    "学习笔记",
    "述职报告",
    "值班表",
    "报销单",
    "培训报名表",
    "固定资产清单",
    "党费缴纳表",
    "志愿服务登记表",
)
TASKS = ("网上学习", "安全培训答题", "问卷填报", "台账整理", "卫生大扫除", "资料归档")
SCHOOL_EVENTS = (
    "得了小红花",
    "运动会跑了第一",
    "开家长会",
    "背会了一首诗",
    "数学考了满分",
    "感冒请假了",
    "要交春游的钱",
    "换了新同桌",
)
PARKS = ("湿地公园", "动物园", "科技馆", "游乐场", "图书馆", "植物园", "江边")
WEATHER = ("下雨", "降温", "大风", "有雾", "很热", "下雪", "晴天")
HOLIDAYS = ("春节", "清明", "五一", "端午", "中秋", "国庆", "元旦")
EMOJI = (
    "😂",
    "👍",
    "🙏",
    "😄",
    "🌹",
    "❤️",
    "🎉",
    "😭",
    "🤣",
    "👌",
    "💪",
    "☀️",
    "🍲",
    "🎂",
    "😊",
    "🤝",
    "[强]",
    "[抱拳]",
    "[玫瑰]",
    "[捂脸]",
    "[呲牙]",
)
ENDINGS = ("", "", "", "。", "！", "！！", "~", "～", "…", "。。。", "哈", "哈哈", "呀", "哦", "啊")
SHORT_REPLIES = (
    "收到",
    "好的",
    "收到👌",
    "好的好的",
    "👍",
    "嗯嗯",
    "辛苦了🙏",
    "哈哈哈哈",
    "谢谢",
    "马上",
    "OK",
    "可以",
    "没问题",
    "我也去",
    "在路上了",
    "稍等",
    "[强][强]",
    "收到，谢谢！",
    "明白",
    "同意",
    "已交",
    "已完成",
    "好滴~",
    "晚安🌙",
    "在吗？",
)
CLASS_LEVELS = ("绝密", "机密", "秘密")
CLASS_PERIODS = ("5年", "10年", "20年", "30年", "长期", "1年")
DOC_TOPICS = (
    "经济运行分析",
    "安全生产检查",
    "人员编制调整",
    "重点项目推进",
    "防汛工作",
    "干部考察",
    "国土空间规划",
    "信访维稳工作",
    "财政预算执行",
)
ACCIDENTS = (
    "化工厂爆炸了",
    "隧道塌方了",
    "大桥出事了",
    "一辆大巴翻了",
    "矿上透水了",
    "仓库起大火了",
    "楼塌了",
)
# Area codes of real administrative divisions (format only; the people are invented).
AREA_CODES = (
    "110101",
    "110105",
    "120103",
    "310104",
    "310115",
    "320106",
    "330106",
    "340104",
    "350203",
    "370202",
    "410105",
    "420106",
    "430104",
    "440106",
    "440305",
    "500103",
    "510107",
    "610113",
    "130102",
    "210203",
)
BANK_PREFIXES = ("622202", "622848", "621700", "622588", "621226", "623668", "622609")

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"


def id_check_digit(first17: str) -> str:
    """GB 11643 MOD 11-2 check character for the first 17 digits of an ID number."""
    return ID_CHECK[sum(int(d) * w for d, w in zip(first17, ID_WEIGHTS, strict=True)) % 11]


def luhn_check_digit(body: str) -> str:
    """The Luhn digit that makes `body + digit` pass the Luhn check."""
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch)
        if i % 2 == 0:  # these digits are doubled once the check digit is appended
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return str((10 - total % 10) % 10)


def luhn_ok(digits: str) -> bool:
    """True when a card number's last digit is its Luhn check digit."""
    return len(digits) > 1 and luhn_check_digit(digits[:-1]) == digits[-1]


class ChatGenerator:
    """Seeded source of chat messages and long texts. Not thread-safe (one RNG)."""

    def __init__(self, seed: int = 20240) -> None:
        self.rng = random.Random(seed)

    # ------------------------------------------------------------------ small fillers
    def pick(self, seq):
        return seq[self.rng.randrange(len(seq))]

    def name(self) -> str:
        r = self.rng
        given = "".join(self.pick(GIVEN) for _ in range(1 if r.random() < 0.4 else 2))
        return self.pick(SURNAMES) + given

    def colleague(self) -> str:
        r = self.rng.random()
        if r < 0.3:
            return self.pick(SURNAMES) + self.pick(UNIT_TITLES)
        if r < 0.5:
            return ("老" if self.rng.random() < 0.5 else "小") + self.pick(SURNAMES)
        return self.name()

    def place(self) -> str:
        return self.pick(PLACE_PREFIX) + self.pick(PLACE_SUFFIX)

    def address(self) -> str:
        r = self.rng
        return f"{self.place()}{r.randint(1, 40)}栋{r.randint(1, 6)}单元{r.randint(1, 28)}0{r.randint(1, 4)}"

    def time(self) -> str:
        r = self.rng
        day = self.pick(("今天", "明天", "后天", "周一", "周三", "周五", "下周二", "这周六", "今晚"))
        part = self.pick(("上午", "下午", "晚上", "中午", ""))
        hour = r.randint(7, 11) if part in ("上午", "") else r.randint(1, 8)
        half = self.pick(("点", "点半", ":30", "点", ":00"))
        return f"{day}{part}{hour}{half}"

    def future_time(self) -> str:
        r = self.rng
        return self.pick(
            (
                f"明天{self.pick(('上午', '下午'))}",
                f"下周{self.pick('一二三四五')}",
                f"{r.randint(1, 12)}月{r.randint(1, 28)}日",
                f"后天{r.randint(8, 10)}点",
            )
        )

    def date(self) -> str:
        return f"{self.rng.randint(1, 12)}月{self.rng.randint(1, 28)}日"

    def amount(self) -> str:
        r = self.rng
        return self.pick(
            (
                f"{r.randint(5, 300)}元",
                f"{r.randint(5, 200)}块",
                f"{r.randint(1, 9)}.{r.randint(1, 9)}万",
                f"每人{r.randint(2, 20)}0",
            )
        )

    def mobile(self) -> str:
        r = self.rng
        digits = self.pick(("13", "15", "18", "17", "19")) + "".join(str(r.randrange(10)) for _ in range(9))
        if r.random() < 0.15:  # some people type it grouped
            return f"{digits[:3]} {digits[3:7]} {digits[7:]}"
        return digits

    def cn_id(self) -> str:
        r = self.rng
        first17 = (
            self.pick(AREA_CODES) + f"{r.randint(1950, 2015)}{r.randint(1, 12):02d}"
            f"{r.randint(1, 28):02d}{r.randint(0, 999):03d}"
        )
        return first17 + id_check_digit(first17)

    def bank_card(self) -> str:
        r = self.rng
        length = self.pick((16, 19))
        body = self.pick(BANK_PREFIXES) + "".join(str(r.randrange(10)) for _ in range(length - 7))
        return body + luhn_check_digit(body)

    def order_number(self) -> str:
        """18 digits that look like an ID number but fail its check digit or date."""
        r = self.rng
        while True:
            digits = "".join(str(r.randrange(10)) for _ in range(18))
            if digits[0] != "0" and digits[-1] != id_check_digit(digits[:17]):
                return digits

    def tail(self) -> str:
        r = self.rng
        end = self.pick(ENDINGS)
        if r.random() < 0.3:
            end += self.pick(EMOJI) * (1 if r.random() < 0.7 else 2)
        return end

    # ------------------------------------------------------------------ clean templates
    def clean_family(self) -> str:
        r, p = self.rng, self.pick
        choices = (
            lambda: f"{p(('妈', '爸', '老公', '老婆', '宝贝'))}，我{self.time()}回家吃饭",
            lambda: f"晚上吃{p(DISHES)}还是{p(DISHES)}？",
            lambda: f"{p(KID_NAMES)}今天在学校{p(SCHOOL_EVENTS)}",
            lambda: f"谁去接一下{p(KID_NAMES)}？我{self.time()}还有事走不开",
            lambda: f"{p(STORES)}今天{p(ITEMS)}打折，才{self.amount()}，要不要帮你带点",
            lambda: f"{p(DISHES)}做好了，快回来吃",
            lambda: f"明天{p(WEATHER)}，最低{r.randint(-5, 20)}度，大家出门多注意",
            lambda: f"周末带{p(KID_NAMES)}去{p(PARKS)}玩，有一起的吗",
            lambda: "快递到了，放门卫那儿了，下班记得拿",
            lambda: f"这个月物业费{self.amount()}，交了没有",
            lambda: f"祝{p(('妈妈', '爸爸', '奶奶', '外公', '舅舅'))}生日快乐🎂身体健康",
            lambda: f"{p(HOLIDAYS)}回不回老家？车票我来抢",
            lambda: f"群里谁有{p(PARKS)}的优惠券，{p(KID_NAMES)}吵着要去",
            lambda: f"{self.place()}那边新开了一家{p(DISHES)}，味道还不错，人均{self.amount()}",
            lambda: f"{p(KID_NAMES)}发烧了，{self.time()}带他去医院看看",
            lambda: f"今天步数{r.randint(3, 25)}000步，{p(('累死了', '腿都走断了', '继续加油'))}",
            lambda: f"{p(('外婆', '奶奶', '姑姑'))}寄来的{p(ITEMS)}收到了，替我谢谢她",
            lambda: f"下周{p('一二三四五')}家长会，你去还是我去",
            lambda: f"拼单买{p(ITEMS)}，{self.amount()}一箱，要的接龙：\n1. {self.name()} 2箱",
            lambda: (
                f"小区{p(('停水', '停电', '电梯维修'))}通知：{self.date()}"
                f"{r.randint(8, 14)}点到{r.randint(15, 18)}点，请提前做好准备"
            ),
        )
        return p(choices)() + self.tail()

    def clean_work(self) -> str:
        r, p = self.rng, self.pick
        choices = (
            lambda: (
                f"各位同事，{self.time()}在{p(ROOMS)}开"
                f"{p(('周例会', '学习会', '协调会', '工作部署会'))}，请准时参加"
            ),
            lambda: f"请各科室于{self.date()}前把{p(FORMS)}交到{p(OFFICES)}",
            lambda: f"{p(FORMS)}的模板已经发群里了，大家按要求填写",
            lambda: f"提醒：{self.date()}前完成{p(TASKS)}，还没完成的抓紧",
            lambda: f"{self.colleague()}，帮我打印一下{p(FORMS)}，谢谢",
            lambda: f"今天食堂有{p(DISHES)}",
            lambda: f"{p(ROOMS)}空调坏了，下午的会改到{p(ROOMS)}",
            lambda: f"报销单据{self.date()}前交{p(OFFICES)}，过期不候",
            lambda: f"{self.colleague()}在吗？{p(FORMS)}还差你一份",
            lambda: f"{p(HOLIDAYS)}放假安排：{self.date()}至{self.date()}放假调休，共{r.randint(3, 8)}天",
            lambda: f"工会发{p(ITEMS)}了，每人一份，去{p(OFFICES)}领",
            lambda: f"{self.colleague()}请假一天，{p(FORMS)}的事找{self.colleague()}",
            lambda: f"车辆{self.time()}在楼下集合，去{self.place()}开展志愿服务",
            lambda: f"明天体检，早上空腹，{r.randint(7, 8)}点半在{p(('一楼大厅', '门口', '停车场'))}集合",
            lambda: f"系统{self.time()}升级，请提前保存好{p(FORMS)}",
            lambda: f"{self.colleague()}，{p(TASKS)}的链接再发一下，找不到了",
        )
        return p(choices)() + self.tail()

    def notice(self) -> str:
        """A long public-style notice of a few hundred characters (clean)."""
        r, p = self.rng, self.pick
        topic = p(
            (
                "消防安全检查",
                "年度健康体检",
                "工会春季活动",
                "义务植树活动",
                "文明城市创建",
                "节假日值班",
                "垃圾分类宣传",
                "办公用品领用",
                "无偿献血",
            )
        )
        items = [
            f"时间安排：{self.date()}至{self.date()}，每天{r.randint(8, 9)}:00开始",
            f"参加人员：{p(OFFICES)}、{p(OFFICES)}全体人员，{self.colleague()}负责签到",
            f"地点：{p(ROOMS)}，{self.place()}设分会场",
            f"请各科室于{self.date()}前将{p(FORMS)}报{p(OFFICES)}，逾期视为放弃",
            f"活动期间请注意安全，{p(('穿运动鞋', '自带水杯', '不要迟到', '保持手机畅通'))}",
            f"联系人：{self.colleague()}，办公电话"
            f"{r.randint(6, 8)}{r.randint(100, 999)}{r.randint(1000, 9999)}",
            f"费用由{p(OFFICES)}统一结算，每人标准不超过{self.amount()}",
            f"{p(('天气预报有雨', '近期气温较高', '路面施工'))}，请大家合理安排出行",
            f"未尽事宜另行通知，有问题可在群里{p(('留言', '@我', '私信'))}",
        ]
        r.shuffle(items)
        nums = "一二三四五六七八九"
        body = "；\n".join(f"{nums[i]}、{t}" for i, t in enumerate(items[: r.randint(4, 8)]))
        return (
            f"【通知】关于开展{topic}的通知\n各位同事：为做好{topic}工作，"
            f"现将有关事项通知如下：\n{body}。\n{p(OFFICES)} {self.date()}"
        )

    # ------------------------------------------------------------------ look-alikes
    def lookalike(self) -> tuple[str, str, tuple[str, ...]]:
        r, p = self.rng, self.pick
        k = r.randrange(6)
        if k == 0:
            return (
                "lookalike:own_mobile",
                f"我换号了，新号码{self.mobile()}，大家存一下{self.tail()}",
                (MOBILE,),
            )
        if k == 1:
            return ("lookalike:order_number", f"订单号{self.order_number()}，帮我查下到哪了{self.tail()}", ())
        if k == 2:
            return (
                "lookalike:everyday_secret",
                f"{p(('闺蜜的小秘密', '这是我们俩的秘密', '秘密花园涂色书'))}，"
                f"{p(('不告诉你', '到货了', '哈哈'))}{self.tail()}",
                (),
            )
        if k == 3:
            return (
                "lookalike:game",
                f"游戏里抽到了{p(('机密档案', '绝密任务', '秘密武器'))}皮肤{self.tail()}",
                (),
            )
        if k == 4:
            return (
                "lookalike:contract",
                f"入职要签保密协议和劳动合同，{self.date()}带身份证原件{self.tail()}",
                (),
            )
        return ("lookalike:thesis", f"{p(KID_NAMES)}的毕业论文初稿写完了，导师说还要改{self.tail()}", ())

    # ------------------------------------------------------------------ positives
    def positive(self) -> tuple[str, str, tuple[str, ...]]:
        r, p = self.rng, self.pick
        k = r.randrange(8)
        if k == 0:
            mark = f"{p(CLASS_LEVELS)}★{p(CLASS_PERIODS)}"
            return (
                "marking",
                p(
                    (
                        f"这份{p(DOC_TOPICS)}的文件右上角标着{mark}，我拍了发你看看",
                        f"刚收到的{mark}材料，关于{p(DOC_TOPICS)}的，大家先看下{self.tail()}",
                        f"[图片] {mark} 关于{p(DOC_TOPICS)}的报告（第{r.randint(1, 9)}页）",
                    )
                ),
                (),
            )
        if k == 1:
            return (
                "id_number",
                f"排查名单：{self.name()}，身份证号{self.cn_id()}，住{self.address()}，"
                f"{p(('密接', '次密接', '发热待查', '已隔离'))}",
                (CN_ID,),
            )
        if k == 2:
            n = r.randint(3, 6)
            rows = "\n".join(f"{i + 1}. {self.name()} {self.mobile()} {self.address()}" for i in range(n))
            return (
                "mobile_list",
                f"今天{p(('入户走访', '核酸未检', '重点人员'))}名单如下：\n{rows}\n请各网格员核实",
                (MOBILE,),
            )
        if k == 3:
            return (
                "internal",
                p(
                    (
                        f"《{p(DOC_TOPICS)}情况汇编》是内部资料，严禁外传，大家看完就删",
                        f"这是会上的讲话稿，仅供内部参考，不要转发{self.tail()}",
                    )
                ),
                (),
            )
        if k == 4:
            return (
                "leader_itinerary",
                f"{self.future_time()}{p(SURNAMES)}{p(LEADER_TITLES)}到{self.place()}"
                f"{p(('调研', '考察', '检查'))}{p(DOC_TOPICS)}，各单位提前准备好汇报材料",
                (),
            )
        if k == 5:
            return (
                "secret_room",
                f"[图片] {p(('涉密机房', '机要室', '保密室'))}新"
                f"{p(('机柜', '空调', '门禁'))}装好了，"
                f"拍给你们看看{self.tail()}",
                (),
            )
        if k == 6:
            return (
                "hearsay",
                f"听说{self.place()}那边{p(ACCIDENTS)}，"
                f"{p(('死了好几个人', '伤了十几个', '还在救'))}，"
                f"内部消息，还没通报，先别外传",
                (),
            )
        return (
            "bank_card",
            f"补贴发放名单：{self.name()} 卡号{self.bank_card()}，{self.name()} 卡号{self.bank_card()}",
            (BANK_CARD,),
        )

    # ------------------------------------------------------------------ streams
    def one(self, idx: int) -> ChatMessage:
        r = self.rng
        u = r.random()
        if u < POSITIVE_RATE:
            kind, text, pii = self.positive()
            channel = self.pick(("work_group", "external_group", "moments", "direct"))
            return ChatMessage(f"g{idx:07d}", text, channel, kind, pii)
        if u < POSITIVE_RATE + LOOKALIKE_RATE:
            kind, text, pii = self.lookalike()
            return ChatMessage(f"g{idx:07d}", text, self.pick(("external_group", "direct")), kind, pii)
        v = r.random()
        if v < 0.22:
            text, channel = self.pick(SHORT_REPLIES), self.pick(("work_group", "external_group"))
        elif v < 0.94:
            work = r.random() < 0.5
            text = self.clean_work() if work else self.clean_family()
            if r.random() < 0.12:  # two thoughts in one message
                text += self.pick(("，", "。", "！", " ")) + (
                    self.clean_work() if work else self.clean_family()
                )
            channel = (
                self.pick(("work_group", "direct"))
                if work
                else self.pick(("external_group", "direct", "moments"))
            )
        else:
            text, channel = self.notice(), "work_group"
        return ChatMessage(f"g{idx:07d}", text, channel, "clean")

    def messages(self, n: int) -> Iterator[ChatMessage]:
        for i in range(n):
            yield self.one(i)


def chat_corpus(n: int, seed: int = 20240) -> list[ChatMessage]:
    """`n` chat messages; the same (n, seed) always gives the same list."""
    return list(ChatGenerator(seed).messages(n))


def long_text(n_chars: int, seed: int) -> str:
    """Exactly `n_chars` characters of chat and notices, findings at the chat rate."""
    gen = ChatGenerator(seed)
    parts: list[str] = []
    size = i = 0
    while size < n_chars:
        m = gen.one(i)
        parts.append(m.text)
        size += len(m.text) + 1
        i += 1
    return "\n".join(parts)[:n_chars]


def long_document(n_bytes: int, seed: int = 7) -> str:
    """A long document of concatenated notices, with chat-rate findings mixed in,
    cut to at most `n_bytes` UTF-8 bytes on a character boundary."""
    gen = ChatGenerator(seed)
    parts: list[str] = []
    size = i = 0
    while size < n_bytes:
        text = gen.notice() if gen.rng.random() < 0.5 else gen.one(i).text
        parts.append(text)
        size += len(text.encode()) + 1
        i += 1
    raw = "\n".join(parts).encode()[:n_bytes]
    return raw.decode("utf-8", errors="ignore")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=200_000, help="number of chat messages")
    ap.add_argument("--seed", type=int, default=20240)
    ap.add_argument("--out", default="-", help="JSONL file, or - for stdout")
    args = ap.parse_args(argv)
    out = sys.stdout if args.out == "-" else open(args.out, "w", encoding="utf-8")  # noqa: SIM115
    try:
        for m in ChatGenerator(args.seed).messages(args.n):
            out.write(json.dumps(m.to_dict(), ensure_ascii=False) + "\n")
    finally:
        if out is not sys.stdout:
            out.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
