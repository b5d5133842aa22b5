"""Bank card numbers (PAN, ISO/IEC 7812): 16-19 digits with a Luhn check digit.

Luhn alone is weak evidence: one random digit string in ten passes it. So a
number that passes Luhn answers VALID only when its leading digits belong to a
card scheme listed below (UnionPay first, as most cards in China are); with
any other start it answers UNKNOWN. A Luhn failure, a wrong length or a
leading 0 (no issuer numbers start with 0) answers INVALID.
"""

from __future__ import annotations

import re

from baomi.validators._compact import compact
from baomi.validators.validity import Validity

# (first prefix, last prefix, scheme), compared on the same number of leading digits.
CARD_SCHEMES: tuple[tuple[str, str, str], ...] = (
    ("62", "62", "UnionPay"),
    ("4", "4", "Visa"),
    ("51", "55", "Mastercard"),
    ("2221", "2720", "Mastercard"),
    ("3528", "3589", "JCB"),
    ("6011", "6011", "Discover"),
    ("644", "649", "Discover"),
    ("65", "65", "Discover"),
)
_SHAPE = re.compile(r"[1-9]\d{15,18}")


def luhn_ok(digits: str) -> bool:
    """True when a digit string passes the Luhn (mod 10) check."""
    total = 0
    for i, c in enumerate(reversed(digits)):
        d = int(c)
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def card_scheme(digits: str) -> str | None:
    """The card scheme whose prefix range holds these leading digits, if any."""
    for low, high, scheme in CARD_SCHEMES:
        if low <= digits[: len(low)] <= high:
            return scheme
    return None


def validate_bank_card(s: str) -> Validity:
    """VALID, INVALID or UNKNOWN for a candidate card number ("6222 0212 …" tolerated)."""
    digits = compact(s)
    if not _SHAPE.fullmatch(digits) or not luhn_ok(digits):
        return Validity.INVALID
    return Validity.VALID if card_scheme(digits) else Validity.UNKNOWN
