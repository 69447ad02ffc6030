"""``OpenAIChatModel``: Chat Completions with function calling, via the official SDK.

Works with any OpenAI-compatible ``base_url``. Every SDK error becomes ``LLMUnavailable``;
malformed tool-call arguments are passed to the tool loop as ``{}`` plus the raw text, so the
schema check refuses them in band instead of crashing the turn.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Sequence
from typing import Any

import openai

from wa_agents.domain.model.chat import (
    ChatMessage,
    ChatRole,
    Completion,
    TokenUsage,
    ToolCall,
    ToolSpec,
)
from wa_agents.domain.model.errors import LLMRejected, LLMUnavailable
from wa_agents.ports.chat_model import ChatModel


def _parts(message: ChatMessage) -> list[dict[str, Any]]:
    """Text plus image content parts (data URLs), as vision models take a user message."""
    parts: list[dict[str, Any]] = [{"type": "text", "text": message.content}]
    for image in message.images:
        url = f"data:{image.mime_type};base64,{base64.b64encode(image.data).decode()}"
        parts.append({"type": "image_url", "image_url": {"url": url}})
    return parts


def to_wire(message: ChatMessage) -> dict[str, Any]:
    content: Any = _parts(message) if message.images else message.content
    wire: dict[str, Any] = {"role": message.role.value, "content": content}
    if message.role == ChatRole.TOOL:
        wire["tool_call_id"] = message.tool_call_id
    if message.tool_calls:
        wire["content"] = message.content or None
        wire["tool_calls"] = [
            {
                "id": call.id,
                "type": "function",
                "function": {"name": call.name, "arguments": json.dumps(call.arguments)},
            }
            for call in message.tool_calls
        ]
    return wire


def _tool(spec: ToolSpec) -> dict[str, Any]:
    return {
        "type": "function",
        "function": {
            "name": spec.name,
            "description": spec.description,
            "parameters": spec.parameters,
        },
    }


def _arguments(raw: str | None) -> dict[str, Any]:
    try:
        parsed = json.loads(raw or "{}")
    except json.JSONDecodeError:
        return {"__unparsable__": raw}
    return parsed if isinstance(parsed, dict) else {"__unparsable__": raw}


# 400, 404 (an unknown model), 409, 422: asking again will not help. 401/403 (a wrong key),
# 429 and 5xx are outages: the platform waits for them to end.
REJECTED = (
    openai.BadRequestError,
    openai.NotFoundError,
    openai.ConflictError,
    openai.UnprocessableEntityError,
)


class OpenAIChatModel(ChatModel):
    def __init__(
        self,
        api_key: str,
        *,
        base_url: str | None = None,
        timeout: float = 60.0,
        max_retries: int = 2,
    ) -> None:
        self._client = openai.AsyncOpenAI(
            api_key=api_key, base_url=base_url, timeout=timeout, max_retries=max_retries
        )

    async def aclose(self) -> None:
        await self._client.close()

    async def complete(
        self,
        messages: Sequence[ChatMessage],
        tools: Sequence[ToolSpec] = (),
        *,
        model: str,
        temperature: float = 0.7,
        max_tokens: int | None = None,
    ) -> Completion:
        request: dict[str, Any] = {
            "model": model,
            "messages": [to_wire(m) for m in messages],
            "temperature": temperature,
        }
        if tools:
            request["tools"] = [_tool(t) for t in tools]
        if max_tokens is not None:
            request["max_tokens"] = max_tokens
        try:
            response = await self._client.chat.completions.create(**request)
        except REJECTED as exc:  # the server answered: this request is wrong, not the server
            raise LLMRejected(f"chat model refused the call: {type(exc).__name__}: {exc}") from exc
        except openai.OpenAIError as exc:
            raise LLMUnavailable(f"chat model call failed: {type(exc).__name__}: {exc}") from exc
        if not response.choices:
            raise LLMUnavailable("chat model returned no choices")
        choice = response.choices[0].message
        calls = tuple(
            ToolCall(call.id, call.function.name, _arguments(call.function.arguments))
            for call in choice.tool_calls or ()
            if call.type == "function"
        )
        usage = response.usage
        return Completion(
            text=choice.content or "",
            tool_calls=calls,
            usage=TokenUsage(usage.prompt_tokens, usage.completion_tokens)
            if usage
            else TokenUsage(),
            model=response.model,
        )
