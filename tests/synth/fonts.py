"""Find a font that renders Chinese (for the page images), or fall back to Latin."""

from __future__ import annotations

import functools
import shutil
import subprocess
from pathlib import Path

KNOWN_CJK_FONTS = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
)


@functools.cache
def cjk_font_path() -> str | None:
    """A font file with Chinese glyphs, or None (tests that need real OCR then skip)."""
    for path in KNOWN_CJK_FONTS:
        if Path(path).is_file():
            return path
    if shutil.which("fc-match"):
        try:
            out = subprocess.run(
                ["fc-match", "-f", "%{file}", ":lang=zh"],
                capture_output=True,
                text=True,
                timeout=10,
            ).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            return None
        if out and Path(out).is_file() and "DejaVu" not in out:
            return out
    return None


def font(size: int):  # -> PIL.ImageFont.FreeTypeFont | ImageFont
    """A CJK font of `size` px when available, else Pillow's default scalable font."""
    from PIL import ImageFont

    path = cjk_font_path()
    if path:
        return ImageFont.truetype(path, size)
    return ImageFont.load_default(size)
