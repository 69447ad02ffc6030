"""``/api/v1/contacts/{jid}``: a contact's data, exported as JSON or erased (data rights)."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, delete, get
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, Parameter

from wa_agents.domain.model.user import User
from wa_agents.domain.services.platform import Platform
from wa_agents.entrypoints.http.errors import errors
from wa_agents.entrypoints.http.security import ADMIN, BEARER, OPERATOR

SCOPE = "Only this session (default: every session)."
SessionScope = Annotated[str | None, Parameter(max_length=64, description=SCOPE)]


class ContactController(Controller):
    path = "/api/v1/contacts/{jid:str}"
    tags = ("contacts",)
    security = BEARER

    @get(
        "/export",
        guards=[OPERATOR],
        responses=errors(400, 401, 403, 404, 422),
        summary="Everything stored about a contact, as JSON (audited)",
        description=(
            "Per session: the contact's JIDs (phone and @lid forms), conversations with their "
            "rolling summary, messages, usage records, and tool approvals. " + SCOPE
        ),
    )
    async def export(
        self,
        jid: FromPath[str],
        platform: NamedDependency[Platform],
        user: NamedDependency[User],
        session_id: FromQuery[SessionScope] = None,
    ) -> dict[str, Any]:
        return await platform.contact_data.export(jid, session_id=session_id, actor=user.username)

    @delete(
        "/",
        guards=[ADMIN],
        status_code=200,
        responses=errors(400, 401, 403, 404, 422),
        summary="Erase a contact: messages, summaries, usage, approvals, vectors (audited)",
        description="Returns how many rows were deleted per table. " + SCOPE,
    )
    async def erase(
        self,
        jid: FromPath[str],
        platform: NamedDependency[Platform],
        user: NamedDependency[User],
        session_id: FromQuery[SessionScope] = None,
    ) -> dict[str, int]:
        return await platform.contact_data.erase(jid, session_id=session_id, actor=user.username)
