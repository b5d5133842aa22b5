from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from baomi.validators import (
    IdKind,
    Sex,
    Validity,
    compact_id_card,
    id_card_check_char,
    parse_id_card,
    validate_id_card,
)
from tests.validators._make import make_id, make_id_ending_x, with_wrong_check

TODAY = date(2025, 6, 30)
VALID, INVALID, UNKNOWN = Validity.VALID, Validity.INVALID, Validity.UNKNOWN

CASES = [
    # positives
    ("resident", make_id("430102", "19900101", "123"), VALID),
    ("lower-case x", make_id_ending_x("110105", "19720315").lower(), VALID),
    ("leap day", make_id("320102", "20000229", "456"), VALID),
    ("first allowed day", make_id("650102", "19000101", "001"), VALID),
    ("born today", make_id("440305", "20250630", "002"), VALID),
    ("groups with spaces", "430102 19900101 " + make_id("430102", "19900101", "123")[14:], VALID),
    ("groups with hyphens", "430102-19900101-" + make_id("430102", "19900101", "123")[14:], VALID),
    (
        "full-width digits",
        make_id("510104", "19881111", "777").translate(
            str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")
        ),
        VALID,
    ),
    ("worked example of GB 11643-1999", "11010519491231002X", VALID),
    ("HK residence permit", make_id("810000", "19950505", "111"), VALID),
    ("Taiwan residence permit", make_id("830000", "19800808", "222"), VALID),
    ("foreign permanent resident 2023", make_id("911840", "19850102", "013"), VALID),
    ("first generation, 15 digits", "430102900101123", VALID),
    # look-alikes that must fail
    (
        "order number, check digit fails",
        with_wrong_check(make_id("430102", "19900101", "123")),
        INVALID,
    ),
    ("Feb 30 with a right check digit", make_id("430102", "19900230", "123"), INVALID),
    ("Feb 29 of a common year", make_id("430102", "19990229", "123"), INVALID),
    ("month 13", make_id("430102", "19901301", "123"), INVALID),
    ("order number starting 2024", make_id("202406", "19900101", "123"), INVALID),
    ("province 00", make_id("000000", "19900101", "123"), INVALID),
    ("province 99", make_id("990101", "19900101", "123"), INVALID),
    ("born 1880 (GB 11643 example)", "440524188001010014", INVALID),
    ("born tomorrow", make_id("430102", "20250701", "123"), INVALID),
    ("foreigner with a non-province issuing place", make_id("999840", "19850102", "013"), INVALID),
    ("17 digits", make_id("430102", "19900101", "123")[:17], INVALID),
    ("19 digits", make_id("430102", "19900101", "123") + "1", INVALID),
    ("X in the middle", "4301021990X1011234", INVALID),
    ("letters", "ABCDEFGHIJKLMNOPQR", INVALID),
    ("empty", "", INVALID),
    ("15 digits, month 13", "430102901301123", INVALID),
    ("15 digits, province 20", "200102900101123", INVALID),
    # cannot tell
    ("Taiwan province code 71", make_id("710101", "19900101", "123"), UNKNOWN),
    ("81 with a sub-code no permit uses", make_id("810101", "19900101", "123"), UNKNOWN),
]


@pytest.mark.parametrize(("label", "number", "expected"), CASES, ids=[c[0] for c in CASES])
def test_validate_id_card(label: str, number: str, expected: Validity) -> None:
    assert validate_id_card(number, today=TODAY) is expected


def test_future_date_against_real_today() -> None:
    assert validate_id_card(make_id("430102", "29990101", "123")) is Validity.INVALID


def test_check_char_matches_independent_computation() -> None:
    number = make_id("430102", "19900101", "123")
    assert id_card_check_char(number[:17]) == number[17]


def test_parse_resident() -> None:
    info = parse_id_card(make_id("430102", "19900101", "123"), today=TODAY)
    assert info is not None
    assert (info.kind, info.province_code, info.birth_date, info.sex) == (
        IdKind.RESIDENT, "43", date(1990, 1, 1), Sex.MALE,
    )  # fmt: skip


def test_parse_sex_from_even_sequence() -> None:
    info = parse_id_card(make_id("430102", "19900101", "124"), today=TODAY)
    assert info is not None and info.sex is Sex.FEMALE


@pytest.mark.parametrize(
    ("number", "kind", "province"),
    [
        ("430102900101123", IdKind.RESIDENT_15, "43"),
        (make_id("820000", "19950505", "111"), IdKind.HMT_RESIDENCE_PERMIT, "82"),
        (make_id("931156", "19850102", "014"), IdKind.FOREIGN_PERMANENT_RESIDENT, "31"),
    ],
)
def test_parse_kinds(number: str, kind: IdKind, province: str) -> None:
    info = parse_id_card(number, today=TODAY)
    assert info is not None and (info.kind, info.province_code) == (kind, province)


def test_parse_first_generation_date_is_in_1900s() -> None:
    info = parse_id_card("430102900101123", today=TODAY)
    assert info is not None and info.birth_date == date(1990, 1, 1)


@pytest.mark.parametrize("number", [make_id("710101", "19900101", "123"), "430102199002301230"])
def test_parse_returns_none_unless_valid(number: str) -> None:
    assert parse_id_card(number, today=TODAY) is None


def test_info_does_not_keep_the_number() -> None:
    number = make_id("430102", "19900101", "123")
    assert number not in repr(parse_id_card(number, today=TODAY))


def test_compact_joins_groups() -> None:
    assert compact_id_card(" 430102 19900101 1234 ") == "430102199001011234"
    assert compact_id_card("430102-19900101-1234") == "430102199001011234"


@settings(max_examples=200, deadline=None)
@given(
    seq=st.integers(0, 999),
    pos=st.integers(0, 16),
    delta=st.integers(1, 9),
)
def test_any_single_digit_error_is_caught(seq: int, pos: int, delta: int) -> None:
    number = make_id("430102", "19900101", f"{seq:03d}")
    changed = number[:pos] + str((int(number[pos]) + delta) % 10) + number[pos + 1 :]
    assert validate_id_card(changed, today=TODAY) is Validity.INVALID
