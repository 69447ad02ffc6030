"""A ``Platform`` on a real database, with one agent on one linked number ("shop").

Shared by the SQL pipeline tests and ``benchmarks/turn_path.py``: the in-memory gateway,
the scripted model and no debounce, so what is measured or proven is the database path.
"""

from __future__ import annotations

from collections.abc import Sequence

from wa_agents.adapters.memory import (
    MemoryMessagingGateway,
    MemoryTokenService,
    Pbkdf2PasswordHasher,
    TimeOrderedIdGenerator,
)
from wa_agents.adapters.scripted import ScriptedChatModel
from wa_agents.adapters.sqlalchemy import Database, SqlAlchemyJobQueue, SqlAlchemyUnitOfWorkFactory
from wa_agents.domain.services.platform import Platform
from wa_agents.ports.clock import Clock

SESSION = "shop"


async def linked_platform(
    database: Database,
    clock: Clock,
    gateway: MemoryMessagingGateway,
    tools: Sequence[str] | None = None,  # None: the agent's default tools
) -> Platform:
    ids = TimeOrderedIdGenerator()
    platform = Platform(
        uow=SqlAlchemyUnitOfWorkFactory(database, clock, ids),
        queue=SqlAlchemyJobQueue(database),
        gateway=gateway, model=ScriptedChatModel(), clock=clock, ids=ids,
        hasher=Pbkdf2PasswordHasher(), tokens=MemoryTokenService(clock), debounce_ms=0,
    )  # fmt: skip
    chosen = {} if tools is None else {"tools": list(tools)}
    agent = await platform.agents.create(name="A", model="m", system_prompt="p", **chosen)
    await platform.sessions.create(SESSION, agent_id=agent.id)
    gateway.connect(SESSION)
    await platform.sessions.refresh(SESSION)
    return platform
