"""Policy: the rule × channel decision matrix and the organisation's dictionaries, as
validated data. A typo fails loudly at load, naming the line; it never quietly allows."""

from baomi.policy.load import Policy, load_policy

__all__ = ["Policy", "load_policy"]
