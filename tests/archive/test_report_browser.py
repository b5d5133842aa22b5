"""report.html opened in Debian's Chromium (headless): it renders, with its charts and
trees, and the screenshot is saved as audit_report.png (tests/screenshots.py)."""

import shutil
import subprocess
from functools import partial
from pathlib import Path

import pytest
from PIL import Image

from baomi.archive import audit, write_outputs
from bench.archive_gen import bench_reviewer, generate
from tests.screenshots import screenshot_dir

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SCREENSHOT = screenshot_dir() / "audit_report.png"

pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists(), reason="Debian chromium not installed (make test installs it)"
)


def _chromium(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--hide-scrollbars",
            "--force-device-scale-factor=1",
            *args,
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_report_renders_in_chromium(tmp_path):
    root = tmp_path / "arch"
    generate(root, messages=1500, conversations=30, chains=5, seed=11, image_size=(120, 90))
    out = tmp_path / "out"
    result = audit(
        [root / "export"],
        out,
        roster=root / "roster.yaml",
        workers=1,
        reviewer_factory=partial(bench_reviewer, str(root / "ocr.json")),
    )
    write_outputs(result, out)
    url = (out / "report.html").as_uri()
    dom = _chromium("--dump-dom", url)
    assert dom.returncode == 0, dom.stderr[-500:]
    assert "聊天记录保密审计报告" in dom.stdout and dom.stdout.count("<svg") >= 4 and "传播树" in dom.stdout
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    shot = _chromium(f"--screenshot={SCREENSHOT}", "--window-size=1280,2000", url)
    assert shot.returncode == 0 and SCREENSHOT.is_file(), shot.stderr[-500:]
    with Image.open(SCREENSHOT) as im:
        rgb = im.convert("RGB")
        assert rgb.size == (1280, 2000)
        header = rgb.getpixel((20, 20))  # the dark red header band was painted
        assert header[0] > 120 and header[1] < 60 and header[2] < 60
        assert len(rgb.resize((64, 64)).getcolors(4096)) > 20  # text, cards and charts, not a blank page
