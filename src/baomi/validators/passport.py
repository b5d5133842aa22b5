"""PRC passports and travel permits: shape checks only.

None of these numbers carries a check digit of its own, so a match says
"this has the shape of a document number", never more. Shapes in use today
answer VALID, older or unconfirmed ones UNKNOWN, anything else INVALID.

Sources (public notices of the Ministry of Public Security / National
Immigration Administration, as relayed by news sites):
* ordinary e-passport: E + 8 digits (2012); E + letter + 7 digits from
  EA0000001 on (2017), the letter never I or O; older ordinary passports G + 8
  digits; diplomatic DE, service SE, public-affairs PE + 7 digits.
* 往来港澳通行证 (mainland residents to HK/Macao), card type since 2014: C + 8 digits.
* 港澳居民来往内地通行证 (回乡证): H (Hong Kong) or M (Macao) + 8-digit lifelong
  number, on older cards followed by a 2-digit renewal count (11 characters).
Legacy or unconfirmed: D/P + 7 digits and S + 7-8 digits (pre-e-passport
official passports), 14/15 + 7 digits (old private passports), K + 8 digits
(HKSAR passport), MA + 7 digits (Macao SAR passport), C + letter + 7 digits
(assumed successor of the C series, by analogy with the E series).
台湾居民来往大陆通行证 (8 bare digits) is left out: nothing tells it from any number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from baomi.validators._compact import compact
from baomi.validators.validity import Validity

_L = "A-HJ-NP-Z"  # capitals without I and O


@dataclass(frozen=True, slots=True)
class DocumentShape:
    kind: str  # short Chinese name, for findings and tips
    pattern: re.Pattern[str]
    validity: Validity


PASSPORT_SHAPES: tuple[DocumentShape, ...] = (
    DocumentShape("普通护照", re.compile(r"E\d{8}"), Validity.VALID),
    DocumentShape("普通护照", re.compile(rf"E[{_L}]\d{{7}}"), Validity.VALID),
    DocumentShape("普通护照", re.compile(r"G\d{8}"), Validity.VALID),
    DocumentShape("外交/公务护照", re.compile(r"[DSP]E\d{7}"), Validity.VALID),
    DocumentShape("旧版护照", re.compile(r"[DP]\d{7}|S\d{7,8}|1[45]\d{7}"), Validity.UNKNOWN),
    DocumentShape("香港特区护照", re.compile(r"K\d{8}"), Validity.UNKNOWN),
    DocumentShape("澳门特区护照", re.compile(r"MA\d{7}"), Validity.UNKNOWN),
)
HK_MACAO_PERMIT_SHAPES: tuple[DocumentShape, ...] = (
    DocumentShape("往来港澳通行证", re.compile(r"C\d{8}"), Validity.VALID),
    DocumentShape("往来港澳通行证", re.compile(rf"C[{_L}]\d{{7}}"), Validity.UNKNOWN),
    DocumentShape("港澳居民来往内地通行证", re.compile(r"[HM]\d{8}(?:\d{2})?"), Validity.VALID),
)


def match_document(s: str, shapes: tuple[DocumentShape, ...]) -> DocumentShape | None:
    """The first shape the candidate matches in full (case and separators tolerated)."""
    number = compact(s).upper()
    return next((d for d in shapes if d.pattern.fullmatch(number)), None)


def validate_passport(s: str) -> Validity:
    """VALID, INVALID or UNKNOWN for a candidate PRC/SAR passport number."""
    shape = match_document(s, PASSPORT_SHAPES)
    return shape.validity if shape else Validity.INVALID


def validate_hk_macao_permit(s: str) -> Validity:
    """VALID, INVALID or UNKNOWN for a candidate HK/Macao travel-permit number."""
    shape = match_document(s, HK_MACAO_PERMIT_SHAPES)
    return shape.validity if shape else Validity.INVALID
