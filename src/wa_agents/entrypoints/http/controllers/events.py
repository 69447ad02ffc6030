"""``/api/v1/events``: server-sent events for live dashboards, and the tickets that open them.

Events: ``session.status``, ``session.deleted``, ``message.new``, ``message.status`` and
``conversation.mode``; each ``data`` is a JSON object. A comment line every 15 s keeps proxies
from closing an idle stream. A stream is opened with a single-use ticket (``?ticket=``, from
``POST /api/v1/events/ticket``) or an ``Authorization: Bearer`` header, never a token in the
URL; it ends when the access token behind it expires or stops being valid (see
``domain/services/streams.py``), and the dashboard reconnects with a fresh one.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, get, post
from litestar.datastructures import State
from litestar.di import NamedDependency
from litestar.params import FromQuery, Parameter
from litestar.response import ServerSentEvent, ServerSentEventMessage

from wa_agents.domain.services.platform import Platform
from wa_agents.domain.services.streams import StreamAccess, StreamGrant
from wa_agents.entrypoints.http.errors import errors
from wa_agents.entrypoints.http.security import BEARER, VIEWER, bearer_token
from wa_agents.ports.events import EventBus, EventStream

KEEP_ALIVE_SECONDS = 15.0
Ticket = Annotated[
    str | None,
    Parameter(min_length=1, max_length=128, description="from POST /api/v1/events/ticket"),
]


class TicketOut(msgspec.Struct):
    ticket: str
    expires_in: int  # seconds to open the stream with it; it works once


async def _messages(
    stream: EventStream, grant: StreamGrant, access: StreamAccess
) -> AsyncIterator[ServerSentEventMessage]:
    try:
        yield ServerSentEventMessage(comment="connected")
        while (left := access.remaining(grant)) > 0:
            event = await stream.next(min(KEEP_ALIVE_SECONDS, left))
            if not await access.allows(grant):
                break
            if event is None:
                yield ServerSentEventMessage(comment="keep-alive")
            else:
                yield ServerSentEventMessage(data=json.dumps(event.data), event=event.kind)
        yield ServerSentEventMessage(comment="closed: reconnect with a fresh ticket")
    finally:
        stream.close()


class EventController(Controller):
    path = "/api/v1/events"
    tags = ("events",)

    @post(
        "/ticket",
        status_code=201,
        security=BEARER,
        guards=[VIEWER],
        responses=errors(401),
        summary="A single-use ticket (30 s) that opens the live event stream",
    )
    async def ticket(
        self,
        request: Request[Any, Any, Any],
        platform: NamedDependency[Platform],
    ) -> TicketOut:
        ticket, expires_in = await platform.streams.ticket(str(request.auth))
        return TicketOut(ticket, expires_in)

    @get(
        "/",
        exclude_from_auth=True,
        security=[*BEARER, {}],  # or no header, with ?ticket=
        responses=errors(400, 401),
        summary="Live updates (text/event-stream): session status and QR, new messages",
        description="Open with `?ticket=` (from POST /api/v1/events/ticket) or an "
        "`Authorization: Bearer` header. The stream ends when the access token behind it "
        "expires, its user is disabled or changed, or that login is logged out.",
        media_type="text/event-stream",
    )
    async def events(
        self,
        request: Request[Any, Any, Any],
        state: State,
        platform: NamedDependency[Platform],
        ticket: FromQuery[Ticket] = None,
    ) -> ServerSentEvent:
        access = platform.streams
        grant = await (access.redeem(ticket) if ticket else access.grant(bearer_token(request)))
        bus: EventBus = state.container.events()
        return ServerSentEvent(_messages(bus.subscribe(), grant, access))
