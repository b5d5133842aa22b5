"""The three answers every validator gives."""

from __future__ import annotations

from enum import StrEnum


class Validity(StrEnum):
    """What a validator can say about a candidate string.

    Like the `True` / `False` / `None` of presidio's `validate_result`:
    VALID raises confidence, INVALID drops the candidate, UNKNOWN ("cannot
    tell") leaves the decision to context (nearby words, the channel).
    """

    VALID = "valid"
    INVALID = "invalid"
    UNKNOWN = "unknown"
