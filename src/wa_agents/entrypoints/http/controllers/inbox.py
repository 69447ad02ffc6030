"""``GET /api/v1/conversations``: the inbox, conversations of every number in one list."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.params import FromQuery, Parameter

from wa_agents.domain.model.conversation import HandoffMode
from wa_agents.domain.model.page import PageRequest
from wa_agents.domain.services.platform import Platform
from wa_agents.entrypoints.http.dto.sessions import ConversationOut, ConversationPage
from wa_agents.entrypoints.http.errors import errors
from wa_agents.entrypoints.http.security import BEARER, VIEWER
from wa_agents.ports.conversations import ConversationFilter

Contact = Annotated[
    str | None, Parameter(max_length=128, description="part of the contact's JID (a number)")
]


class InboxController(Controller):
    tags = ("conversations",)
    security = BEARER

    @get(
        "/api/v1/conversations",
        guards=[VIEWER],
        responses=errors(400, 401),
        summary="Conversations across every session, latest activity first, with unread counts",
        description="``unread`` counts the inbound messages after the last outbound one.",
    )
    async def inbox(
        self,
        platform: NamedDependency[Platform],
        page: NamedDependency[PageRequest],
        session_id: Annotated[str | None, Parameter(max_length=64)] = None,
        mode: FromQuery[HandoffMode | None] = None,
        contact: Contact = None,
    ) -> ConversationPage:
        where = ConversationFilter(session_id=session_id, mode=mode, contact=contact or None)
        found = await platform.conversations.inbox(where, page)
        items = [ConversationOut.of(c) for c in found.items]
        return ConversationPage(items, found.total, page.limit, page.offset)
