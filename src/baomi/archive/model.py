"""What importers produce: one `ArchiveMessage` per record, or an `ImportProblem` for a
record that could not be read (reported with its position; the import goes on)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

# Chat exports from mainland tools carry local (Beijing) time or epoch values.
CHINA_TZ = timezone(timedelta(hours=8), "Asia/Shanghai")


@dataclass(frozen=True, slots=True)
class ArchiveMessage:
    """One message of a chat export. `text` is kept out of repr (it may be secret).

    `position` says where the record sits in its file ("第 12 行"); `attachments` are
    files resolved from the export's media folder, `missing_media` counts placeholders
    (`[图片]`) or files a record names that the export does not hold. A recall record
    has kind "recall" and names the recalled message in `recall_of` when the export
    says which (WeChat replaces the original instead); the audit marks the recalled
    message, which stays in the trace. `forwarded_from` on an item of a forwarded
    bundle (the bundle's msgid). `members` lists known recipients (WeCom `tolist`).
    """

    archive: str
    conversation: str
    conversation_name: str
    sender: str
    time: datetime
    text: str
    msgid: str
    kind: str = "text"
    position: str = ""
    is_group: bool = False
    sender_name: str = ""
    attachments: tuple[Path, ...] = ()
    missing_media: int = 0
    recall_of: str | None = None
    forwarded_from: str | None = None
    members: tuple[str, ...] = field(default=())

    def __repr__(self) -> str:
        return (
            f"ArchiveMessage(archive={self.archive!r}, conversation={self.conversation!r}, "
            f"msgid={self.msgid!r}, kind={self.kind!r}, chars={len(self.text)}, "
            f"attachments={len(self.attachments)})"
        )

    @property
    def reviewable(self) -> bool:
        """True when there is something for the engine to read."""
        return self.kind != "recall" and bool(self.attachments or self.text.strip())


@dataclass(frozen=True, slots=True)
class ImportProblem:
    """A record that could not be read: where, and what is wrong (Chinese)."""

    archive: str
    position: str
    problem: str

    def __str__(self) -> str:
        return f"{self.archive} {self.position}：{self.problem}"
