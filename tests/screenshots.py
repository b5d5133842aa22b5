"""Where the browser tests save their screenshots: a temporary folder, or the folder named
by BAOMI_SCREENSHOT_DIR (`BAOMI_SCREENSHOT_DIR=docs/screenshots make test` refreshes the
README's pictures), so that a test run leaves the work tree as it was."""

from __future__ import annotations

import os
import tempfile
from functools import cache
from pathlib import Path


@cache
def screenshot_dir() -> Path:
    folder = os.environ.get("BAOMI_SCREENSHOT_DIR")
    path = Path(folder).resolve() if folder else Path(tempfile.mkdtemp(prefix="baomi-screenshots-"))
    path.mkdir(parents=True, exist_ok=True)
    return path
