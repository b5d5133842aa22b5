"""Mainland China telephone numbers.

Mobile numbers: 11 digits, written whole or in 3-4-4 groups, with an optional
+86 / 0086 / 86 prefix. The number plan assigns these prefixes to carriers
(including virtual operators 170/171 and satellite 174):
13x, 145-149, 150-153, 155-159, 162, 165-167, 170-178, 18x, 190-193, 195-199.
Any other 1[3-9]x start answers UNKNOWN (unassigned today, maybe not tomorrow);
starts 10x-12x are not mobiles (INVALID).

Landlines, kept apart because they are mostly office numbers, not personal
data: area code 010, 02x or 0[3-9]xx, then a 7-8 digit local number starting
2-9, optionally an extension. A bare local number without area code answers
UNKNOWN: any 7-8 digit string looks like one.
"""

from __future__ import annotations

import re
import unicodedata

from baomi.validators.validity import Validity

_SEP = r"[\s\-]?"
_MOBILE = re.compile(rf"(?:(?:\+|00)?86{_SEP}|\(\+?86\)\s?)?(1\d{{2}}){_SEP}(\d{{4}}){_SEP}(\d{{4}})")
MOBILE_PREFIX = re.compile(r"1(?:3\d|4[5-9]|5[0-35-9]|6[2567]|7[0-8]|8\d|9[0-35-9])")

_AREA = r"(?:010|02\d|0[3-9]\d{2})"
_LOCAL = rf"[2-9]\d{{2,3}}{_SEP}\d{{4}}"
_EXTENSION = r"(?:(?:-|转|分机|ext\.?|x)\d{1,6})?"
_LANDLINE = re.compile(rf"(?:\({_AREA}\)\s?|{_AREA}{_SEP}){_LOCAL}{_EXTENSION}", re.IGNORECASE)
_LOCAL_ONLY = re.compile(rf"{_LOCAL}{_EXTENSION}", re.IGNORECASE)


def normalize_mobile(s: str) -> str | None:
    """The 11 digits of something shaped like a mobile number, or None."""
    m = _MOBILE.fullmatch(unicodedata.normalize("NFKC", s).strip())
    return "".join(m.groups()) if m else None


def validate_mobile(s: str) -> Validity:
    """VALID, INVALID or UNKNOWN for a candidate mobile number."""
    digits = normalize_mobile(s)
    if digits is None or digits[1] in "012":
        return Validity.INVALID
    return Validity.VALID if MOBILE_PREFIX.match(digits) else Validity.UNKNOWN


def validate_landline(s: str) -> Validity:
    """VALID, INVALID or UNKNOWN for a candidate landline ("0731-8888 8888", "(010)12345678")."""
    text = unicodedata.normalize("NFKC", s).strip()
    if _LANDLINE.fullmatch(text):
        return Validity.VALID
    return Validity.UNKNOWN if _LOCAL_ONLY.fullmatch(text) else Validity.INVALID
