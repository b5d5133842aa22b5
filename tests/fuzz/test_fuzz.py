"""The fuzzer itself: every seed is read and its marking found, the oracle tells the
three kinds of allowed input apart, and a short bounded run finds nothing."""

import io
import random
import zipfile

import pytest

from baomi import Reviewer
from baomi.fuzz import oracle
from baomi.fuzz.mutate import mutate
from baomi.fuzz.run import fuzz
from baomi.fuzz.seeds import CANARY, all_seeds, pdf_seed, text_seeds, zip_of
from baomi.ocr import FakeOcr

SEEDS = all_seeds()


@pytest.mark.parametrize("seed", [s for s in SEEDS if s.reference != "image"], ids=lambda s: s.name)
def test_every_unmutated_seed_is_marked_and_found(tmp_path, seed):
    assert oracle.verdict(seed, seed.data) == oracle.MARKED
    reviewer = Reviewer(ocr=FakeOcr())
    if seed.reference == "message":
        verdict = reviewer.review(seed.data.decode(), "direct")
    else:
        path = tmp_path / f"seed{seed.suffix}"
        path.write_bytes(seed.data)
        verdict = reviewer.review("", "direct", attachments=[path])
    assert "R01" in verdict.rules and "X01" not in verdict.rules


@pytest.mark.parametrize("seed", [s for s in SEEDS if s.reference == "image"], ids=lambda s: s.name)
def test_image_seeds_decode_and_truncated_ones_do_not(seed):
    assert oracle.verdict(seed, seed.data) == oracle.BENIGN
    assert oracle.verdict(seed, seed.data[: len(seed.data) // 3]) == oracle.UNREADABLE


def test_oracle_tells_unreadable_marked_and_benign_apart():
    docx = next(s for s in SEEDS if s.name == "notice.docx")
    assert oracle.verdict(docx, docx.data[:200]) == oracle.UNREADABLE  # zip directory gone
    with zipfile.ZipFile(io.BytesIO(docx.data)) as zf:
        parts = {i.filename: zf.read(i) for i in zf.infolist()}
    body = parts["word/document.xml"]
    parts["word/document.xml"] = body.replace(CANARY.encode(), "关于工程的通知".encode())
    assert oracle.verdict(docx, zip_of(parts)) == oracle.BENIGN  # the marking is gone
    parts["word/document.xml"] = body.replace(b"<w:body>", b"<w:body><w:zz/>")
    assert oracle.verdict(docx, zip_of(parts)) == oracle.MARKED
    pdf = pdf_seed()
    assert oracle.verdict(pdf, b"%PDF-1.4 nothing else") == oracle.UNREADABLE
    utf8 = text_seeds()[0]
    assert oracle.verdict(utf8, utf8.data.replace("机密".encode(), "公开".encode())) == oracle.BENIGN


def test_mutations_are_reproducible_and_change_the_input():
    for seed in SEEDS:
        first = mutate(seed, random.Random(11))
        assert first == mutate(seed, random.Random(11))
    changed = sum(mutate(s, random.Random(n)) != s.data for n in range(5) for s in SEEDS)
    assert changed >= 0.9 * 5 * len(SEEDS)


def test_short_run_finds_nothing(tmp_path):
    """About 20 mutated inputs per seed; `make fuzz` runs 100,000 and more."""
    tally = fuzz(20 * len(SEEDS), workers=2, run_seed=7, timeout=30.0, out=tmp_path)
    report = tally.report()
    assert report["inputs"] == 20 * len(SEEDS)
    assert tally.ok, (report, tally.failures[:5])
    assert report["answered_x01"] and report["answered_r01"] and report["allowed_benign"]


def test_marking_between_two_titles_is_found():
    """Found by make fuzz (input 36219 of seed 101): a 关于…通知 span hid the marking in it."""
    from baomi import review

    assert "R01" in review("关于工程的机密★5年 关于工程的通知").rules
