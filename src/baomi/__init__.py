"""baomi (保密): confidentiality review of instant messages for government staff.

from baomi import review
review("机密★10年 …", channel="work_group").decision   # Decision.BLOCK
"""

from baomi.engine import Reviewer, build_message, review
from baomi.errors import BaomiError
from baomi.model import Attachment, Channel, Decision, Finding, Message, Segment, Verdict

__all__ = [
    "Attachment",
    "BaomiError",
    "Channel",
    "Decision",
    "Finding",
    "Message",
    "Reviewer",
    "Segment",
    "Verdict",
    "build_message",
    "review",
]
