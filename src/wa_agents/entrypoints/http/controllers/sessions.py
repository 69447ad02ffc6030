"""``/api/v1/sessions``: linked WhatsApp numbers."""

from __future__ import annotations

from litestar import Controller, delete, get, patch, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody

from wa_agents.domain.model.page import PageRequest
from wa_agents.domain.services.platform import Platform
from wa_agents.entrypoints.http.dto.sessions import (
    PairingIn,
    PairingOut,
    SessionIn,
    SessionOut,
    SessionPage,
    SessionPatch,
)
from wa_agents.entrypoints.http.errors import errors
from wa_agents.entrypoints.http.security import BEARER, OPERATOR, VIEWER

ACT = errors(401, 403, 404)  # the gateway's view always wins: no move is refused


class SessionController(Controller):
    path = "/api/v1/sessions"
    tags = ("sessions",)
    security = BEARER

    @get("/", guards=[VIEWER], responses=errors(400, 401), summary="List sessions")
    async def list_sessions(
        self, platform: NamedDependency[Platform], page: NamedDependency[PageRequest]
    ) -> SessionPage:
        found = await platform.sessions.list(page)
        items = [SessionOut.of(s) for s in found.items]
        return SessionPage(items, found.total, page.limit, page.offset)

    @post(
        "/",
        guards=[OPERATOR],
        responses=errors(400, 401, 403, 404, 409, 413, 422),
        summary="Link a new number: returns the QR code to scan",
    )
    async def create_session(
        self, data: JSONBody[SessionIn], platform: NamedDependency[Platform]
    ) -> SessionOut:
        return SessionOut.of(await platform.sessions.create(data.id, agent_id=data.agent_id))

    @get(
        "/{session_id:str}",
        guards=[VIEWER],
        responses=errors(401, 404),
        summary="One session (an expired QR code is replaced by a fresh one)",
    )
    async def get_session(
        self, session_id: FromPath[str], platform: NamedDependency[Platform]
    ) -> SessionOut:
        return SessionOut.of(await platform.sessions.current(session_id))

    @patch(
        "/{session_id:str}",
        guards=[OPERATOR],
        responses=errors(400, 401, 403, 404, 413),
        summary="Assign an agent (null: no agent answers) and/or set the number's pacing",
    )
    async def assign_agent(
        self,
        session_id: FromPath[str],
        data: JSONBody[SessionPatch],
        platform: NamedDependency[Platform],
    ) -> SessionOut:
        return SessionOut.of(await platform.sessions.configure(session_id, **data.changes()))

    @delete("/{session_id:str}", guards=[OPERATOR], responses=ACT, summary="Unlink and forget")
    async def delete_session(
        self, session_id: FromPath[str], platform: NamedDependency[Platform]
    ) -> None:
        await platform.sessions.delete(session_id)

    @post(
        "/{session_id:str}/reconnect",
        status_code=200,
        guards=[OPERATOR],
        responses=ACT,
        summary="Reconnect (a logged-out session gets a new QR code)",
    )
    async def reconnect(
        self, session_id: FromPath[str], platform: NamedDependency[Platform]
    ) -> SessionOut:
        return SessionOut.of(await platform.sessions.reconnect(session_id))

    @post(
        "/{session_id:str}/logout",
        status_code=200,
        guards=[OPERATOR],
        responses=ACT,
        summary="Log the number out of WhatsApp",
    )
    async def logout(
        self, session_id: FromPath[str], platform: NamedDependency[Platform]
    ) -> SessionOut:
        return SessionOut.of(await platform.sessions.logout(session_id))

    @post(
        "/{session_id:str}/pairing-code",
        status_code=200,
        guards=[OPERATOR],
        responses=errors(400, 401, 403, 404, 409, 413, 422),
        summary="A pairing code: link the number by typing a code instead of scanning the QR",
        description=(
            "Only while the session waits for a scan (409 otherwise). The phone types the code "
            "under Linked devices → Link a device → Link with phone number instead. 404 when "
            "the bridge offers no pairing codes (a plain zapw). The sandbox answers a fixed "
            "fake code for the session and number."
        ),
    )
    async def pairing_code(
        self,
        session_id: FromPath[str],
        data: JSONBody[PairingIn],
        platform: NamedDependency[Platform],
    ) -> PairingOut:
        code = await platform.sessions.pairing_code(session_id, data.phone_number)
        digits = "".join(c for c in data.phone_number if c.isdigit())
        return PairingOut(session_id, digits, code)
