"""A whole platform on the memory adapters, as the unit tests build it."""

from __future__ import annotations

from typing import Any

from wa_agents.adapters.memory import (
    ManualClock,
    MemoryJobQueue,
    MemoryTokenService,
    MemoryUnitOfWorkFactory,
    Pbkdf2PasswordHasher,
    SequentialIdGenerator,
)
from wa_agents.adapters.scripted import ScriptedChatModel
from wa_agents.domain.services.platform import Platform
from wa_agents.ports.chat_model import ChatModel
from wa_agents.ports.messaging import MessagingGateway


def memory_platform(
    clock: ManualClock,
    gateway: MessagingGateway,
    model: ChatModel | None = None,
    **options: Any,
) -> Platform:
    """Memory store and queue, sequential ids, no debounce (``options`` may say otherwise),
    the scripted model unless another is given; ``options`` are ``Platform``'s own."""
    ids = SequentialIdGenerator()
    uow = MemoryUnitOfWorkFactory(clock, ids)
    return Platform(
        uow=uow,
        queue=MemoryJobQueue(uow.db),
        gateway=gateway,
        model=model or ScriptedChatModel(),
        clock=clock,
        ids=ids,
        hasher=Pbkdf2PasswordHasher(),
        tokens=MemoryTokenService(clock),
        **{"debounce_ms": 0, **options},
    )
