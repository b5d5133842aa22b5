"""OUT/report.html: one self-contained Chinese page (inline CSS and SVG, no scripts or
external assets). Message text never appears: only masked evidence and places."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import datetime
from html import escape

from baomi.archive.audit import AuditResult
from baomi.archive.model import CHINA_TZ
from baomi.archive.report.records import iso
from baomi.catalog import catalog
from baomi.trace.chains import Chain

DECISION_ZH = {"allow": "放行", "warn": "提醒", "review": "待审", "block": "拦截"}
CHANNEL_ZH = {
    "direct": "点对点",
    "work_group": "工作群",
    "external_group": "外部群",
    "moments": "朋友圈",
    "publish": "信息发布",
}
CHANNEL_COLOUR = {
    "direct": "#6b7280",
    "work_group": "#2563eb",
    "external_group": "#dc2626",
    "moments": "#ea580c",
    "publish": "#7c3aed",
}
LINK_ZH = {
    "text_exact": "文字相同",
    "text_near": "文字相近",
    "image": "图片相似",
    "file": "文件相同",
    "bundle": "合并转发",
    "same_content": "同一内容",
}
MAX_ROWS = 2000
MAX_TREES = 60
_CSS = """
body{font-family:"WenQuanYi Micro Hei","Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:0;
background:#f4f5f7;color:#1f2937}
header{background:#991b1b;color:#fff;padding:18px 32px}header h1{margin:0;font-size:24px}
header p{margin:4px 0 0;opacity:.85}main{padding:16px 32px;max-width:1280px}
section{background:#fff;border-radius:8px;padding:16px 20px;margin:16px 0;box-shadow:0 1px 3px #0002}
h2{font-size:18px;margin:0 0 12px;border-left:4px solid #991b1b;padding-left:8px}
.cards{display:flex;flex-wrap:wrap;gap:12px}.card{background:#fef2f2;border-radius:6px;padding:10px 16px;
min-width:120px}.card b{display:block;font-size:22px;color:#991b1b}.card span{font-size:13px;color:#555}
table{border-collapse:collapse;width:100%;font-size:13px}th,td{border-bottom:1px solid #e5e7eb;
padding:5px 6px;text-align:left;vertical-align:top}th{background:#f9fafb}
.d-block{color:#b91c1c;font-weight:bold}.d-review{color:#a21caf}.d-warn{color:#b45309}
.charts{display:flex;flex-wrap:wrap;gap:24px}.tag{display:inline-block;border-radius:4px;padding:0 5px;
color:#fff;font-size:12px}.guess{color:#b45309}.note{color:#6b7280;font-size:13px}
.chain{border-top:1px solid #e5e7eb;padding:10px 0;overflow-x:auto}.chain h3{font-size:15px;margin:4px 0}
"""


def _t(value: object) -> str:
    return escape(str(value), quote=True)


def bar_chart(title: str, counts: list[tuple[str, int]], width: int = 380) -> str:
    """A horizontal bar chart as inline SVG."""
    if not counts:
        return f"<div><h3>{_t(title)}</h3><p class=note>无</p></div>"
    top = max(c for _, c in counts)
    row, label_w = 24, 150
    height = row * len(counts) + 10
    bars = []
    for i, (label, count) in enumerate(counts):
        w = max(2, (width - label_w - 50) * count / top)
        y = 5 + i * row
        short = label if len(label) <= 11 else label[:10] + "…"
        bars.append(
            f'<text x="{label_w - 6}" y="{y + 15}" text-anchor="end" font-size="12">'
            f"<title>{_t(label)}</title>{_t(short)}</text>"
            f'<rect x="{label_w}" y="{y + 3}" width="{w:.1f}" height="16" fill="#b91c1c" rx="2"/>'
            f'<text x="{label_w + w + 4:.1f}" y="{y + 15}" font-size="12">{count}</text>'
        )
    return (
        f'<div><h3>{_t(title)}</h3><svg xmlns="http://www.w3.org/2000/svg" width="{width}" '
        f'height="{height}" role="img" aria-label="{_t(title)}">{"".join(bars)}</svg></div>'
    )


def tree_svg(chain: Chain, names: dict[str, str], channels: dict[str, str]) -> str:
    """The spread of one content as a left-to-right tree of conversations."""
    origin = chain.origin
    nodes = {origin.index: (origin.conversation, origin.recalled, origin.time)}
    children: dict[int, list[int]] = defaultdict(list)
    for hop in chain.hops:
        children[hop.parent].append(hop.index)
        nodes[hop.index] = (hop.to_conversation, hop.recalled, hop.time)
    link_of = {h.index: h.link for h in chain.hops}
    pos: dict[int, tuple[int, int]] = {}
    next_row = 0

    def place(node: int, depth: int) -> None:
        nonlocal next_row
        pos[node] = (depth, next_row)
        kids = children.get(node, [])
        if not kids:
            next_row += 1
        for kid in kids:
            place(kid, depth + 1)

    place(origin.index, 0)
    col_w, row_h, box_w, box_h = 190, 56, 160, 40
    width = col_w * (max(d for d, _ in pos.values()) + 1) + 20
    height = row_h * max(next_row, 1) + 10
    parts = []
    for hop in chain.hops:
        (d0, r0), (d1, r1) = pos[hop.parent], pos[hop.index]
        x0, y0 = 10 + d0 * col_w + box_w, 5 + r0 * row_h + box_h / 2
        x1, y1 = 10 + d1 * col_w, 5 + r1 * row_h + box_h / 2
        parts.append(
            f'<path d="M{x0},{y0} C{x0 + 15},{y0} {x1 - 15},{y1} {x1},{y1}" stroke="#9ca3af" '
            f'fill="none" marker-end="url(#arrow)"><title>{_t(LINK_ZH.get(link_of[hop.index], ""))}'
            f"</title></path>"
        )
    for node, (conv, recalled, at) in nodes.items():
        d, r = pos[node]
        x, y = 10 + d * col_w, 5 + r * row_h
        channel = channels.get(conv, "")
        colour = CHANNEL_COLOUR.get(channel, "#6b7280")
        name = names.get(conv, conv)
        short = name if len(name) <= 9 else name[:8] + "…"
        when = datetime.fromtimestamp(at, CHINA_TZ).strftime("%m-%d %H:%M")
        dash = ' stroke-dasharray="4 3"' if recalled else ""
        parts.append(
            f"<g><title>{_t(name)}（{_t(CHANNEL_ZH.get(channel, channel))}）</title>"
            f'<rect x="{x}" y="{y}" width="{box_w}" height="{box_h}" rx="6" fill="#fff" stroke="{colour}" '
            f'stroke-width="2"{dash}/><text x="{x + 8}" y="{y + 16}" font-size="12" fill="{colour}">'
            f'{_t(short)}</text><text x="{x + 8}" y="{y + 32}" font-size="11" fill="#555">'
            f"{_t(CHANNEL_ZH.get(channel, channel))} · {when}{' · 已撤回' if recalled else ''}</text></g>"
        )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img" '
        f'aria-label="传播树"><defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" '
        f'markerWidth="6" markerHeight="6" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#9ca3af"/>'
        f"</marker></defs>{''.join(parts)}</svg>"
    )


def render(result: AuditResult, rows: list[dict]) -> str:
    """The whole report page."""
    rules = catalog()
    names = {cid: c.name for cid, c in result.conversations.items()}
    channels = {cid: c.channel.value for cid, c in result.conversations.items()}
    decisions = Counter(r["decision"] for r in rows)
    by_rule = Counter(rule for r in rows for rule in r["rules"])
    by_conv = Counter(r["conversation_name"] for r in rows)
    by_sender = Counter(r["sender_name"] for r in rows)
    reviewed = len(result.results)
    missing = sum(m.missing_media for m in result.messages)
    cards = [
        ("消息总数", len(result.messages)),
        ("已审查", reviewed),
        ("命中消息", len(rows)),
        ("拦截", decisions.get("block", 0)),
        ("待审", decisions.get("review", 0)),
        ("传播链", len(result.chains)),
        ("会话", len(result.conversations)),
        ("导入问题", len(result.problems)),
        ("缺失媒体", missing),
    ]
    html = [
        "<!DOCTYPE html><html lang=zh-CN><head><meta charset=utf-8>",
        "<title>聊天记录保密审计报告</title>",
        f"<style>{_CSS}</style></head><body>",
        "<header><h1>聊天记录保密审计报告</h1>",
        f"<p>导出文件 {len(result.exports)} 个 · 生成于 {datetime.now(CHINA_TZ):%Y-%m-%d %H:%M} · "
        f"用时 {result.seconds:.1f} 秒（{result.messages_per_s:.0f} 条/秒，{_t(result.engine)}，"
        f"{result.workers} 个进程）</p></header><main>",
        "<section><h2>概况</h2><div class=cards>",
        *(f"<div class=card><b>{v}</b><span>{_t(k)}</span></div>" for k, v in cards),
        "</div><p class=note>报告只含打码后的证据与消息在存档中的位置，不含消息原文。</p></section>",
        *_chains_section(result, names, channels),
        "<section><h2>统计</h2><div class=charts>",
        bar_chart(
            "按规则", [(f"{k} {rules[k].name}" if k in rules else k, v) for k, v in by_rule.most_common()]
        ),
        bar_chart("按会话（前 15）", by_conv.most_common(15)),
        bar_chart("按发送人（前 15）", by_sender.most_common(15)),
        "</div></section>",
    ]
    guesses = [(cid, c) for cid, c in result.conversations.items() if c.is_guess]
    if guesses:
        html.append(
            "<section><h2>需人工确认的会话渠道</h2><p class=note>这些群不在名册中，渠道由群名推测；"
            "请确认后写入名册（--roster）再审计。</p><table><tr><th>会话</th><th>会话ID</th>"
            "<th>推测渠道</th><th>依据</th></tr>"
        )
        for cid, c in guesses:
            html.append(
                f"<tr><td>{_t(c.name)}</td><td>{_t(cid)}</td><td class=guess>"
                f"{_t(CHANNEL_ZH[c.channel.value])}（推测）</td><td>{_t(c.why)}</td></tr>"
            )
        html.append("</table></section>")
    html.append(
        f"<section><h2>命中消息（{len(rows)}）</h2><table><tr><th>时间</th><th>会话</th><th>渠道</th>"
        "<th>发送人</th><th>处理</th><th>规则</th><th>证据（已打码）</th><th>存档位置</th></tr>"
    )
    for r in rows[:MAX_ROWS]:
        channel = channels.get(r["conversation"], r["channel"])
        guess = "（推测）" if r["channel_basis"] == "guess" else ""
        recalled = " <b>（已撤回）</b>" if r["recalled"] else ""
        html.append(
            f"<tr><td>{_t(r['time'][:19].replace('T', ' '))}</td><td>{_t(r['conversation_name'])}</td>"
            f'<td><span class=tag style="background:{CHANNEL_COLOUR.get(channel, "#666")}">'
            f"{_t(CHANNEL_ZH.get(channel, channel))}</span>{guess}</td><td>{_t(r['sender_name'])}</td>"
            f"<td class=d-{r['decision']}>{DECISION_ZH[r['decision']]}</td>"
            f"<td>{_t(' '.join(r['rules']))}</td><td>{_t(r['evidence'])}{recalled}</td>"
            f"<td>{_t(r['place'])}</td></tr>"
        )
    html.append("</table>")
    if len(rows) > MAX_ROWS:
        html.append(f"<p class=note>只列出前 {MAX_ROWS} 条，全部见 incidents.xlsx / incidents.jsonl。</p>")
    html.append("</section>")
    if result.problems:
        html.append(
            f"<section><h2>无法导入的记录（{len(result.problems)}）</h2><table>"
            "<tr><th>文件</th><th>位置</th><th>问题</th></tr>"
        )
        for p in result.problems[:500]:
            html.append(f"<tr><td>{_t(p.archive)}</td><td>{_t(p.position)}</td><td>{_t(p.problem)}</td></tr>")
        html.append("</table></section>")
    html.append("</main></body></html>")
    return "\n".join(html)


def _chains_section(result: AuditResult, names: dict[str, str], channels: dict[str, str]) -> list[str]:
    html: list[str] = []
    html.append(f"<section><h2>传播链（{len(result.chains)}）</h2>")
    if not result.chains:
        html.append("<p class=note>未发现命中内容在会话之间传播。</p>")
    for chain in result.chains[:MAX_TREES]:
        o = chain.origin
        rule_text = "、".join(chain.rules)
        origin_name = names.get(o.conversation, o.conversation)
        html.append(
            f"<div class=chain><h3>{_t(chain.item)} · {_t(rule_text)}</h3>"
            f"<p class=note>源头：{_t(origin_name)}"
            f" · {_t(o.sender)} · {_t(iso(o.time))} · msgid {_t(o.msgid)}；转发 {len(chain.hops)} 次，"
            f"到达 {chain.conversations_reached} 个会话、{chain.people_reached} 人，外部占比 "
            f"{chain.outside_share:.0%}，历时 {_duration(chain.first_to_last_s)}</p>"
            f"{tree_svg(chain, names, channels)}</div>"
        )
    if len(result.chains) > MAX_TREES:
        html.append(f"<p class=note>另有 {len(result.chains) - MAX_TREES} 条传播链见 chains.jsonl。</p>")
    html.append("</section>")
    return html


def _duration(seconds: float) -> str:
    if seconds < 60:
        return f"{seconds:.0f} 秒"
    if seconds < 3600:
        return f"{seconds / 60:.0f} 分钟"
    if seconds < 86400:
        return f"{seconds / 3600:.1f} 小时"
    return f"{seconds / 86400:.1f} 天"
