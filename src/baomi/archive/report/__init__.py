"""Outputs of an audit: report.html, incidents.xlsx, incidents.jsonl, chains.jsonl."""

from __future__ import annotations

import json
from pathlib import Path

from baomi.archive.audit import AuditResult
from baomi.archive.report.html import CHANNEL_ZH, DECISION_ZH, render
from baomi.archive.report.records import INCIDENT_KEYS, chain_record, incident_rows


def write_outputs(result: AuditResult, out_dir: Path) -> dict[str, Path]:
    """Write the four outputs (masked evidence and places only) and return their paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    rows = incident_rows(result)
    paths = {
        name: out_dir / name for name in ("report.html", "incidents.xlsx", "incidents.jsonl", "chains.jsonl")
    }
    with paths["incidents.jsonl"].open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps({k: row[k] for k in INCIDENT_KEYS}, ensure_ascii=False) + "\n")
    chains = [chain_record(c) for c in result.chains]
    with paths["chains.jsonl"].open("w", encoding="utf-8") as fh:
        for chain in chains:
            fh.write(json.dumps(chain, ensure_ascii=False) + "\n")
    _workbook(paths["incidents.xlsx"], rows, chains, result)
    paths["report.html"].write_text(render(result, rows), encoding="utf-8")
    return paths


def _workbook(path: Path, rows: list[dict], chains: list[dict], result: AuditResult) -> None:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    sheet = wb.create_sheet("命中消息")
    sheet.append(
        [
            "时间",
            "存档",
            "会话ID",
            "会话",
            "渠道",
            "渠道依据",
            "发送人",
            "msgid",
            "处理",
            "规则",
            "证据（已打码）",
            "存档位置",
            "已撤回",
        ]
    )
    for r in rows:
        sheet.append(
            [
                r["time"],
                r["archive"],
                r["conversation"],
                r["conversation_name"],
                CHANNEL_ZH.get(r["channel"], r["channel"]),
                r["channel_basis"],
                r["sender_name"],
                r["msgid"],
                DECISION_ZH[r["decision"]],
                " ".join(r["rules"]),
                r["evidence"],
                r["place"],
                "是" if r["recalled"] else "",
            ]
        )
    sheet = wb.create_sheet("传播链")
    sheet.append(
        [
            "内容",
            "规则",
            "源头会话",
            "源头发送人",
            "源头时间",
            "转发次数",
            "到达会话数",
            "到达人数",
            "外部占比",
            "历时（秒）",
            "路径",
        ]
    )
    for c in chains:
        o = c["origin"]
        path_text = " → ".join([o["conversation"], *(h["to_conversation"] for h in c["hops"])])
        sheet.append(
            [
                c["item"],
                " ".join(c["rules"]),
                o["conversation"],
                o["sender"],
                o["time"],
                len(c["hops"]),
                c["conversations_reached"],
                c["people_reached"],
                c["outside_share"],
                c["first_to_last_s"],
                path_text,
            ]
        )
    sheet = wb.create_sheet("会话渠道")
    sheet.append(["会话ID", "会话", "渠道", "依据", "说明"])
    for cid, conv in result.conversations.items():
        basis = {"roster": "名册", "direct": "点对点", "guess": "推测"}[conv.basis]
        sheet.append([cid, conv.name, CHANNEL_ZH[conv.channel.value], basis, conv.why])
    wb.save(path)
