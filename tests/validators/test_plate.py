import pytest

from baomi.validators import Validity, validate_plate

VALID, INVALID, UNKNOWN = Validity.VALID, Validity.INVALID, Validity.UNKNOWN

CASES = [
    ("ordinary", "湘A12345", VALID),
    ("middle dot", "湘A·12345", VALID),
    ("space", "湘A 12345", VALID),
    ("two letters in serial", "京AB123C", VALID),
    ("lower-case letters", "粤b12a45", VALID),
    ("full-width", "沪Ａ１２３４５", VALID),
    ("small new-energy", "粤BD12345", VALID),
    ("small new-energy, letter second", "浙AFA1234", VALID),
    ("large new-energy", "苏E12345F", VALID),
    ("driving school", "湘A1234学", VALID),
    ("police", "湘A·1234警", VALID),
    ("letter I in serial", "湘A12I45", INVALID),
    ("city letter I", "湘I12345", INVALID),
    ("4 characters", "湘A1234", INVALID),
    ("7 characters", "湘A1234567", INVALID),
    ("not a mainland abbreviation", "台A12345", INVALID),
    ("no province", "AB12345", INVALID),
    ("6 digits", "湘A123456", INVALID),
    ("empty", "", INVALID),
    ("three letters in serial", "湘AABC12", UNKNOWN),
    ("new-energy with another letter", "湘AA12345", UNKNOWN),
]


@pytest.mark.parametrize(("label", "s", "expected"), CASES, ids=[c[0] for c in CASES])
def test_validate_plate(label: str, s: str, expected: Validity) -> None:
    assert validate_plate(s) is expected
