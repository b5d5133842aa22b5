"""MemoTrace (留痕) WeChat exports: its CSV (`localId, TalkerId, Type, SubType, IsSender,
CreateTime, Status, StrContent, StrTime, Remark, NickName, Sender`) and its TXT
(`YYYY-MM-DD HH:MM:SS 名字` then the message lines). CSVs come in UTF-8 (with BOM) or GBK.

Media: images and files are looked up in the export folder by the path, file name or
md5 the record gives, then by localId.
"""

from __future__ import annotations

import re
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
    read_text,
    xml_attr,
    xml_texts,
)
from baomi.archive.model import ArchiveMessage, ImportProblem

NAME = "memotrace"
SELF = "本人"
COLUMNS = ("localId", "TalkerId", "Type", "IsSender", "CreateTime", "StrContent")
# WeChat message types (Type, SubType) → kind
_KINDS = {
    1: "text",
    3: "image",
    34: "voice",
    43: "video",
    47: "emoji",
    48: "location",
    49: "app",
    50: "call",
    10000: "system",
    10002: "system",
}
_APP_KINDS = {
    6: "file",
    19: "forward",
    57: "quote",
    5: "link",
    33: "miniapp",
    36: "miniapp",
    2000: "transfer",
}
_MEDIA = {"image", "voice", "video", "file"}
_TXT_HEADER = re.compile(r"^(\d{4}-\d{2}-\d{2} \d{1,2}:\d{2}:\d{2}) (.+)$")
_PLACEHOLDER = re.compile(r"^\[(图片|语音|视频|文件|动画表情|表情包)\]")


def sniff(path: Path) -> bool:
    head = head_text(path)
    if path.suffix.lower() == ".csv":
        first = head.splitlines()[0] if head else ""
        return "StrContent" in first and "TalkerId" in first
    lines = [ln for ln in head.splitlines() if ln.strip()]
    return bool(lines) and _TXT_HEADER.match(lines[0]) is not None and "消息对象" not in head


def read(path: Path, media: Path | None = None) -> Iterator[ArchiveMessage | ImportProblem]:
    if path.suffix.lower() == ".csv":
        yield from _read_csv(path, MediaFolder(media_root(path, media)))
    else:
        yield from _read_txt(path)


def _int(value: str, default: int = 0) -> int:
    try:
        return int(str(value).strip() or default)
    except ValueError:
        return default


def _read_csv(path: Path, folder: MediaFolder) -> Iterator[ArchiveMessage | ImportProblem]:
    return csv_messages(
        path, COLUMNS, lambda row, archive, position: _csv_message(row, archive, position, folder)
    )


def _csv_message(row: dict, archive: str, position: str, folder: MediaFolder) -> ArchiveMessage:
    talker = row["TalkerId"].strip()
    if not talker:
        raise ValueError("TalkerId 为空")
    local_id = row["localId"].strip()
    if not local_id:
        raise ValueError("localId 为空")
    is_group = talker.endswith("@chatroom")
    is_self = _int(row["IsSender"]) == 1
    sender = SELF if is_self else (row.get("Sender", "").strip() if is_group else talker) or talker
    try:
        time = from_epoch(row["CreateTime"])
    except ValueError:
        time = parse_local(row.get("StrTime", ""))
    type_, sub = _int(row["Type"], -1), _int(row.get("SubType", ""))
    kind = _KINDS.get(type_, "other")
    if kind == "app":
        kind = _APP_KINDS.get(sub, "app")
    content = row["StrContent"] or ""
    if kind == "system" and "撤回" in content:
        kind = "recall"
    text, atts, missing = content, (), 0
    if kind in ("app", "file", "forward", "link", "quote", "miniapp") and content.lstrip().startswith("<"):
        text = "\n".join(xml_texts(content, "title", "des", "datadesc", "sourcename"))
    if kind in _MEDIA:
        keys = [content.strip()] if content and not content.lstrip().startswith("<") else []
        keys += [xml_attr(content, "md5"), text.split("\n")[0] if kind == "file" else None, local_id]
        found = folder.find(*keys)
        if kind != "file":
            text = ""
        if found is None:
            missing = 1
        else:
            atts = (Attachment(found, text.split("\n")[0] if kind == "file" else ""),)
    name = row.get("Remark", "").strip() or row.get("NickName", "").strip() or talker
    return ArchiveMessage(
        archive=archive,
        conversation=talker,
        conversation_name=name,
        sender=sender,
        time=time,
        text=clip(text),
        msgid=local_id,
        kind=kind,
        position=position,
        is_group=is_group,
        attachments=atts,
        missing_media=missing,
        members=(sender,),
    )


def _read_txt(path: Path) -> Iterator[ArchiveMessage | ImportProblem]:
    """A TXT export is one conversation (named after the file)."""
    archive = path.name
    conversation = path.stem
    lines = read_text(path).splitlines()
    blocks: list[tuple[int, str, str, list[str]]] = []
    for number, line in enumerate(lines, start=1):
        m = _TXT_HEADER.match(line.rstrip())
        if m:
            blocks.append((number, m.group(1), m.group(2).strip(), []))
        elif blocks:
            blocks[-1][3].append(line)
        elif line.strip():
            yield ImportProblem(archive, f"第 {number} 行", "消息头之前的内容无法归属，已跳过")
    senders = {b[2] for b in blocks}
    is_group = len(senders) > 2
    for number, stamp, sender, body in blocks:
        text = "\n".join(body).strip()
        m = _PLACEHOLDER.match(text)
        kind = (
            {"图片": "image", "语音": "voice", "视频": "video", "文件": "file"}.get(m.group(1), "emoji")
            if m
            else "text"
        )
        yield ArchiveMessage(
            archive=archive,
            conversation=conversation,
            conversation_name=conversation,
            sender=sender,
            time=parse_local(stamp),
            text=clip(text if kind == "text" else text[m.end() :].strip()),
            msgid=f"L{number}",
            kind=kind,
            position=f"第 {number} 行",
            is_group=is_group,
            missing_media=0 if kind == "text" else 1,
            members=(sender,),
        )
