"""The reusable contract suite: prove an adapter keeps its port's promises.

Each contract is a base class in ``wa_agents.testing.contracts``. Subclass it in your test
module and provide the fixture it names (documented on the class); every behaviour is then run
against your adapter. See ``docs/adapters.md``. Needs ``pytest`` and ``pytest-asyncio``.
"""

from wa_agents.testing.harness import (
    ChatModelHarness,
    MessagingHarness,
    OutboundHarness,
    SeenRequest,
    StorageBackend,
    TokenHarness,
)

__all__ = [
    "ChatModelHarness",
    "MessagingHarness",
    "OutboundHarness",
    "SeenRequest",
    "StorageBackend",
    "TokenHarness",
]
