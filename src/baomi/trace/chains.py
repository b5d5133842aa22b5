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

import numpy as np

from baomi.trace.fingerprint import NUM_PERM, Fingerprints, hamming

BANDS, ROWS = 32, 4  # 32 bands × 4 rows: pairs above ~0.6 Jaccard almost always meet in a band
assert BANDS * ROWS == NUM_PERM
MIN_AGREEMENT = 0.7  # share of MinHash values two near-copies must agree on (≈ Jaccard)
IMAGE_BANDS = 8  # 8 bands of 8 bits: two hashes within 7 bits always share one
MAX_IMAGE_DISTANCE = 8
MAX_BUCKET_CHECKS = 32  # each member is checked against at most this many earlier ones
MAX_PARENT_CANDIDATES = 500  # earlier copies looked at when choosing where a copy came from
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


KIND_TEXT, KIND_FILE, KIND_NEAR, KIND_IMAGE = 0, 1, 2, 3


def bucket_keys(items: list[TraceItem]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The join as rows (bucket, message index, kind), all int64, for a grouped
    aggregation (Ray Data): messages that share a bucket are candidate copies. Only the
    first message of each exact text or image value gets band rows; the others join it
    through their exact bucket, so a notice forwarded everywhere costs one row each."""
    buckets, indexes, kinds = [], [], []
    seen_text, seen_image = set(), set()
    sig_rows, sig_index, img_rows, img_index = [], [], [], []
    for item in items:
        fp = item.fingerprints
        if fp.text:
            buckets.append(int(fp.text[:15], 16))
            indexes.append(item.index)
            kinds.append(KIND_TEXT)
            if fp.minhash and fp.text not in seen_text:
                sig_rows.append(fp.minhash)
                sig_index.append(item.index)
            seen_text.add(fp.text)
        for key in fp.files:
            buckets.append(int(key[:15], 16))
            indexes.append(item.index)
            kinds.append(KIND_FILE)
        for phash in fp.images:
            buckets.append(phash & 0x7FFFFFFFFFFFFFFF)
            indexes.append(item.index)
            kinds.append(KIND_IMAGE)  # an exact perceptual value
            if phash not in seen_image:
                img_rows.append(phash)
                img_index.append(item.index)
            seen_image.add(phash)
    parts_b = [np.asarray(buckets, dtype=np.int64)]
    parts_i = [np.asarray(indexes, dtype=np.int64)]
    parts_k = [np.asarray(kinds, dtype=np.int64)]
    if sig_rows:
        sigs = np.asarray(sig_rows, dtype=np.int64)
        for band in range(BANDS):
            parts_b.append(_band_key(sigs[:, band * ROWS : (band + 1) * ROWS]) * 64 + band)
            parts_i.append(np.asarray(sig_index, dtype=np.int64))
            parts_k.append(np.full(len(sig_rows), KIND_NEAR))
    if img_rows:
        values = np.asarray(img_rows, dtype=np.uint64)
        for band in range(IMAGE_BANDS):
            parts_b.append(((values >> np.uint64(8 * band)) & np.uint64(0xFF)).astype(np.int64) * 16 + band)
            parts_i.append(np.asarray(img_index, dtype=np.int64))
            parts_k.append(np.full(len(img_rows), KIND_IMAGE + 8))  # +8: a band, not a value
    return np.concatenate(parts_b), np.concatenate(parts_i), np.concatenate(parts_k)


def candidates_in_bucket(indexes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Candidate pairs (earlier, later) of one bucket: each member with at most
    `MAX_BUCKET_CHECKS` members before it."""
    order = np.sort(indexes)
    firsts, seconds = [], []
    for d in range(1, min(MAX_BUCKET_CHECKS, len(order) - 1) + 1):
        firsts.append(order[:-d])
        seconds.append(order[d:])
    if not firsts:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    return np.concatenate(firsts), np.concatenate(seconds)


def verify_links(items: list[TraceItem], a: np.ndarray, b: np.ndarray):
    """The candidate pairs that really are copies (see `match`)."""
    for i, j in zip(a.tolist(), b.tolist(), strict=True):
        kind = match(items[i].fingerprints, items[j].fingerprints)
        if kind:
            yield i, j, kind


def local_links(items: Iterable[TraceItem]) -> Iterator[tuple[int, int, str]]:
    """All verified links, found in this process: exact keys by dictionary, MinHash and
    pHash bands by sorting band values with numpy. Only the first message of each exact
    text or image value enters the bands (the others join it by the exact key), so an
    archive full of one forwarded notice costs no more than one copy of it."""
    exact: dict[str, list[int]] = defaultdict(list)
    sig_index, sigs, img_index, imgs = [], [], [], []
    for item in items:
        fp = item.fingerprints
        if fp.text:
            exact["t:" + fp.text].append(item.index)
            if fp.minhash and len(exact["t:" + fp.text]) == 1:
                sig_index.append(item.index)
                sigs.append(fp.minhash)
        for key in fp.files:
            exact["f:" + key].append(item.index)
        for phash in fp.images:
            exact[f"i:{phash}"].append(item.index)
            if len(exact[f"i:{phash}"]) == 1:
                img_index.append(item.index)
                imgs.append(phash)
    labels = {"t": "text_exact", "f": "file", "i": "image"}
    for key, members in exact.items():
        yield from ((a, b, labels[key[0]]) for a, b in pairwise(members))
    if sigs:
        values = np.asarray(sigs, dtype=np.int64)
        yield from _banded(
            np.asarray(sig_index),
            values,
            [values[:, b * ROWS : (b + 1) * ROWS] for b in range(BANDS)],
            "text_near",
        )
    if imgs:
        values = np.asarray(imgs, dtype=np.uint64)
        bands = [(values >> np.uint64(8 * b)) & np.uint64(0xFF) for b in range(IMAGE_BANDS)]
        yield from _banded(np.asarray(img_index), values, [b[:, None] for b in bands], "image")


def _band_key(columns: np.ndarray) -> np.ndarray:
    """One int64 per row from a band's columns (equal rows, equal keys; a rare collision
    only adds a candidate, which verification then rejects)."""
    columns = columns.astype(np.int64)
    key = columns[:, 0].copy()
    for c in range(1, columns.shape[1]):
        key = key * np.int64(1_000_003) ^ columns[:, c]
    return key


def _banded(index: np.ndarray, values: np.ndarray, bands: list[np.ndarray], label: str):
    """Links among rows sharing a band value, verified on the whole value. Each row is
    compared with at most `MAX_BUCKET_CHECKS` earlier ones per band."""
    uniq, reps, n = values, index, len(values)
    candidates = []
    for band in bands:
        keys = _band_key(band)
        order = np.lexsort((reps, keys))
        sorted_keys = keys[order]
        for d in range(1, min(MAX_BUCKET_CHECKS, n - 1) + 1):
            hit = sorted_keys[d:] == sorted_keys[:-d]
            if not hit.any():
                break
            candidates.append(order[:-d][hit].astype(np.int64) * n + order[d:][hit])
    if not candidates:
        return
    pairs = np.sort(np.concatenate(candidates))
    pairs = pairs[np.concatenate(([True], pairs[1:] != pairs[:-1]))]
    for start in range(0, len(pairs), 50_000):
        chunk = pairs[start : start + 50_000]
        a, b = chunk // n, chunk % n
        if label == "text_near":
            ok = (uniq[a] == uniq[b]).mean(axis=1) >= MIN_AGREEMENT
        else:
            ok = np.bitwise_count(uniq[a] ^ uniq[b]) <= MAX_IMAGE_DISTANCE
        for x, y in zip(reps[a[ok]].tolist(), reps[b[ok]].tolist(), strict=True):
            yield x, y, label


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
        if len(indexes) < 2 or not any(items[i].flagged for i in indexes):
            continue
        copies = sorted((items[i] for i in indexes), key=lambda it: (it.time, it.index))
        for tree in _trees(copies, kinds, members):
            if len(tree) > 1 and any(c.flagged for c, _ in tree):
                chains.append(_chain(tree, members, kinds, item_id))
    chains.sort(key=lambda c: (c.origin.time, c.origin.index))
    return chains


def _link(a: TraceItem, b: TraceItem, kinds: dict[tuple[int, int], str]) -> str | None:
    """How two copies match directly (a verified link, or their fingerprints compared
    here: the join keeps one link per group of identical values); None when they do not."""
    return kinds.get((min(a.index, b.index), max(a.index, b.index))) or match(a.fingerprints, b.fingerprints)


def match(x: Fingerprints, y: Fingerprints) -> str | None:
    """The way two messages' fingerprints say they are copies, or None."""
    if x.text and x.text == y.text:
        return "text_exact"
    if set(x.files) & set(y.files):
        return "file"
    if any(hamming(p, q) <= MAX_IMAGE_DISTANCE for p in x.images for q in y.images):
        return "image"
    if x.minhash and y.minhash:
        same = sum(p == q for p, q in zip(x.minhash, y.minhash, strict=True))
        if same / NUM_PERM >= MIN_AGREEMENT:
            return "text_near"
    return None


def _trees(copies, kinds, members) -> list[list[tuple[TraceItem, TraceItem | None]]]:
    """Split a group of copies into spreading trees: each copy comes from an earlier copy it
    matches directly (so a hop always joins two real copies); a copy that matches no earlier
    one starts a tree of its own. At most `MAX_PARENT_CANDIDATES` earlier copies are looked at."""
    tree_of: dict[int, int] = {}
    trees: list[list[tuple[TraceItem, TraceItem | None]]] = []
    for pos, copy in enumerate(copies):
        earlier = [e for e in copies[max(0, pos - MAX_PARENT_CANDIDATES) : pos] if _link(copy, e, kinds)]
        if not earlier:
            tree_of[copy.index] = len(trees)
            trees.append([(copy, None)])
            continue
        parent = _parent(copy, earlier, members)
        tree_of[copy.index] = tree_of[parent.index]
        trees[tree_of[copy.index]].append((copy, parent))
    return trees


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


def _chain(tree, members, kinds, item_id) -> Chain:
    copies = [c for c, _ in tree]
    origin = copies[0]
    rules = tuple(sorted({r for c in copies for r in c.rules}))
    hops = []
    for copy, parent in tree[1:]:
        link = _link(copy, parent, kinds)
        hop = Hop(
            parent.conversation,
            copy.conversation,
            copy.sender,
            copy.time,
            copy.msgid,
            link,
            copy.recalled,
            copy.index,
            parent.index,
        )
        hops.append(hop)
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
