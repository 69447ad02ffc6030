"""``GET /api/v1/events``: server-sent events for live dashboards.

Events: ``session.status``, ``session.deleted``, ``message.new``, ``message.status`` and
``conversation.mode``; each ``data`` is a JSON object. A comment line every 15 s keeps proxies
from closing an idle stream.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

from litestar import Controller, get
from litestar.datastructures import State
from litestar.response import ServerSentEvent, ServerSentEventMessage

from wa_agents.entrypoints.http.errors import errors
from wa_agents.entrypoints.http.security import BEARER, VIEWER
from wa_agents.ports.events import EventBus, EventStream

KEEP_ALIVE_SECONDS = 15.0


async def _messages(stream: EventStream) -> AsyncIterator[ServerSentEventMessage]:
    try:
        yield ServerSentEventMessage(comment="connected")
        while True:
            event = await stream.next(KEEP_ALIVE_SECONDS)
            if event is None:
                yield ServerSentEventMessage(comment="keep-alive")
            else:
                yield ServerSentEventMessage(data=json.dumps(event.data), event=event.kind)
    finally:
        stream.close()


class EventController(Controller):
    tags = ("events",)
    security = BEARER

    @get(
        "/api/v1/events",
        guards=[VIEWER],
        responses=errors(401),
        summary="Live updates (text/event-stream): session status and QR, new messages",
        media_type="text/event-stream",
    )
    async def events(self, state: State) -> ServerSentEvent:
        bus: EventBus = state.container.events()
        return ServerSentEvent(_messages(bus.subscribe()))
