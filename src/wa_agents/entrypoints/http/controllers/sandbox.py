"""``/api/v1/sandbox``: play the phone when the sandbox driver is on (no bridge configured)."""

from __future__ import annotations

from litestar import Controller, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody

from wa_agents.domain.services.sandbox import SandboxService
from wa_agents.entrypoints.http.dto.sessions import MessageOut, SandboxInbound, SessionOut
from wa_agents.entrypoints.http.errors import errors
from wa_agents.entrypoints.http.security import BEARER, OPERATOR


class SandboxController(Controller):
    path = "/api/v1/sandbox/sessions/{session_id:str}"
    tags = ("sandbox",)
    security = BEARER
    guards = (OPERATOR,)

    @post(
        "/scan",
        status_code=200,
        responses=errors(401, 403, 404, 409),
        summary="Scan the session's QR code with a pretend phone: the session connects",
    )
    async def scan(
        self, session_id: FromPath[str], sandbox: NamedDependency[SandboxService]
    ) -> SessionOut:
        return SessionOut.of(await sandbox.scan(session_id))

    @post(
        "/inbound",
        status_code=202,
        responses=errors(400, 401, 403, 404, 409, 413, 422),
        summary="A WhatsApp user sends a text to the session; the reply follows in the history",
    )
    async def inbound(
        self,
        session_id: FromPath[str],
        data: JSONBody[SandboxInbound],
        sandbox: NamedDependency[SandboxService],
    ) -> MessageOut:
        result = await sandbox.inbound(session_id, data.from_, data.text)
        return MessageOut.of(result.message)
