"""Unified Social Credit Codes (统一社会信用代码, GB 32100-2015).

18 characters from a 31-character set (digits and capitals without I O Z S V):
registration authority (1), organisation category (1), administrative region
code (6 digits, GB/T 2260), organisation code (9, GB 11714) and a check
character. Check: weights 3**i mod 31, check = (31 - sum mod 31) mod 31.

The registration-authority codes known here are those of GB 32100 Table 1 and
later assignments (1 机构编制, 2 外交, 3 司法行政, 4 文化, 5 民政, 6 旅游, 7 宗教,
8 工会, 9 市场监管/工商, A 中央军委改革和编制办公室, N 农业, Y 其他). A code whose
check character holds but whose first character is none of these answers
UNKNOWN: a new authority may have been assigned since.
"""

from __future__ import annotations

import re

from baomi.validators._compact import compact
from baomi.validators.validity import Validity

USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_VALUE = {c: i for i, c in enumerate(USCC_CHARSET)}
_WEIGHTS = tuple(3**i % 31 for i in range(17))  # 1 3 9 27 19 26 16 17 20 29 25 13 8 24 10 30 28
_SHAPE = re.compile(rf"[{USCC_CHARSET}]{{2}}\d{{6}}[{USCC_CHARSET}]{{10}}")
KNOWN_AUTHORITIES = frozenset("123456789ANY")


def uscc_check_char(body: str) -> str:
    """The check character for the first 17 characters of a code."""
    total = sum(_VALUE[c] * w for c, w in zip(body, _WEIGHTS, strict=True))
    return USCC_CHARSET[(31 - total % 31) % 31]


def validate_uscc(s: str) -> Validity:
    """VALID, INVALID or UNKNOWN for a candidate credit code (case and separators tolerated)."""
    code = compact(s).upper()
    if not _SHAPE.fullmatch(code) or uscc_check_char(code[:17]) != code[17]:
        return Validity.INVALID
    return Validity.VALID if code[0] in KNOWN_AUTHORITIES else Validity.UNKNOWN
