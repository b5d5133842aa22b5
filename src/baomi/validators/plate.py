"""Chinese motor-vehicle plates (GA 36-2018), shape checks.

A plate is a province abbreviation, the issuing city's letter, an optional
separator ("湘A·12345", "湘A 12345") and a serial:
* ordinary: 5 characters, digits and letters without I and O (at most two
  letters on issued plates; more answers UNKNOWN);
* with a use suffix: 4 characters + 学 (driving school), 警 (police), 挂 (trailer),
  港 / 澳 (cross-border), 领 (consulate);
* new-energy, 6 characters: small cars D (electric) or F (hybrid) + 1 character
  + 4 digits, large vehicles 5 digits + D or F. Small-car serials starting with
  the other letters A-K, seen on some new plates, answer UNKNOWN.
Embassy (使), military and armed-police plates are out of scope (INVALID).
"""

from __future__ import annotations

import re

from baomi.validators._compact import compact
from baomi.validators.validity import Validity

PROVINCE_ABBREVIATIONS = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
_C = "0-9A-HJ-NP-Z"  # serial characters: digits and capitals without I and O

_PLATE = re.compile(rf"([{PROVINCE_ABBREVIATIONS}])([A-HJ-Z])[·•・.]?([{_C}学警挂港澳领]{{5,6}})")
_ORDINARY = re.compile(rf"[{_C}]{{5}}")
_SUFFIXED = re.compile(rf"[{_C}]{{4}}[学警挂港澳领]")
_NEW_ENERGY = re.compile(rf"[DF][{_C}]\d{{4}}|\d{{5}}[DF]")
_NEW_ENERGY_OTHER = re.compile(rf"[A-HJK][{_C}]\d{{4}}")


def validate_plate(s: str) -> Validity:
    """VALID, INVALID or UNKNOWN for a candidate plate ("湘A·12345", "粤BD12345")."""
    m = _PLATE.fullmatch(re.sub(r"\s+", "", compact(s)).upper())
    if m is None:
        return Validity.INVALID
    serial = m.group(3)
    if _ORDINARY.fullmatch(serial):
        letters = sum(c.isalpha() for c in serial)
        return Validity.VALID if letters <= 2 else Validity.UNKNOWN
    if _SUFFIXED.fullmatch(serial) or _NEW_ENERGY.fullmatch(serial):
        return Validity.VALID
    if _NEW_ENERGY_OTHER.fullmatch(serial):
        return Validity.UNKNOWN
    return Validity.INVALID
