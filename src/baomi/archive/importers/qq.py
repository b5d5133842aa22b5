"""QQ's built-in TXT export: a `消息记录` header, then sections opened by
`消息分组:` / `消息对象:` lines between `====` rules, each message a header line
`YYYY-MM-DD HH:MM:SS 昵称(QQ号)` or `… 昵称<邮箱>` followed by its text.

Times may be 12-hour (`上午10:20:30`, `下午 1:02:03`, `1:02:03 PM`); nicknames may hold
parentheses themselves (the QQ number is the last parenthesised run of digits).
`[图片]` placeholders have no file in a TXT export: they are counted as missing media.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

from baomi.archive.importers._common import clip, head_text, read_text
from baomi.archive.model import CHINA_TZ, ArchiveMessage, ImportProblem

NAME = "qq"
_HEADER = re.compile(
    r"^(\d{4}-\d{1,2}-\d{1,2})\s+(?:(上午|下午)\s*)?(\d{1,2}):(\d{2}):(\d{2})(?:\s*(AM|PM|am|pm))?\s+(.+?)\s*$"
)
_WHO = re.compile(r"^(.*?)(?:\((\d{5,12})\)|<([^<>\s]+)>)$")
_SECTION = re.compile(r"^消息(分组|对象)[:：](.*)$")
_MEDIA = re.compile(r"\[(图片|语音|视频|文件|表情)\]")


def sniff(path: Path) -> bool:
    head = head_text(path)
    return head.lstrip().startswith("消息记录") or re.search(r"^消息对象[:：]", head, re.M) is not None


def _time(day: str, half: str | None, h: str, m: str, s: str, ampm: str | None) -> datetime:
    hour = int(h)
    pm = half == "下午" or (ampm or "").upper() == "PM"
    am = half == "上午" or (ampm or "").upper() == "AM"
    if (pm or am) and not 1 <= hour <= 12:
        raise ValueError("12 小时制的小时数不在 1–12")
    if pm and hour != 12:
        hour += 12
    elif am and hour == 12:
        hour = 0
    y, mo, d = (int(x) for x in day.split("-"))
    return datetime(y, mo, d, hour, int(m), int(s), tzinfo=CHINA_TZ)


def read(path: Path, media: Path | None = None) -> Iterator[ArchiveMessage | ImportProblem]:
    archive = path.name
    group_label, target = "", ""
    current: dict | None = None
    skipping = False  # inside the body of a message whose header was reported

    def finish() -> ArchiveMessage | None:
        if current is None:
            return None
        text = "\n".join(current.pop("lines")).strip()
        placeholders = _MEDIA.findall(text)
        kinds = {"图片": "image", "语音": "voice", "视频": "video", "文件": "file", "表情": "emoji"}
        only_media = bool(placeholders) and not _MEDIA.sub("", text).strip()
        return ArchiveMessage(
            text=clip(text),
            kind=kinds[placeholders[0]] if only_media else "text",
            missing_media=len(placeholders),
            **current,
        )

    for number, raw in enumerate(read_text(path).splitlines(), start=1):
        line = raw.rstrip()
        section = _SECTION.match(line.strip())
        if section:
            done = finish()
            if done:
                yield done
            current, skipping = None, False
            if section.group(1) == "分组":
                group_label = section.group(2).strip()
            else:
                target = section.group(2).strip()
            continue
        if line.startswith("=====") or (number <= 3 and line.startswith("消息记录")):
            continue
        header = _HEADER.match(line)
        who = _WHO.match(header.group(7)) if header else None
        if header and who:
            done = finish()
            if done:
                yield done
            current, skipping = None, True
            position = f"第 {number} 行"
            if not target:
                yield ImportProblem(archive, position, "消息出现在“消息对象”之前，无法确定会话")
                continue
            try:
                time = _time(*header.group(1, 2, 3, 4, 5, 6))
            except ValueError as exc:
                yield ImportProblem(archive, position, f"时间无效（{exc}）")
                continue
            nickname = who.group(1).strip()
            sender = who.group(2) or who.group(3)
            skipping = False
            current = {
                "archive": archive,
                "conversation": target,
                "conversation_name": target,
                "sender": sender,
                "sender_name": nickname,
                "time": time,
                "msgid": f"L{number}",
                "position": position,
                "is_group": "群" in group_label or "讨论组" in group_label,
                "members": (sender,),
                "lines": [],
            }
        elif current is not None:
            current["lines"].append(raw)
        elif line.strip() and not skipping:
            yield ImportProblem(archive, f"第 {number} 行", "无法识别的行（不是消息头，也不属于任何消息）")
    done = finish()
    if done:
        yield done
