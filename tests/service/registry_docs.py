"""Generated 公文-style pages for the registry tests (words chosen for the tests, shuffled
so that two pages share stock words but no long run of text)."""

from __future__ import annotations

import random

_TWO_CHAR_WORDS = (
    "应急物资储备调拨防汛值守项目资金口岸通关机房水库加固粮食轮换电力调度保障交通干线"
    "检修光缆迁改统筹核对整改督查排查验收台账牵头落实汇总进展经费专项列支批准提供乡镇"
    "街道园区片区水厂仓库车辆人员编组预案演练方案节点线路设备清单名册坐标库容泵站堤段"
    "闸门泄洪巡查通报考核问责部署衔接会商研判报送审核备案移交封存启用复核抽查盘点"
)
_WORDS = [_TWO_CHAR_WORDS[i : i + 2] for i in range(0, len(_TWO_CHAR_WORDS), 2)]
_PLACES = ["北岭", "石门", "东河", "青石湾", "西坪", "南台", "柳溪", "红岩", "白沙", "金牛", "龙泉",
           "桃源", "三江", "松林"]  # fmt: skip


def document(seed: int, items: int = 12) -> str:
    """One page of a made-up notice: numbered items of shuffled official words and figures."""
    rnd = random.Random(seed)
    lines = []
    for i in range(1, items + 1):
        words, tail = "".join(rnd.sample(_WORDS, 9)), "".join(rnd.sample(_WORDS, 4))
        lines.append(f"{i}．{rnd.choice(_PLACES)}{words}{rnd.randint(120, 9800)}处，{tail}。")
    return "\n".join(lines)
