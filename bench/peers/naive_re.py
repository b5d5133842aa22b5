"""Plain-Python baseline: one `re.search` per cue, the way a quick script would do it.

About 200 cues drawn from the rule catalogue (marking words, internal-use phrases,
draft words, key places, emergencies, hearsay words, leader titles with movement
verbs, personal-data patterns). No windows, no look-alike filters, no policy: it
only says which cues occur. The patterns are compiled once up front (a script
calling `re.search(cue, text)` would hit `re`'s cache anyway).
"""

from __future__ import annotations

import re

from bench.corpus_gen import BANK_CARD, CN_ID, MOBILE

_CUE_WORDS = """
绝密 机密 秘密 绝密★ 机密★ 秘密★ 内部★ 密级 保密期限 份号 定密 解密 涉密 密件 密电 密码电报
涉密文件 涉密资料 涉密载体 涉密会议 保密会议 涉密事项 涉密项目 涉密人员 涉密岗位 涉密信息
涉密计算机 涉密网络 涉密机房 涉密场所 涉密设备 涉密U盘 涉密笔记本 屏蔽机柜 机要室 保密室
机要局 档案室 指挥中心 监控中心 要害部位 要害部门 军事禁区 军事管理区
内部资料 内部文件 内部参考 仅供内部参考 内部通报 内部消息 内部传达 内部掌握 内部讨论
严禁外传 不得外传 请勿外传 先别外传 不要外传 不要转发 禁止转发 此件不公开 不予公开 不宜公开
暂不公开 尚未公开 未公开 不对外 注意保密 严格保密 保密纪律 传达范围 阅后即焚 看完删除 看完就删
讨论稿 征求意见稿 送审稿 审议稿 草案 初稿 修改稿 代拟稿 会签稿 未定稿 还没定 尚未印发 还没印发
正在研究 正在起草 拟任 拟提拔 拟调整 考察对象 干部考察 人事调整 任前公示 组织部
领导批示 领导指示 批示精神 讲话稿 会议纪要 会议记录 常委会 党组会 办公会 专题会 闭门会
突发事件 事故 爆炸 塌方 火灾 起火 透水 泄漏 伤亡 死亡 遇难 失联 受伤 疫情 确诊 疑似病例 密接
次密接 流调 排查名单 隔离 处置方案 应急预案 舆情 群体性事件 上访 信访 维稳 还没通报 尚未通报
未通报 还没发布 暂未发布 听说 据说 据传 小道消息 千真万确 转发扩散 扩散出去 速看 马上删
书记 市长 副市长 县长 区长 局长 副局长 厅长 部长 省长 主席 镇长 乡长 主任 秘书长 常委
调研 考察 视察 检查 陪同 行程 出行 路线 车队 警卫 到访 莅临 赴京 出访 接待方案
身份证 身份证号 证件号 户籍 住址 家庭住址 手机号 电话号码 联系方式 银行卡 卡号 开户行 病历
病历号 诊断 患者 病人 阳性 核酸 体检报告 征信 社保号 护照号 车牌号 工资条 个税 档案 政审
"""
_LITERALS = tuple(_CUE_WORDS.split())

_PATTERNS = (
    r"(?:绝密|机密|秘密)\s*★\s*(?:\d+年|长期)?",
    r"[〔\[(（]\d{4}[〕\])）]\s*\d+\s*号",
    r"《[^》]{2,40}》",
    r"[\u4e00-\u9fa5]{1,4}发\s*[〔\[]\d{4}[〕\]]\d+号",
    r"(?<!\d)[1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx](?!\d)",
    r"(?<!\d)1[3-9]\d(?:[- ]?\d{4}){2}(?!\d)",
    r"(?<!\d)(?:62|4\d|5[1-5])\d{2}(?:[ -]?\d{4}){3}(?:\d{3})?(?!\d)",
    r"(?:书记|市长|县长|区长|局长|部长)\S{0,10}(?:明天|后天|下周|\d+月\d+日)",
    r"(?:明天|后天|下周|\d+月\d+日)\S{0,12}(?:调研|考察|视察|检查)",
    r"(?:听说|据说)\S{0,20}(?:死|伤|爆炸|塌|火)",
)

CUES: tuple[str, ...] = tuple(re.escape(c) for c in _LITERALS) + _PATTERNS
_COMPILED = tuple(re.compile(c) for c in CUES)
# Indexes of the personal-data patterns, for the findings comparison.
_PII_INDEX = {len(_LITERALS) + 4: CN_ID, len(_LITERALS) + 5: MOBILE, len(_LITERALS) + 6: BANK_CARD}


class NaiveRegexPeer:
    name = "naive_re"
    cues = CUES

    def analyze(self, text: str) -> list[int]:
        """Indexes of the cues found in `text`, one `re.search` per cue."""
        return [i for i, rx in enumerate(_COMPILED) if rx.search(text)]

    @staticmethod
    def pii_kinds(hits: list[int]) -> set[str]:
        return {_PII_INDEX[i] for i in hits if i in _PII_INDEX}
