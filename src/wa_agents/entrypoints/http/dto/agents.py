"""Agents: create, change, read."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

import msgspec

from wa_agents.domain.model.agent import MAX_DESCRIPTION, MAX_NAME, MAX_PROMPT, Agent
from wa_agents.domain.model.tools import BUILTIN_TOOLS
from wa_agents.entrypoints.http.dto.common import text

ToolName = Literal["current_time", "search_history", "search_knowledge", "handoff_to_human"]
Tools = Annotated[
    list[ToolName], msgspec.Meta(max_length=len(BUILTIN_TOOLS), description="built-in tools")
]
Temperature = Annotated[float, msgspec.Meta(ge=0.0, le=2.0)]
HistoryTokens = Annotated[int, msgspec.Meta(ge=100, le=200_000)]


class AgentIn(msgspec.Struct):
    name: Annotated[str, text(MAX_NAME, 1)]
    model: Annotated[str, text(200, 1)]
    system_prompt: Annotated[str, text(MAX_PROMPT)]
    description: Annotated[str, text(MAX_DESCRIPTION)] = ""
    tools: Tools = msgspec.field(default_factory=list)
    temperature: Temperature = 0.7
    max_history_tokens: HistoryTokens = 3_000
    is_active: bool = True


class AgentPatch(msgspec.Struct):
    name: Annotated[str, text(MAX_NAME, 1)] | None = None
    model: Annotated[str, text(200, 1)] | None = None
    system_prompt: Annotated[str, text(MAX_PROMPT)] | None = None
    description: Annotated[str, text(MAX_DESCRIPTION)] | None = None
    tools: Tools | None = None
    temperature: Temperature | None = None
    max_history_tokens: HistoryTokens | None = None
    is_active: bool | None = None

    def changes(self) -> dict[str, Any]:
        """The fields given (``null`` means "leave as is": no agent field may be null)."""
        return {
            name: getattr(self, name)
            for name in self.__struct_fields__
            if getattr(self, name) is not None
        }


class AgentOut(msgspec.Struct):
    id: str
    name: str
    description: str
    model: str
    system_prompt: str
    tools: list[str]
    temperature: float
    max_history_tokens: int
    is_active: bool
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, agent: Agent) -> AgentOut:
        return cls(
            agent.id,
            agent.name,
            agent.description,
            agent.model,
            agent.system_prompt,
            list(agent.tools),
            agent.temperature,
            agent.max_history_tokens,
            agent.is_active,
            agent.created_at,
            agent.updated_at,
        )


class AgentPage(msgspec.Struct):
    items: list[AgentOut]
    total: int
    limit: int
    offset: int
