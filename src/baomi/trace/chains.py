"""Link copies of one content and tell how it spread.

Copies are joined by exact keys (text, file), by MinHash LSH bands (text with small
edits, verified by the signatures' agreement) and by pHash bands (images, verified by
Hamming distance). Each group of copies that holds a flagged message becomes a chain:
the earliest copy is the origin; every later copy is a hop from the conversation where
its sender most recently could have seen the content (a conversation the sender is a
member of), else from the latest earlier copy.

The grouping is written as `bucket_rows` (a message → its bucket keys) and
`links_in_bucket` (one bucket → verified links), so the same join runs in one process
(`build_chains`) or as a grouped aggregation on Ray Data.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import pairwise

from baomi.trace.fingerprint import NUM_PERM, Fingerprints, hamming

BANDS, ROWS = 16, 4  # 16 bands × 4 rows: pairs above ~0.5 Jaccard meet in a band
assert BANDS * ROWS == NUM_PERM
MIN_AGREEMENT = 0.5  # share of MinHash values two near-copies must agree on
IMAGE_BANDS = 8  # 8 bands of 8 bits: two hashes within 7 bits always share one
MAX_IMAGE_DISTANCE = 10
MAX_BUCKET_CHECKS = 64  # each member is checked against at most this many earlier ones
OUTSIDE = frozenset({"external_group", "moments"})


@dataclass(frozen=True, slots=True)
class TraceItem:
    """What the trace needs of one message (no text)."""

    index: int
    archive: str
    conversation: str
    channel: str
    sender: str
    time: float  # epoch seconds
    msgid: str
    fingerprints: Fingerprints
    rules: tuple[str, ...] = ()
    flagged: bool = False
    recalled: bool = False
    bundle: str | None = None  # msgid of the forwarded bundle this item came in


@dataclass(frozen=True, slots=True)
class Hop:
    from_conversation: str
    to_conversation: str
    sender: str
    time: float
    msgid: str
    link: str
    recalled: bool
    index: int
    parent: int  # index of the copy it came from


@dataclass
class Chain:
    """One content's spread: origin, hops in time order, and what it reached."""

    item: str
    rules: tuple[str, ...]
    origin: TraceItem
    hops: list[Hop] = field(default_factory=list)
    conversations_reached: int = 0
    people_reached: int = 0
    outside_share: float = 0.0
    first_to_last_s: float = 0.0


def bucket_rows(item: TraceItem) -> Iterator[tuple[str, int, object]]:
    """(bucket key, message index, value to verify with) for each bucket of a message."""
    fp = item.fingerprints
    if fp.text:
        yield f"t:{fp.text}", item.index, None
    for key in fp.files:
        yield f"f:{key}", item.index, None
    if fp.minhash:
        sig = fp.minhash
        for band in range(BANDS):
            part = sig[band * ROWS : (band + 1) * ROWS]
            yield f"m{band}:" + ",".join(map(str, part)), item.index, sig
    for phash in fp.images:
        for band in range(IMAGE_BANDS):
            yield f"i{band}:{(phash >> (8 * band)) & 0xFF}", item.index, phash


def links_in_bucket(key: str, members: list[tuple[int, object]]) -> list[tuple[int, int, str]]:
    """Verified links (i, j, kind) among the members of one bucket, at most
    `MAX_BUCKET_CHECKS` checks per member (a bound on the work any archive causes)."""
    members = sorted(members, key=lambda m: m[0])
    kind = key[0]
    if kind in "tf":  # exact keys: a chain through the members is enough
        label = "text_exact" if kind == "t" else "file"
        return [(a[0], b[0], label) for a, b in pairwise(members)]
    links = []
    for pos, (j, value) in enumerate(members):
        for i, other in members[max(0, pos - MAX_BUCKET_CHECKS) : pos]:
            if kind == "m":
                same = sum(x == y for x, y in zip(value, other, strict=True)) / NUM_PERM
                if same >= MIN_AGREEMENT:
                    links.append((i, j, "text_near"))
            elif hamming(value, other) <= MAX_IMAGE_DISTANCE:
                links.append((i, j, "image"))
    return links


def local_links(items: Iterable[TraceItem]) -> Iterator[tuple[int, int, str]]:
    """All verified links, grouping buckets in this process's memory."""
    buckets: dict[str, list[tuple[int, object]]] = defaultdict(list)
    for item in items:
        for key, index, value in bucket_rows(item):
            buckets[key].append((index, value))
    for key, members in buckets.items():
        if len(members) > 1:
            yield from links_in_bucket(key, members)


class _Components:
    def __init__(self) -> None:
        self.parent: dict[int, int] = {}

    def find(self, x: int) -> int:
        root = self.parent.setdefault(x, x)
        while root != self.parent[root]:
            root = self.parent[root]
        while x != root:
            self.parent[x], x = root, self.parent[x]
        return root

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def build_chains(
    items: list[TraceItem],
    members: dict[str, set[str]],
    links: Iterable[tuple[int, int, str]] | None = None,
    item_id=None,
) -> list[Chain]:
    """Chains of every group of copies that holds a flagged message. `items[i].index == i`;
    `members` maps a conversation to the people in it; `links` defaults to `local_links`;
    `item_id(origin)` names a chain (default: archive/msgid of its origin)."""
    comps = _Components()
    kinds: dict[tuple[int, int], str] = {}
    for i, j, kind in local_links(items) if links is None else links:
        comps.union(i, j)
        kinds.setdefault((min(i, j), max(i, j)), kind)
    groups: dict[int, list[int]] = defaultdict(list)
    for x in list(comps.parent):
        groups[comps.find(x)].append(x)
    chains = []
    for indexes in groups.values():
        copies = sorted((items[i] for i in indexes), key=lambda it: (it.time, it.index))
        if len(copies) < 2 or not any(c.flagged for c in copies):
            continue
        chains.append(_chain(copies, members, kinds, item_id))
    chains.sort(key=lambda c: (c.origin.time, c.origin.index))
    return chains


def _parent(copy: TraceItem, earlier: list[TraceItem], members: dict[str, set[str]]) -> TraceItem:
    seen_there = [
        e
        for e in earlier
        if copy.sender in members.get(e.conversation, ()) and e.conversation != copy.conversation
    ]
    if seen_there:
        return seen_there[-1]
    elsewhere = [e for e in earlier if e.conversation != copy.conversation]
    return (elsewhere or earlier)[-1]


def _chain(copies, members, kinds, item_id) -> Chain:
    origin = copies[0]
    rules = tuple(sorted({r for c in copies for r in c.rules}))
    hops = []
    for pos, copy in enumerate(copies[1:], start=1):
        parent = _parent(copy, copies[:pos], members)
        link = kinds.get((min(parent.index, copy.index), max(parent.index, copy.index)))
        if copy.bundle and link is None:
            link = "bundle"
        hops.append(
            Hop(
                parent.conversation,
                copy.conversation,
                copy.sender,
                copy.time,
                copy.msgid,
                link or "same_content",
                copy.recalled,
                copy.index,
                parent.index,
            )
        )
    convs = list(dict.fromkeys(c.conversation for c in copies))
    people = set().union(*(members.get(c, set()) for c in convs))
    outside = sum(1 for c in copies if c.channel in OUTSIDE)
    return Chain(
        item=item_id(origin) if item_id else f"{origin.archive}/{origin.msgid}",
        rules=rules,
        origin=origin,
        hops=hops,
        conversations_reached=len(convs),
        people_reached=len(people),
        outside_share=round(outside / len(copies), 3),
        first_to_last_s=round(copies[-1].time - origin.time, 3),
    )
