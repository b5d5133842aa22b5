import pytest

from baomi.validators import Validity, normalize_mobile, validate_landline, validate_mobile

VALID, INVALID, UNKNOWN = Validity.VALID, Validity.INVALID, Validity.UNKNOWN

MOBILE_CASES = [
    ("plain", "13812345678", VALID),
    ("3-4-4 with spaces", "138 1234 5678", VALID),
    ("3-4-4 with hyphens", "138-1234-5678", VALID),
    ("+86", "+86 138 1234 5678", VALID),
    ("0086", "0086-13812345678", VALID),
    ("86 glued", "8613812345678", VALID),
    ("(+86)", "(+86)13812345678", VALID),
    ("full-width", "１３８１２３４５６７８", VALID),
    ("145", "14512345678", VALID),
    ("166", "16612345678", VALID),
    ("170 virtual operator", "17012345678", VALID),
    ("191", "19112345678", VALID),
    ("199", "19912345678", VALID),
    ("starts 12", "12345678901", INVALID),
    ("starts 10", "10086123456", INVALID),
    ("10 digits", "1381234567", INVALID),
    ("12 digits", "138123456789", INVALID),
    ("groups not 3-4-4", "1381 234 5678", INVALID),
    ("trailing letter", "13812345678a", INVALID),
    ("empty", "", INVALID),
    ("140 (IoT range)", "14012345678", UNKNOWN),
    ("154 unassigned", "15412345678", UNKNOWN),
    ("160 unassigned", "16012345678", UNKNOWN),
    ("179 unassigned", "17912345678", UNKNOWN),
    ("194 unassigned", "19412345678", UNKNOWN),
]


@pytest.mark.parametrize(("label", "s", "expected"), MOBILE_CASES, ids=[c[0] for c in MOBILE_CASES])
def test_validate_mobile(label: str, s: str, expected: Validity) -> None:
    assert validate_mobile(s) is expected


def test_normalize_mobile() -> None:
    assert normalize_mobile("+86 138-1234-5678") == "13812345678"
    assert normalize_mobile("138 12 345678") is None


LANDLINE_CASES = [
    ("Beijing", "010-62345678", VALID),
    ("Changsha 8 digits", "0731-88888888", VALID),
    ("7-digit local", "(0731)8888888", VALID),
    ("spaces", "021 6234 5678", VALID),
    ("extension", "0755-26123456转8001", VALID),
    ("no separator", "02062345678", VALID),
    ("local starting 1", "010-12345678", INVALID),
    ("local starting 0", "010-01234567", INVALID),
    ("area 013 does not exist", "0131-2345678", INVALID),
    ("a mobile is not a landline", "13812345678", INVALID),
    ("400 service number", "4008123456", INVALID),
    ("too short", "0731-234", INVALID),
    ("local only", "62345678", UNKNOWN),
    ("local only with hyphen", "6234-5678", UNKNOWN),
]


@pytest.mark.parametrize(("label", "s", "expected"), LANDLINE_CASES, ids=[c[0] for c in LANDLINE_CASES])
def test_validate_landline(label: str, s: str, expected: Validity) -> None:
    assert validate_landline(s) is expected
