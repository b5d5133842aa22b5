"""The join that finds copies: which messages hold the same or nearly the same content.

Exact keys (keyed text hash, file hash, image value) join by equality; near copies meet
in LSH bands (MinHash bands for text, 8-bit pHash bands for images) and are verified on
the whole fingerprint (`match`). `local_links` runs the join in one process with numpy;
`bucket_keys` / `candidates_in_bucket` / `verify_links` are the same join as rows for a
grouped aggregation (Ray Data).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from itertools import pairwise
from typing import TYPE_CHECKING

import numpy as np

from baomi.trace.fingerprint import NUM_PERM, Fingerprints, hamming

if TYPE_CHECKING:
    from baomi.trace.chains import TraceItem

BANDS, ROWS = 32, 4  # 32 bands × 4 rows: pairs above ~0.6 Jaccard almost always meet in a band
assert BANDS * ROWS == NUM_PERM
MIN_AGREEMENT = 0.65  # share of MinHash values two near-copies must agree on (≈ Jaccard)
IMAGE_BANDS = 8  # 8 bands of 8 bits: two hashes within 7 bits always share one
MAX_IMAGE_DISTANCE = 8
MAX_BUCKET_CHECKS = 32  # each member is checked against at most this many earlier ones per band
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
