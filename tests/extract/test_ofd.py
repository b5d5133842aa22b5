"""OFD: pages, merged template (红头), several documents, annotations, hostile XML."""

from baomi.extract import Limits, cues
from tests.extract.helpers import reasons, run, text_of
from tests.synth.docs import ofd_file


def test_pages_template_and_annotations(tmp_path):
    result = run(ofd_file(tmp_path / "通知.ofd"))
    assert not result.problems
    first = text_of(result, "att1/p1").splitlines()
    assert first[0] == "秘密★5年"
    assert "松江区教育局文件" in first  # from the template page
    assert "关于校舍维修计划的通知" in first  # two text objects on one line
    assert text_of(result, "att1/p2") == "文档1第二页正文"
    assert "第1号文档标题" in text_of(result, "att1/props")
    assert "仅供内部传阅" in text_of(result, "att1/annots")
    assert {cues.DOCUMENT, cues.RED_TITLE, cues.RED_RULE, cues.RED_HEADER} <= result.cues


def test_several_documents(tmp_path):
    result = run(ofd_file(tmp_path / "two.ofd", documents=2))
    assert "文档2第二页正文" in text_of(result, "att1/d2/p2")
    assert "文档1第一页正文" in text_of(result, "att1/d1/p1")


def test_entity_bomb_part_is_refused_other_pages_still_read(tmp_path):
    result = run(ofd_file(tmp_path / "bomb.ofd", bomb=True))
    assert "不安全的 XML" in reasons(result)
    assert "文档1第一页正文" in text_of(result, "att1/p1")


def test_missing_page_part(tmp_path):
    result = run(ofd_file(tmp_path / "broken.ofd", missing_page=True))
    assert "文件损坏" in reasons(result)
    assert "文档1第一页正文" in text_of(result)


def test_page_limit(tmp_path):
    result = run(ofd_file(tmp_path / "long.ofd"), limits=Limits(max_pages=1))
    assert "超出页数限制" in reasons(result)
    assert "att1/p2" not in {s.source for s in result.segments}


def test_not_an_ofd_package(tmp_path):
    bad = tmp_path / "bad.ofd"
    bad.write_bytes(b"PK\x03\x04 this is not really a zip")
    assert reasons(run(bad)) == ["文件损坏"]
