"""Build valid test identifiers by computing their check characters.

Written independently of the code under test (literal weight tables), so a
wrong constant in the library does not make its own tests pass. No number
here belongs to a known person: all are assembled from made-up parts.
"""

from __future__ import annotations

ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]


def make_id(region: str, birth: str, seq: str) -> str:
    """An 18-character ID from a 6-digit region, YYYYMMDD and a 3-digit sequence."""
    body = region + birth + seq
    assert len(body) == 17 and body.isdigit()
    remainder = sum(int(c) * w for c, w in zip(body, ID_WEIGHTS, strict=True)) % 11
    return body + "10X98765432"[remainder]


def make_id_ending_x(region: str, birth: str) -> str:
    """An 18-character ID whose check character is X."""
    for n in range(1000):
        number = make_id(region, birth, f"{n:03d}")
        if number.endswith("X"):
            return number
    raise AssertionError("no sequence gives X")


def with_wrong_check(number: str) -> str:
    """The same number with another check character."""
    return number[:-1] + ("0" if number[-1] != "0" else "1")


def make_uscc(body: str) -> str:
    """An 18-character credit code from its first 17 characters."""
    assert len(body) == 17
    total = sum(USCC_CHARS.index(c) * w for c, w in zip(body, USCC_WEIGHTS, strict=True))
    return body + USCC_CHARS[(31 - total % 31) % 31]


def luhn_complete(partial: str) -> str:
    """Append the Luhn check digit to a digit string."""
    for d in "0123456789":
        candidate = partial + d
        digits = [int(c) for c in reversed(candidate)]
        total = sum(digits[0::2]) + sum(sum(divmod(2 * x, 10)) for x in digits[1::2])
        if total % 10 == 0:
            return candidate
    raise AssertionError("unreachable")
