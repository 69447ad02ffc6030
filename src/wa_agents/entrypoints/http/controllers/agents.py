"""``/api/v1/agents``: what answers the messages of a session."""

from __future__ import annotations

from litestar import Controller, delete, get, patch, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody

from wa_agents.domain.model.page import PageRequest
from wa_agents.domain.model.user import User
from wa_agents.domain.services.platform import Platform
from wa_agents.entrypoints.http.dto.agents import AgentIn, AgentOut, AgentPage, AgentPatch
from wa_agents.entrypoints.http.errors import errors
from wa_agents.entrypoints.http.security import BEARER, OPERATOR, VIEWER


class AgentController(Controller):
    path = "/api/v1/agents"
    tags = ("agents",)
    security = BEARER

    @get("/", guards=[VIEWER], responses=errors(400, 401), summary="List agents")
    async def list_agents(
        self, platform: NamedDependency[Platform], page: NamedDependency[PageRequest]
    ) -> AgentPage:
        found = await platform.agents.list(page)
        return AgentPage(
            [AgentOut.of(a) for a in found.items], found.total, page.limit, page.offset
        )

    @post(
        "/",
        guards=[OPERATOR],
        responses=errors(400, 401, 403, 413, 422),
        summary="Create an agent",
        description="Only built-in tools may be enabled; an unknown tool name is a 400.",
    )
    async def create_agent(
        self,
        data: JSONBody[AgentIn],
        platform: NamedDependency[Platform],
        user: NamedDependency[User],
    ) -> AgentOut:
        return AgentOut.of(await platform.agents.create(actor=user.username, **data.fields()))

    @get("/{agent_id:str}", guards=[VIEWER], responses=errors(401, 404), summary="One agent")
    async def get_agent(
        self, agent_id: FromPath[str], platform: NamedDependency[Platform]
    ) -> AgentOut:
        return AgentOut.of(await platform.agents.get(agent_id))

    @patch(
        "/{agent_id:str}",
        guards=[OPERATOR],
        responses=errors(400, 401, 403, 404, 413, 422),
        summary="Change an agent (only the fields given)",
    )
    async def update_agent(
        self,
        agent_id: FromPath[str],
        data: JSONBody[AgentPatch],
        platform: NamedDependency[Platform],
        user: NamedDependency[User],
    ) -> AgentOut:
        changed = await platform.agents.update(agent_id, actor=user.username, **data.changes())
        return AgentOut.of(changed)

    @delete(
        "/{agent_id:str}",
        guards=[OPERATOR],
        responses=errors(401, 403, 404, 409),
        summary="Delete an agent",
    )
    async def delete_agent(
        self,
        agent_id: FromPath[str],
        platform: NamedDependency[Platform],
        user: NamedDependency[User],
    ) -> None:
        await platform.agents.delete(agent_id, actor=user.username)
