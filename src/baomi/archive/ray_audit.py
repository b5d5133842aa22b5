"""The audit on Ray Data: the review as `map_batches` over a pool of actors, each holding
one Reviewer; the propagation join as a grouped aggregation (`groupby(bucket)` →
`map_groups`) over (bucket, message) rows, its candidate pairs verified after.

`RAY_ADDRESS` or `--ray-address ray://…` picks a cluster; without either, a local Ray
instance starts (or the one this process already started is used).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterator

import numpy as np

from baomi.archive.audit import ReviewerFactory, review_payloads
from baomi.trace import Fingerprinter, TraceItem
from baomi.trace.join import bucket_keys, candidates_in_bucket, verify_links

WINDOW_CHUNKS = 64  # chunks handed to Ray at a time: the driver never holds a whole export


def _ray(address: str | None):
    import ray

    if not ray.is_initialized():
        ray.init(address=address or None, include_dashboard=False, log_to_driver=False)
    return ray


class _ReviewActor:
    """One Reviewer per actor, built once; a batch is a list of JSON payloads."""

    def __init__(self, factory: ReviewerFactory, key: bytes) -> None:
        self.reviewer = factory()
        self.fingerprinter = Fingerprinter(key)

    def __call__(self, batch: dict[str, np.ndarray]) -> dict[str, list]:
        payloads = [json.loads(p) for p in batch["payload"]]
        results = review_payloads(payloads, self.reviewer, self.fingerprinter)
        return {"chunk": list(batch["chunk"]), "result": [json.dumps(r, ensure_ascii=False) for r in results]}


def review_on_ray(
    chunks: Iterator[tuple[int, list[dict]]],
    factory: ReviewerFactory,
    key: bytes,
    address: str | None,
    finish: Callable[[int, list[dict]], None],
) -> None:
    """Review chunks on Ray, `WINDOW_CHUNKS` at a time; `finish(chunk, results)` per chunk."""
    ray = _ray(address)
    actors = max(1, int(ray.cluster_resources().get("CPU", 1)))
    window: list[tuple[int, list[dict]]] = []

    def flush() -> None:
        rows = [
            {"chunk": n, "payload": json.dumps(p, ensure_ascii=False)} for n, batch in window for p in batch
        ]
        out = ray.data.from_items(rows).map_batches(
            _ReviewActor,
            fn_constructor_kwargs={"factory": factory, "key": key},
            batch_size=max(len(b) for _, b in window),
            compute=ray.data.ActorPoolStrategy(size=actors),
            batch_format="numpy",
        )
        by_chunk: dict[int, list[dict]] = defaultdict(list)
        for row in out.iter_rows():
            by_chunk[int(row["chunk"])].append(json.loads(row["result"]))
        for n, _ in window:
            finish(n, by_chunk[n])
        window.clear()

    for item in chunks:
        window.append(item)
        if len(window) >= WINDOW_CHUNKS:
            flush()
    if window:
        flush()


def _pairs_of_group(group: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    first, second = candidates_in_bucket(group["index"])
    return {"a": first, "b": second}


def links_on_ray(items: list[TraceItem]) -> list[tuple[int, int, str]]:
    """Verified links, the bucket join done by Ray Data as a grouped aggregation."""
    import pyarrow as pa

    ray = _ray(None)
    buckets, indexes, kinds = bucket_keys(items)
    if not len(buckets):
        return []
    # one group per (bucket, kind): a text key and a band value never share a group
    table = pa.table({"bucket": buckets * 16 + kinds, "index": indexes, "kind": kinds})
    pairs = ray.data.from_arrow(table).groupby("bucket").map_groups(_pairs_of_group, batch_format="numpy")
    a, b = [], []
    for batch in pairs.iter_batches(batch_format="numpy", batch_size=100_000):
        a.append(batch["a"])
        b.append(batch["b"])
    if not a:
        return []
    a, b = np.concatenate(a), np.concatenate(b)
    unique = np.unique(np.stack([a, b]), axis=1)
    return list(verify_links(items, unique[0], unique[1]))
