import pytest

from baomi.validators import Validity, uscc_check_char, validate_uscc
from tests.validators._make import make_uscc

VALID, INVALID, UNKNOWN = Validity.VALID, Validity.INVALID, Validity.UNKNOWN
COMPANY = make_uscc("91430100MA4L12345")
SOCIAL_ORG = make_uscc("51110000500012345")
WRONG = COMPANY[:-1] + ("0" if COMPANY[-1] != "0" else "1")

CASES = [
    ("company (9)", COMPANY, VALID),
    ("social organisation (5)", SOCIAL_ORG, VALID),
    ("lower case", COMPANY.lower(), VALID),
    ("grouped with spaces", f"{COMPANY[:8]} {COMPANY[8:]}", VALID),
    ("other authority (Y)", make_uscc("Y1110000ABCDEFGH1"), VALID),
    ("check character fails", WRONG, INVALID),
    ("contains I", COMPANY[:9] + "I" + COMPANY[10:], INVALID),
    ("contains O", COMPANY[:10] + "O" + COMPANY[11:], INVALID),
    ("letter in the region code", make_uscc("9143010AMA4L12345"), INVALID),
    ("17 characters", COMPANY[:17], INVALID),
    ("18-digit order number", "202406151234567890", INVALID),
    ("empty", "", INVALID),
    ("unknown authority B", make_uscc("B1430100MA4L12345"), UNKNOWN),
]


@pytest.mark.parametrize(("label", "code", "expected"), CASES, ids=[c[0] for c in CASES])
def test_validate_uscc(label: str, code: str, expected: Validity) -> None:
    assert validate_uscc(code) is expected


def test_check_char_matches_independent_computation() -> None:
    assert uscc_check_char(COMPANY[:17]) == COMPANY[17]
