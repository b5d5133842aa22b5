"""Zip archives: every member reviewed by name and content, nested up to a depth,
with member-count, size, ratio and total-size limits; encrypted members → problems."""

from __future__ import annotations

import zipfile
from pathlib import PurePosixPath

from baomi.errors import ExtractionError
from baomi.extract import cues
from baomi.extract import problems as P
from baomi.extract.blob import Blob
from baomi.extract.context import Context
from baomi.extract.zipsafe import check_member, is_dir, is_encrypted, member_name, read_member
from baomi.model import NAME_SUFFIX


def _name_media(name: str) -> str:
    from baomi.extract.dispatch import choose

    extractor = choose(PurePosixPath(name), b"")
    return extractor.media(PurePosixPath(name), b"") if extractor else "document"


def read_archive(blob: Blob, zf: zipfile.ZipFile, ctx: Context) -> None:
    """Review each member of an opened zip archive."""
    from baomi.extract.dispatch import run

    depth = blob.depth + 1
    if depth > ctx.limits.max_archive_depth:
        raise ExtractionError(P.DEPTH, f"压缩包嵌套超过 {ctx.limits.max_archive_depth} 层，内层未检查")
    ctx.cue(cues.ARCHIVE)
    members = [info for info in zf.infolist() if not is_dir(info)]
    if len(members) > ctx.limits.max_archive_members:
        ctx.problem(
            P.MEMBERS,
            f"压缩包含 {len(members)} 个文件，仅检查前 {ctx.limits.max_archive_members} 个",
        )
        members = members[: ctx.limits.max_archive_members]
    for position, info in enumerate(members, 1):
        ctx.check_time()
        name = member_name(info)
        source = f"{blob.source}/zip/{name}"
        try:
            if is_encrypted(info):
                raise ExtractionError(P.ENCRYPTED, f"压缩包第 {position} 个文件已加密，内容无法检查")
            check_member(info, position, ctx)
            ctx.take_uncompressed(info.file_size)
            data = read_member(zf, info, min(info.file_size, ctx.limits.max_file_bytes))
        except P.LimitReached:
            raise
        except ExtractionError as error:
            ctx.add(name, source + NAME_SUFFIX, _name_media(name))
            ctx.record(error)
            continue
        run(Blob(name, source, depth, data=data), ctx)
