"""What the ``search_history`` and ``search_knowledge`` tools answer (``tools.py`` calls these).

The model reads titles, chunk ids and scores in the text; the citations go to the turn's audit.
An index that is down or mismatched is a result the model can read, never a crashed turn.
"""

from __future__ import annotations

import logging

from wa_agents.domain.model.errors import WaAgentsError
from wa_agents.domain.model.message import Direction
from wa_agents.domain.model.tools import ToolResult
from wa_agents.domain.services.search import ChunkHit, MessageHit, SearchService
from wa_agents.ports.embeddings import VectorIndex
from wa_agents.ports.unit_of_work import UnitOfWorkFactory

HISTORY_HITS = 5
KNOWLEDGE_HITS = 3
log = logging.getLogger("wa_agents.search")


def describe_message(hit: MessageHit) -> str:
    m = hit.message
    who = "user" if m.direction == Direction.INBOUND else "assistant"
    return f"[{m.timestamp:%Y-%m-%d %H:%M}] {who}: {m.content}"


def describe_chunk(number: int, hit: ChunkHit) -> str:
    return (
        f"[{number}] «{hit.title}» (chunk {hit.chunk.id}, score {hit.score:.2f})\n{hit.chunk.text}"
    )


def unavailable(exc: WaAgentsError) -> ToolResult:
    log.warning("search failed: %s", exc)
    return ToolResult("error: search is unavailable right now", is_error=True)


async def search_history(
    uow: UnitOfWorkFactory, index: VectorIndex | None, session_id: str, jid: str, query: str
) -> ToolResult:
    if index is None:
        return ToolResult("this agent cannot search the conversation")
    try:
        hits = await SearchService(uow, index).conversation(
            session_id, jid, query, limit=HISTORY_HITS
        )
    except WaAgentsError as exc:
        return unavailable(exc)
    if not hits:
        return ToolResult("no earlier message is about that")
    return ToolResult("\n".join(describe_message(h) for h in hits))


async def search_knowledge(
    uow: UnitOfWorkFactory, index: VectorIndex | None, agent_id: str, query: str
) -> ToolResult:
    if index is None:
        return ToolResult("this agent has no knowledge base")
    try:
        hits = await SearchService(uow, index).knowledge(agent_id, query, limit=KNOWLEDGE_HITS)
    except WaAgentsError as exc:
        return unavailable(exc)
    if not hits:
        return ToolResult("nothing relevant in the knowledge base")
    text = "\n---\n".join(describe_chunk(n, h) for n, h in enumerate(hits, 1))
    return ToolResult(text, citations=tuple(h.citation for h in hits))
