"""One real server (a FakeOcr-backed setting: the real OCR models take ~30 s a page on the
shared CI machine) and one Debian Chromium for the whole console suite."""

from __future__ import annotations

import json
import os

import pytest

from tests.screenshots import screenshot_dir

pytest.importorskip("fastapi")
playwright_api = pytest.importorskip("playwright.sync_api")

from PIL import Image  # noqa: E402

from baomi.ocr.fake import image_key  # noqa: E402
from tests.console.photo import marked_page_photo  # noqa: E402
from tests.service.support import ADMIN_PASSWORD, PASSWORD, Api, Server, make_org  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SHOTS = screenshot_dir()


@pytest.fixture(scope="session")
def photo(tmp_path_factory) -> dict:
    """A photo of a 机密★ page, and the FakeOcr file that reads its lines (with boxes)."""
    folder = tmp_path_factory.mktemp("photo")
    image, lines = marked_page_photo()
    path = folder / "marked-page.jpg"
    image.save(path, quality=90)
    with Image.open(path) as saved:
        key = image_key(saved)  # what the server's FakeOcr will see
    ocr = folder / "ocr.json"
    ocr.write_text(json.dumps({"by_key": {key: lines}}, ensure_ascii=False), encoding="utf-8")
    return {"path": path, "ocr": ocr, "lines": lines}


@pytest.fixture(scope="session")
def server(tmp_path_factory, photo):
    srv = Server(
        tmp_path_factory.mktemp("console-srv"),
        extra_env={"BAOMI_OCR_FAKE_FILE": str(photo["ocr"]), "BAOMI_SESSION_HOURS": "1"},
    ).start()
    yield srv
    srv.stop()


@pytest.fixture(scope="session")
def org(server) -> dict:
    return make_org(Api.login(server.url, "admin", ADMIN_PASSWORD))


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail("CI must run the browser tests: /usr/bin/chromium is missing (make system-deps)")
        pytest.skip("Debian chromium is not installed")
    with playwright_api.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


class Console:
    """Opens browser contexts logged in as a user, and saves screenshots."""

    def __init__(self, server, browser, org) -> None:
        self.server, self.browser, self.org = server, browser, org
        self.contexts = []
        self.console_errors: list[str] = []

    def page(self, username: str | None, *, phone: bool = False):
        viewport = {"width": 390, "height": 844} if phone else {"width": 1280, "height": 860}
        ctx = self.browser.new_context(
            base_url=self.server.url, viewport=viewport, locale="zh-CN", accept_downloads=True,
            device_scale_factor=1, is_mobile=phone, has_touch=phone,
        )  # fmt: skip
        ctx.set_default_timeout(20_000)
        self.contexts.append(ctx)
        page = ctx.new_page()
        page.on("console", lambda m: m.type == "error" and self.console_errors.append(m.text))
        if username:
            page.goto("/login")
            page.fill("input[name=username]", username)
            page.fill("input[name=password]", ADMIN_PASSWORD if username == "admin" else PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_load_state()
        return page

    def shot(self, page, name: str) -> None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)

    def close(self) -> None:
        for ctx in self.contexts:
            ctx.close()


@pytest.fixture
def console(server, browser, org):
    c = Console(server, browser, org)
    yield c
    c.close()
    csp = [e for e in c.console_errors if "Content Security Policy" in e or "Refused" in e]
    assert not csp, f"the page broke its own CSP: {csp[:3]}"
