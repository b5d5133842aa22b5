"""Table cases the learned model (issue 8) still gets wrong, kept visible rather than
deleted: each one must either pass or fail as a known miss (xfail). Remove a line when
retraining fixes it."""

import pytest

KNOWN_MISSES = {
    "电视剧里那个书记明天要去视察，演得真好": "fiction with a leader's coming visit: the model says R09",
}


def check(ok: bool, text: str, detail) -> None:
    """Assert `ok`, except for a known miss, which is reported as xfail."""
    if not ok and text in KNOWN_MISSES:
        pytest.xfail(KNOWN_MISSES[text])
    assert ok, detail
