"""Table cases the learned model (issue 8) still gets wrong, kept visible rather than
deleted: each one must either pass or fail as a known miss (xfail). Remove a line when
retraining fixes it."""

import pytest

_RULE_STATEMENT = (
    "再次提醒：根据《关于规范工作群使用管理的通知》（宁办发〔2025〕12号），严禁在工作群传播涉密文件，请各科室转告"
)
KNOWN_MISSES = {
    "电视剧里那个书记明天要去视察，演得真好": "fiction with a leader's coming visit: the model says R09",
    "参与了一项涉密任务，等解密了再和大家分享😎": "涉密任务 told in passing: below the R04 threshold",
    _RULE_STATEMENT: "no 文号 is tied to a 涉密文件 in a rule statement, but the model alone gives R03 0.54 "
    "(threshold 0.50)",
}


def check(ok: bool, text: str, detail) -> None:
    """Assert `ok`, except for a known miss, which is reported as xfail."""
    if not ok and text in KNOWN_MISSES:
        pytest.xfail(KNOWN_MISSES[text])
    assert ok, detail
