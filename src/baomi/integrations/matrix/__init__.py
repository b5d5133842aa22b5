"""baomi inside a Matrix homeserver: a Synapse module that reviews every message before it is
delivered (see docs/matrix.md). Synapse is imported only when Synapse instantiates
`BaomiModule`, so this package imports (and its logic is tested) without Synapse."""

from baomi.integrations.matrix.module import BaomiModule

__all__ = ["BaomiModule"]
