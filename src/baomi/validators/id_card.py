"""Chinese resident ID numbers (GB 11643-1999)."""

from __future__ import annotations

import datetime as dt
import re
from enum import Enum

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
_PROVINCES = {
    11,
    12,
    13,
    14,
    15,
    21,
    22,
    23,
    31,
    32,
    33,
    34,
    35,
    36,
    37,
    41,
    42,
    43,
    44,
    45,
    46,
    50,
    51,
    52,
    53,
    54,
    61,
    62,
    63,
    64,
    65,
    71,
    81,
    82,
    83,
}


class Validity(Enum):
    VALID = "valid"
    INVALID = "invalid"
    UNKNOWN = "unknown"


def validate_id_card(value: str) -> Validity:
    s = re.sub(r"[\s-]", "", value).upper()
    if not re.fullmatch(r"\d{17}[\dX]", s):
        return Validity.INVALID
    if int(s[:2]) not in _PROVINCES:
        return Validity.INVALID
    try:
        born = dt.date(int(s[6:10]), int(s[10:12]), int(s[12:14]))
    except ValueError:
        return Validity.INVALID
    if not dt.date(1900, 1, 1) <= born <= dt.date.today():
        return Validity.INVALID
    total = sum(int(c) * w for c, w in zip(s[:17], _WEIGHTS, strict=True))
    return Validity.VALID if _CHECK[total % 11] == s[17] else Validity.INVALID
