"""Audits of chat archives: importers, roster, audit, report.

from baomi.archive import audit, write_outputs
result = audit([Path("export.jsonl")], Path("out"), roster=Path("roster.yaml"))
write_outputs(result, Path("out"))
"""

from baomi.archive.audit import AuditResult, audit
from baomi.archive.importers import FORMATS, detect_format, read_export
from baomi.archive.model import ArchiveMessage, ImportProblem
from baomi.archive.report import write_outputs
from baomi.archive.roster import Roster

__all__ = [
    "FORMATS",
    "ArchiveMessage",
    "AuditResult",
    "ImportProblem",
    "Roster",
    "audit",
    "detect_format",
    "read_export",
    "write_outputs",
]
