"""The bombs of issue 7, built here, and a measurement of how baomi answers each.

`python -m baomi.fuzz.bombs` reviews every bomb in its own process and prints its
answer, seconds and peak RSS; it exits non-zero when a bomb is not refused (X01 or a
policy error) within 5 s and 1 GiB. The tests build the same bombs.
"""

from __future__ import annotations

import io
import json
import os
import resource
import struct
import subprocess
import sys
import time
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass

from baomi.fuzz.seeds import CANARY, OFD_NS, docx_seed, zip_of

MAX_SECONDS = 5.0
MAX_RSS_KIB = 1024 * 1024


@dataclass(frozen=True)
class Bomb:
    name: str
    suffix: str  # ".yaml" is a policy file, everything else an attachment
    build: Callable[[], bytes]


def ofd_references(count: int = 300_000) -> bytes:
    """An OFD whose annotation index names one annotation part `count` times, stored
    uncompressed so that no compression-ratio check stands in for the reference bound."""
    head = '<?xml version="1.0" encoding="UTF-8"?>'
    locs = "<ofd:FileLoc>Page_0/Annotation.xml</ofd:FileLoc>" * count
    parts = {
        "OFD.xml": f'{head}<ofd:OFD xmlns:ofd="{OFD_NS}"><ofd:DocBody>'
        "<ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>",
        "Doc_0/Document.xml": f'{head}<ofd:Document xmlns:ofd="{OFD_NS}"><ofd:Pages/>'
        "<ofd:Annotations>Annots/Annotations.xml</ofd:Annotations></ofd:Document>",
        "Doc_0/Annots/Annotations.xml": f'{head}<ofd:Annotations xmlns:ofd="{OFD_NS}">'
        f'<ofd:Page PageID="1">{locs}</ofd:Page></ofd:Annotations>',
        "Doc_0/Annots/Page_0/Annotation.xml": f'{head}<ofd:PageAnnot xmlns:ofd="{OFD_NS}"><ofd:Annot>'
        + "".join(
            f"<ofd:TextObject><ofd:TextCode>{CANARY}{n}</ofd:TextCode></ofd:TextObject>" for n in range(20)
        )
        + "</ofd:Annot></ofd:PageAnnot>",
    }
    return zip_of({k: v.encode() for k, v in parts.items()}, zipfile.ZIP_STORED)


def xlsx_shared_strings(cells: int = 10_000, repeats: int = 30_000) -> bytes:
    """A small xlsx whose cells all point at one large shared string (3·10⁹ characters
    if every cell were expanded)."""
    big = "工作安排请按时报送。" * repeats
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    package = "http://schemas.openxmlformats.org/package/2006"
    office = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    sheet_type = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    xml = '<?xml version="1.0"?>'

    def rels(*targets: tuple[str, str]) -> str:
        items = "".join(
            f'<Relationship Id="rId{n}" Type="{office}/{kind}" Target="{target}"/>'
            for n, (kind, target) in enumerate(targets, 1)
        )
        return f'{xml}<Relationships xmlns="{package}/relationships">{items}</Relationships>'

    overrides = (
        ("/xl/workbook.xml", "sheet.main"),
        ("/xl/worksheets/sheet1.xml", "worksheet"),
        ("/xl/sharedStrings.xml", "sharedStrings"),
    )
    rows = "".join(f'<row r="{r}"><c r="A{r}" t="s"><v>0</v></c></row>' for r in range(1, cells + 1))
    parts = {
        "[Content_Types].xml": f'{xml}<Types xmlns="{package}/content-types">'
        f'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        + "".join(f'<Override PartName="{n}" ContentType="{sheet_type}.{t}+xml"/>' for n, t in overrides)
        + "</Types>",
        "_rels/.rels": rels(("officeDocument", "xl/workbook.xml")),
        "xl/workbook.xml": f'{xml}<workbook {ns} xmlns:r="{office}">'
        '<sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": rels(
            ("worksheet", "worksheets/sheet1.xml"), ("sharedStrings", "sharedStrings.xml")
        ),
        "xl/worksheets/sheet1.xml": f"{xml}<worksheet {ns}><sheetData>{rows}</sheetData></worksheet>",
        "xl/sharedStrings.xml": f'{xml}<sst {ns} count="1" uniqueCount="1"><si><t>{big}</t></si></sst>',
    }
    return zip_of({k: v.encode() for k, v in parts.items()})


def zip_bomb(inflated_mib: int = 1024) -> bytes:
    """A zip whose one member inflates to `inflated_mib` MiB of zeros (written in pieces,
    so that building it needs little memory)."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf,
        zf.open("data.txt", "w", force_zip64=True) as member,
    ):
        block = bytes(2**20)
        for _ in range(inflated_mib):
            member.write(block)
    return out.getvalue()


def pixel_bomb(side: int = 100_000) -> bytes:
    """A valid PNG declaring side × side pixels whose data is one deflated run of zeros."""

    def chunk(kind: bytes, payload: bytes) -> bytes:
        return (
            struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload))
        )

    header = struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0)  # 8-bit greyscale
    packer = zlib.compressobj(9)
    row = bytes(side + 1)
    data = b"".join(packer.compress(row) for _ in range(64)) + packer.flush()
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")


def doctype_after_comment(comment_bytes: int = 70_000) -> bytes:
    """A docx whose document.xml declares an entity after a 70 KB comment, so that a
    scan of the first 64 KiB sees no DTD; the body is the expanded entity."""
    seed = docx_seed()
    with zipfile.ZipFile(io.BytesIO(seed.data)) as zf:
        members = {info.filename: zf.read(info) for info in zf.infolist()}
    body = members["word/document.xml"].decode()
    declaration, rest = body.split("?>", 1)
    members["word/document.xml"] = (
        f"{declaration}?><!--{'x' * comment_bytes}-->"
        f'<!DOCTYPE w:document [<!ENTITY secret "{CANARY}">]>' + rest.replace(CANARY, "&secret;")
    ).encode()
    return zip_of(members)


def yaml_alias_bomb(levels: int = 9, fan_out: int = 10) -> bytes:
    """A policy whose dictionary is a billion-laughs tree of YAML aliases."""
    lines = ["a0: &a0 [" + ", ".join(["机密"] * fan_out) + "]"]
    for n in range(1, levels + 1):
        lines.append(f"a{n}: &a{n} [" + ", ".join([f"*a{n - 1}"] * fan_out) + "]")
    lines.append(f"dictionaries:\n  codenames: *a{levels}")
    return "\n".join(lines).encode()


BOMBS = (
    Bomb("ofd-300k-references", ".ofd", ofd_references),
    Bomb("xlsx-shared-string", ".xlsx", xlsx_shared_strings),
    Bomb("zip-1GiB-of-zeros", ".zip", zip_bomb),
    Bomb("png-100000x100000", ".png", pixel_bomb),
    Bomb("docx-doctype-after-70KB-comment", ".docx", doctype_after_comment),
    Bomb("yaml-alias-bomb", ".yaml", yaml_alias_bomb),
)


def answer(path: str) -> dict:
    """Review one bomb file (in this process) and say how it was answered."""
    from pathlib import Path

    from baomi.engine import Reviewer
    from baomi.errors import PolicyError
    from baomi.model import Attachment, Channel, Message
    from baomi.ocr import FakeOcr
    from baomi.policy.load import load_policy

    reviewer = Reviewer(ocr=FakeOcr())
    reviewer.review(Message("预热", Channel.DIRECT))  # load the engine before the clock starts
    started = time.monotonic()
    if path.endswith(".yaml"):
        try:
            load_policy(path)
            result = "accepted"
        except PolicyError as error:
            result = f"PolicyError(exit {error.exit_code})"
    else:
        verdict = reviewer.review(Message("", Channel.DIRECT, (Attachment(Path(path)),)))
        details = [r.detail for f in verdict.findings if f.rule == "X01" for r in f.reasons]
        result = f"{verdict.decision.value} {'/'.join(verdict.rules)}" + (
            f"：{details[0]}" if details else ""
        )
    return {"answer": result, "seconds": round(time.monotonic() - started, 2)}


def measure(bomb: Bomb, workdir: str) -> dict:
    """Build the bomb, answer it in a fresh process, report answer, time and peak RSS."""
    path = os.path.join(workdir, f"bomb{bomb.suffix}")
    with open(path, "wb") as out:
        out.write(bomb.build())
    proc = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import json,sys; from baomi.fuzz.bombs import answer; print(json.dumps(answer({path!r})))",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    output = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    result = (
        json.loads(output)
        if status == 0 and output
        else {"answer": f"process failed ({status})", "seconds": None}
    )
    refused = (
        result["answer"].startswith(("PolicyError", "review X01", "block X01")) or "X01" in result["answer"]
    )
    ok = refused and result["seconds"] is not None and result["seconds"] <= MAX_SECONDS
    ok = ok and usage.ru_maxrss <= MAX_RSS_KIB
    return {"bomb": bomb.name, "bytes": os.path.getsize(path), **result,
            "peak_rss_mib": round(usage.ru_maxrss / 1024, 1), "ok": ok}  # fmt: skip


def main() -> int:
    import tempfile

    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    failures = 0
    with tempfile.TemporaryDirectory(prefix="baomi-bombs-") as workdir:
        for bomb in BOMBS:
            row = measure(bomb, workdir)
            failures += not row["ok"]
            print(json.dumps(row, ensure_ascii=False), flush=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
