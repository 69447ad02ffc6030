"""Agents: a model, a system prompt and the tools it may call."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from wa_agents.domain.model.command import ALL_COMMANDS, check_commands
from wa_agents.domain.model.conversation import MemoryPolicy
from wa_agents.domain.model.documents import KnowledgePolicy
from wa_agents.domain.model.errors import ValidationError
from wa_agents.domain.model.handoff import HandoffPolicy
from wa_agents.domain.model.hours import BusinessHours
from wa_agents.domain.model.media import MediaPolicy
from wa_agents.domain.model.tools import BUILTIN_TOOLS
from wa_agents.domain.model.usage import Budget

MAX_NAME = 100
MAX_PROMPT = 20_000
MAX_DESCRIPTION = 2_000
DEFAULT_UNSUPPORTED_MEDIA_REPLY = "Sorry, I can only read text messages for now."


@dataclass(frozen=True, slots=True, kw_only=True)
class Agent:
    id: str
    name: str
    model: str
    system_prompt: str
    description: str = ""
    tools: tuple[str, ...] = ()
    temperature: float = 0.7
    max_history_tokens: int = 3_000
    is_active: bool = True
    unsupported_media_reply: str = DEFAULT_UNSUPPORTED_MEDIA_REPLY  # media it cannot read
    debounce_ms: int | None = None
    knowledge: KnowledgePolicy = field(default_factory=KnowledgePolicy)
    handoff: HandoffPolicy = field(default_factory=HandoffPolicy)
    hours: BusinessHours | None = None  # None: always open
    commands: tuple[str, ...] = ALL_COMMANDS  # the slash commands that are on (/help always is)
    memory: MemoryPolicy = field(default_factory=MemoryPolicy)
    budget: Budget = field(default_factory=Budget)
    media: MediaPolicy = field(default_factory=MediaPolicy)
    created_at: datetime
    updated_at: datetime
    metadata: dict[str, object] = field(default_factory=dict, compare=False)
    # Moved by the store on every change to this agent's HTTP tools, MCP servers or approval
    # policies (never by ``agents.update``): what a turn's cache of them is keyed by.
    tools_version: int = field(default=0, compare=False)

    def __post_init__(self) -> None:
        validate_agent_fields(
            name=self.name,
            model=self.model,
            system_prompt=self.system_prompt,
            description=self.description,
            temperature=self.temperature,
            max_history_tokens=self.max_history_tokens,
            tools=self.tools,
        )
        check_commands(self.commands)


def validate_agent_fields(
    *,
    name: str,
    model: str,
    system_prompt: str,
    description: str,
    temperature: float,
    max_history_tokens: int,
    tools: tuple[str, ...] = (),
) -> None:
    if not name.strip() or len(name) > MAX_NAME:
        raise ValidationError(f"name must be 1-{MAX_NAME} characters")
    if not model.strip() or len(model) > 200:
        raise ValidationError("model must be 1-200 characters")
    if len(system_prompt) > MAX_PROMPT:
        raise ValidationError(f"system_prompt must be at most {MAX_PROMPT} characters")
    if len(description) > MAX_DESCRIPTION:
        raise ValidationError(f"description must be at most {MAX_DESCRIPTION} characters")
    if not 0.0 <= temperature <= 2.0:
        raise ValidationError("temperature must be between 0 and 2")
    if not 100 <= max_history_tokens <= 200_000:
        raise ValidationError("max_history_tokens must be between 100 and 200000")
    unknown = sorted(set(tools) - BUILTIN_TOOLS.keys())
    if unknown:
        raise ValidationError(f"unknown tools {unknown}; known: {sorted(BUILTIN_TOOLS)}")
