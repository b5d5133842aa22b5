"""The inverted index of keyed fingerprints, loaded once, and matching against it.

A text matches a registered document when a large enough share of its fingerprints
(containment: shared / the text's own, over fingerprints that are not common to many
registered documents) is found in that one document, and enough of them in number.
Containment is measured against the text, so one photographed page of a 30-page
document scores as well as the whole document would.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass

import numpy as np

from baomi.model import Finding, Reason, Span
from baomi.registry.fingerprint import fingerprints, label_hash
from baomi.registry.store import DocumentRecord, RegistryStore
from baomi.text.normalise import NormalisedText, normalise

# A fingerprint found in more registered documents than this is a stock phrase.
COMMON_MIN_DOCS = 5
COMMON_SHARE = 0.01
REFRESH_SECONDS = 2.0

_TITLE_MARKS = re.compile(r"《([^《》\n]{2,80})》")
_ABOUT_TITLE = re.compile(
    r"关于[^，。,；;！？!?《》\n]{2,60}?的(?:通知|意见|方案|报告|决定|办法|规定|纪要|批复|请示|函|通报|计划|细则|要点)"
)
_DOC_NUMBER = re.compile(r"([\u4e00-\u9fff]{2,12})〔(?:19|20)\d\d〕\d{1,5}号")


@dataclass(frozen=True, slots=True)
class RegistryMatch:
    """The best registered document for a text, and how much of the text it explains."""

    document: DocumentRecord
    shared: int
    total: int
    pages: tuple[int, ...]
    span: tuple[int, int]

    @property
    def containment(self) -> float:
        return self.shared / self.total if self.total else 0.0


@dataclass(frozen=True, slots=True)
class LabelMatch:
    document: DocumentRecord
    kind: str  # "title" | "number"
    span: tuple[int, int]


class RegistryIndex:
    """Fingerprints of every active registered document, in sorted arrays."""

    def __init__(self, store: RegistryStore) -> None:
        self.store = store
        self._checked = 0.0
        self._load()

    def _load(self) -> None:
        self.generation = self.store.generation
        docs = self.store.documents(status="active")
        self.documents = docs
        position = {d.id: i for i, d in enumerate(docs)}
        hashes, doc_of, page_of = [], [], []
        for doc_id, page, blob in self.store.active_pages():
            h = np.frombuffer(blob, dtype="<u8")
            hashes.append(h)
            doc_of.append(np.full(len(h), position[doc_id], dtype=np.int32))
            page_of.append(np.full(len(h), page, dtype=np.int32))
        h = np.concatenate(hashes) if hashes else np.empty(0, dtype=np.uint64)
        d = np.concatenate(doc_of) if doc_of else np.empty(0, dtype=np.int32)
        p = np.concatenate(page_of) if page_of else np.empty(0, dtype=np.int32)
        order = np.lexsort((d, h))
        h, d, p = h[order], d[order], p[order]
        # document frequency of each hash: count distinct (hash, doc) pairs per hash
        first_of_pair = np.ones(len(h), dtype=bool)
        first_of_pair[1:] = (h[1:] != h[:-1]) | (d[1:] != d[:-1])
        uniq, start = np.unique(h, return_index=True)
        df = np.add.reduceat(first_of_pair.astype(np.int32), start) if len(h) else np.empty(0, np.int32)
        limit = max(COMMON_MIN_DOCS, int(COMMON_SHARE * len(docs)))
        common = uniq[df > limit]
        self.common = set(common.tolist())
        keep = ~np.isin(h, common) if len(common) else slice(None)
        h, self.doc_of, self.page_of = h[keep], d[keep], p[keep]
        self._pair_first = first_of_pair[keep]  # first posting of its fingerprint in its document
        # distinct fingerprints (sorted) and where the postings of each start
        new = np.ones(len(h), dtype=bool)
        new[1:] = h[1:] != h[:-1]
        self.hashes = h[new]
        self.postings = np.append(np.flatnonzero(new), len(h))
        # buckets by the top bits (keyed hashes are uniform: about 5 fingerprints each), so a
        # lookup reads one bucket offset and one short run instead of a binary search
        bits = min(24, max(1, (len(self.hashes) // 8).bit_length()))
        self._shift = np.uint64(64 - bits)
        bounds = np.arange(1, 2**bits, dtype=np.uint64) << self._shift
        self._bucket = np.concatenate(([0], np.searchsorted(self.hashes, bounds), [len(self.hashes)]))
        self._columns = np.arange(max(1, int(np.diff(self._bucket).max())))  # the fullest bucket
        self.titles = {d.title_hash: d for d in docs if d.title_hash}
        self.numbers = {d.number_hash: d for d in docs if d.number_hash}

    def refresh(self, *, force: bool = False) -> None:
        """Reload when the registry file changed (checked at most every 2 s)."""
        now = time.monotonic()
        if not force and now - self._checked < REFRESH_SECONDS:
            return
        self._checked = now
        if self.store.generation != self.generation:
            self._load()

    def __len__(self) -> int:
        return len(self.documents)

    def match(self, text: str | NormalisedText, *, min_shared: int = 1) -> RegistryMatch | None:
        """The registered document sharing the most fingerprints with `text` (or its
        normalised view), if it shares at least `min_shared`. A text sharing fewer with
        the whole index stops after one look at the buckets of its fingerprints."""
        self.refresh()
        if not len(self.hashes):
            return None
        fp = fingerprints(text, self.store.keys, self.store.shingle, self.store.window)
        # compare each fingerprint with every one of its bucket (stock phrases are not there)
        slots = self._bucket[fp.hashes >> self._shift][:, None] + self._columns
        hit, column = (self.hashes.take(slots, mode="clip") == fp.hashes[:, None]).nonzero()
        if len(hit) < max(1, min_shared):  # most texts share nothing with the registry: stop here
            return None
        found = slots[hit, column]
        listed = found.tolist()
        if len(set(listed)) < len(listed) or max(listed) >= len(self.hashes):
            # a fingerprint twice in the text, or a slot past the end of the index (it reads
            # the last fingerprint again): keep each found fingerprint once, at its first place
            first: dict[int, int] = {}
            for i, f in zip(hit.tolist(), listed, strict=True):
                if f < len(self.hashes):
                    first.setdefault(f, i)
            if len(first) < min_shared:
                return None
            found = np.fromiter(first, dtype=np.intp, count=len(first))
            hit = np.fromiter(first.values(), dtype=np.intp, count=len(first))
        start = self.postings[found]
        n = self.postings[found + 1] - start
        ends = n.cumsum()
        if ends[-1] == len(n):  # each fingerprint on one page of one document
            query_of, rows = hit, start
        else:  # every posting of every found fingerprint
            query_of = hit.repeat(n)
            rows = np.arange(ends[-1]) + (start - ends + n).repeat(n)
        docs = self.doc_of[rows]
        counts = np.bincount(docs[self._pair_first[rows]])  # a document once per fingerprint
        best = int(counts.argmax())
        shared = int(counts[best])
        if shared < min_shared:
            return None
        in_best = docs == best
        pages = tuple(sorted(set(self.page_of[rows[in_best]].tolist())))
        own = len(set(fp.hashes.tolist()) - self.common)  # the text's, stock phrases aside
        return RegistryMatch(self.documents[best], shared, own, pages, fp.original_span(query_of[in_best]))

    def labels(self, text: str | NormalisedText) -> list[LabelMatch]:
        """Registered titles and 文号 that `text` (or its normalised view) quotes."""
        self.refresh()
        if not (self.titles or self.numbers):
            return []
        norm = text if isinstance(text, NormalisedText) else normalise(text)
        keys = self.store.keys
        found: list[LabelMatch] = []
        seen: set[tuple[str, str]] = set()

        def add(doc: DocumentRecord | None, kind: str, start: int, end: int) -> None:
            if doc is not None and (doc.id, kind) not in seen:
                seen.add((doc.id, kind))
                found.append(LabelMatch(doc, kind, norm.to_original(start, end)))

        if self.numbers and "〔" in norm.text:  # the issuer's abbreviation is in the Han run before 〔
            for m in _DOC_NUMBER.finditer(norm.text):
                prefix = m.group(1)
                for cut in range(len(prefix) - 1):
                    number = m.group()[cut:]
                    doc = self.numbers.get(label_hash("number", number, keys, normalised=True))
                    if doc is not None:
                        add(doc, "number", m.start() + cut, m.end())
                        break
        if self.titles and "关于" in norm.text:
            for m in _ABOUT_TITLE.finditer(norm.text):
                doc = self.titles.get(label_hash("title", m.group(), keys, normalised=True))
                add(doc, "title", *m.span())
        if self.titles:  # a title line of a page, without book-title marks
            at = 0
            for line in norm.text.split("\n"):
                if 4 <= len(line.strip()) <= 80:
                    add(
                        self.titles.get(label_hash("title", line, keys, normalised=True)),
                        "title",
                        at,
                        at + len(line),
                    )
                at += len(line) + 1
        return found

    def findings(
        self, text: str | NormalisedText, source: str, *, min_containment: float, min_shared: int
    ) -> list[Finding]:
        """R01 for reproduced content, R03 for a quoted title or 文号 (masked evidence);
        `text` may be the normalised view the caller has already made."""
        norm = text if isinstance(text, NormalisedText) else normalise(text)
        out: list[Finding] = []
        # a text this short cannot hold `min_shared` fingerprints
        m = self.match(norm, min_shared=min_shared) if len(norm.text) >= 4 * min_shared else None
        if m is not None and m.containment >= min_containment:
            where = f"第{'、'.join(map(str, m.pages[:5]))}页" if m.pages else ""
            out.append(
                Finding(
                    rule="R01",
                    span=Span(*m.span, source),
                    evidence=f"登记涉密文件 {m.document.id}（{m.document.marking}）{where}",
                    detector="registry",
                    score=min(1.0, 0.6 + m.containment),
                    reasons=(
                        Reason(
                            "registry",
                            f"与登记的{m.document.level}级文件 {m.document.id} 内容相符："
                            f"{m.shared}/{m.total} 个指纹（{m.containment:.0%}）",
                            m.containment,
                        ),
                    ),
                )
            )
        for label in self.labels(norm):
            what = "文号" if label.kind == "number" else "标题"
            out.append(
                Finding(
                    rule="R03",
                    span=Span(*label.span, source),
                    evidence=f"{what}**（登记涉密文件 {label.document.id}，{label.document.marking}）",
                    detector="registry",
                    score=1.0,
                    reasons=(Reason("registry", f"{what}与登记的涉密文件 {label.document.id} 相同", 1.0),),
                )
            )
        return out
