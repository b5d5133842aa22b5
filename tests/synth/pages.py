"""Page images: a 红头 official-document page, a plain page, a chat screenshot, and
"phone photos" of pages (perspective, blur, noise, uneven light, JPEG)."""

from __future__ import annotations

import io
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from tests.synth.fonts import font

RED = (200, 20, 30)
BLACK = (25, 25, 25)


@dataclass(frozen=True)
class PageText:
    """Text of a made-up 红头 document (fictional bodies and numbers)."""

    marking: str = "机密★10年"
    copy_no: str = "000417"
    urgency: str = "特急"
    authority: str = "青禾市农业农村局文件"
    doc_no: str = "青农发〔2024〕38号"
    title: str = "关于开展秋季种子市场专项检查的通知"
    body: tuple[str, ...] = (
        "各县区农业农村局，局属各单位：",
        "为保障秋播用种安全，经局党组研究，决定开展",
        "秋季种子市场专项检查，现将有关事项通知如下。",
        "一、检查范围：全市种子经营门店和仓储场所。",
        "二、检查时间：九月十日至十月二十日。",
        "三、工作要求：各单位要明确专人负责此项工作。",
    )


def official_page(text: PageText = PageText(), *, red: bool = True, size=(1240, 1754)) -> Image.Image:
    """A white A4-like page with the 红头 layout (red title and rule when `red`)."""
    w, h = size
    page = Image.new("RGB", size, (252, 252, 250))
    draw = ImageDraw.Draw(page)
    small, mark, big, body = font(w // 36), font(w // 28), font(w // 13), font(w // 30)
    x0 = int(w * 0.12)
    draw.text((x0, int(h * 0.06)), text.copy_no, fill=BLACK, font=small)
    draw.text((x0, int(h * 0.085)), text.marking, fill=BLACK, font=mark)
    draw.text((x0, int(h * 0.115)), text.urgency, fill=BLACK, font=mark)
    colour = RED if red else BLACK
    tw = draw.textlength(text.authority, font=big)
    draw.text(((w - tw) / 2, int(h * 0.17)), text.authority, fill=colour, font=big)
    nw = draw.textlength(text.doc_no, font=body)
    draw.text(((w - nw) / 2, int(h * 0.26)), text.doc_no, fill=BLACK, font=body)
    if red:
        draw.rectangle((int(w * 0.1), int(h * 0.295), int(w * 0.9), int(h * 0.295) + 5), fill=RED)
    ttl = font(w // 24)
    tw = draw.textlength(text.title, font=ttl)
    draw.text(((w - tw) / 2, int(h * 0.33)), text.title, fill=BLACK, font=ttl)
    y = int(h * 0.40)
    for line in text.body:
        draw.text((x0, y), line, fill=BLACK, font=body)
        y += int(body.size * 1.9)
    return page


def sign_image(text: str = "档案整理室", size=(1200, 800)) -> Image.Image:
    """A door plate: red lettering in a frame on a grey wall (red title, no rule)."""
    w, h = size
    img = Image.new("RGB", size, (200, 202, 198))
    draw = ImageDraw.Draw(img)
    draw.rectangle((w * 0.2, h * 0.25, w * 0.8, h * 0.55), fill=(250, 250, 248), outline=RED, width=3)
    f = font(h // 9)
    tw = draw.textlength(text, font=f)
    draw.text(((w - tw) / 2, h * 0.32), text, fill=RED, font=f)
    return img


def chat_screenshot(lines: tuple[str, ...], size=(1080, 2340)) -> Image.Image:
    """A flat-colour chat screen: status bar, title bar, bubbles."""
    w, h = size
    img = Image.new("RGB", size, (237, 237, 237))
    draw = ImageDraw.Draw(img)
    status = font(int(h * 0.016))
    draw.text((int(w * 0.06), int(h * 0.008)), "9:41", fill=(0, 0, 0), font=status)
    draw.rectangle((int(w * 0.82), int(h * 0.011), int(w * 0.9), int(h * 0.022)), fill=(0, 0, 0))
    draw.rectangle((0, int(h * 0.035), w, int(h * 0.07)), fill=(237, 237, 237))
    title = font(int(h * 0.02))
    draw.text((int(w * 0.3), int(h * 0.042)), "项目协调群(12)", fill=(0, 0, 0), font=title)
    bubble = font(int(h * 0.018))
    y = int(h * 0.1)
    for i, line in enumerate(lines):
        right = i % 3 == 2
        tw = draw.textlength(line, font=bubble)
        bx0 = w - int(w * 0.15) - tw - 40 if right else int(w * 0.15)
        fill = (149, 236, 105) if right else (255, 255, 255)
        draw.rectangle((bx0, y, bx0 + tw + 40, y + bubble.size + 40), fill=fill)
        draw.rectangle((int(w * 0.03), y, int(w * 0.11), y + int(w * 0.08)), fill=(90, 140, 200))
        draw.text((bx0 + 20, y + 18), line, fill=(0, 0, 0), font=bubble)
        y += bubble.size + 90
    return img


def blank_photo(size=(1200, 900), seed: int = 1) -> Image.Image:
    """A textless picture: smooth sky-to-ground gradient with mild noise."""
    rng = np.random.default_rng(seed)
    w, h = size
    ys = np.linspace(0, 1, h)[:, None, None]
    sky = np.array([120, 170, 230])[None, None, :]
    ground = np.array([90, 140, 80])[None, None, :]
    arr = (sky * (1 - ys) + ground * ys).repeat(w, axis=1)
    arr = arr + rng.normal(0, 2.0, arr.shape)
    return Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8)).filter(ImageFilter.GaussianBlur(2))


def _perspective_coeffs(src: list[tuple[float, float]], dst: list[tuple[float, float]]) -> list[float]:
    """Coefficients for Image.transform(PERSPECTIVE) mapping output dst → input src."""
    rows = []
    for (x, y), (u, v) in zip(dst, src, strict=True):
        rows.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        rows.append([0, 0, 0, x, y, 1, -v * x, -v * y])
    a = np.array(rows, dtype=float)
    b = np.array([c for pt in src for c in pt], dtype=float)
    return list(np.linalg.solve(a, b))


def phone_photo(page: Image.Image, *, seed: int = 7, out_size=(1200, 1600), quality: int = 82) -> Image.Image:
    """Photograph `page` on a desk: tilt/perspective, soft focus, sensor noise, uneven
    light (a gradient and a vignette) and JPEG compression."""
    rng = np.random.default_rng(seed)
    W, H = out_size
    desk = np.zeros((H, W, 3), dtype=float) + np.array([150, 120, 90])
    desk += rng.normal(0, 8, (H, W, 1))  # wood-ish texture
    background = Image.fromarray(np.clip(desk, 0, 255).astype(np.uint8)).filter(ImageFilter.GaussianBlur(3))
    # where the page corners land in the photo (jittered quadrilateral)
    m = 0.07
    jitter = lambda: rng.uniform(-0.035, 0.035)  # noqa: E731
    quad = [
        ((m + jitter()) * W, (m + jitter()) * H),
        ((1 - m + jitter()) * W, (m + jitter()) * H),
        ((1 - m + jitter()) * W, (1 - m + jitter()) * H),
        ((m + jitter()) * W, (1 - m + jitter()) * H),
    ]
    pw, ph = page.size
    corners = [(0, 0), (pw, 0), (pw, ph), (0, ph)]
    coeffs = _perspective_coeffs(corners, quad)
    warped = page.convert("RGBA").transform(
        out_size, Image.Transform.PERSPECTIVE, coeffs, Image.Resampling.BICUBIC
    )
    background.paste(warped, (0, 0), warped)
    img = background.filter(ImageFilter.GaussianBlur(rng.uniform(0.8, 1.3)))
    arr = np.asarray(img).astype(float)
    yy, xx = np.mgrid[0:H, 0:W]
    angle = rng.uniform(0, 2 * np.pi)
    slope = np.cos(angle) * (xx / W - 0.5) + np.sin(angle) * (yy / H - 0.5)
    gradient = 0.88 + 0.25 * slope
    vignette = 1.0 - 0.25 * (((xx - W / 2) / W) ** 2 + ((yy - H / 2) / H) ** 2)
    arr *= (gradient * vignette)[:, :, None]
    arr += rng.normal(0, 5, arr.shape)
    noisy = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))
    buf = io.BytesIO()
    noisy.save(buf, format="JPEG", quality=quality)
    return Image.open(io.BytesIO(buf.getvalue())).convert("RGB")
