"""Chinese citizen identity numbers (公民身份号码, GB 11643-1999).

Layout of the 18-character number: 6-digit address code (GB/T 2260), 8-digit
birth date (YYYYMMDD), 3-digit sequence (odd = male, even = female) and one
ISO 7064 MOD 11-2 check character (0-9 or X). First-generation cards carry
15 digits: address code, birth date as YYMMDD in the 1900s, 3-digit sequence,
no check digit.

The same layout is used by two other cards, accepted here as their own kinds:

* 港澳台居民居住证 (residence permits for Hong Kong, Macao and Taiwan residents,
  issued since 2018): address code 810000, 820000 or 830000.
* 外国人永久居留身份证, 2023 edition (National Immigration Administration,
  "新版外国人永久居留身份证机读信息规则", effective 2023-12-01): first digit 9,
  then the 2-digit province code of the issuing place, a 3-digit nationality
  code, and from there on the citizen layout (birth date in digits 7-14,
  MOD 11-2 check character).

Province codes (first two digits) follow GB/T 2260: the 31 mainland
provinces, plus 71 (台湾省), 81 (香港) and 82 (澳门). No mainland identity card is
issued with 71, so 71 answers UNKNOWN. 83 is not a GB/T 2260 province; it is
only the address code 830000 of Taiwan residents' residence permits. Below the
province level nothing is checked: region codes change every year and no table
is shipped, so a number whose province is real but whose county code no longer
(or never) existed still answers VALID. Treat VALID as "checksum, date and
province hold", not as "this person exists". A 15-digit number has no check
digit, so its VALID rests on date and province alone (about 1 random number in
100 passes): detectors should want more context for `IdKind.RESIDENT_15`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from baomi.validators._compact import compact
from baomi.validators.validity import Validity

# GB/T 2260 province-level codes of the mainland (华北 1x … 西北 6x).
MAINLAND_PROVINCES: dict[str, str] = {
    "11": "北京", "12": "天津", "13": "河北", "14": "山西", "15": "内蒙古",
    "21": "辽宁", "22": "吉林", "23": "黑龙江",
    "31": "上海", "32": "江苏", "33": "浙江", "34": "安徽",
    "35": "福建", "36": "江西", "37": "山东",
    "41": "河南", "42": "湖北", "43": "湖南", "44": "广东", "45": "广西", "46": "海南",
    "50": "重庆", "51": "四川", "52": "贵州", "53": "云南", "54": "西藏",
    "61": "陕西", "62": "甘肃", "63": "青海", "64": "宁夏", "65": "新疆",
}  # fmt: skip
# Address codes of the residence permits for Hong Kong, Macao and Taiwan residents.
HMT_RESIDENCE_PERMIT_CODES: dict[str, str] = {
    "810000": "香港",
    "820000": "澳门",
    "830000": "台湾",
}
# In GB/T 2260 (台湾省) but printed on no identity card: cannot tell.
_TAIWAN_PROVINCE = "71"

EARLIEST_BIRTH_DATE = date(1900, 1, 1)

_WEIGHTS = tuple(2 ** (17 - i) % 11 for i in range(17))  # 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2
_CHECK_CHARS = "10X98765432"  # indexed by (weighted sum mod 11)
_SHAPE_18 = re.compile(r"\d{17}[\dXx]")
_SHAPE_15 = re.compile(r"\d{15}")


class IdKind(StrEnum):
    RESIDENT = "resident"  # 居民身份证, 18 characters
    RESIDENT_15 = "resident_15"  # first-generation card, 15 digits
    HMT_RESIDENCE_PERMIT = "hmt_residence_permit"  # 港澳台居民居住证
    FOREIGN_PERMANENT_RESIDENT = "foreign_permanent_resident"  # 外国人永久居留身份证 (2023)


class Sex(StrEnum):
    MALE = "male"
    FEMALE = "female"


@dataclass(frozen=True, slots=True)
class IdCardInfo:
    """What a valid number tells about its holder (the number itself is not kept)."""

    kind: IdKind
    province_code: str  # for foreigners: the province that issued the card
    birth_date: date
    sex: Sex


def compact_id_card(s: str) -> str:
    """Join digit groups people write apart: "430111 19830417 2751" → "430111198304172751"."""
    return compact(s)


def id_card_check_char(body: str) -> str:
    """The ISO 7064 MOD 11-2 check character for 17 digits."""
    total = sum(int(c) * w for c, w in zip(body, _WEIGHTS, strict=True))
    return _CHECK_CHARS[total % 11]


def validate_id_card(s: str, *, today: date | None = None) -> Validity:
    """VALID, INVALID or UNKNOWN for a candidate ID number (separators allowed)."""
    return _inspect(s, today)[0]


def parse_id_card(s: str, *, today: date | None = None) -> IdCardInfo | None:
    """Birth date, sex and kind of a VALID number; None for anything else."""
    validity, info = _inspect(s, today)
    return info if validity is Validity.VALID else None


def _inspect(s: str, today: date | None) -> tuple[Validity, IdCardInfo | None]:
    number = compact_id_card(s).upper()
    if _SHAPE_18.fullmatch(number):
        if id_card_check_char(number[:17]) != number[17]:
            return Validity.INVALID, None
        birth = _birth_date(number[6:14], today)
        sex_digit = number[16]
    elif _SHAPE_15.fullmatch(number):
        birth = _birth_date("19" + number[6:12], today)
        sex_digit = number[14]
    else:
        return Validity.INVALID, None
    if birth is None:
        return Validity.INVALID, None
    validity, kind, province = _address(number)
    if kind is None:
        return validity, None
    sex = Sex.MALE if int(sex_digit) % 2 else Sex.FEMALE
    return validity, IdCardInfo(kind=kind, province_code=province, birth_date=birth, sex=sex)


def _address(number: str) -> tuple[Validity, IdKind | None, str]:
    """Classify the leading digits: which card, which province, and how sure."""
    head = number[:2]
    if len(number) == 15:
        if head in MAINLAND_PROVINCES:
            return Validity.VALID, IdKind.RESIDENT_15, head
        return (Validity.UNKNOWN if head == _TAIWAN_PROVINCE else Validity.INVALID), None, head
    if head in MAINLAND_PROVINCES:
        return Validity.VALID, IdKind.RESIDENT, head
    if number[0] == "9":
        issuing = number[1:3]
        if issuing in MAINLAND_PROVINCES:
            return Validity.VALID, IdKind.FOREIGN_PERMANENT_RESIDENT, issuing
        return Validity.INVALID, None, issuing
    if head in ("81", "82", "83"):
        if number[:6] in HMT_RESIDENCE_PERMIT_CODES:
            return Validity.VALID, IdKind.HMT_RESIDENCE_PERMIT, head
        return Validity.UNKNOWN, None, head  # right region, unknown sub-code
    if head == _TAIWAN_PROVINCE:
        return Validity.UNKNOWN, None, head
    return Validity.INVALID, None, head


def _birth_date(yyyymmdd: str, today: date | None) -> date | None:
    """A real date between 1900-01-01 and today, or None."""
    try:
        born = date(int(yyyymmdd[:4]), int(yyyymmdd[4:6]), int(yyyymmdd[6:8]))
    except ValueError:
        return None
    if not EARLIEST_BIRTH_DATE <= born <= (today or date.today()):
        return None
    return born
