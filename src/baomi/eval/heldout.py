"""Which lines of a real-text source are reserved for evaluation.

Every line of real Chinese text taken from a package or a public corpus is either
*training* or *reserved*, by a hash of its text with all whitespace removed (the
project-wide rule). Reserved lines measure false alarms on text the project has never
seen: nothing in the project trains, tunes, tests or mines cue words on them.
"""

from __future__ import annotations

import hashlib


def reserved(text: str) -> bool:
    """True when `text` belongs to the reserved evaluation half."""
    key = "".join(text.split()).encode("utf-8")
    return int(hashlib.sha1(key).hexdigest()[0], 16) >= 8
