"""Errors baomi raises. Messages are in Chinese and never carry the reviewed text.

BaomiError                      base; `exit_code` for the CLI
├── InputError                  bad input from a caller (exit 2)
│   ├── UnknownChannelError     channel name not in rules.md
│   ├── EmptyMessageError       nothing to review
│   ├── ConflictingArgumentsError  a Message plus channel/attachments/id (also a TypeError)
│   └── CorpusLineError         one malformed line of a JSONL corpus
├── PolicyError                 a policy file that does not validate (exit 3)
├── ModelError                  a learned-model file that cannot be loaded (exit 5)
└── ExtractionError             an attachment that cannot be inspected (exit 4);
                                the engine turns it into a finding, never a pass
"""

from __future__ import annotations


class BaomiError(Exception):
    """Base of every error baomi raises on purpose."""

    exit_code = 1


class InputError(BaomiError):
    exit_code = 2


class UnknownChannelError(InputError):
    def __init__(self, value: str, valid: list[str]) -> None:
        self.value = value
        self.valid = valid
        super().__init__(f"未知渠道 {value[:40]!r}，可用渠道：{', '.join(valid)}")


class EmptyMessageError(InputError):
    def __init__(self) -> None:
        super().__init__("消息为空：没有文字也没有附件，无可审查内容")


class ConflictingArgumentsError(InputError, TypeError):
    def __init__(self, given: list[str]) -> None:
        self.given = given
        super().__init__(f"已传入 Message，不能再给 {', '.join(given)}：请在 Message 中设置")


class CorpusLineError(InputError):
    def __init__(self, line_no: int, problem: str) -> None:
        self.line_no = line_no
        self.problem = problem
        super().__init__(f"第 {line_no} 行无效：{problem}")


class PolicyError(BaomiError):
    exit_code = 3


class ModelError(BaomiError):
    exit_code = 5


class ExtractionError(BaomiError):
    """An attachment that cannot be read. `reason` is a short Chinese label
    (e.g. "加密文件", "文件损坏", "超出大小限制") used in the finding."""

    exit_code = 4

    def __init__(self, reason: str, detail: str = "") -> None:
        self.reason = reason
        self.detail = detail
        super().__init__(f"无法检查的附件：{reason}" + (f"（{detail}）" if detail else ""))
