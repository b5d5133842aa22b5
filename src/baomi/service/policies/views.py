"""Policy routes."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from baomi.service.deps import CurrentUser, DbSession, Svc
from baomi.service.permissions import Perm
from baomi.service.policies import service
from baomi.service.policies.document import matrix_of
from baomi.service.policies.schemas import ActivationOut, EffectiveOut, PolicyIn, PolicyOut

router = APIRouter(prefix="/v1", tags=["policies"])
UnitId = Annotated[int, Path(ge=1, le=2**31 - 1)]


@router.get("/units/{unit_id}/policy", response_model=EffectiveOut, summary="单位当前生效的策略")
def effective(unit_id: UnitId, session: DbSession, svc: Svc, who: CurrentUser) -> EffectiveOut:
    who.require(Perm.POLICY_READ)
    who.require_unit(unit_id)
    eff = service.effective(session, svc.pool, unit_id)
    up = eff.unit_policy
    return EffectiveOut(
        unit_id=unit_id,
        policy_id=eff.id,
        mode=up.mode,
        sla_minutes=up.sla_minutes,
        on_expiry=up.on_expiry,
        matrix=matrix_of(up.policy),
        classified_matrix=matrix_of(up.classified),
    )


@router.get("/units/{unit_id}/policies", response_model=list[PolicyOut], summary="策略版本历史")
def versions(unit_id: UnitId, session: DbSession, who: CurrentUser) -> list:
    return service.versions(session, who, unit_id)


@router.post("/units/{unit_id}/policies", response_model=PolicyOut, status_code=201, summary="上传新版本")
def upload(unit_id: UnitId, body: PolicyIn, session: DbSession, svc: Svc, who: CurrentUser):
    return service.upload(session, svc.keys, who, unit_id, body.yaml)


@router.get("/units/{unit_id}/policy-activations", response_model=list[ActivationOut], summary="启用记录")
def activations(unit_id: UnitId, session: DbSession, who: CurrentUser) -> list:
    return service.activations(session, who, unit_id)


@router.get("/policies/{policy_id}", response_model=PolicyOut, summary="一个策略版本")
def get_policy(policy_id: UnitId, session: DbSession, who: CurrentUser):
    return service.get(session, who, policy_id)


@router.post("/policies/{policy_id}/activate", response_model=ActivationOut, summary="启用该版本")
def activate(policy_id: UnitId, session: DbSession, svc: Svc, who: CurrentUser):
    return service.activate(session, svc.keys, who, policy_id)
