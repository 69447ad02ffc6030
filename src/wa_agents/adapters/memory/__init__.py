"""Real in-memory implementations of every port, with inspection helpers.

For tests, demos and hosts that embed the domain. ``MemoryUnitOfWorkFactory`` holds one
``MemoryDatabase`` that every unit of work and the job queue share.
"""

from wa_agents.adapters.memory.clock import ManualClock, SystemClock
from wa_agents.adapters.memory.database import MemoryDatabase
from wa_agents.adapters.memory.embedder import HashingEmbedder
from wa_agents.adapters.memory.events import MemoryEventBus, MemoryEventStream
from wa_agents.adapters.memory.ids import SequentialIdGenerator, TimeOrderedIdGenerator
from wa_agents.adapters.memory.jobs import MemoryJobOutbox, MemoryJobQueue
from wa_agents.adapters.memory.mcp import MemoryMcpClient
from wa_agents.adapters.memory.media_source import MemoryMediaSource, MemoryTranscriber
from wa_agents.adapters.memory.media_store import MemoryMediaStore
from wa_agents.adapters.memory.messaging import MemoryMessagingGateway, SentMessage
from wa_agents.adapters.memory.outbound import MemoryOutboundHttp
from wa_agents.adapters.memory.security import MemoryTokenService, Pbkdf2PasswordHasher
from wa_agents.adapters.memory.unit_of_work import MemoryUnitOfWork, MemoryUnitOfWorkFactory
from wa_agents.adapters.memory.vector_index import MemoryVectorIndex

__all__ = [
    "HashingEmbedder",
    "ManualClock",
    "MemoryDatabase",
    "MemoryEventBus",
    "MemoryEventStream",
    "MemoryJobOutbox",
    "MemoryJobQueue",
    "MemoryMcpClient",
    "MemoryMediaSource",
    "MemoryMediaStore",
    "MemoryMessagingGateway",
    "MemoryOutboundHttp",
    "MemoryTokenService",
    "MemoryTranscriber",
    "MemoryUnitOfWork",
    "MemoryUnitOfWorkFactory",
    "MemoryVectorIndex",
    "Pbkdf2PasswordHasher",
    "SentMessage",
    "SequentialIdGenerator",
    "SystemClock",
    "TimeOrderedIdGenerator",
]
