"""Each importer on fixtures written here in the real export formats, awkward cases included."""

import csv
import json
from datetime import datetime

import pytest

from baomi.archive.importers import ExportFormatError, detect_format, export_files, read_export
from baomi.archive.importers.wecom import decode_content
from baomi.archive.model import CHINA_TZ, ArchiveMessage, ImportProblem


def split(items):
    items = list(items)
    return [i for i in items if isinstance(i, ArchiveMessage)], [
        i for i in items if isinstance(i, ImportProblem)
    ]


def ms(y, mo, d, h, mi, s=0):
    return int(datetime(y, mo, d, h, mi, s, tzinfo=CHINA_TZ).timestamp() * 1000)


# ---------------------------------------------------------------- WeCom
def wecom_records(media_md5="0f3c"):
    item_text = json.dumps(
        json.dumps({"content": "会议纪要第三条请勿外传"}, ensure_ascii=False), ensure_ascii=False
    )
    return [
        {
            "msgid": "m1",
            "action": "send",
            "from": "zhangsan",
            "tolist": ["lisi"],
            "roomid": "",
            "msgtime": ms(2024, 3, 1, 9, 0),
            "msgtype": "text",
            "text": {"content": "明天上午开会"},
        },
        {
            "msgid": "m2",
            "action": "send",
            "from": "lisi",
            "tolist": ["zhangsan", "wangwu"],
            "roomid": "wrRoom1",
            "msgtime": ms(2024, 3, 1, 9, 5),
            "msgtype": "image",
            "image": {"md5sum": media_md5, "filesize": 100, "sdkfileid": "CAQQ"},
        },
        {
            "msgid": "m3",
            "action": "send",
            "from": "lisi",
            "tolist": ["zhaoliu"],
            "roomid": "wrRoom2",
            "msgtime": ms(2024, 3, 1, 9, 6),
            "msgtype": "chatrecord",
            "chatrecord": {
                "title": "群聊的聊天记录",
                "item": [
                    {
                        "type": "ChatRecordText",
                        "msgtime": 1709254800,
                        "content": item_text,
                        "from_chatroom": True,
                    },
                    {
                        "type": "ChatRecordFile",
                        "msgtime": 1709254801,
                        "content": json.dumps({"filename": "通知.docx", "md5sum": "ffff"}),
                        "from_chatroom": True,
                    },
                ],
            },
        },
        {"time": ms(2024, 3, 1, 9, 7), "user": "zhangsan", "action": "switch", "msgid": "sw1"},
        {
            "msgid": "m4",
            "action": "recall",
            "from": "lisi",
            "tolist": ["zhaoliu"],
            "roomid": "wrRoom2",
            "msgtime": ms(2024, 3, 1, 9, 8),
            "msgtype": "revoke",
            "revoke": {"pre_msgid": "m3"},
        },
        {
            "msgid": "m5",
            "action": "send",
            "from": "lisi",
            "tolist": ["zhaoliu"],
            "roomid": "wrRoom2",
            "msgtime": ms(2024, 3, 1, 9, 9),
            "msgtype": "docmsg",
            "docmsg": {
                "title": "2024年工作要点（讨论稿）",
                "link_url": "https://doc.example/x",
                "doc_creator": "lisi",
            },
        },
        {
            "msgid": "m6",
            "action": "send",
            "from": "lisi",
            "tolist": ["zhaoliu"],
            "roomid": "wrRoom2",
            "msgtime": ms(2024, 3, 1, 9, 10),
            "msgtype": "news",
            "info": {"item": [{"title": "通知", "description": "请各单位报送", "url": "x"}]},
        },
        {
            "msgid": "m7",
            "action": "send",
            "from": "lisi",
            "tolist": ["zhaoliu"],
            "roomid": "wrRoom2",
            "msgtime": ms(2024, 3, 1, 9, 11),
            "msgtype": "mixed",
            "mixed": {
                "item": [
                    {"type": "text", "content": json.dumps({"content": "见图"}, ensure_ascii=False)},
                    {"type": "image", "content": json.dumps({"md5sum": "nothere"})},
                ]
            },
        },
    ]


def write_jsonl(path, records, broken_lines=()):
    lines = [json.dumps(r, ensure_ascii=False) for r in records]
    for index, text in broken_lines:
        lines.insert(index, text)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_wecom_jsonl_reads_messages_media_bundles_recalls_and_reports_bad_lines(tmp_path):
    (tmp_path / "0f3c.jpg").write_bytes(b"\xff\xd8\xff")
    path = write_jsonl(
        tmp_path / "archive.jsonl", wecom_records(), broken_lines=[(2, "{not json"), (4, '{"msgid": "x"}')]
    )
    assert detect_format(path) == "wecom"
    msgs, problems = split(read_export(path))
    by_id = {m.msgid: m for m in msgs}
    assert [p.position for p in problems] == ["第 3 行", "第 5 行"]
    assert "JSON" in problems[0].problem and "缺少字段" in problems[1].problem
    direct = by_id["m1"]
    assert direct.conversation == "lisi|zhangsan" and not direct.is_group
    assert (
        direct.text == "明天上午开会"
        and direct.time.hour == 9
        and direct.time.utcoffset().seconds == 8 * 3600
    )
    image = by_id["m2"]
    assert image.kind == "image" and image.attachments[0].path.name == "0f3c.jpg" and image.is_group
    assert set(image.members) == {"lisi", "zhangsan", "wangwu"}
    first, second = by_id["m3#1"], by_id["m3#2"]
    assert first.text == "会议纪要第三条请勿外传" and first.forwarded_from == "m3" and first.kind == "forward"
    assert second.text == "通知.docx" and second.missing_media == 1
    assert "sw1" not in by_id  # switch records carry no message
    recall = by_id["m4"]
    assert recall.kind == "recall" and recall.recall_of == "m3" and not recall.reviewable
    assert "讨论稿" in by_id["m5"].text and "请各单位报送" in by_id["m6"].text
    assert by_id["m7"].text == "见图" and by_id["m7"].missing_media == 1


def test_wecom_json_array_and_a_broken_array(tmp_path):
    path = tmp_path / "a.json"
    path.write_text(json.dumps(wecom_records()[:2], ensure_ascii=False), encoding="utf-8")
    msgs, problems = split(read_export(path, "wecom"))
    assert [m.msgid for m in msgs] == ["m1", "m2"] and not problems
    path.write_text('[{"msgid": "m1", "msgtime": 1', encoding="utf-8")
    msgs, problems = split(read_export(path, "wecom"))
    assert not msgs and "JSON" in problems[0].problem


def test_double_encoded_content():
    once = json.dumps({"content": "甲"}, ensure_ascii=False)
    assert decode_content(once) == {"content": "甲"}
    assert decode_content(json.dumps(once)) == {"content": "甲"}
    assert decode_content("plain words") == "plain words"


# ---------------------------------------------------------------- MemoTrace
MEMO_HEADER = [
    "localId",
    "TalkerId",
    "Type",
    "SubType",
    "IsSender",
    "CreateTime",
    "Status",
    "StrContent",
    "StrTime",
    "Remark",
    "NickName",
    "Sender",
]


def memo_rows():
    t = 1709254800
    file_xml = "<msg><appmsg><title>值班表.xlsx</title><type>6</type></appmsg></msg>"
    record_xml = (
        "<msg><appmsg><title>群聊的聊天记录</title><des>张三: 先别外传</des><type>19</type>"
        "<recorditem><![CDATA[<recordinfo><datalist><dataitem><datadesc>先别外传&amp;删除</datadesc>"
        "</dataitem></datalist></recordinfo>]]></recorditem></appmsg></msg>"
    )
    return [
        [
            "1",
            "12345@chatroom",
            "1",
            "0",
            "0",
            str(t),
            "2",
            "今晚加班，材料周一前报",
            "2024-03-01 09:00:00",
            "",
            "城东小区业主群",
            "wxid_a",
        ],
        [
            "2",
            "12345@chatroom",
            "3",
            "0",
            "1",
            str(t + 60),
            "2",
            '<msg><img md5="abc123" length="9"/></msg>',
            "2024-03-01 09:01:00",
            "",
            "城东小区业主群",
            "",
        ],
        [
            "3",
            "12345@chatroom",
            "49",
            "6",
            "0",
            str(t + 120),
            "2",
            file_xml,
            "2024-03-01 09:02:00",
            "",
            "城东小区业主群",
            "wxid_b",
        ],
        [
            "4",
            "12345@chatroom",
            "49",
            "19",
            "0",
            str(t + 180),
            "2",
            record_xml,
            "2024-03-01 09:03:00",
            "",
            "城东小区业主群",
            "wxid_b",
        ],
        [
            "5",
            "12345@chatroom",
            "10000",
            "0",
            "0",
            str(t + 240),
            "2",
            '"张三" 撤回了一条消息',
            "2024-03-01 09:04:00",
            "",
            "城东小区业主群",
            "",
        ],
        [
            "6",
            "12345@chatroom",
            "1",
            "0",
            "0",
            "not-a-time",
            "2",
            "时间坏了但有 StrTime",
            "2024-03-01 09:05:00",
            "",
            "城东小区业主群",
            "wxid_a",
        ],
        [
            "7",
            "12345@chatroom",
            "1",
            "0",
            "0",
            "x",
            "2",
            "两种时间都坏了",
            "昨天",
            "",
            "城东小区业主群",
            "wxid_a",
        ],
        ["8", "12345@chatroom", "1"],  # truncated row
        [
            "9",
            "wxid_friend",
            "1",
            "0",
            "0",
            str(t + 300),
            "2",
            "你好",
            "2024-03-01 09:06:00",
            "老王",
            "王",
            "",
        ],
    ]


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gbk"])
def test_memotrace_csv_in_bom_utf8_and_gbk(tmp_path, encoding):
    (tmp_path / "image").mkdir()
    (tmp_path / "image" / "abc123.jpg").write_bytes(b"\xff\xd8\xff")
    (tmp_path / "值班表.xlsx").write_bytes(b"PK")
    path = tmp_path / "业主群.csv"
    with path.open("w", encoding=encoding, newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(MEMO_HEADER)
        writer.writerows(memo_rows())
    assert detect_format(path) == "memotrace"
    msgs, problems = split(read_export(path))
    by_id = {m.msgid: m for m in msgs}
    assert sorted(by_id) == ["1", "2", "3", "4", "5", "6", "9"]
    assert [p.position for p in problems] == ["第 8 行", "第 9 行"]
    assert "时间" in problems[0].problem and "列" in problems[1].problem
    first = by_id["1"]
    assert first.is_group and first.sender == "wxid_a" and first.conversation_name == "城东小区业主群"
    assert first.text == "今晚加班，材料周一前报"
    assert by_id["2"].sender == "本人" and by_id["2"].attachments[0].path.name == "abc123.jpg"
    assert by_id["3"].kind == "file" and by_id["3"].attachments[0].name == "值班表.xlsx"
    assert by_id["4"].kind == "forward" and "先别外传&删除" in by_id["4"].text
    assert by_id["5"].kind == "recall"
    assert by_id["6"].time.minute == 5
    assert (
        not by_id["9"].is_group
        and by_id["9"].conversation_name == "老王"
        and by_id["9"].sender == "wxid_friend"
    )


def test_memotrace_csv_with_a_wrong_header_is_one_problem(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("localId,TalkerId,StrContent\n1,a,b\n", encoding="utf-8")
    msgs, problems = split(read_export(path, "memotrace"))
    assert not msgs and "表头缺少列" in problems[0].problem


def test_memotrace_txt(tmp_path):
    path = tmp_path / "县政府办工作群.txt"
    path.write_text(
        "2024-03-01 09:00:00 张三\n请大家把材料\n周一前报\n\n"
        "2024-03-01 09:01:00 李四\n[图片]\n\n"
        "2024-03-01 09:02:00 王五\n收到 2024-03-01 不是消息头\n",
        encoding="utf-8-sig",
    )
    assert detect_format(path) == "memotrace"
    msgs, problems = split(read_export(path))
    assert not problems and [m.sender for m in msgs] == ["张三", "李四", "王五"]
    assert msgs[0].text == "请大家把材料\n周一前报" and msgs[0].conversation == "县政府办工作群"
    assert msgs[1].kind == "image" and msgs[1].missing_media == 1 and msgs[1].position == "第 5 行"
    assert msgs[0].is_group


# ---------------------------------------------------------------- PyWxDump
def test_pywxdump_csv(tmp_path):
    (tmp_path / "img").mkdir()
    (tmp_path / "img" / "p1.jpg").write_bytes(b"\xff\xd8\xff")
    path = tmp_path / "msgs.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(
            ["id", "MsgSvrID", "type_name", "is_sender", "talker", "room_name", "msg", "src", "CreateTime"]
        )
        writer.writerow(
            [
                "1",
                "8812",
                "文本",
                "0",
                "wxid_a",
                "999@chatroom",
                "多行\n文字, 带逗号",
                "",
                "2024-03-01 09:00:00",
            ]
        )
        writer.writerow(["2", "8813", "图片", "1", "", "999@chatroom", "", "img\\p1.jpg", "1709254860"])
        writer.writerow(
            ["3", "8814", "视频", "0", "wxid_a", "999@chatroom", "", "video/none.mp4", "2024-03-01 09:02:00"]
        )
        writer.writerow(["4", "8815", "文本", "0", "wxid_a", "", "no room", "", "2024-03-01 09:03:00"])
        writer.writerow(
            ["5", "8816", "系统通知", "0", "", "999@chatroom", '"a"撤回了一条消息', "", "2024-03-01 09:04:00"]
        )
    assert detect_format(path) == "pywxdump"
    msgs, problems = split(read_export(path))
    assert [m.msgid for m in msgs] == ["8812", "8813", "8814", "8816"]
    assert problems[0].position == "第 6 行" and "room_name" in problems[0].problem
    assert msgs[0].text == "多行\n文字, 带逗号" and msgs[0].is_group
    assert msgs[1].sender == "本人" and msgs[1].attachments[0].path.name == "p1.jpg"
    assert msgs[1].time == datetime(2024, 3, 1, 9, 1, tzinfo=CHINA_TZ)
    assert msgs[2].missing_media == 1 and not msgs[2].attachments
    assert msgs[3].kind == "recall"


# ---------------------------------------------------------------- QQ
QQ_TXT = """消息记录（此消息记录为文本格式，不支持重新导入）

================================================================
消息分组:我的群聊
================================================================
消息对象:张家亲戚群
================================================================

2024-03-01 上午9:00:00 小明(研究生)(123456789)
[图片]

2024-03-01 下午 1:02:03 二姨<erYi@qq.com>
这个是真的吗
转发扩散

2024-03-01 12:30:00 AM 夜猫子(22334455)
深夜消息

2024-03-01 下午13:00:00 坏时间(99999)
坏

================================================================
消息分组:我的好友
================================================================
消息对象:老同学
================================================================

2024-03-02 10:00:00 老同学(55556666)
吃了吗
"""


def test_qq_txt_twelve_hour_times_nicknames_and_sections(tmp_path):
    path = tmp_path / "全部消息记录.txt"
    path.write_text(QQ_TXT, encoding="utf-8")
    assert detect_format(path) == "qq"
    msgs, problems = split(read_export(path))
    assert len(problems) == 1 and "时间" in problems[0].problem and problems[0].position == "第 19 行"
    first, aunt, night, friend = msgs
    assert first.sender == "123456789" and first.sender_name == "小明(研究生)" and first.kind == "image"
    assert first.missing_media == 1 and first.time.hour == 9 and first.is_group
    assert aunt.sender == "erYi@qq.com" and aunt.time.hour == 13 and aunt.time.second == 3
    assert aunt.text == "这个是真的吗\n转发扩散" and aunt.conversation == "张家亲戚群"
    assert night.time.hour == 0 and night.time.minute == 30
    assert friend.conversation == "老同学" and not friend.is_group


def test_qq_gbk_file(tmp_path):
    path = tmp_path / "qq.txt"
    path.write_bytes(QQ_TXT.encode("gbk"))
    msgs, _ = split(read_export(path))
    assert msgs[1].sender_name == "二姨"


# ---------------------------------------------------------------- detection
def test_unknown_format_is_a_chinese_error_and_folders_are_expanded(tmp_path):
    odd = tmp_path / "notes.txt"
    odd.write_text("随便写点什么\n", encoding="utf-8")
    with pytest.raises(ExportFormatError, match="无法识别导出文件的格式"):
        detect_format(odd)
    qq = tmp_path / "sub" / "qq.txt"
    qq.parent.mkdir()
    qq.write_text(QQ_TXT, encoding="utf-8")
    assert export_files([tmp_path]) == [qq]
    with pytest.raises(ExportFormatError, match="找不到"):
        export_files([tmp_path / "missing.jsonl"])
    with pytest.raises(ExportFormatError, match="未知格式"):
        read_export(qq, "wechat")
