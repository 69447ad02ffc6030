"""``wa-agents reindex [--session ID]``: rebuild the vector index from the database."""

from __future__ import annotations

import sys

from wa_agents.domain.model.errors import WaAgentsError
from wa_agents.domain.services.platform import Platform
from wa_agents.domain.services.rebuild import rebuild
from wa_agents.entrypoints.container import build_container, close_resources, open_resources
from wa_agents.entrypoints.progress import ProgressBar
from wa_agents.entrypoints.settings import Settings


async def reindex(settings: Settings, session_id: str | None) -> int:
    if settings.storage == "memory":
        print("wa-agents: WA_DATABASE_URL=memory keeps nothing: there is nothing to reindex")
        return 0
    container = build_container(settings)
    try:
        await open_resources(container)
        platform: Platform = container.platform()
        assert platform.indexing is not None  # the container always builds an index
        rebuilt = await rebuild(platform.indexing, session_id, ProgressBar())
    except WaAgentsError as exc:
        print(f"wa-agents: {exc}", file=sys.stderr)
        return 1
    finally:
        await close_resources(container)
    scope = f"session {session_id}" if session_id else "everything"
    print(
        f"reindexed {scope}: {rebuilt.messages} messages, "
        f"{rebuilt.documents} documents ({rebuilt.chunks} chunks)"
    )
    return 0
