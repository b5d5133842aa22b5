"""The secrecy office's pages: 事件 (filters, detail, export), 统计 (the data for the charts),
策略 (matrix, upload with errors at their line, versions with a diff, shadow switch),
审计日志 (with the chain's verification) and 用户与单位 (admins)."""

from __future__ import annotations

import difflib
import re
from datetime import datetime, timedelta
from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import JSONResponse, Response
from sqlalchemy import select

from baomi.catalog import catalog
from baomi.console.web import (
    CHANNEL_ZH,
    LOCAL_TZ,
    Csrf,
    check_csrf,
    current_user,
    finish,
    page,
    redirect,
    render,
)
from baomi.errors import PolicyError
from baomi.model import ALL_RULE_IDS
from baomi.service.auditlog import service as auditlog
from baomi.service.checks.models import Check
from baomi.service.deps import DbSession, Svc
from baomi.service.errors import Invalid
from baomi.service.incidents import service as incidents
from baomi.service.permissions import ROLE_ZH, Perm
from baomi.service.policies import service as policies
from baomi.service.policies.document import matrix_of
from baomi.service.users import service as users
from baomi.service.users.models import Unit

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 50
EXPORT_MEDIA = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
SOURCE_ZH = {"block": "拦截", "rejected": "审查驳回", "expired": "超时未审", "report": "同事举报",
             "audit": "档案审计"}  # fmt: skip


def _units(session, who) -> dict[int, str]:
    return {u.id: u.name for u in users.list_units(session, who)}


# ---- 事件 -----------------------------------------------------------------------------


def _day(value: str | None, end: bool = False) -> datetime | None:
    """A yyyy-mm-dd (local) from the filter form as UTC; `end` makes it the next midnight."""
    if not value:
        return None
    try:
        day = datetime.strptime(value[:10], "%Y-%m-%d").replace(tzinfo=LOCAL_TZ)
    except ValueError:
        raise Invalid(f"日期 {value[:20]!r} 格式应为 年-月-日") from None
    return day + timedelta(days=1) if end else day


def _incident_filter(rule, channel, unit_id, sender, since, until) -> incidents.IncidentFilter:
    unit = int(unit_id) if unit_id and unit_id.isdigit() else None  # the form sends "" for 全部
    return incidents.IncidentFilter(
        rule or None, channel or None, unit, sender or None, _day(since), _day(until, end=True)
    )


Q8, Q20, Q200 = (Annotated[str | None, Query(max_length=n)] for n in (8, 20, 200))


@router.get("/incidents")
@page
def incident_list(
    request: Request,
    session: DbSession,
    rule: Q8 = None,
    channel: Q20 = None,
    unit_id: Q20 = None,
    sender: Q200 = None,
    since: Q20 = None,
    until: Q20 = None,
    offset: Annotated[int, Query(ge=0, le=10**7)] = 0,
) -> Response:
    who = current_user(request, session)
    f = _incident_filter(rule, channel, unit_id, sender, since, until)
    total, items = incidents.list_incidents(session, who, f, offset, PAGE_SIZE)
    form = {"rule": rule or "", "channel": channel or "", "unit_id": f.unit_id or "", "sender": sender or "",
            "since": since or "", "until": until or ""}  # fmt: skip
    query = "&".join(f"{k}={v}" for k, v in form.items() if v)
    ctx = {
        "who": who,
        "items": items,
        "total": total,
        "offset": offset,
        "page_size": PAGE_SIZE,
        "form": form,
        "query": query,
        "units": _units(session, who),
        "rule_ids": ALL_RULE_IDS,
        "can_export": who.can(Perm.INCIDENTS_EXPORT),
    }
    return render(request, "incidents.html", ctx)


@router.get("/incidents/export")
@page
def incident_export(
    request: Request,
    session: DbSession,
    svc: Svc,
    format: Annotated[str, Query(max_length=5)] = "csv",
    rule: Q8 = None,
    channel: Q20 = None,
    unit_id: Q20 = None,
    sender: Q200 = None,
    since: Q20 = None,
    until: Q20 = None,
) -> Response:
    who = current_user(request, session)
    f = _incident_filter(rule, channel, unit_id, sender, since, until)
    data = incidents.export_rows(session, svc.keys, who, f, format)
    name = f"incidents-{datetime.now(LOCAL_TZ):%Y%m%d-%H%M}.{format}"
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    return finish(request, Response(data, media_type=EXPORT_MEDIA[format], headers=headers))


@router.get("/incidents/{incident_id}")
@page
def incident_detail(request: Request, incident_id: str, session: DbSession) -> Response:
    who = current_user(request, session)
    inc, events = incidents.get_incident(session, who, incident_id[:64])
    checks = {
        c.id: c for c in session.scalars(select(Check).where(Check.id.in_([e.check_id for e in events])))
    }
    ctx = {
        "who": who,
        "inc": inc,
        "events": events,
        "checks": checks,
        "chains": list({e.chain["item"]: e.chain for e in events if e.chain}.values()),
        "units": _units(session, who),
        "rules": [{"id": r, "name": catalog()[r].name} for r in inc.rules if r in catalog()],
        "SOURCE_ZH": SOURCE_ZH,
    }
    return render(request, "incident.html", ctx)


# ---- 统计 -----------------------------------------------------------------------------


@router.get("/dashboard")
@page
def dashboard(request: Request, session: DbSession) -> Response:
    who = current_user(request, session)
    queue = incidents.queue_stats(session, who)
    return render(request, "dashboard.html", {"who": who, "queue": queue})


@router.get("/dashboard/data")
@page
def dashboard_data(request: Request, session: DbSession, days: Annotated[int, Query(ge=1, le=366)] = 30):
    """Everything the charts draw, for the last `days` days."""
    who = current_user(request, session)
    since = datetime.now(LOCAL_TZ) - timedelta(days=days)
    by_rule = incidents.decisions_by(session, who, "rule", since)
    data = {
        "days": incidents.decisions_by(session, who, "day", since),
        "rules": by_rule,
        "channels": [
            {**row, "name": CHANNEL_ZH.get(row["key"], row["key"])}
            for row in incidents.decisions_by(session, who, "channel", since)
        ],
        "top": sorted(by_rule, key=lambda r: -(r["block"] + r["review"] + r["warn"]))[:5],
        "rates": incidents.rates_by_rule(session, who, since),
        "queue": incidents.queue_stats(session, who),
        "rule_names": {r: i.name for r, i in catalog().items()},
    }
    return finish(request, JSONResponse(data))


# ---- 策略 -----------------------------------------------------------------------------

_LINE = re.compile(r"第 (\d+) 行")
_MODE = re.compile(r"^mode:\s*\S+.*$", re.MULTILINE)


def _policy_ctx(session, svc, who, unit_id: int) -> dict:
    who.require(Perm.POLICY_READ)
    who.require_unit(unit_id)
    eff = policies.effective(session, svc.pool, unit_id)
    versions = policies.versions(session, who, unit_id)
    active = {a.policy_id for a in policies.activations(session, who, unit_id)[:1]}
    up = eff.unit_policy
    return {
        "who": who,
        "unit_id": unit_id,
        "units": _units(session, who),
        "eff": eff,
        "up": up,
        "matrix": matrix_of(up.policy),
        "classified_matrix": matrix_of(up.classified),
        "versions": versions,
        "active": active,
        "rule_names": {r: i.name for r, i in catalog().items()},
        "yaml": eff.row.yaml if eff.row else "",
        "can_write": who.can(Perm.POLICY_WRITE),
        "errors": [],
        "bad_lines": set(),
    }


@router.get("/policy")
@page
def policy(
    request: Request,
    session: DbSession,
    svc: Svc,
    unit_id: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
) -> Response:
    who = current_user(request, session)
    return render(request, "policy.html", _policy_ctx(session, svc, who, unit_id or who.unit_id))


@router.post("/policy")
@page
def policy_upload(
    request: Request,
    session: DbSession,
    svc: Svc,
    csrf: Csrf = "",
    unit_id: Annotated[int, Form(ge=1, le=2**31 - 1)] = 1,
    yaml_text: Annotated[str, Form(max_length=policies.MAX_POLICY_CHARS)] = "",
    activate: Annotated[bool, Form()] = False,
) -> Response:
    """Upload a new version (pasted or from a file read by the page); errors at their line."""
    who = current_user(request, session)
    check_csrf(request, csrf)
    try:
        row = policies.upload(session, svc.keys, who, unit_id, yaml_text)
    except PolicyError as exc:
        session.rollback()
        ctx = _policy_ctx(session, svc, who, unit_id)
        problems = [p.strip() for p in str(exc).splitlines()[1:] if p.strip()] or [str(exc)]
        bad = {int(n) for p in problems for n in _LINE.findall(p)}
        numbered = [(i, line, i in bad) for i, line in enumerate(yaml_text.split("\n"), start=1)]
        ctx |= {"yaml": yaml_text, "errors": problems, "bad_lines": bad, "numbered": numbered}
        return render(request, "policy.html", ctx, 422)
    if activate:
        policies.activate(session, svc.keys, who, row.id)
    return redirect(request, f"/policy?unit_id={unit_id}")


@router.post("/policy/{policy_id}/activate")
@page
def policy_activate(
    request: Request, policy_id: int, session: DbSession, svc: Svc, csrf: Csrf = ""
) -> Response:
    who = current_user(request, session)
    check_csrf(request, csrf)
    act = policies.activate(session, svc.keys, who, policy_id)
    return redirect(request, f"/policy?unit_id={act.unit_id}")


@router.post("/policy/mode")
@page
def policy_mode(
    request: Request,
    session: DbSession,
    svc: Svc,
    csrf: Csrf = "",
    unit_id: Annotated[int, Form(ge=1, le=2**31 - 1)] = 1,
    mode: Annotated[str, Form(pattern="^(enforce|shadow)$")] = "enforce",
) -> Response:
    """The shadow-mode switch: the active text with its `mode:` line set, as a new active version."""
    who = current_user(request, session)
    check_csrf(request, csrf)
    who.require_unit(unit_id)
    eff = policies.effective(session, svc.pool, unit_id)
    text = eff.row.yaml if eff.row else ""
    text = _MODE.sub(f"mode: {mode}", text) if _MODE.search(text) else f"mode: {mode}\n{text}"
    row = policies.upload(session, svc.keys, who, unit_id, text)
    policies.activate(session, svc.keys, who, row.id)
    return redirect(request, f"/policy?unit_id={unit_id}")


@router.get("/policy/diff")
@page
def policy_diff(
    request: Request,
    session: DbSession,
    a: Annotated[int, Query(ge=1, le=2**31 - 1)],
    b: Annotated[int, Query(ge=1, le=2**31 - 1)],
) -> Response:
    who = current_user(request, session)
    old, new = policies.get(session, who, a), policies.get(session, who, b)
    lines = list(
        difflib.unified_diff(
            old.yaml.splitlines(),
            new.yaml.splitlines(),
            f"版本 {old.version}",
            f"版本 {new.version}",
            lineterm="",
        )
    )
    kinds = [
        ("add" if ln[:1] == "+" else "del" if ln[:1] == "-" else "hunk" if ln[:2] == "@@" else "")
        for ln in lines
    ]
    ctx = {"who": who, "old": old, "new": new, "lines": list(zip(kinds, lines, strict=True))}
    return render(request, "policy_diff.html", ctx)


# ---- 审计日志 ---------------------------------------------------------------------------


@router.get("/audit")
@page
def audit(
    request: Request,
    session: DbSession,
    svc: Svc,
    action: Annotated[str | None, Query(max_length=40)] = None,
    offset: Annotated[int, Query(ge=0, le=10**9)] = 0,
) -> Response:
    who = current_user(request, session)
    who.require(Perm.AUDIT)
    result = auditlog.verify(session, svc.keys)
    total, entries = auditlog.list_entries(session, action=action or None, offset=offset, limit=PAGE_SIZE)
    ctx = {"who": who, "result": result, "entries": entries, "total": total, "offset": offset,
           "page_size": PAGE_SIZE, "action": action or ""}  # fmt: skip
    return render(request, "audit.html", ctx)


# ---- 用户与单位 -------------------------------------------------------------------------


@router.get("/admin")
@page
def admin(request: Request, session: DbSession) -> Response:
    who = current_user(request, session)
    people = users.list_users(session, who)
    units = session.scalars(select(Unit).order_by(Unit.id)).all()
    ctx = {"who": who, "people": people, "units": units, "unit_names": {u.id: u.name for u in units},
           "roles": ROLE_ZH}  # fmt: skip
    return render(request, "admin.html", ctx)


@router.post("/admin/units")
@page
def admin_unit(
    request: Request,
    session: DbSession,
    svc: Svc,
    csrf: Csrf = "",
    name: Annotated[str, Form(min_length=1, max_length=200)] = "",
    parent_id: Annotated[int, Form(ge=1, le=2**31 - 1)] = 1,
) -> Response:
    who = current_user(request, session)
    check_csrf(request, csrf)
    users.create_unit(session, svc.keys, who, name.strip(), parent_id)
    return redirect(request, "/admin")


@router.post("/admin/users")
@page
def admin_user(
    request: Request,
    session: DbSession,
    svc: Svc,
    csrf: Csrf = "",
    username: Annotated[str, Form(pattern=r"^[A-Za-z0-9_.\-]{2,64}$")] = "",
    display_name: Annotated[str, Form(max_length=200)] = "",
    password: Annotated[str, Form(max_length=200)] = "",
    role: Annotated[str, Form(pattern="^(sender|reviewer|secrecy_officer|auditor|admin)$")] = "sender",
    unit_id: Annotated[int, Form(ge=1, le=2**31 - 1)] = 1,
    classified: Annotated[bool, Form()] = False,
) -> Response:
    who = current_user(request, session)
    check_csrf(request, csrf)
    users.create_user(
        session, svc.keys, who, username=username, password=password, role=role, unit_id=unit_id,
        display_name=display_name, classified=classified,
    )  # fmt: skip
    return redirect(request, "/admin")


@router.post("/admin/users/{user_id}/active")
@page
def admin_user_active(
    request: Request, user_id: int, session: DbSession, svc: Svc, csrf: Csrf = "",
    active: Annotated[bool, Form()] = False,
) -> Response:  # fmt: skip
    who = current_user(request, session)
    check_csrf(request, csrf)
    if user_id == who.id and not active:
        raise Invalid("不能停用自己的账户")
    users.update_user(session, svc.keys, who, user_id, {"active": active})
    return redirect(request, "/admin")
