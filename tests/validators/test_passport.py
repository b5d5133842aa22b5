import pytest

from baomi.validators import Validity, validate_hk_macao_permit, validate_passport

VALID, INVALID, UNKNOWN = Validity.VALID, Validity.INVALID, Validity.UNKNOWN

PASSPORT_CASES = [
    ("E + 8 digits", "E12345678", VALID),
    ("E + letter + 7 digits", "EA1234567", VALID),
    ("lower case", "e12345678", VALID),
    ("with a space", "E1234 5678", VALID),
    ("G + 8 digits", "G12345678", VALID),
    ("diplomatic DE", "DE1234567", VALID),
    ("service SE", "SE1234567", VALID),
    ("E + I is never issued", "EI1234567", INVALID),
    ("E + O is never issued", "EO1234567", INVALID),
    ("E + 7 digits", "E1234567", INVALID),
    ("E + 9 digits", "E123456789", INVALID),
    ("other letter", "A12345678", INVALID),
    ("empty", "", INVALID),
    ("old diplomatic", "D1234567", UNKNOWN),
    ("old private 14", "141234567", UNKNOWN),
    ("HKSAR", "K12345678", UNKNOWN),
    ("Macao SAR", "MA1234567", UNKNOWN),
]


@pytest.mark.parametrize(("label", "s", "expected"), PASSPORT_CASES, ids=[c[0] for c in PASSPORT_CASES])
def test_validate_passport(label: str, s: str, expected: Validity) -> None:
    assert validate_passport(s) is expected


PERMIT_CASES = [
    ("往来港澳通行证", "C12345678", VALID),
    ("回乡证 Hong Kong", "H12345678", VALID),
    ("回乡证 Macao", "M12345678", VALID),
    ("回乡证 with renewal count", "H1234567801", VALID),
    ("C + 7 digits", "C1234567", INVALID),
    ("C + I", "CI1234567", INVALID),
    ("H + 9 digits", "H123456789", INVALID),
    ("a passport is not a permit", "E12345678", INVALID),
    ("C + letter", "CA1234567", UNKNOWN),
]


@pytest.mark.parametrize(("label", "s", "expected"), PERMIT_CASES, ids=[c[0] for c in PERMIT_CASES])
def test_validate_hk_macao_permit(label: str, s: str, expected: Validity) -> None:
    assert validate_hk_macao_permit(s) is expected
