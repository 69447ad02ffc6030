"""Agents: create, change, read."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import Annotated, Any, Literal

import msgspec

from wa_agents.domain.model.agent import (
    DEFAULT_UNSUPPORTED_MEDIA_REPLY,
    MAX_DESCRIPTION,
    MAX_NAME,
    MAX_PROMPT,
    Agent,
)
from wa_agents.domain.model.command import ALL_COMMANDS
from wa_agents.domain.model.documents import DEFAULT_FALLBACK, DEFAULT_MIN_SCORE, KnowledgePolicy
from wa_agents.domain.model.media import DEFAULT_TOO_LARGE_REPLY, MediaPolicy
from wa_agents.domain.model.tools import BUILTIN_TOOLS
from wa_agents.entrypoints.http.dto.agent_runtime import CommandName, HandoffIO, HoursIO
from wa_agents.entrypoints.http.dto.common import text
from wa_agents.entrypoints.http.dto.usage import BudgetIO, MemoryPolicyIO

ToolName = Literal["current_time", "search_history", "search_knowledge", "handoff_to_human"]
Tools = Annotated[
    list[ToolName], msgspec.Meta(max_length=len(BUILTIN_TOOLS), description="built-in tools")
]
# Litestar's schema drops a bound of 0 on an optional field (it tests the value for truth), so
# the minimum is also given as schema "extra", which it always copies: PATCH documents 0-2 too.
Temperature = Annotated[
    float, msgspec.Meta(ge=0.0, le=2.0, extra_json_schema={"extra": {"minimum": 0.0}})
]
HistoryTokens = Annotated[int, msgspec.Meta(ge=100, le=200_000)]
# how long a contact's burst is gathered into one turn; null: the server's WA_DEBOUNCE_MS
Debounce = Annotated[int, msgspec.Meta(ge=0, le=60_000, description="ms; null: WA_DEBOUNCE_MS")]
# the answer to media the agent cannot read (a voice note without a transcriber, an image
# without a caption for a model without vision)
UnsupportedMediaReply = Annotated[str, text(2_000, 1)]
Commands = Annotated[
    list[CommandName], msgspec.Meta(max_length=len(ALL_COMMANDS), description="commands on")
]


def _all_commands() -> list[CommandName]:
    return list(ALL_COMMANDS)  # type: ignore[arg-type]


class KnowledgePolicyIO(msgspec.Struct):
    """ "Answer only from knowledge": below ``min_score`` the agent answers ``fallback_reply``
    (and hands off when ``handoff``) without asking the model."""

    answer_only_from_knowledge: bool = False
    min_score: Annotated[float, msgspec.Meta(ge=-1.0, le=1.0)] = DEFAULT_MIN_SCORE
    fallback_reply: Annotated[str, text(2_000, 1)] = DEFAULT_FALLBACK
    handoff: bool = False

    def policy(self) -> KnowledgePolicy:
        return KnowledgePolicy(**msgspec.structs.asdict(self))

    @classmethod
    def of(cls, policy: KnowledgePolicy) -> KnowledgePolicyIO:
        return cls(**asdict(policy))


class MediaPolicyIO(msgspec.Struct):
    """Media: ``vision`` sends images to the model as image parts (its model must take
    them); ``document_tokens`` caps a document's text given to the model;
    ``documents_to_memory`` makes the documents a contact sends searchable in that contact's
    own memory; ``too_large_reply`` answers a file above the size cap."""

    vision: bool = False
    document_tokens: Annotated[int, msgspec.Meta(ge=100, le=100_000)] = 2_000
    documents_to_memory: bool = False
    too_large_reply: Annotated[str, text(2_000, 1)] = DEFAULT_TOO_LARGE_REPLY

    def policy(self) -> MediaPolicy:
        return MediaPolicy(**msgspec.structs.asdict(self))

    @classmethod
    def of(cls, policy: MediaPolicy) -> MediaPolicyIO:
        return cls(**asdict(policy))


class AgentIn(msgspec.Struct):
    name: Annotated[str, text(MAX_NAME, 1)]
    model: Annotated[str, text(200, 1)]
    system_prompt: Annotated[str, text(MAX_PROMPT)]
    description: Annotated[str, text(MAX_DESCRIPTION)] = ""
    tools: Tools = msgspec.field(default_factory=list)
    temperature: Temperature = 0.7
    max_history_tokens: HistoryTokens = 3_000
    is_active: bool = True
    debounce_ms: Debounce | None = None
    knowledge: KnowledgePolicyIO = msgspec.field(default_factory=KnowledgePolicyIO)
    handoff: HandoffIO = msgspec.field(default_factory=HandoffIO)
    hours: HoursIO | None = None  # null: always open
    commands: Commands = msgspec.field(default_factory=_all_commands)
    memory: MemoryPolicyIO = msgspec.field(default_factory=MemoryPolicyIO)
    budget: BudgetIO = msgspec.field(default_factory=BudgetIO)
    media: MediaPolicyIO = msgspec.field(default_factory=MediaPolicyIO)
    unsupported_media_reply: UnsupportedMediaReply = DEFAULT_UNSUPPORTED_MEDIA_REPLY

    def fields(self) -> dict[str, Any]:
        values = msgspec.structs.asdict(self)
        return {
            **values,
            "knowledge": self.knowledge.policy(),
            "handoff": self.handoff.policy(),
            "hours": self.hours.hours() if self.hours is not None else None,
            "commands": tuple(self.commands),
            "memory": self.memory.policy(),
            "budget": self.budget.budget(),
            "media": self.media.policy(),
        }


class AgentPatch(msgspec.Struct):
    name: Annotated[str, text(MAX_NAME, 1)] | None = None
    model: Annotated[str, text(200, 1)] | None = None
    system_prompt: Annotated[str, text(MAX_PROMPT)] | None = None
    description: Annotated[str, text(MAX_DESCRIPTION)] | None = None
    tools: Tools | None = None
    temperature: Temperature | None = None
    max_history_tokens: HistoryTokens | None = None
    is_active: bool | None = None
    debounce_ms: Debounce | msgspec.UnsetType | None = msgspec.UNSET  # null: WA_DEBOUNCE_MS
    knowledge: KnowledgePolicyIO | None = None  # replaces the whole policy when given
    handoff: HandoffIO | None = None  # replaces the whole policy when given
    hours: HoursIO | msgspec.UnsetType | None = msgspec.UNSET  # null: always open from now on
    commands: Commands | None = None
    memory: MemoryPolicyIO | None = None  # replaces the whole policy when given
    budget: BudgetIO | None = None  # replaces the whole budget when given
    media: MediaPolicyIO | None = None  # replaces the whole media policy when given
    unsupported_media_reply: UnsupportedMediaReply | None = None

    def changes(self) -> dict[str, Any]:
        """The fields given (``null`` means "leave as is", except ``hours`` and
        ``debounce_ms``: null clears them)."""
        given = {
            name: getattr(self, name)
            for name in self.__struct_fields__
            if getattr(self, name) not in (None, msgspec.UNSET)
        }
        if self.knowledge is not None:
            given["knowledge"] = self.knowledge.policy()
        if self.handoff is not None:
            given["handoff"] = self.handoff.policy()
        if self.hours is not msgspec.UNSET:
            given["hours"] = self.hours.hours() if self.hours is not None else None
        if self.debounce_ms is not msgspec.UNSET:
            given["debounce_ms"] = self.debounce_ms
        if self.commands is not None:
            given["commands"] = tuple(self.commands)
        if self.memory is not None:
            given["memory"] = self.memory.policy()
        if self.budget is not None:
            given["budget"] = self.budget.budget()
        if self.media is not None:
            given["media"] = self.media.policy()
        return given


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
    knowledge: KnowledgePolicyIO
    handoff: HandoffIO
    hours: HoursIO | None
    commands: list[str]
    memory: MemoryPolicyIO
    budget: BudgetIO
    media: MediaPolicyIO
    debounce_ms: int | None  # null: the server's WA_DEBOUNCE_MS
    unsupported_media_reply: str

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
            KnowledgePolicyIO.of(agent.knowledge),
            HandoffIO.of(agent.handoff),
            HoursIO.of(agent.hours),
            list(agent.commands),
            MemoryPolicyIO.of(agent.memory),
            BudgetIO.of(agent.budget),
            MediaPolicyIO.of(agent.media),
            agent.debounce_ms,
            agent.unsupported_media_reply,
        )


class AgentPage(msgspec.Struct):
    items: list[AgentOut]
    total: int
    limit: int
    offset: int
