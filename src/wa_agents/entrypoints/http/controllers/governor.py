"""``/api/v1/sessions/{id}/governor``: a number's send budgets, health and pause."""

from __future__ import annotations

from litestar import Controller, get, post, put
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody

from wa_agents.domain.services.platform import Platform
from wa_agents.entrypoints.http.dto.governor import GovernorOut, PolicyIn
from wa_agents.entrypoints.http.errors import errors
from wa_agents.entrypoints.http.security import BEARER, OPERATOR, VIEWER


class GovernorController(Controller):
    path = "/api/v1/sessions/{session_id:str}/governor"
    tags = ("sessions",)
    security = BEARER

    @get(
        "/",
        guards=[VIEWER],
        responses=errors(401, 404),
        summary="The number's send governor: health, pause, recent sends, effective policy",
    )
    async def governor(
        self, session_id: FromPath[str], platform: NamedDependency[Platform]
    ) -> GovernorOut:
        return GovernorOut.of(session_id, await platform.governor_admin.report(session_id))

    @put(
        "/",
        guards=[OPERATOR],
        responses=errors(400, 401, 403, 404, 413),
        summary="Set the number's budgets (fields left out keep the server's WA_SEND_* values)",
    )
    async def set_policy(
        self,
        session_id: FromPath[str],
        data: JSONBody[PolicyIn],
        platform: NamedDependency[Platform],
    ) -> GovernorOut:
        report = await platform.governor_admin.set_policy(session_id, data.overrides())
        return GovernorOut.of(session_id, report)

    @post(
        "/resume",
        status_code=200,
        guards=[OPERATOR],
        responses=errors(401, 403, 404),
        summary="Lift the number's pause after a restriction",
    )
    async def resume(
        self, session_id: FromPath[str], platform: NamedDependency[Platform]
    ) -> GovernorOut:
        return GovernorOut.of(session_id, await platform.governor_admin.resume(session_id))
