import pytest

from baomi.validators import Validity, card_scheme, luhn_ok, validate_bank_card
from tests.validators._make import luhn_complete

VALID, INVALID, UNKNOWN = Validity.VALID, Validity.INVALID, Validity.UNKNOWN
UNIONPAY_19 = luhn_complete("622202123456789012")
UNIONPAY_16 = luhn_complete("621700123456789")

CASES = [
    ("UnionPay 19 digits", UNIONPAY_19, VALID),
    ("UnionPay 16 digits", UNIONPAY_16, VALID),
    (
        "UnionPay in groups of four",
        " ".join(UNIONPAY_19[i : i + 4] for i in range(0, 19, 4)),
        VALID,
    ),
    ("Visa", luhn_complete("411111000012345"), VALID),
    ("Mastercard 5x", luhn_complete("530000111122223"), VALID),
    ("Mastercard 2221-2720", luhn_complete("222100111122223"), VALID),
    ("JCB", luhn_complete("353000111122223"), VALID),
    ("Luhn fails", UNIONPAY_19[:-1] + str((int(UNIONPAY_19[-1]) + 1) % 10), INVALID),
    ("15 digits", luhn_complete("62220212345678"), INVALID),
    ("20 digits", luhn_complete("6222021234567890123"), INVALID),
    ("leading zero", "0000000000000000", INVALID),
    ("letters", "6222A21234567890", INVALID),
    ("Luhn passes, no known scheme", luhn_complete("955880123456789012"), UNKNOWN),
    ("order number passing Luhn", luhn_complete("202406151234567"), UNKNOWN),
]


@pytest.mark.parametrize(("label", "number", "expected"), CASES, ids=[c[0] for c in CASES])
def test_validate_bank_card(label: str, number: str, expected: Validity) -> None:
    assert validate_bank_card(number) is expected


def test_luhn_passes_one_completion_in_ten() -> None:
    """Why Luhn alone is weak: exactly one of the ten last digits passes."""
    assert sum(luhn_ok("62220212345678901" + d) for d in "0123456789") == 1


@pytest.mark.parametrize(
    ("number", "scheme"),
    [
        ("6222", "UnionPay"),
        ("4111", "Visa"),
        ("2720", "Mastercard"),
        ("2721", None),
        ("9558", None),
    ],
)
def test_card_scheme(number: str, scheme: str | None) -> None:
    assert card_scheme(number + "000000000000") == scheme
