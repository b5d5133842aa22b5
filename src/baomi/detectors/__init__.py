"""Detectors, one module per rule family; importing this package registers them all."""

from baomi.detectors import (  # noqa: F401
    drafts,
    emergency,
    internal,
    itinerary,
    markings,
    matters,
    media,
    personal,
)
from baomi.detectors.base import REGISTRY

__all__ = ["REGISTRY"]
