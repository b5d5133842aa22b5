"""Audits of chat archives: importers, roster, audit, report.

from baomi.archive import audit, write_outputs
result = audit([Path("export.jsonl")], Path("out"), roster=Path("roster.yaml"))
write_outputs(result, Path("out"))
"""

from baomi.archive.importers import FORMATS, detect_format, read_export
from baomi.archive.model import ArchiveMessage, ImportProblem
from baomi.archive.roster import Roster

# The audit and its report need numpy (fingerprints): imported on first use, so that the
# importers (and the CLI that lists their formats) work without the attachments extra.
_LAZY = {"AuditResult": "baomi.archive.audit", "audit": "baomi.archive.audit",
         "write_outputs": "baomi.archive.report"}


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value  # importing baomi.archive.audit bound the name to the module
        return value
    raise AttributeError(name)


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
