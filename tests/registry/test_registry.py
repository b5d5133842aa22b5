"""The registry of classified documents: registering, matching, retiring, and what the
file would give away if stolen (nothing)."""

from __future__ import annotations

import hashlib
import random
import sqlite3
import zlib

import numpy as np
import pytest

from baomi import Reviewer
from baomi.model import Channel, Decision
from baomi.registry import Registry, RegistryError, RegistryKeyError, RegistryKeys, load_keys
from baomi.registry.fingerprint import canonical, fingerprints, winnow
from baomi.text.normalise import normalise
from tests.ocr.test_rapid import needs_ocr
from tests.synth.gongwen import HEADINGS, STOCK, retype

KEY = RegistryKeys.from_secret(b"unit-test-registry-key-000001")

# Bodies written for these tests (not real documents).
BODY = [
    "东区储备库迁往青山路北侧原粮站旧址，西区储备库扩建二期工程年内完工。",
    "新增帐篷三千顶、折叠床五千张、发电机组四十台，由应急管理局统一调度。",
    "储备库值守实行双人双锁，出入库台账每日核对，月底向指挥部书面报告。",
    "跨区调拨须经分管副县长签批，紧急情况下可先调后补，四十八小时内补办手续。",
    "沿江六个乡镇设立前置仓，每仓储备饮用水两万瓶、方便食品一万份。",
    "物资轮换采取以新换旧方式，临期物资优先调往学校和养老机构使用。",
    "各前置仓的坐标、库容和联络方式另附清单，不在本文中列出。",
    "二〇二四年底前完成全部储备库的视频监控联网和温湿度自动报警改造。",
    "对玩忽职守造成物资损毁的，依照有关规定追究相关人员责任。",
    "县财政安排专项资金一千二百万元，分两年拨付，专款专用。",
    "北区储备库选址比选工作由自然资源局牵头，两个备选地块均在高速出口附近。",
    "物资采购采取公开招标与协议供货相结合的方式，协议期三年。",
]
OTHER = [
    "图书馆周末延长开放时间至晚上九点，自习区新增插座一百二十个。",
    "社区食堂推出老年人午餐套餐，每份十二元，可凭卡在服务台办理优惠。",
    "城区公交新开通十八路，途经火车站、人民医院和体育中心。",
    "中小学秋季运动会将于下月举行，设田径、跳绳和拔河三个大项。",
    "菜市场改造完成后摊位统一编号，经营户可在线缴纳管理费。",
    "公园东门停车场即日起实行分时段收费，前半小时免费。",
]
PAGE_1 = "\n".join(["机密★10年", "青禾县应急管理局文件", "关于加强应急物资储备的通知", *BODY[:6]])
PAGE_2 = "\n".join(BODY[6:])


@pytest.fixture()
def registry(tmp_path):
    reg = Registry.open(tmp_path / "registry.db", keys=KEY, create=True)
    reg.add_pages(
        [PAGE_1, PAGE_2],
        level="机密",
        period="10年",
        title="关于加强应急物资储备的通知",
        number="青应急发〔2024〕7号",
        actor="保密办张三",
    )
    return reg


def r01(registry: Registry, text: str) -> bool:
    return any(f.rule == "R01" for f in Reviewer(registry=registry).review(text, "work_group").findings)


def test_a_registered_page_typed_out_is_r01_with_registry_id_and_level(registry):
    verdict = Reviewer(registry=registry).review(BODY[7] + BODY[8] + BODY[9], "moments")
    assert verdict.decision is Decision.BLOCK
    assert {"R01", "R10"} <= set(verdict.rules)  # the learned model may add R06 (issue 8)
    finding = next(f for f in verdict.findings if f.rule == "R01")
    assert "REG-00001" in finding.evidence and "机密★10年" in finding.evidence
    assert "第2页" in finding.evidence
    assert "储备" not in finding.evidence  # masked: no content in the evidence


def test_the_span_points_into_the_original_text(registry):
    text = "刚收到的，大家看看：" + BODY[1] + BODY[2]
    finding = next(f for f in Reviewer(registry=registry).review(text, "direct").findings if f.rule == "R01")
    start = len("刚收到的，大家看看：")
    assert start <= finding.span.start <= start + 8  # from the first kept shingle of the copy
    assert len(text) - 8 <= finding.span.end <= len(text)


def test_an_excerpt_retyped_with_changes_still_matches(registry):
    rng = random.Random(4)
    excerpt = (BODY[0] + BODY[1] + BODY[2])[:100]
    assert r01(registry, retype(excerpt, 0.05, rng, "的一是在不了有和人这中大为"))


def test_disguises_and_layout_noise_do_not_hide_a_copy(registry):
    text = " ".join(BODY[3]) + "\n" + BODY[4].replace("，", "\n")  # spaced out, broken lines
    assert r01(registry, text)
    traditional = "新增帳篷三千頂、折疊床五千張、發電機組四十台，由應急管理局統一調度。" + BODY[2]
    assert r01(registry, traditional)


def test_unrelated_text_and_shared_stock_phrases_do_not_match(registry):
    assert not r01(registry, "".join(OTHER))
    assert not r01(registry, "".join(STOCK))  # every 公文 says these
    assert not r01(registry, BODY[0][:12])  # too short to tell


def test_title_and_number_quoted_are_r03_in_any_bracket_form(registry):
    review = Reviewer(registry=registry).review
    for text in (
        "请看青应急发[2024]7号的要求",
        "青应急发（2024）7号",
        "《关于加强应急物资储备的通知》你看了吗",
        "关于加强应急物资储备的通知\n各乡镇：",
    ):
        verdict = review(text, "work_group")
        assert "R03" in verdict.rules, text
    assert "R03" not in review("请看青应急发〔2024〕8号的要求", "work_group").rules
    assert "R03" not in review("《关于加强防汛物资储备的通知》", "work_group").rules


def test_declassified_and_removed_documents_stop_matching_and_the_decision_is_recorded(registry):
    text = BODY[7] + BODY[8] + BODY[9]
    assert r01(registry, text)
    registry.declassify("REG-00001", actor="保密办李四", reason="保密期限届满")
    assert not r01(registry, text)
    assert "R03" not in Reviewer(registry=registry).review("青应急发〔2024〕7号", "direct").rules
    actions = [(e[2], e[3], e[5]) for e in registry.store.events()]
    assert ("保密办李四", "declassify", "保密期限届满") in actions
    assert registry.store.get("REG-00001").status == "declassified"
    with pytest.raises(RegistryError):
        registry.remove("REG-00001", actor="x")


def test_a_document_added_elsewhere_is_seen_by_a_loaded_index(registry, tmp_path):
    index = registry.index
    other = Registry.open(tmp_path / "registry.db", keys=KEY)
    other.add_pages(["".join(OTHER)], level="秘密", actor="保密办")
    index.refresh(force=True)
    assert r01(registry, "".join(OTHER))


def test_keys_wrong_missing_or_short_are_refused(tmp_path, monkeypatch, registry):
    with pytest.raises(RegistryKeyError, match="密钥不符"):
        Registry.open(registry.store.path, keys=RegistryKeys.from_secret(b"another-key-0000000000"))
    monkeypatch.delenv("BAOMI_REGISTRY_KEY", raising=False)
    with pytest.raises(RegistryKeyError, match="BAOMI_REGISTRY_KEY"):
        load_keys()
    with pytest.raises(RegistryKeyError, match="太短"):
        RegistryKeys.from_secret(b"short")
    key_file = tmp_path / "key"
    key_file.write_bytes(b"unit-test-registry-key-000001\n")
    assert load_keys(key_file) == KEY
    with pytest.raises(RegistryError, match="不存在"):
        Registry.open(tmp_path / "nope.db", keys=KEY)


def test_winnowing_keeps_a_fingerprint_in_every_window():
    h = np.random.default_rng(1).integers(0, 2**63, 200, dtype=np.uint64)
    picked = set(winnow(h, 8).tolist())
    for s in range(200 - 7):
        assert int(s + np.argmin(h[s : s + 8])) in picked


def test_a_registry_of_the_old_format_is_refused_with_a_clear_error(registry):
    path = registry.store.path
    registry.store.close()
    with sqlite3.connect(path) as db:
        db.execute("UPDATE meta SET value = 'baomi-registry/1' WHERE key = 'format'")
    with pytest.raises(RegistryError, match=r"旧版格式.*重新登记"):
        Registry.open(path, keys=KEY)


def test_the_engine_s_normalised_view_gives_the_same_findings(registry):
    policy = Reviewer().policy
    for text in (BODY[7] + BODY[8] + BODY[9], "青应急发（2024）7号", "".join(OTHER)):
        assert registry.findings(normalise(text), "text", policy) == registry.findings(text, "text", policy)


def test_the_bucketed_index_finds_what_a_plain_search_finds(tmp_path):
    """Random registries whose documents hold some of a text's fingerprints, on several
    pages and shared between documents (some become stock phrases), with the text's largest
    fingerprint the largest of the index (the last bucket, read past the end)."""
    rng = random.Random(7)
    text = BODY[0] + BODY[1] + BODY[2] + BODY[0][:20]  # its start again: fingerprints twice
    query = sorted(set(fingerprints(text, KEY).hashes.tolist()))
    gen = np.random.default_rng(7)
    for trial in range(8):
        documents = []
        for _ in range(rng.randint(2, 30)):
            share = rng.random() * 0.6
            pages = [
                set(gen.integers(0, query[-1], rng.randint(0, 80), dtype=np.uint64).tolist())
                | {q for q in query if rng.random() < share}
                for _ in range(rng.randint(1, 4))
            ]
            documents.append(pages)
        rng.choice(documents)[0].add(query[-1])
        registry = Registry.open(tmp_path / f"r{trial}.db", keys=KEY, create=True)
        for pages in documents:
            registry.store.add(
                [np.array(sorted(p), dtype=np.uint64) for p in pages],
                level="秘密",
                period=None,
                title_hash=None,
                number_hash=None,
                actor="test",
            )
        index = registry.index
        own = set(query) - index.common
        shared = [len(own & set().union(*pages)) for pages in documents]
        got = index.match(text, min_shared=1)
        if not max(shared):
            assert got is None
            continue
        best = shared.index(max(shared))
        assert got is not None and got.document.id == f"REG-{best + 1:05d}"
        assert (got.shared, got.total) == (shared[best], len(own))
        assert got.pages == tuple(i for i, page in enumerate(documents[best], start=1) if own & page)


def test_canonical_text_drops_layout_and_maps_back():
    original = "机密★10年\n第 一 段：東区，储备库"
    canon = canonical(original)
    assert canon.text == "机密10年第一段东区储备库"
    at = canon.text.index("储备库")
    start, end = canon.to_original(at, at + 3)
    assert original[start:end] == "储备库"
    start, end = canon.to_original(canon.text.index("东区"), canon.text.index("东区") + 2)
    assert original[start:end] == "東区"


def _stolen_bytes(path) -> bytes:
    return path.read_bytes() + b"".join(p.read_bytes() for p in path.parent.glob(path.name + "-*"))


def test_a_stolen_registry_file_reveals_no_text_and_no_unkeyed_hash(registry):
    # level and period (机密, 10年) are stored by design; content, titles and 文号 are not
    data = _stolen_bytes(registry.store.path)
    phrases = [
        *BODY,
        *STOCK,
        *HEADINGS,
        "关于加强应急物资储备的通知",
        "青应急发〔2024〕7号",
        "青禾县应急管理局文件",
    ]
    canon_texts = [canonical(p).text for p in phrases]
    pieces: set[str] = set()
    for p in [*phrases, *canon_texts]:
        pieces.add(p)
        pieces.update(p[i : i + n] for n in (4, 5, 6) for i in range(len(p) - n + 1))
    for piece in pieces:
        for encoding in ("utf-8", "gb18030", "utf-16-le", "utf-32-le"):
            raw = piece.encode(encoding)
            if len(raw) >= 8:
                assert raw not in data, piece
        for raw in (piece.encode("utf-8"), piece.encode("utf-32-le")):  # fingerprints hash UTF-32
            digests = [hashlib.new(a, raw).digest() for a in ("md5", "sha1", "sha256", "sha512", "sha3_256")]
            # BLAKE2 without the key, at the digest sizes the registry stores
            digests += [hashlib.blake2b(raw, digest_size=n).digest() for n in (8, 16, 64)]
            for digest in digests:
                for form in (digest, digest.hex().encode(), digest[:8], digest[:8][::-1]):
                    assert form not in data, piece
            crc = zlib.crc32(raw).to_bytes(4, "little")
            assert raw not in data and crc * 2 not in data


@pytest.mark.parametrize("channel", list(Channel))
def test_without_a_registry_nothing_changes(channel):
    assert Reviewer().review(BODY[0] + BODY[1], channel).decision is Decision.ALLOW


@needs_ocr
def test_a_photo_of_a_page_without_its_marking_matches_the_registered_document(registry, tmp_path):
    from tests.synth.gongwen import Gongwen
    from tests.synth.pages import phone_photo
    from tests.synth.registry_pages import page_image

    doc = Gongwen(
        "青禾县应急管理局",
        "青应急发〔2024〕7号",
        "关于加强应急物资储备的通知",
        "机密",
        "10年",
        (PAGE_1, PAGE_2),
    )
    photo = tmp_path / "IMG_0001.jpg"
    phone_photo(page_image(doc, 1), seed=3).save(photo, quality=80)  # page 2: no marking on it
    verdict = Reviewer(registry=registry).review("", "external_group", attachments=[photo])
    assert verdict.decision is Decision.BLOCK
    finding = next(f for f in verdict.findings if f.detector == "registry")
    assert (
        finding.rule == "R01" and finding.span.source.startswith("att1") and "REG-00001" in finding.evidence
    )
