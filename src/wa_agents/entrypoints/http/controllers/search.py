"""``/api/v1/search``: every conversation (or the knowledge documents), by meaning."""

from __future__ import annotations

from typing import Annotated, Literal

from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.params import FromQuery, Parameter

from wa_agents.domain.model.errors import NotFound, ValidationError
from wa_agents.domain.model.jid import normalize_jid
from wa_agents.domain.model.message import Direction
from wa_agents.domain.services.platform import Platform
from wa_agents.domain.services.search import MAX_LIMIT
from wa_agents.entrypoints.http.dto.knowledge import SearchHitOut, SearchPage
from wa_agents.entrypoints.http.errors import errors
from wa_agents.entrypoints.http.security import BEARER, VIEWER

Query = Annotated[str, Parameter(min_length=1, max_length=500, description="what to look for")]
Limit = Annotated[int, Parameter(ge=1, le=MAX_LIMIT, description="at most this many hits")]


class SearchController(Controller):
    path = "/api/v1/search"
    tags = ("search",)
    security = BEARER

    @get(
        "/",
        guards=[VIEWER],
        responses=errors(400, 401, 422),
        summary="Search messages (or knowledge chunks) by meaning, best first",
        description=(
            "Messages of every conversation, or of one session, contact and direction; ties "
            "put the newest first. `kind=chunk` searches knowledge documents instead "
            "(optionally of one `agent_id`)."
        ),
    )
    async def search(
        self,
        q: FromQuery[Query],
        platform: NamedDependency[Platform],
        session_id: FromQuery[str | None] = None,
        contact: FromQuery[str | None] = None,
        direction: FromQuery[Direction | None] = None,
        kind: FromQuery[Literal["message", "chunk"]] = "message",
        agent_id: FromQuery[str | None] = None,
        limit: FromQuery[Limit] = 10,
    ) -> SearchPage:
        if platform.search is None:
            raise NotFound("search", "no vector index is configured")
        if kind == "chunk":
            if session_id or contact or direction:
                raise ValidationError("session_id, contact and direction apply to messages only")
            chunks = await platform.search.chunks(q, agent_id=agent_id, limit=limit)
            return SearchPage([SearchHitOut.of_chunk(h) for h in chunks], len(chunks), limit)
        hits = await platform.search.messages(
            q,
            session_id=session_id,
            contact_jid=normalize_jid(contact) if contact else None,
            direction=direction,
            limit=limit,
        )
        return SearchPage([SearchHitOut.of_message(h) for h in hits], len(hits), limit)
