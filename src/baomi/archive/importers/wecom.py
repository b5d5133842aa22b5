"""WeCom 会话内容存档 (decrypted): one JSON object per line, or a JSON array.

Each record has `msgid, action (send|recall|switch), from, tolist, roomid, msgtime (ms),
msgtype` and a body named after the type. `switch` records (an account switching
devices) carry no msgtype and no message. `chatrecord` bundles are expanded into one
message per item (`forwarded_from` = the bundle's msgid); their items' `content` is
JSON encoded as a string, sometimes twice.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from baomi import Attachment
from baomi.archive.importers._common import (
    MAX_RECORD_CHARS,
    MediaFolder,
    clip,
    from_epoch,
    head_text,
    media_root,
)
from baomi.archive.model import ArchiveMessage, ImportProblem

NAME = "wecom"
_TEXT_FIELDS = ("content", "title", "description", "filename", "address", "topic", "wording", "name")
_MEDIA_KINDS = {"image", "voice", "video", "file", "emotion", "meeting_voice_call"}


def sniff(path: Path) -> bool:
    head = head_text(path).lstrip()
    return head[:1] in "{[" and '"msgid"' in head and ('"msgtime"' in head or '"action"' in head)


def read(path: Path, media: Path | None = None) -> Iterator[ArchiveMessage | ImportProblem]:
    """Messages of one WeCom archive file; unreadable records become problems."""
    folder = MediaFolder(media_root(path, media))
    archive = path.name
    for position, record in _records(path, archive):
        if isinstance(record, ImportProblem):
            yield record
            continue
        try:
            yield from _messages(record, archive, position, folder)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            yield ImportProblem(archive, position, f"记录无法解析（{_why(exc)}）")


def _records(path: Path, archive: str) -> Iterator[tuple[str, dict | ImportProblem]]:
    with path.open("r", encoding="utf-8-sig", errors="replace") as fh:
        first = fh.read(1)
        while first and first.isspace():
            first = fh.read(1)
        if first == "[":
            fh.seek(0)
            try:
                items = json.load(fh)
            except json.JSONDecodeError as exc:
                yield "整个文件", ImportProblem(archive, f"第 {exc.lineno} 行", "JSON 数组格式错误，无法读取")
                return
            for i, item in enumerate(items, start=1):
                position = f"第 {i} 条"
                yield (
                    position,
                    item if isinstance(item, dict) else ImportProblem(archive, position, "不是 JSON 对象"),
                )
            return
        fh.seek(0)
        for number, line in enumerate(fh, start=1):
            position = f"第 {number} 行"
            if not line.strip():
                continue
            if len(line) > MAX_RECORD_CHARS:
                yield position, ImportProblem(archive, position, "记录过长，已跳过")
                continue
            try:
                item = json.loads(line)
            except json.JSONDecodeError:
                yield position, ImportProblem(archive, position, "不是有效的 JSON")
                continue
            yield (
                position,
                item if isinstance(item, dict) else ImportProblem(archive, position, "不是 JSON 对象"),
            )


def _why(exc: Exception) -> str:
    if isinstance(exc, KeyError):
        return f"缺少字段 {exc.args[0]}"
    return "字段类型不对"


def decode_content(value: object) -> object:
    """A JSON value that may have been encoded as a string once or twice."""
    for _ in range(3):
        if not isinstance(value, str):
            return value
        stripped = value.strip()
        if not stripped or stripped[0] not in '{["':
            return value
        try:
            value = json.loads(stripped)
        except json.JSONDecodeError:
            return value
    return value


def _messages(record: dict, archive: str, position: str, folder: MediaFolder) -> Iterator[ArchiveMessage]:
    action = record.get("action", "send")
    msgtype = record.get("msgtype")
    if action == "switch" or (msgtype is None and "user" in record):
        return  # an account switching devices: no message
    msgid = str(record["msgid"])
    sender = str(record["from"])
    tolist = tuple(str(t) for t in record.get("tolist") or ())
    roomid = str(record.get("roomid") or "")
    if roomid:
        conversation = roomid
    else:
        peer = tolist[0] if tolist else ""
        conversation = "|".join(sorted((sender, peer)))
    base = {
        "archive": archive,
        "conversation": conversation,
        "conversation_name": conversation,
        "sender": sender,
        "time": from_epoch(record["msgtime"]),
        "position": position,
        "is_group": bool(roomid),
        "members": (sender, *tolist),
    }
    if msgtype is None:
        raise KeyError("msgtype")
    body = record.get(msgtype) or record.get("info") or {}  # markdown/news bodies are named `info`
    if action == "recall" or msgtype == "revoke":
        pre = body.get("pre_msgid") if isinstance(body, dict) else None
        yield ArchiveMessage(text="", msgid=msgid, kind="recall", recall_of=str(pre or msgid), **base)
        return
    if not isinstance(body, dict):
        raise TypeError(msgtype)
    if msgtype == "chatrecord":
        for i, item in enumerate(body.get("item") or (), start=1):
            text, atts, missing = _item(
                item.get("type", ""), decode_content(item.get("content")), folder, f"{msgid}_{i}"
            )
            yield ArchiveMessage(
                text=text,
                msgid=f"{msgid}#{i}",
                kind="forward",
                forwarded_from=msgid,
                attachments=atts,
                missing_media=missing,
                **base,
            )
        return
    if msgtype == "mixed":
        texts, atts, missing = [], [], 0
        for i, item in enumerate(body.get("item") or (), start=1):
            t, a, m = _item(item.get("type", ""), decode_content(item.get("content")), folder, f"{msgid}_{i}")
            texts.append(t)
            atts.extend(a)
            missing += m
        text = clip("\n".join(filter(None, texts)))
        yield ArchiveMessage(
            text=text, msgid=msgid, kind="mixed", attachments=tuple(atts), missing_media=missing, **base
        )
        return
    if msgtype == "news":
        body = decode_content(body.get("info", body)) or {}
        items = (body.get("item") or ()) if isinstance(body, dict) else ()
        text = "\n".join(f"{it.get('title', '')} {it.get('description', '')}".strip() for it in items)
        yield ArchiveMessage(text=clip(text), msgid=msgid, kind="news", **base)
        return
    if msgtype in ("markdown", "docmsg"):
        body = decode_content(body.get("info") or body.get("doc") or body)
    text, atts, missing = _item(msgtype, body, folder, msgid)
    yield ArchiveMessage(
        text=text, msgid=msgid, kind=msgtype, attachments=atts, missing_media=missing, **base
    )


def _item(kind: str, body: object, folder: MediaFolder, key: str) -> tuple[str, tuple[Attachment, ...], int]:
    """Text, media found in the export, and media it names but lacks, of one body."""
    kind = kind.lower().removeprefix("chatrecord")
    if not isinstance(body, dict):
        return clip(str(body or "")), (), 0
    text = clip("\n".join(str(body[f]) for f in _TEXT_FIELDS if isinstance(body.get(f), str) and body[f]))
    if kind in _MEDIA_KINDS or "md5sum" in body or "sdkfileid" in body:
        found = folder.find(body.get("filename"), key, str(body.get("md5sum") or ""), key.split("_")[0])
        if found is None:
            return text, (), 1
        return text, (Attachment(found, body.get("filename") or ""),), 0
    return text, (), 0
