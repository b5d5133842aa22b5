"""Fingerprints and chains on their own: copies link, look-alikes do not."""

import random
from datetime import datetime

import pytest
from PIL import Image, ImageDraw

from baomi.trace import Fingerprinter, Fingerprints, TraceItem, build_chains
from baomi.trace.fingerprint import hamming, image_phash, normalise
from baomi.trace.join import local_links

KEY = b"k" * 32
TEXT = "机密★1年 关于滨河新区征地补偿的工作方案（第7稿）：涉及资金3200万元，41户，5月18日前完成，会后统一收回"


def test_normalise_ignores_spacing_punctuation_and_width():
    assert normalise("机密★ 1年，关于ＡＢ") == normalise("机密1年关于ab")


def test_keyed_hashes_depend_on_the_key():
    a, b = Fingerprinter(KEY), Fingerprinter(b"x" * 32)
    assert a.of_text(TEXT)[0] == a.of_text(TEXT + "。")[0]
    assert a.of_text(TEXT)[0] != b.of_text(TEXT)[0]
    assert a.of_text(TEXT)[1] != b.of_text(TEXT)[1]  # MinHash coefficients come from the key
    assert a.of_text("收到，谢谢")[0] is None  # too short to link anything


def _items(texts, convs=None):
    fp = Fingerprinter(KEY)
    items = []
    for i, text in enumerate(texts):
        key, sig = fp.of_text(text)
        items.append(
            TraceItem(
                i,
                "a",
                (convs or [f"c{j}" for j in range(len(texts))])[i],
                "work_group",
                f"u{i}",
                1000.0 + i,
                f"m{i}",
                Fingerprints(key, sig),
                ("R01",),
                i == 0,
            )
        )
    return items


def test_retyped_copies_link_and_other_documents_of_the_same_template_do_not():
    edited = TEXT.replace("的", "").replace("，41户", "41户 ") + "（转）"
    other = (
        TEXT.replace("滨河新区", "高铁新城")
        .replace("3200", "870")
        .replace("41户", "9户")
        .replace("5月18", "11月2")
    )
    links = {(i, j) for i, j, _ in local_links(_items([TEXT, edited, other]))}
    assert (0, 1) in links
    assert not {(0, 2), (1, 2)} & links


def _page(seed: int) -> Image.Image:
    rng = random.Random(seed)
    im = Image.new("RGB", (240, 180), (rng.randint(40, 160),) * 3)
    d = ImageDraw.Draw(im)
    x, y = rng.randint(0, 60), rng.randint(0, 30)
    d.rectangle((x, y, x + 170, y + 150), fill=(245, 245, 245))
    for k in range(8):
        d.rectangle(
            (x + 6, y + 20 + 14 * k, x + 6 + rng.randint(60, 150), y + 28 + 14 * k), fill=(30, 30, 30)
        )
    d.rectangle((x + rng.randint(5, 90), y + 100, x + 160, y + 140), fill=(rng.randint(0, 99),) * 3)
    return im


def _save(im, path, quality):
    im.save(path, "JPEG", quality=quality)
    return path


def test_phash_survives_resizing_and_recompression_but_tells_pages_apart(tmp_path):
    original = _page(1)
    a = image_phash(_save(original, tmp_path / "a.jpg", 90))
    small = original.resize((170, 128))
    b = image_phash(_save(small, tmp_path / "b.jpg", 55))
    c = image_phash(_save(_page(2), tmp_path / "c.jpg", 90))
    assert hamming(a, b) <= 4
    assert hamming(a, c) > 10
    (tmp_path / "bad.jpg").write_bytes(b"\xff\xd8 not really")
    assert image_phash(tmp_path / "bad.jpg") is None


def test_file_hash_for_documents(tmp_path):
    doc = tmp_path / "x.docx"
    doc.write_bytes(b"PK\x03\x04 same bytes")
    fp = Fingerprinter(KEY).of_message("", [doc, tmp_path / "missing.pdf"])
    assert len(fp.files) == 1 and not fp.images


def test_chain_hops_follow_members_and_keep_recalls():
    # A (work group) → B posts to family group → C (member of the family group) posts to classmates
    fp = Fingerprinter(KEY)
    key, sig = fp.of_text(TEXT)
    t0 = datetime(2024, 3, 1, 9).timestamp()
    rows = [
        ("work", "work_group", "u1"),
        ("family", "external_group", "u2"),
        ("class", "external_group", "u3"),
        ("other", "work_group", "u9"),
    ]
    items = [
        TraceItem(
            i,
            "a",
            conv,
            ch,
            who,
            t0 + 600 * i,
            f"m{i}",
            Fingerprints(key, sig),
            ("R01",),
            i == 0,
            recalled=i == 1,
        )
        for i, (conv, ch, who) in enumerate(rows)
    ]
    members = {
        "work": {"u1", "u2", "u5"},
        "family": {"u2", "u3", "u6"},
        "class": {"u3", "u7"},
        "other": {"u9"},
    }
    (chain,) = build_chains(items, members)
    assert chain.origin.msgid == "m0"
    assert [(h.from_conversation, h.to_conversation) for h in chain.hops] == [
        ("work", "family"),
        ("family", "class"),
        ("class", "other"),
    ]
    assert chain.hops[0].recalled and chain.conversations_reached == 4
    assert chain.people_reached == 7 and chain.outside_share == 0.5 and chain.first_to_last_s == 1800


def test_unflagged_groups_make_no_chain():
    items = _items([TEXT, TEXT])
    items = [TraceItem(**{**{f: getattr(it, f) for f in it.__slots__}, "flagged": False}) for it in items]
    assert build_chains(items, {}) == []


@pytest.mark.parametrize("n", [1, 300])
def test_one_notice_forwarded_everywhere_is_one_chain(n):
    items = _items([TEXT] * n)
    chains = build_chains(items, {})
    assert len(chains) == (1 if n > 1 else 0)
    if n > 1:
        assert len(chains[0].hops) == n - 1
