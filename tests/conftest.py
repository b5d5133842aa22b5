import pytest

from baomi import Reviewer

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def valid_id(body17: str) -> str:
    """A synthetic resident ID number with a correct check digit (never a real person's)."""
    total = sum(int(c) * w for c, w in zip(body17, _WEIGHTS, strict=True))
    return body17 + "10X98765432"[total % 11]


def broken_id(body17: str) -> str:
    """Same digits with a wrong check digit: an order number that looks like an ID."""
    good = valid_id(body17)[-1]
    return body17 + ("0" if good != "0" else "1")


@pytest.fixture(scope="session")
def reviewer() -> Reviewer:
    return Reviewer()
