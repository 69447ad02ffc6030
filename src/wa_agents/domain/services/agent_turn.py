"""AgentService: one agent turn — history in a token budget, the tool loop, the reply."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from wa_agents.domain.model.agent import Agent
from wa_agents.domain.model.chat import ChatMessage, ChatRole, TokenUsage
from wa_agents.domain.model.history import estimate_tokens, fit_history
from wa_agents.domain.model.message import Direction, Message
from wa_agents.domain.services.tools import ToolContext, describe, run_tool, specs_for
from wa_agents.ports.chat_model import ChatModel

MAX_TOOL_CALLS = 5
FALLBACK_REPLY = "Sorry, I could not come up with an answer just now."


@dataclass(frozen=True, slots=True)
class TurnResult:
    text: str
    model: str
    usage: TokenUsage
    tool_calls: list[dict[str, Any]] = field(default_factory=list)
    latency_ms: int = 0
    metadata: dict[str, Any] = field(default_factory=dict)


def to_chat(message: Message) -> ChatMessage:
    role = ChatRole.USER if message.direction == Direction.INBOUND else ChatRole.ASSISTANT
    return ChatMessage(role=role, content=message.content)


class AgentService:
    def __init__(self, model: ChatModel, max_tool_calls: int = MAX_TOOL_CALLS) -> None:
        self._model = model
        self._max_tool_calls = max_tool_calls

    def context(self, agent: Agent, history: Sequence[Message]) -> list[ChatMessage]:
        """The system prompt and the newest history that fits the agent's token budget."""
        budget = agent.max_history_tokens - estimate_tokens(agent.system_prompt)
        window = fit_history(
            [m for m in history if m.content], max(budget, 0), lambda m: estimate_tokens(m.content)
        )
        system = ChatMessage(role=ChatRole.SYSTEM, content=agent.system_prompt)
        return [system, *map(to_chat, window)]

    async def reply(self, agent: Agent, history: Sequence[Message], ctx: ToolContext) -> TurnResult:
        """Run the tool loop: at most ``max_tool_calls`` tool calls, then a text answer."""
        started = time.monotonic()
        messages = self.context(agent, history)
        tools = specs_for(agent.tools)
        usage, metadata = TokenUsage(), {}
        made: list[dict[str, Any]] = []
        model_name = agent.model
        while True:
            offered = tools if len(made) < self._max_tool_calls else []
            completion = await self._model.complete(
                messages, offered, model=agent.model, temperature=agent.temperature
            )
            usage, model_name, metadata = (
                usage + completion.usage,
                completion.model or model_name,
                completion.metadata,
            )
            if not completion.tool_calls or not offered:
                break
            messages.append(
                ChatMessage(
                    role=ChatRole.ASSISTANT,
                    content=completion.text,
                    tool_calls=completion.tool_calls,
                )
            )
            for call in completion.tool_calls:
                if len(made) >= self._max_tool_calls:
                    result = "error: tool call limit reached for this turn"
                else:
                    result = await run_tool(call, agent.tools, ctx)
                    made.append({**describe(call), "result": result[:500]})
                messages.append(
                    ChatMessage(
                        role=ChatRole.TOOL, content=result, tool_call_id=call.id, name=call.name
                    )
                )
        latency = int((time.monotonic() - started) * 1000)
        text = completion.text.strip() or FALLBACK_REPLY
        return TurnResult(text, model_name, usage, made, latency, dict(metadata))
