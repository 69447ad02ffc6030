"""Value objects exchanged with a chat model: prompts, tool calls, completions."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any


class ChatRole(enum.StrEnum):
    SYSTEM = "system"
    USER = "user"
    ASSISTANT = "assistant"
    TOOL = "tool"


@dataclass(frozen=True, slots=True)
class ToolCall:
    id: str
    name: str
    arguments: dict[str, Any]


@dataclass(frozen=True, slots=True)
class ImagePart:
    """An image given to a vision-capable model with a user message (its bytes)."""

    mime_type: str
    data: bytes = field(repr=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class ChatMessage:
    role: ChatRole
    content: str = ""
    images: tuple[ImagePart, ...] = ()  # user messages only; for vision-capable models
    tool_calls: tuple[ToolCall, ...] = ()
    tool_call_id: str | None = None  # set on TOOL messages: which call this answers
    name: str | None = None


@dataclass(frozen=True, slots=True)
class ToolSpec:
    """A tool as the model sees it: a name, a description and JSON-schema parameters."""

    name: str
    description: str
    parameters: dict[str, Any]


@dataclass(frozen=True, slots=True)
class TokenUsage:
    prompt_tokens: int = 0
    completion_tokens: int = 0

    @property
    def total_tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens

    def __add__(self, other: TokenUsage) -> TokenUsage:
        return TokenUsage(
            self.prompt_tokens + other.prompt_tokens,
            self.completion_tokens + other.completion_tokens,
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class Completion:
    text: str = ""
    tool_calls: tuple[ToolCall, ...] = ()
    usage: TokenUsage = field(default_factory=TokenUsage)
    model: str = ""
    metadata: dict[str, Any] = field(default_factory=dict)
