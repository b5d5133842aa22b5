"""Identifier validators with three answers (valid / invalid / cannot tell)."""

from baomi.validators.id_card import Validity, validate_id_card

__all__ = ["Validity", "validate_id_card"]
