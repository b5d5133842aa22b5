"""PyWxDump WeChat CSV exports: `id, MsgSvrID, type_name, is_sender, talker, room_name,
msg, src, CreateTime`. `room_name` is the conversation (a wxid or `…@chatroom`),
`talker` the sender, `src` the media file relative to the export folder."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from baomi import Attachment
from baomi.archive.importers._common import (
    MediaFolder,
    clip,
    csv_messages,
    from_epoch,
    head_text,
    media_root,
    parse_local,
)
from baomi.archive.model import ArchiveMessage, ImportProblem

NAME = "pywxdump"
SELF = "本人"
COLUMNS = ("id", "MsgSvrID", "type_name", "is_sender", "talker", "room_name", "msg", "CreateTime")
# type_name (Chinese label) fragments → kind, first match wins
_KINDS = (
    ("撤回", "recall"),
    ("图片", "image"),
    ("语音", "voice"),
    ("视频", "video"),
    ("文件", "file"),
    ("表情", "emoji"),
    ("合并转发", "forward"),
    ("聊天记录", "forward"),
    ("引用", "quote"),
    ("链接", "link"),
    ("系统", "system"),
    ("文本", "text"),
)
_MEDIA = {"image", "voice", "video", "file"}


def sniff(path: Path) -> bool:
    first = (head_text(path).splitlines() or [""])[0]
    return "MsgSvrID" in first and "type_name" in first


def read(path: Path, media: Path | None = None) -> Iterator[ArchiveMessage | ImportProblem]:
    folder = MediaFolder(media_root(path, media))
    return csv_messages(
        path, COLUMNS, lambda row, archive, position: _message(row, archive, position, folder)
    )


def _time(value: str):
    value = value.strip()
    if value.replace(".", "", 1).isdigit():
        return from_epoch(value)
    return parse_local(value)


def _message(row: dict, archive: str, position: str, folder: MediaFolder) -> ArchiveMessage:
    room = row["room_name"].strip()
    if not room:
        raise ValueError("room_name 为空")
    type_name = row["type_name"]
    kind = next((k for frag, k in _KINDS if frag in type_name), "other")
    text = row["msg"] or ""
    if kind == "system" and "撤回" in text:
        kind = "recall"
    is_self = row["is_sender"].strip() == "1"
    sender = row["talker"].strip() or (SELF if is_self else room)
    atts, missing = (), 0
    if kind in _MEDIA:
        src = row.get("src", "").strip()
        found = folder.find(src) if src else None
        if found is not None:
            atts = (Attachment(found, Path(src.replace("\\", "/")).name if kind == "file" else ""),)
        else:
            missing = 1
        if kind != "file":
            text = ""
    msgid = row["MsgSvrID"].strip() or f"id{row['id'].strip()}"
    return ArchiveMessage(
        archive=archive,
        conversation=room,
        conversation_name=room,
        sender=sender,
        time=_time(row["CreateTime"]),
        text=clip(text),
        msgid=msgid,
        kind=kind,
        position=position,
        is_group=room.endswith("@chatroom"),
        attachments=atts,
        missing_media=missing,
        members=(sender,),
    )
