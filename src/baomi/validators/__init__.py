"""Validators for the identifiers of rule P01 (personal information).

Each answers with a `Validity`: VALID, INVALID or UNKNOWN ("cannot tell").
They judge one candidate string; finding candidates in text is the detectors' job.
"""

from baomi.validators.bank_card import card_scheme, luhn_ok, validate_bank_card
from baomi.validators.id_card import (
    IdCardInfo,
    IdKind,
    Sex,
    compact_id_card,
    id_card_check_char,
    parse_id_card,
    validate_id_card,
)
from baomi.validators.passport import validate_hk_macao_permit, validate_passport
from baomi.validators.phone import normalize_mobile, validate_landline, validate_mobile
from baomi.validators.plate import validate_plate
from baomi.validators.uscc import uscc_check_char, validate_uscc
from baomi.validators.validity import Validity

__all__ = [
    "IdCardInfo",
    "IdKind",
    "Sex",
    "Validity",
    "card_scheme",
    "compact_id_card",
    "id_card_check_char",
    "luhn_ok",
    "normalize_mobile",
    "parse_id_card",
    "uscc_check_char",
    "validate_bank_card",
    "validate_hk_macao_permit",
    "validate_id_card",
    "validate_landline",
    "validate_mobile",
    "validate_passport",
    "validate_plate",
    "validate_uscc",
]
