"""``/api/v1/sessions/{id}/conversations``: read, answer as an operator, hand off."""

from __future__ import annotations

from litestar import Controller, get, patch, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody

from wa_agents.domain.model.page import PageRequest
from wa_agents.domain.model.user import User
from wa_agents.domain.services.platform import Platform
from wa_agents.entrypoints.http.dto.sessions import (
    ConversationOut,
    ConversationPage,
    ConversationPatch,
    MessageOut,
    MessagePage,
    OutgoingText,
)
from wa_agents.entrypoints.http.errors import errors
from wa_agents.entrypoints.http.security import BEARER, OPERATOR, VIEWER

JID = "/{jid:str}"


class ConversationController(Controller):
    path = "/api/v1/sessions/{session_id:str}/conversations"
    tags = ("conversations",)
    security = BEARER

    @get(
        "/",
        guards=[VIEWER],
        responses=errors(400, 401, 404),
        summary="Conversations of a session, most recent first, with their last message",
    )
    async def list_conversations(
        self,
        session_id: FromPath[str],
        platform: NamedDependency[Platform],
        page: NamedDependency[PageRequest],
    ) -> ConversationPage:
        found = await platform.conversations.list(session_id, page)
        items = [ConversationOut.of(c) for c in found.items]
        return ConversationPage(items, found.total, page.limit, page.offset)

    @patch(
        JID,
        guards=[OPERATOR],
        responses=errors(400, 401, 403, 404, 413, 422),
        summary="Who answers: ai, human (an operator) or paused (nobody)",
    )
    async def set_mode(
        self,
        session_id: FromPath[str],
        jid: FromPath[str],
        data: JSONBody[ConversationPatch],
        platform: NamedDependency[Platform],
        user: NamedDependency[User],
    ) -> ConversationOut:
        summary = await platform.conversations.set_mode(
            session_id, jid, data.mode, actor=user.username, reason=data.reason
        )
        return ConversationOut.of(summary)

    @get(
        JID + "/messages",
        guards=[VIEWER],
        responses=errors(400, 401, 404, 422),
        summary="The history of a conversation, newest first",
    )
    async def history(
        self,
        session_id: FromPath[str],
        jid: FromPath[str],
        platform: NamedDependency[Platform],
        page: NamedDependency[PageRequest],
    ) -> MessagePage:
        found = await platform.conversations.history(session_id, jid, page)
        items = [MessageOut.of(m) for m in found.items]
        return MessagePage(items, found.total, page.limit, page.offset)

    @post(
        JID + "/messages",
        guards=[OPERATOR],
        responses=errors(400, 401, 403, 404, 413, 422),
        summary="Send a message as an operator (queued, then sent like any reply)",
    )
    async def send(
        self,
        session_id: FromPath[str],
        jid: FromPath[str],
        data: JSONBody[OutgoingText],
        platform: NamedDependency[Platform],
        user: NamedDependency[User],
    ) -> MessageOut:
        message = await platform.conversations.send(session_id, jid, data.text, actor=user.username)
        return MessageOut.of(message)
