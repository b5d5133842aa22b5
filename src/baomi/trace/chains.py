"""How flagged content spread: chains of copies with their hops.

Copies are grouped by the links of `baomi.trace.join`. Within a group, each copy (in time
order) comes from an earlier copy it matches directly, preferring the latest one in a
conversation its sender is a member of (where they could have seen it); a copy that
matches no earlier copy starts a tree of its own. Each tree that holds a flagged message
is a chain: its earliest copy is the origin, the others are hops.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from baomi.trace.fingerprint import Fingerprints
from baomi.trace.join import local_links, match

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
