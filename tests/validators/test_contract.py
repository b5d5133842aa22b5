"""Every validator answers a Validity for any string, and never raises."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import baomi.validators as v

VALIDATORS = [
    v.validate_id_card,
    v.validate_uscc,
    v.validate_bank_card,
    v.validate_mobile,
    v.validate_landline,
    v.validate_passport,
    v.validate_hk_macao_permit,
    v.validate_plate,
]


@pytest.mark.parametrize("validate", VALIDATORS, ids=lambda f: f.__name__)
@settings(max_examples=100, deadline=None)
@given(s=st.text(alphabet=st.characters(codec="utf-8"), max_size=30))
def test_any_text_gets_an_answer(validate, s: str) -> None:
    assert isinstance(validate(s), v.Validity)


def test_public_names_are_exported() -> None:
    assert all(hasattr(v, name) for name in v.__all__)
