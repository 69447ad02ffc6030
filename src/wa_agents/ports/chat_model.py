"""The chat model (LLM) with function calling.

``complete`` returns text and/or tool calls and the token usage. It raises ``LLMUnavailable``
for any transport, quota or server failure; it never raises a library's own exception.
It is stateless: the whole conversation is in ``messages``.
An adapter that answers every agent with one model of its own, whatever ``model`` it is
given (the offline scripted model), says so in a ``fixed_model`` attribute: ``/agent``
then names the model that actually runs.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from wa_agents.domain.model.chat import ChatMessage, Completion, ToolSpec


class ChatModel(Protocol):
    async def complete(
        self,
        messages: Sequence[ChatMessage],
        tools: Sequence[ToolSpec] = (),
        *,
        model: str,
        temperature: float = 0.7,
        max_tokens: int | None = None,
    ) -> Completion: ...
