"""Chinese reasons for parts of an attachment that could not be inspected.

Details name formats, sizes and positions, never the attachment's own text.
"""

from __future__ import annotations

from baomi.errors import ExtractionError

ENCRYPTED = "加密文件"
CORRUPT = "文件损坏"
UNREADABLE = "无法读取文件"
ENCODING = "文本编码无法识别"
TOO_BIG = "超出大小限制"
UNSUPPORTED = "不支持的文件类型"
PARTIAL = "仅部分检查"
PAGES = "超出页数限制"
OCR_PAGES = "超出识别页数限制"
TIMEOUT = "超出时间限制"
TEXT_LIMIT = "超出文字长度限制"
BOMB = "疑似压缩炸弹"
DEPTH = "压缩包嵌套过深"
MEMBERS = "压缩包文件过多"
PIXELS = "图像尺寸过大"
UNSAFE_XML = "不安全的 XML"
NO_OCR = "缺少文字识别组件"
MISSING_PART = "缺少解析组件"
OCR_FAILED = "文字识别失败"


INSTALL_HINT = "pip install 'baomi[attachments]'"  # the extra that holds every attachment reader


class LimitReached(ExtractionError):
    """A budget of the whole attachment ran out: stop everything, keep what was read."""


def mib(n: int) -> str:
    """A byte count in MiB for messages."""
    return f"{n / 2**20:.1f} MiB"


def problem(reason: str, detail: str = "") -> ExtractionError:
    return ExtractionError(reason, detail)
