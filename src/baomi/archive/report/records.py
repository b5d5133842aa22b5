"""Rows of the outputs: incidents and chains as plain dicts (masked, no message text)."""

from __future__ import annotations

from datetime import datetime

from baomi.archive.audit import AuditResult, MessageMeta
from baomi.archive.model import CHINA_TZ
from baomi.trace.chains import Chain

INCIDENT_KEYS = ("archive", "conversation", "channel", "msgid", "sender", "time", "decision", "rules")


def iso(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, CHINA_TZ).isoformat(timespec="seconds")


def incident(meta: MessageMeta, result: dict) -> dict:
    """One line of incidents.jsonl, exactly the keys the issue names."""
    return {
        "archive": meta.archive,
        "conversation": meta.conversation,
        "channel": meta.channel,
        "msgid": meta.msgid,
        "sender": meta.sender,
        "time": iso(meta.time),
        "decision": result["decision"],
        "rules": list(result["rules"]),
    }


def chain_record(chain: Chain) -> dict:
    """One line of chains.jsonl."""
    o = chain.origin
    return {
        "item": chain.item,
        "rules": list(chain.rules),
        "origin": {
            "conversation": o.conversation,
            "sender": o.sender,
            "time": iso(o.time),
            "msgid": o.msgid,
            "recalled": o.recalled,
        },
        "hops": [
            {
                "from_conversation": h.from_conversation,
                "to_conversation": h.to_conversation,
                "sender": h.sender,
                "time": iso(h.time),
                "msgid": h.msgid,
                "link": h.link,
                "recalled": h.recalled,
            }
            for h in chain.hops
        ],
        "conversations_reached": chain.conversations_reached,
        "people_reached": chain.people_reached,
        "outside_share": chain.outside_share,
        "first_to_last_s": chain.first_to_last_s,
    }


def place(meta: MessageMeta) -> str:
    """Where a message sits in the archive (file, record position, msgid)."""
    return f"{meta.archive} {meta.position}（msgid {meta.msgid}）"


def evidence(result: dict) -> str:
    return "；".join(dict.fromkeys(f"{f['rule']} {f['evidence']}" for f in result.get("findings", ())))


def incident_rows(result: AuditResult) -> list[dict]:
    """Incidents with what people read in the report and the workbook (masked evidence)."""
    rows = []
    for meta, r in result.flagged():
        conv = result.conversations[meta.conversation]
        rows.append(
            {
                **incident(meta, r),
                "conversation_name": conv.name,
                "channel_basis": conv.basis,
                "sender_name": meta.sender_name or meta.sender,
                "evidence": evidence(r) or r.get("error", ""),
                "place": place(meta),
                "recalled": meta.index in result.recalled,
            }
        )
    return rows
