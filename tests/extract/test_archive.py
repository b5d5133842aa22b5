"""zip archives: nesting, names, encrypted members and every bomb limit."""

import io
import zipfile

from baomi.extract import Limits, cues
from tests.extract.helpers import reasons, run, sources, text_of
from tests.synth.docs import docx_file, mark_encrypted, zip_bytes


def test_nested_members_are_reviewed_with_provenance(tmp_path):
    inner_docx = docx_file(tmp_path / "inner.docx").read_bytes()
    inner_zip = zip_bytes({"说明.txt": "内层压缩包里的说明".encode()})
    path = tmp_path / "资料.zip"
    path.write_bytes(zip_bytes({"dir/inner.docx": inner_docx, "more.zip": inner_zip}))
    result = run(path)
    assert not result.problems
    assert "关于河道巡查排班的安排" in text_of(result, "att1/zip/dir/inner.docx/body")
    assert "内层压缩包里的说明" in text_of(result, "att1/zip/more.zip/zip/说明.txt/text")
    assert "att1/zip/dir/inner.docx/name" in sources(result)
    assert cues.ARCHIVE in result.cues and cues.DOCUMENT in result.cues


def test_gbk_member_names_are_decoded(tmp_path):
    path = tmp_path / "a.zip"
    path.write_bytes(zip_bytes({"涉密人员名单.txt": b"x"}, gbk_names=True))
    names = [s.text for s in run(path).segments if s.source.endswith("/name")]
    assert "涉密人员名单.txt" in names


def test_encrypted_member_is_a_problem_but_its_name_is_reviewed(tmp_path):
    path = tmp_path / "locked.zip"
    path.write_bytes(mark_encrypted(zip_bytes({"工资表.xlsx": b"secret"})))
    result = run(path)
    assert reasons(result) == ["加密文件"]
    assert "工资表.xlsx" in text_of(result)


def test_high_compression_ratio_is_refused(tmp_path):
    path = tmp_path / "bomb.zip"
    path.write_bytes(zip_bytes({"zeros.txt": b"\0" * (10 << 20), "ok.txt": "正常文件".encode()}))
    result = run(path)
    assert "疑似压缩炸弹" in reasons(result)
    assert "正常文件" in text_of(result)  # the other member is still read


def test_total_uncompressed_budget(tmp_path):
    import os

    members = {f"r{i}.bin": os.urandom(300_000) for i in range(5)}
    path = tmp_path / "many.zip"
    path.write_bytes(zip_bytes(members))
    result = run(path, limits=Limits(max_total_uncompressed=1_000_000))
    problem = next(p for p in result.problems if p.reason == "疑似压缩炸弹")
    assert "解压总量" in problem.detail


def test_nesting_depth(tmp_path):
    data = zip_bytes({"core.txt": "最里层".encode()})
    for level in range(5):
        data = zip_bytes({f"level{level}.zip": data})
    path = tmp_path / "deep.zip"
    path.write_bytes(data)
    result = run(path)
    assert "压缩包嵌套过深" in reasons(result)
    assert "最里层" not in text_of(result)


def test_member_count(tmp_path):
    path = tmp_path / "count.zip"
    path.write_bytes(zip_bytes({f"f{i}.txt": b"a" for i in range(12)}))
    result = run(path, limits=Limits(max_archive_members=5))
    assert "压缩包文件过多" in reasons(result)
    assert sum(1 for s in result.segments if s.source.endswith(".txt/name")) == 5


def test_oversized_member(tmp_path):
    path = tmp_path / "big.zip"
    path.write_bytes(zip_bytes({"big.txt": b"a" * 300_000}))
    assert "超出大小限制" in reasons(run(path, limits=Limits(max_file_bytes=200_000)))


def test_member_lying_about_its_size_is_caught(tmp_path):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as zf:
        zf.writestr("a.txt", "真实内容比声明的长")
    data = bytearray(buf.getvalue())
    # shrink the declared uncompressed size in the central directory
    pos = data.find(b"PK\x01\x02")
    data[pos + 24 : pos + 28] = (3).to_bytes(4, "little")
    path = tmp_path / "lie.zip"
    path.write_bytes(bytes(data))
    result = run(path)
    assert result.problems  # never a silent pass


def test_ooxml_zip_bomb_is_refused_before_parsing(tmp_path):
    members = {
        "[Content_Types].xml": b"<Types/>",
        "word/document.xml": b"<w:document>" + b" " * (20 << 20) + b"</w:document>",
    }
    path = tmp_path / "bomb.docx"
    path.write_bytes(zip_bytes(members))
    assert reasons(run(path)) == ["疑似压缩炸弹"]


def test_ooxml_with_entity_declarations_is_refused(tmp_path):
    members = {
        "[Content_Types].xml": b"<Types/>",
        "word/document.xml": b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaa">]><d>&a;</d>',
    }
    path = tmp_path / "xxe.docx"
    path.write_bytes(zip_bytes(members))
    assert reasons(run(path)) == ["不安全的 XML"]
