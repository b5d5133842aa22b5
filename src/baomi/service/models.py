"""All tables, imported once so that metadata (and Alembic) sees every one."""

from baomi.service.auditlog.models import AuditEntry, AuditHead
from baomi.service.audits.models import AuditJob
from baomi.service.checks.models import Check, CheckRule
from baomi.service.db import Base
from baomi.service.holds.models import HeldContent, Hold
from baomi.service.incidents.models import Incident, IncidentEvent
from baomi.service.policies.models import PolicyActivation, PolicyVersion
from baomi.service.users.models import ApiToken, Unit, User

__all__ = [
    "ApiToken", "AuditEntry", "AuditHead", "AuditJob", "Base", "Check", "CheckRule", "HeldContent", "Hold",
    "Incident", "IncidentEvent", "PolicyActivation", "PolicyVersion", "Unit", "User",
]  # fmt: skip
