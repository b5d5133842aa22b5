"""Shared clean-up of a candidate before a validator looks at it."""

from __future__ import annotations

import re
import unicodedata

# Spaces and dashes written between groups of digits or letters: "430111 19830417 2751".
_GROUP_SEPARATORS = re.compile(r"(?<=[0-9A-Za-z])[\s\-‐‑–—]+(?=[0-9A-Za-z])")


def compact(s: str) -> str:
    """NFKC (full-width to half-width), trim, and drop separators between groups."""
    return _GROUP_SEPARATORS.sub("", unicodedata.normalize("NFKC", s).strip())
