"""Plain text, OLE (encrypted / legacy Office), audio/video and unsupported formats."""

import pytest

from baomi.extract import cues
from tests.extract.helpers import reasons, run, text_of
from tests.synth.docs import ole_file


def test_utf8_text(tmp_path):
    path = tmp_path / "note.txt"
    path.write_text("会议安排：周三上午", encoding="utf-8")
    result = run(path)
    assert text_of(result, "att1/text") == "会议安排：周三上午"
    assert result.segments[1].media == "text" and cues.TEXT in result.cues


def test_gb18030_text(tmp_path):
    path = tmp_path / "old.txt"
    path.write_bytes("这是国标编码的文字".encode("gb18030"))
    assert text_of(run(path), "att1/text") == "这是国标编码的文字"


def test_utf16_text_with_bom(tmp_path):
    path = tmp_path / "u16.txt"
    path.write_bytes("\ufeff双字节编码文本".encode("utf-16-le"))
    assert text_of(run(path), "att1/text") == "双字节编码文本"


def test_html_tags_scripts_and_entities(tmp_path):
    path = tmp_path / "page.html"
    path.write_text(
        "<html><head><style>p{}</style><script>var x='隐藏脚本';</script></head>"
        "<body><p>第一段&amp;说明</p><img alt='图片说明文字'><div>第二段</div></body></html>",
        encoding="utf-8",
    )
    text = text_of(run(path), "att1/text")
    assert "第一段&说明" in text and "第二段" in text and "图片说明文字" in text
    assert "隐藏脚本" not in text and "<p>" not in text


def test_csv_and_markdown(tmp_path):
    csv = tmp_path / "list.csv"
    csv.write_text("姓名,电话\n张三,13700001234\n", encoding="utf-8")
    md = tmp_path / "readme.md"
    md.write_text("# 标题\n正文", encoding="utf-8")
    assert "张三,13700001234" in text_of(run(csv))
    assert "# 标题" in text_of(run(md))


def test_text_without_extension_is_guessed(tmp_path):
    path = tmp_path / "noext"
    path.write_text("没有扩展名的文字", encoding="utf-8")
    assert text_of(run(path), "att1/text") == "没有扩展名的文字"


def test_encrypted_ooxml_in_ole_container(tmp_path):
    result = run(ole_file(tmp_path / "报告.docx", encrypted=True))
    assert reasons(result) == ["加密文件"]
    assert "受密码保护" in result.problems[0].detail
    assert text_of(result) == "报告.docx"


def test_legacy_doc_rough_text_and_partial_problem(tmp_path):
    result = run(ole_file(tmp_path / "旧.doc", encrypted=False, text="秘密★1年 旧格式文件中的文字"))
    assert reasons(result) == ["仅部分检查"]
    assert "秘密★1年 旧格式文件中的文字" in text_of(result, "att1/text")


@pytest.mark.parametrize(
    ("name", "head", "kind"),
    [
        ("会议录音.m4a", b"\x00\x00\x00\x20ftypM4A \x00\x00\x00\x00", "audio"),
        ("语音.amr", b"#!AMR\n" + b"\x00" * 40, "audio"),
        ("歌.mp3", b"ID3\x04\x00" + b"\x00" * 40, "audio"),
        ("wx.silk", b"\x02#!SILK_V3" + b"\x00" * 40, "audio"),
        ("视频.mp4", b"\x00\x00\x00\x18ftypisom\x00\x00\x00\x00", "video"),
        ("clip.mov", b"\x00\x00\x00\x14ftypqt  \x00\x00\x00\x00", "video"),
        ("unknown.wav", b"RIFF\x00\x00\x00\x00WAVEfmt ", "audio"),
    ],
)
def test_audio_video_by_name(tmp_path, name, head, kind):
    path = tmp_path / name
    path.write_bytes(head + b"\x01" * 100)
    result = run(path)
    assert not result.problems
    assert [(s.text, s.source, s.media) for s in result.segments] == [(name, "att1/name", kind)]
    assert kind in result.cues


def test_media_by_extension_only(tmp_path):
    path = tmp_path / "机密会议录音.m4a"
    path.write_bytes(b"\x00\x01\x02\x03" * 10)
    result = run(path)
    assert result.segments[0].media == "audio" and cues.AUDIO in result.cues


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("a.rar", b"Rar!\x1a\x07\x01\x00" + b"\x00" * 40),
        ("b.7z", b"7z\xbc\xaf\x27\x1c" + b"\x00" * 40),
        ("photo.heic", b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00" + b"\x00" * 40),
        ("blob.bin", bytes(range(256))),
    ],
)
def test_unsupported_formats_are_problems(tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data)
    result = run(path)
    assert reasons(result) == ["不支持的文件类型"]
    assert result.segments[0].text == name


def test_utf16_without_bom_by_extension(tmp_path):
    path = tmp_path / "nobom.txt"
    path.write_bytes("no BOM 的双字节文本".encode("utf-16-le"))
    assert text_of(run(path), "att1/text") == "no BOM 的双字节文本"
