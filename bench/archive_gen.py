"""A generated WeCom archive with planted leak chains, for the audit benchmark and tests.

    python -m bench.archive_gen --messages 100000 --conversations 220 --chains 120 --out /tmp/arch

Writes OUT/export/archive.jsonl (WeCom 会话内容存档 format, one JSON object per line,
time ordered), OUT/export/media/*.jpg, OUT/roster.yaml (names of all groups; channels
of the work groups and of half the outside groups, the rest left to the name guess),
OUT/ocr.json (what an OCR would read in each photo, keyed by `baomi.ocr.fake.image_key`,
for `FakeOcr`) and OUT/truth.json (each
planted chain: its copies in time order with the copy each came from).

Background chat comes from `bench.corpus_gen.ChatGenerator` (mostly clean, ~3% with
findings). A planted chain starts in a work group and hops 2–6 times through people who
are members of the conversation it was in, crossing into family/classmate/resident
groups; text is retyped with small edits at each hop (some hops are WeCom forward
bundles, some are recalled), photos are resized and re-encoded as JPEG at each hop.
"""

from __future__ import annotations

import argparse
import io
import json
import random
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from bench.corpus_gen import ChatGenerator

START = int(datetime(2024, 3, 1, 8, 0).timestamp() * 1000)
DAY_MS = 86_400_000
DEPTS = [
    "县政府办",
    "发改局",
    "财政局",
    "教育局",
    "卫健委",
    "应急局",
    "住建局",
    "公安局",
    "民政局",
    "自然资源局",
    "城管局",
    "交通局",
    "水利局",
    "农业农村局",
    "审计局",
    "统计局",
    "信访局",
    "司法局",
    "街道办",
    "镇政府",
]
EXTERNAL = [
    "{s}家亲戚群",
    "{s}家庭群",
    "高中同学群{n}",
    "大学校友群{n}",
    "{c}小区业主群",
    "{k}家长群",
    "老乡群{n}",
    "球友群{n}",
    "吃货团购群{n}",
    "{s}家人",
]
SURNAMES = "张王李赵刘陈杨黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
COMMUNITIES = ["城东", "锦绣", "阳光", "滨江", "翠苑", "幸福里", "金色", "和平", "东湖", "南山"]
CLASSES = ["一年级一班", "二年级三班", "三年级二班", "初一(4)班", "初二(1)班", "高一(6)班", "幼儿园大二班"]
MARKINGS = ["机密★1年", "秘密★6个月", "机密★10年", "绝密★", "秘密★1年"]
PLACES = [
    "城北开发区",
    "高铁新城",
    "老城片区",
    "滨河新区",
    "产业园三期",
    "东部工业园",
    "南湖片区",
    "西站枢纽",
]
PROJECTS = ["征地补偿", "棚户区改造", "人事调整", "债务化解", "干部考察", "应急处置", "专项巡察", "招商引资"]
DOCS = ["工作方案", "实施细则", "情况报告", "会议纪要", "请示", "通报", "测算表", "名单"]
VERBS = ["请严格控制知悉范围", "请各单位按要求落实", "请于本周五前反馈", "会后统一收回", "不得翻印"]
EDIT_CHARS = "的了和及与在对于把将已就还"


@dataclass
class Conversation:
    id: str
    name: str
    channel: str
    members: list[str]
    room: bool


@dataclass
class Builder:
    seed: int
    rng: random.Random = field(init=False)
    records: list[dict] = field(default_factory=list)
    ocr: dict[str, list[str]] = field(default_factory=dict)
    counter: int = 0

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)

    def msgid(self) -> str:
        self.counter += 1
        return f"m{self.counter:07d}"


def _people(n: int) -> list[str]:
    return [f"u{i:05d}" for i in range(n)]


def _conversations(b: Builder, n: int, people: list[str]) -> list[Conversation]:
    rng = b.rng
    convs: list[Conversation] = []
    n_work, n_ext = int(n * 0.35), int(n * 0.40)
    for i in range(n_work):
        name = f"{DEPTS[i % len(DEPTS)]}{'' if i < len(DEPTS) else i // len(DEPTS) + 1}工作群"
        convs.append(
            Conversation(f"wrW{i:04d}", name, "work_group", rng.sample(people, rng.randint(6, 30)), True)
        )
    for i in range(n_ext):
        name = rng.choice(EXTERNAL).format(
            s=rng.choice(SURNAMES), n=i, c=rng.choice(COMMUNITIES), k=rng.choice(CLASSES)
        )
        convs.append(
            Conversation(
                f"wrF{i:04d}", f"{name}", "external_group", rng.sample(people, rng.randint(5, 40)), True
            )
        )
    seen = set()
    while len(convs) < n:
        a, c = rng.sample(people, 2)
        cid = "|".join(sorted((a, c)))
        if cid not in seen:
            seen.add(cid)
            convs.append(Conversation(cid, cid, "direct", [a, c], False))
    return convs


def _record(b: Builder, conv: Conversation, sender: str, t: int, msgtype: str, body: dict) -> dict:
    rec = {
        "msgid": b.msgid(),
        "action": "send",
        "from": sender,
        "tolist": [m for m in conv.members if m != sender],
        "roomid": conv.id if conv.room else "",
        "msgtime": t,
        "msgtype": msgtype,
        msgtype: body,
    }
    b.records.append(rec)
    return rec


FONT = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"


def _font(size: int):
    from PIL import ImageFont

    try:
        return ImageFont.truetype(FONT, size)
    except OSError:
        return ImageFont.load_default()


def _photo(rng: random.Random, text: str, size: tuple[int, int]):
    """A photo of a page on a desk: framing, page size and a figure block differ per photo;
    the page carries a red header and `text` in lines (none for everyday photos)."""
    from PIL import Image, ImageDraw

    w, h = size
    im = Image.new("RGB", (w, h), tuple(rng.randint(40, 160) for _ in range(3)))
    d = ImageDraw.Draw(im)
    pw, ph = int(w * rng.uniform(0.55, 0.85)), int(h * rng.uniform(0.7, 0.95))
    x0, y0 = rng.randint(0, w - pw), rng.randint(0, h - ph)
    d.rectangle((x0, y0, x0 + pw, y0 + ph), fill=(rng.randint(230, 252),) * 3)
    fx, fy = x0 + rng.randint(4, pw // 2), y0 + rng.randint(ph // 3, ph - 20)
    d.rectangle(
        (fx, fy, fx + rng.randint(15, pw // 2), fy + rng.randint(10, ph // 3)),
        fill=tuple(rng.randint(0, 120) for _ in range(3)),
    )
    if text:
        d.text((x0 + 6, y0 + 4), "人民政府文件", fill=(210, 20, 20), font=_font(14))
        font, per_line = _font(11), max(6, (pw - 10) // 12)
        for i in range(0, min(len(text), per_line * 6), per_line):
            d.text(
                (x0 + 5, y0 + 24 + 14 * (i // per_line)), text[i : i + per_line], fill=(20, 20, 20), font=font
            )
    else:
        for _ in range(6):
            cx, cy = rng.randint(0, w), rng.randint(0, h)
            r = rng.randint(5, w // 4)
            d.ellipse((cx - r, cy - r, cx + r, cy + r), fill=tuple(rng.randint(0, 255) for _ in range(3)))
    return im


def _jpeg(im, quality: int) -> bytes:
    buf = io.BytesIO()
    im.save(buf, "JPEG", quality=quality)
    return buf.getvalue()


def _retype(rng: random.Random, text: str) -> str:
    """A copy retyped by hand: one to three small edits."""
    chars = list(text)
    for _ in range(rng.randint(1, 3)):
        op = rng.random()
        pos = rng.randrange(4, len(chars))
        if op < 0.35:
            chars[pos] = rng.choice(EDIT_CHARS)
        elif op < 0.6:
            del chars[pos]
        elif op < 0.85:
            chars.insert(pos, rng.choice(" ，、"))
        else:
            chars.insert(0, rng.choice(["转：", "【转发】", "看下 "]))
    return "".join(chars)


def _leak_text(rng: random.Random) -> str:
    place, project, doc = rng.choice(PLACES), rng.choice(PROJECTS), rng.choice(DOCS)
    return (
        f"{rng.choice(MARKINGS)} 关于{place}{project}的{doc}（第{rng.randint(2, 48)}稿）：涉及资金"
        f"{rng.randint(120, 9800)}万元，{rng.randint(3, 60)}户，"
        f"{rng.randint(1, 12)}月{rng.randint(1, 28)}日前完成，"
        f"{rng.choice(VERBS)}，编号{rng.randint(1000, 9999)}"
    )


def generate(
    out: Path,
    messages: int = 100_000,
    conversations: int = 220,
    chains: int = 120,
    seed: int = 7,
    image_size: tuple[int, int] = (240, 180),
    image_share: float = 0.4,
    days: int = 30,
) -> dict:
    """Write the archive, roster, OCR table and truth under `out`; returns the truth."""
    from PIL import Image

    from baomi.ocr.fake import image_key

    b = Builder(seed)
    rng = b.rng
    media = out / "export" / "media"
    media.mkdir(parents=True, exist_ok=True)
    people = _people(max(60, conversations * 3))
    convs = _conversations(b, conversations, people)
    by_person: dict[str, list[Conversation]] = {}
    for c in convs:
        for m in c.members:
            by_person.setdefault(m, []).append(c)
    by_id = {c.id: c for c in convs}
    work = [c for c in convs if c.channel == "work_group"]
    truth = []
    for chain_no in range(chains):
        is_image = rng.random() < image_share
        origin_conv = rng.choice(work)
        sender = rng.choice(origin_conv.members)
        t = START + rng.randint(0, (days - 3) * DAY_MS)
        text = _leak_text(rng)
        image = _photo(rng, text, image_size) if is_image else None
        copies: list[dict] = []
        hops = rng.randint(2, 6)
        conv = origin_conv
        parent = None
        crossed = False
        for hop in range(hops + 1):
            if hop:
                parent, conv, sender = _next_hop(rng, copies, by_person, by_id, not crossed and hop == hops)
                if conv is None:
                    break
                t = copies[-1]["t"] + rng.randint(120_000, 8 * 3_600_000)
                if is_image:
                    factor = rng.uniform(0.75, 0.95)
                    base = parent["image"]
                    image = base.resize(
                        (max(40, int(base.width * factor)), max(30, int(base.height * factor)))
                    )
                else:
                    text = _retype(rng, parent["text"])
            crossed |= conv.channel == "external_group"
            if is_image:
                data = _jpeg(image, rng.randint(55, 90))
                image = Image.open(io.BytesIO(data)).convert("RGB")
                md5 = f"c{chain_no:04d}h{hop}"
                (media / f"{md5}.jpg").write_bytes(data)
                b.ocr[image_key(image)] = [text[:40]]
                rec = _record(
                    b, conv, sender, t, "image", {"md5sum": md5, "filesize": len(data), "sdkfileid": md5}
                )
                msgid = rec["msgid"]
            elif hop and rng.random() < 0.2:  # forwarded as a WeCom chat-record bundle
                item = {
                    "type": "ChatRecordText",
                    "msgtime": t // 1000,
                    "from_chatroom": True,
                    "content": json.dumps(json.dumps({"content": text}, ensure_ascii=False)),
                }
                rec = _record(b, conv, sender, t, "chatrecord", {"title": "群聊的聊天记录", "item": [item]})
                msgid = rec["msgid"] + "#1"
            else:
                rec = _record(b, conv, sender, t, "text", {"content": text})
                msgid = rec["msgid"]
            recalled = bool(hop) and rng.random() < 0.1
            if recalled:
                _record(b, conv, sender, t + 60_000, "revoke", {"pre_msgid": rec["msgid"]})
            copies.append(
                {
                    "msgid": msgid,
                    "conversation": conv.id,
                    "sender": sender,
                    "t": t,
                    "text": text,
                    "image": image,
                    "parent": parent["msgid"] if parent else None,
                    "recalled": recalled,
                }
            )
        truth.append(
            {
                "chain": chain_no,
                "kind": "image" if is_image else "text",
                "copies": [
                    {k: c[k] for k in ("msgid", "conversation", "sender", "parent", "recalled")}
                    for c in copies
                ],
            }
        )
    _background(b, convs, messages - len(b.records), media, image_size, days)
    b.records.sort(key=lambda r: (r["msgtime"], r["msgid"]))
    with (out / "export" / "archive.jsonl").open("w", encoding="utf-8") as fh:
        for rec in b.records:
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    _roster(out / "roster.yaml", convs, rng)
    (out / "ocr.json").write_text(json.dumps(b.ocr, ensure_ascii=False), encoding="utf-8")
    meta = {
        "messages": len(b.records),
        "conversations": len(convs),
        "chains": truth,
        "channels": {c.id: c.channel for c in convs},
    }
    (out / "truth.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    return meta


def _next_hop(rng, copies, by_person, by_id, need_outside):
    """Parent copy, target conversation and sender of the next hop: the sender is a member
    of the parent's conversation and of no conversation the content reached after it (so
    where they saw it is unambiguous); the target is a conversation it has not reached."""
    reached = {c["conversation"] for c in copies}
    for _ in range(50):
        parent = copies[-1] if rng.random() < 0.7 else rng.choice(copies)
        later = [by_id[c["conversation"]] for c in copies[copies.index(parent) + 1 :]]
        sender = rng.choice(by_id[parent["conversation"]].members)
        if sender == parent["sender"] or any(sender in c.members for c in later):
            continue
        options = [c for c in by_person.get(sender, []) if c.id not in reached]
        if need_outside:
            options = [c for c in options if c.channel == "external_group"]
        if options:
            return parent, rng.choice(options), sender
    return None, None, None


def _background(b: Builder, convs, n: int, media: Path, image_size, days: int) -> None:
    rng = b.rng
    gen = ChatGenerator(b.seed)
    pool = []
    for i in range(120):  # everyday photos, resent now and then
        data = _jpeg(_photo(rng, "", image_size), 80)
        name = f"bg{i:04d}"
        (media / f"{name}.jpg").write_bytes(data)
        pool.append(name)
    weights = [len(c.members) for c in convs]
    for i in range(max(0, n)):
        conv = rng.choices(convs, weights)[0]
        sender = rng.choice(conv.members)
        t = START + rng.randint(0, days * DAY_MS)
        if rng.random() < 0.01:
            name = rng.choice(pool)
            _record(b, conv, sender, t, "image", {"md5sum": name, "filesize": 1, "sdkfileid": name})
        else:
            _record(b, conv, sender, t, "text", {"content": gen.one(i).text})


def _roster(path: Path, convs, rng) -> None:
    lines = ["conversations:"]
    for c in convs:
        if c.channel == "work_group" or (c.channel == "external_group" and rng.random() < 0.5):
            lines.append(f"  {c.id}: {{name: {c.name}, channel: {c.channel}}}")
        elif c.room:  # a name only: the channel is guessed from it
            lines.append(f"  {c.id}: {{name: {c.name}}}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def bench_reviewer(ocr_table: str):
    """A Reviewer whose OCR reads the photos from the generator's table (FakeOcr)."""
    from baomi import Reviewer
    from baomi.ocr.fake import FakeOcr

    table = json.loads(Path(ocr_table).read_text(encoding="utf-8"))
    return Reviewer(ocr=FakeOcr((), by_key=table))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--messages", type=int, default=100_000)
    ap.add_argument("--conversations", type=int, default=220)
    ap.add_argument("--chains", type=int, default=120)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args()
    meta = generate(args.out, args.messages, args.conversations, args.chains, args.seed)
    print(f"{meta['messages']} messages, {meta['conversations']} conversations, {len(meta['chains'])} chains")


if __name__ == "__main__":
    main()
