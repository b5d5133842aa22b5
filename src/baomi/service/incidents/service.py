"""Incidents (blocks, rejected or expired holds, confirmed reports) grouped by the keyed
content hash; filters, CSV/XLSX export and the statistics behind the console's plots."""

from __future__ import annotations

import csv
import io
import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, and_, case, func, select
from sqlalchemy.orm import Session

from baomi.service.auditlog.service import append as audit
from baomi.service.checks.models import Check, CheckRule
from baomi.service.db import utcnow
from baomi.service.errors import Invalid, NotFound
from baomi.service.holds.models import Hold
from baomi.service.incidents.models import Incident, IncidentEvent
from baomi.service.permissions import Perm
from baomi.service.security import Keys
from baomi.service.users.models import Unit
from baomi.service.users.service import Principal


def record_incident(session: Session, check: Check, source: str) -> Incident:
    """Join the incident of the same content (whoever sent it), or open one. Callers hold the
    audit head lock (their audit entry comes first), so two writers never open the same one."""
    return join_incident(
        session,
        content_hash=check.content_hash,
        unit_id=check.unit_id,
        rules=check.rules,
        channel=check.channel,
        evidence=[f["evidence"] for f in check.findings],
        source=source,
        user_id=check.user_id,
        sender=check.sender,
        conversation=check.conversation,
        check_id=check.id,
    )


def join_incident(
    session: Session,
    *,
    content_hash: str,
    unit_id: int,
    rules: list[str],
    channel: str,
    evidence: list[str],
    source: str,
    user_id: int,
    sender: str | None,
    conversation: str | None,
    when: datetime | None = None,
    check_id: str | None = None,
    **audit_fields,
) -> Incident:
    """One event (a check, or a message of an archive audit with `audit_job_id`, `msgid` and
    `chain`) joining the incident of its keyed content hash, opened when it is the first."""
    inc = session.scalar(select(Incident).where(Incident.content_hash == content_hash))
    now = utcnow()
    when = when or now
    if inc is None:
        inc = Incident(
            id=uuid.uuid4().hex,
            unit_id=unit_id,
            content_hash=content_hash,
            rules=list(rules),
            channel=channel,
            evidence=list(evidence)[:10],
            count=0,
            first_seen=when,
            last_seen=when,
        )
        session.add(inc)
        session.flush()
    inc.rules = sorted(set(inc.rules) | set(rules))
    inc.count += 1
    inc.first_seen = min(inc.first_seen, when)
    inc.last_seen = max(inc.last_seen, when)
    session.add(
        IncidentEvent(
            incident_id=inc.id,
            check_id=check_id,
            source=source,
            unit_id=unit_id,
            user_id=user_id,
            sender=sender,
            channel=channel,
            conversation=conversation,
            created_at=when,
            **audit_fields,
        )
    )
    return inc


@dataclass(frozen=True)
class IncidentFilter:
    rule: str | None = None
    channel: str | None = None
    unit_id: int | None = None
    sender: str | None = None
    since: datetime | None = None
    until: datetime | None = None


def _filtered(who: Principal, f: IncidentFilter) -> Select:
    """Incidents with at least one event in reach that matches the filter."""
    events = select(IncidentEvent.incident_id).where(IncidentEvent.unit_id.in_(who.units))
    if f.unit_id is not None:
        events = events.where(IncidentEvent.unit_id == f.unit_id)
    if f.channel:
        events = events.where(IncidentEvent.channel == f.channel)
    if f.sender:
        events = events.where(IncidentEvent.sender == f.sender)
    if f.rule:
        events = events.join(CheckRule, CheckRule.check_id == IncidentEvent.check_id).where(
            CheckRule.rule == f.rule
        )
    q = select(Incident).where(Incident.id.in_(events))
    if f.since:
        q = q.where(Incident.last_seen >= f.since)
    if f.until:
        q = q.where(Incident.first_seen < f.until)
    return q


def list_incidents(session: Session, who: Principal, f: IncidentFilter, offset: int = 0, limit: int = 50):
    who.require(Perm.INCIDENTS_READ)
    q = _filtered(who, f)
    total = session.scalar(select(func.count()).select_from(q.subquery()))
    items = session.scalars(q.order_by(Incident.last_seen.desc()).offset(offset).limit(limit)).all()
    return total, list(items)


def get_incident(session: Session, who: Principal, incident_id: str) -> tuple[Incident, list[IncidentEvent]]:
    who.require(Perm.INCIDENTS_READ)
    """One incident and its events in reach (other units' events stay hidden)."""
    inc = session.get(Incident, incident_id)
    events = session.scalars(
        select(IncidentEvent)
        .where(IncidentEvent.incident_id == incident_id, IncidentEvent.unit_id.in_(who.units))
        .order_by(IncidentEvent.id)
    ).all()
    if inc is None or not events:
        raise NotFound(f"事件 {incident_id[:40]} 不存在")
    return inc, list(events)


EXPORT_COLUMNS = (
    "事件编号",
    "单位",
    "规则",
    "渠道",
    "次数",
    "发送人数",
    "首次发现",
    "最近发现",
    "证据（已遮盖）",
)
MAX_EXPORT_ROWS = 100_000


def export_rows(session: Session, keys: Keys, who: Principal, f: IncidentFilter, fmt: str) -> bytes:
    """The filtered incidents as CSV (UTF-8 with BOM, for Excel) or XLSX; masked evidence only."""
    who.require(Perm.INCIDENTS_EXPORT)
    if fmt not in ("csv", "xlsx"):
        raise Invalid("format：只支持 csv 或 xlsx")
    units = dict(session.execute(select(Unit.id, Unit.name)).all())
    incidents = session.scalars(_filtered(who, f).order_by(Incident.first_seen).limit(MAX_EXPORT_ROWS)).all()
    senders = (
        dict(
            session.execute(
                select(IncidentEvent.incident_id, func.count(func.distinct(IncidentEvent.user_id)))
                .where(IncidentEvent.incident_id.in_([i.id for i in incidents]))
                .group_by(IncidentEvent.incident_id)
            ).all()
        )
        if incidents
        else {}
    )
    rows = [
        (
            i.id,
            units.get(i.unit_id, ""),
            " ".join(i.rules),
            i.channel,
            i.count,
            senders.get(i.id, 0),
            i.first_seen.isoformat(timespec="seconds"),
            i.last_seen.isoformat(timespec="seconds"),
            "；".join(i.evidence),
        )
        for i in incidents
    ]
    audit(
        session,
        keys,
        "incident.export",
        actor=who,
        unit_id=who.unit_id,
        details={"format": fmt, "rows": len(rows), "filter": {k: str(v) for k, v in vars(f).items() if v}},
    )
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf)
        w.writerow(EXPORT_COLUMNS)
        w.writerows(rows)
        return ("\ufeff" + buf.getvalue()).encode("utf-8")
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("事件")
    ws.append(list(EXPORT_COLUMNS))
    for row in rows:
        ws.append(list(row))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# ---- statistics -------------------------------------------------------------------------

_DECISIONS = ("allow", "warn", "review", "block")


def _check_scope(who: Principal, since: datetime | None, until: datetime | None):
    conds = [Check.unit_id.in_(who.units), Check.kind == "check"]
    if since:
        conds.append(Check.created_at >= since)
    if until:
        conds.append(Check.created_at < until)
    return and_(*conds)


def decisions_by(session: Session, who: Principal, by: str, since=None, until=None) -> list[dict]:
    """Checks counted by rule, channel, unit or day, with a column per decision."""
    who.require(Perm.STATS)
    counts = [func.sum(case((Check.engine_decision == d, 1), else_=0)).label(d) for d in _DECISIONS]
    if by == "rule":
        key = CheckRule.rule
        base = select(key, func.count().label("total"), *counts).join(
            CheckRule, CheckRule.check_id == Check.id
        )
    elif by in ("channel", "unit", "day"):
        key = {"channel": Check.channel, "unit": Check.unit_id, "day": func.date(Check.created_at)}[by]
        base = select(key.label("key"), func.count().label("total"), *counts)
    else:
        raise Invalid("by：只能是 rule、channel、unit 或 day")
    rows = session.execute(
        base.select_from(Check).where(_check_scope(who, since, until)).group_by(key).order_by(key)
    ).all()
    return [
        {"key": str(r[0]), "total": r[1], **{d: int(r[i + 2] or 0) for i, d in enumerate(_DECISIONS)}}
        for r in rows
    ]


def rates_by_rule(session: Session, who: Principal, since=None, until=None) -> list[dict]:
    """Per rule: checks, overrides (of warns) and false alarms, with their rates."""
    who.require(Perm.STATS)
    rows = session.execute(
        select(
            CheckRule.rule,
            func.count(),
            func.sum(case((Check.engine_decision == "warn", 1), else_=0)),
            func.sum(case((Check.overridden_at.is_not(None), 1), else_=0)),
            func.sum(case((Check.false_alarm_at.is_not(None), 1), else_=0)),
        )
        .join(CheckRule, CheckRule.check_id == Check.id)
        .where(_check_scope(who, since, until))
        .group_by(CheckRule.rule)
        .order_by(CheckRule.rule)
    ).all()
    out = []
    for rule, total, warns, overrides, false_alarms in rows:
        warns, overrides, false_alarms = int(warns or 0), int(overrides or 0), int(false_alarms or 0)
        out.append(
            {
                "rule": rule,
                "checks": total,
                "warns": warns,
                "overrides": overrides,
                "override_rate": round(overrides / warns, 4) if warns else 0.0,
                "false_alarms": false_alarms,
                "false_alarm_rate": round(false_alarms / total, 4),
            }
        )
    return out


def queue_stats(session: Session, who: Principal) -> dict:
    """Open holds, their age and SLA breaches (now overdue, and expired so far)."""
    who.require(Perm.STATS)
    now = utcnow()
    scope = Hold.unit_id.in_(who.units)
    open_rows = session.execute(
        select(Hold.created_at, Hold.due_at, Hold.state).where(scope, Hold.state.in_(("pending", "claimed")))
    ).all()
    ages = sorted((now - created).total_seconds() for created, _, _ in open_rows)
    by_state = dict(session.execute(select(Hold.state, func.count()).where(scope).group_by(Hold.state)).all())
    return {
        "open": len(open_rows),
        "pending": by_state.get("pending", 0),
        "claimed": by_state.get("claimed", 0),
        "approved": by_state.get("approved", 0),
        "rejected": by_state.get("rejected", 0),
        "expired": by_state.get("expired", 0),
        "overdue": sum(1 for _, due, _ in open_rows if due <= now),
        "oldest_age_seconds": round(ages[-1], 1) if ages else 0.0,
        "median_age_seconds": round(ages[len(ages) // 2], 1) if ages else 0.0,
    }
